// Compute over sparse buffers: a shader reads a sparse buffer with unbound
// blocks (no fault; bound blocks give their data) and writes one (writes to
// unbound blocks vanish, bound blocks keep what was written).
#include <cstring>
#include <memory>

#include "ComputeKit.h"
#include "SparseFixture.h"

namespace panvk::test {
namespace {

constexpr VkDescriptorType kStorage = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
constexpr uint32_t kBlocks = 4;

class ComputeSparseTest : public SparseFixture {
protected:
   void SetUp() override
   {
      SparseFixture::SetUp();
      if (HasFatalFailure())
         return;
      kit_ = std::make_unique<ComputeKit>(sparseDevice_);
      atSparseTearDown([this] { kit_.reset(); });
      // Blocks 0 and 2 bound, 1 and 3 not.
      sparse_ = createStorageSparseBuffer(kBlocks * kSparseBlock);
      ASSERT_NE(VK_NULL_HANDLE, sparse_);
      const VkDeviceMemory memory = allocateDeviceMemory(2 * kSparseBlock, requirements(sparse_).memoryTypeBits);
      const VkSparseMemoryBind binds[] = {{0, kSparseBlock, memory, 0, 0},
                                          {2 * kSparseBlock, kSparseBlock, memory, kSparseBlock, 0}};
      ASSERT_NO_FATAL_FAILURE(bindBufferAndWait(sparse_, binds));
      host_ = createStorageHostBuffer(kBlocks * kSparseBlock);
      ASSERT_NE(nullptr, host_.mapped);
   }

   VkBuffer createStorageSparseBuffer(VkDeviceSize size)
   {
      const uint32_t families[] = {kTransferFamily, kSparseOnlyFamily, kTransferSparseFamily};
      VkBufferCreateInfo info{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
      info.flags = VK_BUFFER_CREATE_SPARSE_BINDING_BIT | VK_BUFFER_CREATE_SPARSE_RESIDENCY_BIT;
      info.size = size;
      info.usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_SRC_BIT |
                   VK_BUFFER_USAGE_TRANSFER_DST_BIT;
      info.sharingMode = VK_SHARING_MODE_CONCURRENT;
      info.queueFamilyIndexCount = 3;
      info.pQueueFamilyIndices = families;
      VkBuffer buffer = VK_NULL_HANDLE;
      EXPECT_EQ(VK_SUCCESS, vkCreateBuffer(sparseDevice_, &info, nullptr, &buffer));
      if (buffer)
         atSparseTearDown([this, buffer] { vkDestroyBuffer(sparseDevice_, buffer, nullptr); });
      return buffer;
   }

   HostBuffer createStorageHostBuffer(VkDeviceSize size)
   {
      HostBuffer host;
      host.size = size;
      VkBufferCreateInfo info{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
      info.size = size;
      info.usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT;
      EXPECT_EQ(VK_SUCCESS, vkCreateBuffer(sparseDevice_, &info, nullptr, &host.buffer));
      if (!host.buffer)
         return host;
      atSparseTearDown([this, b = host.buffer] { vkDestroyBuffer(sparseDevice_, b, nullptr); });
      VkMemoryRequirements req{};
      vkGetBufferMemoryRequirements(sparseDevice_, host.buffer, &req);
      VkMemoryAllocateInfo alloc{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
      alloc.allocationSize = req.size;
      alloc.memoryTypeIndex = findMemoryType(req.memoryTypeBits, VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT |
                                                                    VK_MEMORY_PROPERTY_HOST_COHERENT_BIT);
      EXPECT_EQ(VK_SUCCESS, vkAllocateMemory(sparseDevice_, &alloc, nullptr, &host.memory));
      if (!host.memory)
         return host;
      atSparseTearDown([this, m = host.memory] { vkFreeMemory(sparseDevice_, m, nullptr); });
      EXPECT_EQ(VK_SUCCESS, vkBindBufferMemory(sparseDevice_, host.buffer, host.memory, 0));
      void *data = nullptr;
      EXPECT_EQ(VK_SUCCESS, vkMapMemory(sparseDevice_, host.memory, 0, VK_WHOLE_SIZE, 0, &data));
      host.mapped = static_cast<uint8_t *>(data);
      return host;
   }

   // copy.comp from `src` to `dst` over the whole 4 blocks.
   void copyWithShader(VkBuffer src, VkBuffer dst)
   {
      VkDescriptorSetLayout setLayout = kit_->setLayout({{0, kStorage}, {1, kStorage}});
      VkPipelineLayout layout = kit_->pipelineLayout({setLayout});
      VkPipeline pipeline;
      ASSERT_EQ(VK_SUCCESS, kit_->pipeline("copy.comp", layout, &pipeline));
      VkDescriptorSet set = kit_->allocateSet(setLayout);
      kit_->writeBuffer(set, 0, kStorage, src);
      kit_->writeBuffer(set, 1, kStorage, dst);
      submitTransfer([&](VkCommandBuffer cmd) {
         vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline);
         vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, layout, 0, 1, &set, 0, nullptr);
         vkCmdDispatch(cmd, uint32_t(kBlocks * kSparseBlock / 4 / 64), 1, 1);
         ComputeKit::hostReadBarrier(cmd);
      });
   }

   std::unique_ptr<ComputeKit> kit_;
   VkBuffer sparse_ = VK_NULL_HANDLE;
   HostBuffer host_;
};

TEST_F(ComputeSparseTest, ShaderReadsUnboundBlocksWithoutFault)
{
   const std::vector<uint8_t> first = patternBytes(kSparseBlock, 11);
   const std::vector<uint8_t> third = patternBytes(kSparseBlock, 12);
   ASSERT_NO_FATAL_FAILURE(writeBuffer(sparse_, 0, first));
   ASSERT_NO_FATAL_FAILURE(writeBuffer(sparse_, 2 * kSparseBlock, third));
   memset(host_.mapped, 0xEE, host_.size);
   ASSERT_NO_FATAL_FAILURE(copyWithShader(sparse_, host_.buffer));
   EXPECT_BYTES_EQ(first, std::span<const uint8_t>(host_.mapped, kSparseBlock));
   EXPECT_BYTES_EQ(third, std::span<const uint8_t>(host_.mapped + 2 * kSparseBlock, kSparseBlock));
   // The device is still fine: another submission completes.
   EXPECT_EQ(VK_SUCCESS, vkDeviceWaitIdle(sparseDevice_));
}

TEST_F(ComputeSparseTest, ShaderWritesToUnboundBlocksVanish)
{
   const std::vector<uint8_t> bytes = patternBytes(kBlocks * kSparseBlock, 13);
   memcpy(host_.mapped, bytes.data(), bytes.size());
   ASSERT_NO_FATAL_FAILURE(copyWithShader(host_.buffer, sparse_));
   EXPECT_BYTES_EQ(std::span<const uint8_t>(bytes.data(), kSparseBlock), readBuffer(sparse_, 0, kSparseBlock));
   EXPECT_BYTES_EQ(std::span<const uint8_t>(bytes.data() + 2 * kSparseBlock, kSparseBlock),
                   readBuffer(sparse_, 2 * kSparseBlock, kSparseBlock));
   EXPECT_EQ(VK_SUCCESS, vkDeviceWaitIdle(sparseDevice_));
}

} // namespace
} // namespace panvk::test
