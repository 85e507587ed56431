// Opaque binds of a sparse-binding image (optimal tiling) through the loader:
// the image's memory is bound block by block, in shuffled order, then texels
// go buffer -> image -> buffer on the transfer queue after the bind's
// semaphore and must come back unchanged.
#include <algorithm>
#include <cstring>
#include <random>

#include "SparseFixture.h"

namespace panvk::test {
namespace {

class SparseImageTest : public SparseFixture {
protected:
   VkImage createSparseImage(VkFormat format, uint32_t width, uint32_t height)
   {
      const uint32_t families[] = {kTransferFamily, kSparseOnlyFamily, kTransferSparseFamily};
      VkImageCreateInfo info{VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO};
      info.flags = VK_IMAGE_CREATE_SPARSE_BINDING_BIT;
      info.imageType = VK_IMAGE_TYPE_2D;
      info.format = format;
      info.extent = {width, height, 1};
      info.mipLevels = 1;
      info.arrayLayers = 1;
      info.samples = VK_SAMPLE_COUNT_1_BIT;
      info.tiling = VK_IMAGE_TILING_OPTIMAL;
      info.usage = VK_IMAGE_USAGE_TRANSFER_SRC_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT;
      info.sharingMode = VK_SHARING_MODE_CONCURRENT;
      info.queueFamilyIndexCount = 3;
      info.pQueueFamilyIndices = families;
      info.initialLayout = VK_IMAGE_LAYOUT_UNDEFINED;
      VkImageFormatProperties properties{};
      EXPECT_EQ(VK_SUCCESS, vkGetPhysicalDeviceImageFormatProperties(physicalDevice_, format, info.imageType,
                                                                     info.tiling, info.usage, info.flags,
                                                                     &properties));
      VkImage image = VK_NULL_HANDLE;
      EXPECT_EQ(VK_SUCCESS, vkCreateImage(sparseDevice_, &info, nullptr, &image));
      if (image)
         atSparseTearDown([this, image] { vkDestroyImage(sparseDevice_, image, nullptr); });
      return image;
   }

   static void layoutBarrier(VkCommandBuffer cmd, VkImage image, VkImageLayout from, VkImageLayout to)
   {
      VkImageMemoryBarrier barrier{VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER};
      barrier.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
      barrier.dstAccessMask = VK_ACCESS_TRANSFER_READ_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
      barrier.oldLayout = from;
      barrier.newLayout = to;
      barrier.srcQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
      barrier.dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
      barrier.image = image;
      barrier.subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1};
      vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 0, nullptr,
                           0, nullptr, 1, &barrier);
   }

   static void hostBarrier(VkCommandBuffer cmd)
   {
      VkMemoryBarrier barrier{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
      barrier.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
      barrier.dstAccessMask = VK_ACCESS_HOST_READ_BIT;
      vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_HOST_BIT, 0, 1, &barrier, 0,
                           nullptr, 0, nullptr);
   }

   // Binds `image` block by block in shuffled order (to one allocation per
   // block, or to blocks of one allocation), then copies `texels` in and out.
   void roundTrip(uint32_t width, uint32_t height, bool allocationPerBlock)
   {
      constexpr VkFormat kFormat = VK_FORMAT_R8G8B8A8_UNORM;
      const VkImage image = createSparseImage(kFormat, width, height);
      ASSERT_NE(VK_NULL_HANDLE, image);
      VkMemoryRequirements req{};
      vkGetImageMemoryRequirements(sparseDevice_, image, &req);
      ASSERT_EQ(kSparseBlock, req.alignment);
      ASSERT_EQ(0u, req.size % kSparseBlock);
      const uint32_t blocks = uint32_t(req.size / kSparseBlock);

      std::vector<uint32_t> order(blocks);
      for (uint32_t i = 0; i < blocks; i++)
         order[i] = i;
      std::mt19937 random(blocks);
      std::shuffle(order.begin(), order.end(), random);
      const VkDeviceMemory large = allocationPerBlock ? VK_NULL_HANDLE
                                                      : allocateDeviceMemory(req.size, req.memoryTypeBits);
      SparseBinds info;
      info.image = image;
      for (uint32_t block : order) {
         const VkDeviceMemory memory =
            allocationPerBlock ? allocateDeviceMemory(kSparseBlock, req.memoryTypeBits) : large;
         ASSERT_NE(VK_NULL_HANDLE, memory);
         const VkDeviceSize memoryOffset = allocationPerBlock ? 0 : (blocks - 1 - block) * kSparseBlock;
         info.imageOpaqueBinds.push_back({block * kSparseBlock, kSparseBlock, memory, memoryOffset, 0});
      }
      const VkSemaphore bound = createBinarySemaphore();
      info.signals = {{bound, 0}};
      VK_ASSERT_SUCCESS(bindSparse(bindQueue_, {&info, 1}, VK_NULL_HANDLE));

      const VkDeviceSize bytesSize = VkDeviceSize(width) * height * 4;
      const std::vector<uint8_t> texels = patternBytes(bytesSize, width + height);
      const HostBuffer upload = createHostBuffer(bytesSize);
      const HostBuffer download = createHostBuffer(bytesSize);
      ASSERT_NE(nullptr, upload.mapped);
      ASSERT_NE(nullptr, download.mapped);
      memcpy(upload.mapped, texels.data(), bytesSize);
      VkBufferImageCopy region{};
      region.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
      region.imageExtent = {width, height, 1};
      const SemaphorePoint wait{bound, 0};
      ASSERT_NO_FATAL_FAILURE(submitTransfer(
         [&](VkCommandBuffer cmd) {
            layoutBarrier(cmd, image, VK_IMAGE_LAYOUT_UNDEFINED, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL);
            vkCmdCopyBufferToImage(cmd, upload.buffer, image, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1, &region);
            layoutBarrier(cmd, image, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL);
            vkCmdCopyImageToBuffer(cmd, image, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, download.buffer, 1, &region);
            hostBarrier(cmd);
         },
         {&wait, 1}));
      EXPECT_BYTES_EQ(texels, std::span<const uint8_t>(download.mapped, bytesSize));
   }
};

TEST_F(SparseImageTest, OpaqueBindsToOneAllocationPerBlockRoundTrip)
{
   roundTrip(512, 512, true); // 1 MiB: 16 blocks
}

TEST_F(SparseImageTest, OpaqueBindsToReversedBlocksOfOneAllocationRoundTrip)
{
   roundTrip(300, 200, false); // not a whole number of tiles
}

} // namespace
} // namespace panvk::test
