// A GPU fault under a dispatch (the mock's injected fault:
// PANTHOR_MOCK_INJECT_GPU_FAULT=1, the first GPU access faults, here the
// shader's first buffer read) makes the device lost, as it does under a copy.
#include <cstring>
#include <memory>

#include "ComputeKit.h"
#include "VkTestFixture.h"

namespace panvk::test {
namespace {

class ComputeDeviceLostTest : public VkTestFixture {};

TEST_F(ComputeDeviceLostTest, FaultInAShaderLosesTheDevice)
{
   expectDeviceLost_ = true;
   expectedVuids_ = {"VUID-vkDestroyFence-fence-01120", "VUID-vkFreeCommandBuffers-pCommandBuffers-00047"};
   auto kit = std::make_shared<ComputeKit>(device_);
   atTearDown([kit]() mutable { kit.reset(); }); // before the device goes
   const uint32_t type = findMemoryType(~0u, VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT);
   TestBuffer src, dst;
   createBuffer(4096, VK_BUFFER_USAGE_STORAGE_BUFFER_BIT, type, &src);
   createBuffer(4096, VK_BUFFER_USAGE_STORAGE_BUFFER_BIT, type, &dst);
   VkDescriptorSetLayout setLayout =
      kit->setLayout({{0, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER}, {1, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER}});
   VkPipelineLayout layout = kit->pipelineLayout({setLayout});
   VkPipeline pipeline;
   ASSERT_EQ(VK_SUCCESS, kit->pipeline("copy.comp", layout, &pipeline));
   VkDescriptorSet set = kit->allocateSet(setLayout);
   kit->writeBuffer(set, 0, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, src.buffer);
   kit->writeBuffer(set, 1, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, dst.buffer);

   VkCommandBuffer cmd;
   allocateCommandBuffer(kTransferFamily, &cmd);
   VkCommandBufferBeginInfo begin{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
   ASSERT_EQ(VK_SUCCESS, vkBeginCommandBuffer(cmd, &begin));
   vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline);
   vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, layout, 0, 1, &set, 0, nullptr);
   vkCmdDispatch(cmd, 16, 1, 1);
   ASSERT_EQ(VK_SUCCESS, vkEndCommandBuffer(cmd));
   VkFenceCreateInfo fenceInfo{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
   VkFence fence;
   ASSERT_EQ(VK_SUCCESS, vkCreateFence(device_, &fenceInfo, nullptr, &fence));
   atTearDown([this, fence] { vkDestroyFence(device_, fence, nullptr); });
   VkSubmitInfo submit{VK_STRUCTURE_TYPE_SUBMIT_INFO};
   submit.commandBufferCount = 1;
   submit.pCommandBuffers = &cmd;
   const VkResult submitted = vkQueueSubmit(queue(kTransferFamily), 1, &submit, fence);
   ASSERT_TRUE(submitted == VK_SUCCESS || submitted == VK_ERROR_DEVICE_LOST) << submitted;
   EXPECT_EQ(VK_ERROR_DEVICE_LOST, vkWaitForFences(device_, 1, &fence, VK_TRUE, 10'000'000'000ull));
   EXPECT_EQ(VK_ERROR_DEVICE_LOST, vkQueueWaitIdle(queue(kTransferFamily)));
}

} // namespace
} // namespace panvk::test
