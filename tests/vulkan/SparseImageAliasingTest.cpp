// Aliased residency: two residency images bound to the same memory see the
// same bytes, tile by tile, whatever tiles of each share a piece of memory.
#include <cstring>
#include <vector>

#include "SparseImageResidencyFixture.h"

namespace panvk::test {
namespace {

using SparseImageAliasingTest = SparseImageResidencyFixture;

TEST_F(SparseImageAliasingTest, AliasedImagesShareTheirTiles)
{
   // Two aliased residency images on one 4-tile allocation: A binds tile i
   // to memory tile i, B to memory tile 3 - i. What A's tile i holds, B
   // reads in its tile 3 - i.
   const VkImage a = createResidencyImage(VK_IMAGE_TYPE_2D, VK_FORMAT_R8G8B8A8_UNORM, {256, 256, 1}, 1,
                                          VK_IMAGE_CREATE_SPARSE_ALIASED_BIT);
   const VkImage b = createResidencyImage(VK_IMAGE_TYPE_2D, VK_FORMAT_R8G8B8A8_UNORM, {256, 256, 1}, 1,
                                          VK_IMAGE_CREATE_SPARSE_ALIASED_BIT, VK_IMAGE_LAYOUT_PREINITIALIZED);
   ASSERT_TRUE(a && b);
   const VkDeviceMemory memory = allocate(a, 4 * kTile);
   std::vector<VkSparseImageMemoryBind> bindsA, bindsB;
   for (uint32_t i = 0; i < 4; i++) {
      const VkOffset3D offset{int32_t(i % 2) * 128, int32_t(i / 2) * 128, 0};
      bindsA.push_back(tileBind(0, offset, {128, 128, 1}, memory, i * kTile));
      bindsB.push_back(tileBind(0, offset, {128, 128, 1}, memory, (3 - i) * kTile));
   }
   ASSERT_NO_FATAL_FAILURE(bindAndWait(a, bindsA));
   ASSERT_NO_FATAL_FAILURE(bindAndWait(b, bindsB));

   const VkDeviceSize bytes = 256 * 256 * 4;
   const StagingBuffer upload = createStagingBuffer(bytes);
   const StagingBuffer download = createStagingBuffer(bytes);
   const std::vector<uint8_t> texels = patternBytes(bytes, 256);
   memcpy(upload.mapped, texels.data(), bytes);
   VkBufferImageCopy region{};
   region.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
   region.imageExtent = {256, 256, 1};
   transferAndWait([&](VkCommandBuffer cmd) {
      barrier(cmd, a, VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_UNDEFINED, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL);
      vkCmdCopyBufferToImage(cmd, upload.buffer, a, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1, &region);
   });
   transferAndWait([&](VkCommandBuffer cmd) {
      barrier(cmd, b, VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_PREINITIALIZED,
              VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL);
      vkCmdCopyImageToBuffer(cmd, b, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, download.buffer, 1, &region);
      VkMemoryBarrier host{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
      host.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
      host.dstAccessMask = VK_ACCESS_HOST_READ_BIT;
      vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_HOST_BIT, 0, 1, &host, 0,
                           nullptr, 0, nullptr);
   });
   for (uint32_t i = 0; i < 4; i++) {
      const uint32_t j = 3 - i;
      for (uint32_t y = 0; y < 128; y++) {
         const size_t from = ((size_t(i / 2) * 128 + y) * 256 + (i % 2) * 128) * 4;
         const size_t to = ((size_t(j / 2) * 128 + y) * 256 + (j % 2) * 128) * 4;
         ASSERT_EQ(0, memcmp(texels.data() + from, download.mapped + to, 128 * 4))
            << "A's tile " << i << " row " << y << " read through B's tile " << j;
      }
   }
}

} // namespace
} // namespace panvk::test
