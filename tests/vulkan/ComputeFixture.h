// The fixture of the compute tests on the base device: VkTestFixture plus a
// ComputeKit, host-visible storage buffers and a one-dispatch helper.
#pragma once

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "ComputeKit.h"
#include "VkTestFixture.h"

namespace panvk::test {

constexpr VkDescriptorType kStorage = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;

class ComputeTest : public VkTestFixture {
protected:
   void SetUp() override
   {
      VkTestFixture::SetUp();
      if (HasFatalFailure())
         return;
      kit_ = std::make_unique<ComputeKit>(device_);
      atTearDown([this] { kit_.reset(); });
   }

   // Host-visible coherent storage buffer holding `bytes`.
   TestBuffer storageBuffer(const void *bytes, VkDeviceSize size,
                            VkBufferUsageFlags usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT)
   {
      TestBuffer buffer;
      const uint32_t type = findMemoryType(~0u, VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT |
                                                   VK_MEMORY_PROPERTY_HOST_COHERENT_BIT);
      createBuffer(size, usage | VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT, type,
                   &buffer);
      if (buffer.mapped) {
         if (bytes)
            memcpy(buffer.mapped, bytes, size);
         else
            memset(buffer.mapped, 0, size);
      }
      return buffer;
   }
   template <typename T> TestBuffer storageBuffer(const std::vector<T> &items)
   {
      return storageBuffer(items.data(), items.size() * sizeof(T));
   }
   template <typename T> std::vector<T> contents(const TestBuffer &buffer, size_t count)
   {
      std::vector<T> items(count);
      memcpy(items.data(), buffer.mapped, count * sizeof(T));
      return items;
   }
   // A set of storage buffers at bindings 0.. and the pipeline for `shader`.
   void storagePipeline(const std::string &shader, const std::vector<VkBuffer> &buffers,
                        VkPipeline *pipeline, VkPipelineLayout *layout, VkDescriptorSet *set)
   {
      std::vector<std::pair<uint32_t, VkDescriptorType>> bindings;
      for (uint32_t i = 0; i < buffers.size(); ++i)
         bindings.push_back({i, kStorage});
      VkDescriptorSetLayout setLayout = kit_->setLayout(bindings);
      *layout = kit_->pipelineLayout({setLayout});
      ASSERT_EQ(VK_SUCCESS, kit_->pipeline(shader, *layout, pipeline));
      *set = kit_->allocateSet(setLayout);
      for (uint32_t i = 0; i < buffers.size(); ++i)
         kit_->writeBuffer(*set, i, kStorage, buffers[i]);
   }
   void dispatch(VkPipeline pipeline, VkPipelineLayout layout, VkDescriptorSet set, uint32_t groups)
   {
      submitAndWait([&](VkCommandBuffer cmd) {
         vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline);
         vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, layout, 0, 1, &set, 0, nullptr);
         vkCmdDispatch(cmd, groups, 1, 1);
         ComputeKit::hostReadBarrier(cmd);
      });
   }

   std::unique_ptr<ComputeKit> kit_;
};

} // namespace panvk::test
