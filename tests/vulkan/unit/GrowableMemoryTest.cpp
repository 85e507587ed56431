// Growable memory (DeviceMemory::allocateGrowable, the backing of heaps)
// populated by a compute shader's stores: on panthor 1.10 the BO is
// alloc-on-fault, so each chunk the shader touches costs exactly one handled
// GPU fault and one chunk of memory; on 1.9 the BO is populated up front and
// the shader never faults. Either way the stored words read back.
#include <cstdlib>
#include <set>
#include <string>

#include "../../SpirvFile.h"
#include "DeviceMemory.h"
#include "ExecutorFixture.h"
#include "kmod/Device.h"

namespace panvk::test {
namespace {

constexpr uint64_t kMemorySize = 16ull << 20;
constexpr uint32_t kGranularity = 64 * 1024;

class GrowableMemoryTest : public ExecutorFixture {
protected:
   void TearDown() override
   {
      if (device_) {
         if (pipeline_)
            panvk_DestroyPipeline(device_, pipeline_, nullptr);
         if (pipelineLayout_)
            panvk_DestroyPipelineLayout(device_, pipelineLayout_, nullptr);
         if (descriptorPool_)
            panvk_DestroyDescriptorPool(device_, descriptorPool_, nullptr);
         if (setLayout_)
            panvk_DestroyDescriptorSetLayout(device_, setLayout_, nullptr);
         if (module_)
            panvk_DestroyShaderModule(device_, module_, nullptr);
         if (buffer_)
            panvk_DestroyBuffer(device_, buffer_, nullptr);
         if (memory_)
            panvk_FreeMemory(device_, memory_, nullptr);
      }
      ExecutorFixture::TearDown();
   }

   // The scatter shader's pipeline and a set whose binding 0 is `buffer`.
   void makePipeline(VkBuffer buffer)
   {
      const std::vector<uint32_t> words = readSpirvFile(std::string(COMPUTE_SHADER_DIR) + "/scatter.comp.spv");
      ASSERT_FALSE(words.empty());
      VkShaderModuleCreateInfo moduleInfo{VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO};
      moduleInfo.codeSize = words.size() * 4;
      moduleInfo.pCode = words.data();
      ASSERT_EQ(VK_SUCCESS, panvk_CreateShaderModule(device_, &moduleInfo, nullptr, &module_));

      VkDescriptorSetLayoutBinding binding{0, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 1, VK_SHADER_STAGE_COMPUTE_BIT,
                                           nullptr};
      VkDescriptorSetLayoutCreateInfo setInfo{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO};
      setInfo.bindingCount = 1;
      setInfo.pBindings = &binding;
      ASSERT_EQ(VK_SUCCESS, panvk_CreateDescriptorSetLayout(device_, &setInfo, nullptr, &setLayout_));
      VkPushConstantRange push{VK_SHADER_STAGE_COMPUTE_BIT, 0, 4};
      VkPipelineLayoutCreateInfo layoutInfo{VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO};
      layoutInfo.setLayoutCount = 1;
      layoutInfo.pSetLayouts = &setLayout_;
      layoutInfo.pushConstantRangeCount = 1;
      layoutInfo.pPushConstantRanges = &push;
      ASSERT_EQ(VK_SUCCESS, panvk_CreatePipelineLayout(device_, &layoutInfo, nullptr, &pipelineLayout_));
      VkComputePipelineCreateInfo pipelineInfo{VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO};
      pipelineInfo.stage = {VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO};
      pipelineInfo.stage.stage = VK_SHADER_STAGE_COMPUTE_BIT;
      pipelineInfo.stage.module = module_;
      pipelineInfo.stage.pName = "main";
      pipelineInfo.layout = pipelineLayout_;
      ASSERT_EQ(VK_SUCCESS,
                panvk_CreateComputePipelines(device_, VK_NULL_HANDLE, 1, &pipelineInfo, nullptr, &pipeline_));

      VkDescriptorPoolSize poolSize{VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 1};
      VkDescriptorPoolCreateInfo poolInfo{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
      poolInfo.maxSets = 1;
      poolInfo.poolSizeCount = 1;
      poolInfo.pPoolSizes = &poolSize;
      ASSERT_EQ(VK_SUCCESS, panvk_CreateDescriptorPool(device_, &poolInfo, nullptr, &descriptorPool_));
      VkDescriptorSetAllocateInfo allocInfo{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
      allocInfo.descriptorPool = descriptorPool_;
      allocInfo.descriptorSetCount = 1;
      allocInfo.pSetLayouts = &setLayout_;
      ASSERT_EQ(VK_SUCCESS, panvk_AllocateDescriptorSets(device_, &allocInfo, &set_));
      VkDescriptorBufferInfo bufferInfo{buffer, 0, VK_WHOLE_SIZE};
      VkWriteDescriptorSet write{VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET};
      write.dstSet = set_;
      write.descriptorCount = 1;
      write.descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
      write.pBufferInfo = &bufferInfo;
      panvk_UpdateDescriptorSets(device_, 1, &write, 0, nullptr);
   }

   // A storage buffer over the whole of `memory`.
   VkBuffer storageBuffer(VkDeviceMemory memory)
   {
      VkBufferCreateInfo info{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
      info.size = kMemorySize;
      info.usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_SRC_BIT;
      EXPECT_EQ(VK_SUCCESS, panvk_CreateBuffer(device_, &info, nullptr, &buffer_));
      EXPECT_EQ(VK_SUCCESS, panvk_BindBufferMemory(device_, buffer_, memory, 0));
      return buffer_;
   }

   VkShaderModule module_ = VK_NULL_HANDLE;
   VkDescriptorSetLayout setLayout_ = VK_NULL_HANDLE;
   VkPipelineLayout pipelineLayout_ = VK_NULL_HANDLE;
   VkPipeline pipeline_ = VK_NULL_HANDLE;
   VkDescriptorPool descriptorPool_ = VK_NULL_HANDLE;
   VkDescriptorSet set_ = VK_NULL_HANDLE;
   VkBuffer buffer_ = VK_NULL_HANDLE;
   VkDeviceMemory memory_ = VK_NULL_HANDLE;
};

TEST_F(GrowableMemoryTest, ShaderStoresPopulateOneChunkPerTouchedChunk)
{
   const bool allocOnFault = device().kmod().features().allocOnFault;
   if (const char *version = getenv("PANTHOR_MOCK_VERSION")) {
      ASSERT_EQ(std::string(version) == "1.10", allocOnFault);
   }

   ASSERT_EQ(VK_SUCCESS, DeviceMemory::allocateGrowable(device(), kMemorySize, kGranularity, &memory_));
   const VkDeviceMemory memory = memory_;
   DeviceMemory &growable = *DeviceMemory::from(memory);
   EXPECT_EQ(allocOnFault, growable.allocOnFault());
   EXPECT_EQ(allocOnFault ? 0u : kMemorySize, growable.committedBytes());

   const VkBuffer buffer = storageBuffer(memory);
   ASSERT_NO_FATAL_FAILURE(makePipeline(buffer));

   // 40 invocations, 12,000 words apart: 48,000 bytes, so some 64 KiB chunks
   // take two stores and some one.
   constexpr uint32_t kInvocations = 40, kStride = 12000;
   std::set<uint64_t> chunks;
   for (uint32_t i = 0; i < kInvocations; i++)
      chunks.insert(uint64_t(i) * kStride * 4 / kGranularity);
   ASSERT_LT(chunks.size(), kInvocations);

   const pan::kmod::MockGpu::Counters before = gpu().counters();
   VkCommandBuffer cmd = begin();
   panvk_CmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline_);
   panvk_CmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, pipelineLayout_, 0, 1, &set_, 0, nullptr);
   panvk_CmdPushConstants(cmd, pipelineLayout_, VK_SHADER_STAGE_COMPUTE_BIT, 0, 4, &kStride);
   panvk_CmdDispatch(cmd, kInvocations, 1, 1);
   ASSERT_EQ(VK_SUCCESS, run(cmd));
   const pan::kmod::MockGpu::Counters after = gpu().counters();

   EXPECT_EQ(0u, after.faultsUnhandled - before.faultsUnhandled);
   EXPECT_EQ(allocOnFault ? chunks.size() : 0u, after.faultsHandled - before.faultsHandled);
   EXPECT_EQ(allocOnFault ? chunks.size() * kGranularity : kMemorySize, growable.committedBytes());
   VkDeviceSize committed = 0;
   panvk_GetDeviceMemoryCommitment(device_, memory, &committed);
   EXPECT_EQ(growable.committedBytes(), committed);

   // Read back only the stored words: copying more would populate more.
   HostBuffer readback = hostBuffer(kInvocations * 4);
   std::vector<VkBufferCopy> regions;
   for (uint32_t i = 0; i < kInvocations; i++)
      regions.push_back({uint64_t(i) * kStride * 4, i * 4u, 4});
   VkCommandBuffer copy = begin();
   panvk_CmdCopyBuffer(copy, buffer, readback.buffer, uint32_t(regions.size()), regions.data());
   ASSERT_EQ(VK_SUCCESS, run(copy));
   for (uint32_t i = 0; i < kInvocations; i++) {
      uint32_t word = 0;
      memcpy(&word, readback.data + i * 4, 4);
      EXPECT_EQ(i + 1, word) << "invocation " << i;
   }
   EXPECT_EQ(allocOnFault ? chunks.size() : 0u, gpu().counters().faultsHandled - before.faultsHandled);
}

TEST_F(GrowableMemoryTest, BadArgumentsAreRefused)
{
   VkDeviceMemory memory = VK_NULL_HANDLE;
   EXPECT_EQ(VK_ERROR_OUT_OF_DEVICE_MEMORY, DeviceMemory::allocateGrowable(device(), 0, kGranularity, &memory));
   EXPECT_EQ(VK_ERROR_OUT_OF_DEVICE_MEMORY, DeviceMemory::allocateGrowable(device(), kMemorySize, 1000, &memory));
   EXPECT_EQ(VK_ERROR_OUT_OF_DEVICE_MEMORY, DeviceMemory::allocateGrowable(device(), kMemorySize, 2048, &memory));
   EXPECT_EQ(VK_NULL_HANDLE, memory);
}

} // namespace
} // namespace panvk::test
