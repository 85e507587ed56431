// Depth/stencil residency images: a combined format's aspects share each
// texel, hence each tile, and are reported and bound as one. The host writes
// bound tiles' memory, the device reads both aspects and copies the image.
#include <cstring>
#include <tuple>
#include <vector>

#include "SparseImageResidencyFixture.h"

namespace panvk::test {
namespace {

using SparseImageDepthStencilTest = SparseImageResidencyFixture;

TEST_F(SparseImageDepthStencilTest, DepthStencilTilesHoldBothAspects)
{
   // D24_UNORM_S8_UINT: one sparse entry for depth and stencil together
   // (they share each texel). 256x256 is 2x2 tiles of 128x128; bind tiles 0
   // and 3, write them from the host, read both aspects on the device.
   const VkFormat format = VK_FORMAT_D24_UNORM_S8_UINT;
   const VkImage image =
      createResidencyImage(VK_IMAGE_TYPE_2D, format, {256, 256, 1}, 1, 0, VK_IMAGE_LAYOUT_PREINITIALIZED);
   ASSERT_NE(VK_NULL_HANDLE, image);
   const VkSparseImageMemoryRequirements requirements = sparseRequirements(image);
   EXPECT_EQ(VkImageAspectFlags(VK_IMAGE_ASPECT_DEPTH_BIT | VK_IMAGE_ASPECT_STENCIL_BIT),
             requirements.formatProperties.aspectMask);
   uint8_t *tile0 = nullptr, *tile3 = nullptr;
   const VkDeviceMemory memory0 = allocate(image, kTile, &tile0);
   const VkDeviceMemory memory3 = allocate(image, kTile, &tile3);
   ASSERT_TRUE(tile0 && tile3);
   const VkImageAspectFlags both = VK_IMAGE_ASPECT_DEPTH_BIT | VK_IMAGE_ASPECT_STENCIL_BIT;
   ASSERT_NO_FATAL_FAILURE(bindAndWait(image, {tileBind(0, {0, 0, 0}, {128, 128, 1}, memory0, 0, both),
                                               tileBind(0, {128, 128, 0}, {128, 128, 1}, memory3, 0, both)}));
   const std::vector<uint8_t> bytes0 = patternBytes(kTile, 10), bytes3 = patternBytes(kTile, 13);
   memcpy(tile0, bytes0.data(), kTile);
   memcpy(tile3, bytes3.data(), kTile);

   // A second residency image, fully bound, receives a device copy.
   const VkImage copy = createResidencyImage(VK_IMAGE_TYPE_2D, format, {256, 256, 1}, 1);
   uint8_t *copyMapped = nullptr;
   const VkDeviceMemory copyMemory = allocate(copy, 4 * kTile, &copyMapped);
   ASSERT_TRUE(copyMapped);
   ASSERT_NO_FATAL_FAILURE(bindAndWait(copy, {tileBind(0, {0, 0, 0}, {256, 256, 1}, copyMemory, 0, both)}));

   const StagingBuffer depth = createStagingBuffer(256 * 256 * 4);
   const StagingBuffer stencil = createStagingBuffer(256 * 256);
   transferAndWait([&](VkCommandBuffer cmd) {
      barrier(cmd, image, both, VK_IMAGE_LAYOUT_PREINITIALIZED, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL);
      barrier(cmd, copy, both, VK_IMAGE_LAYOUT_UNDEFINED, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL);
      VkImageCopy whole{};
      whole.srcSubresource = whole.dstSubresource = {both, 0, 0, 1};
      whole.extent = {256, 256, 1};
      vkCmdCopyImage(cmd, image, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, copy, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1, &whole);
      VkBufferImageCopy region{};
      region.imageSubresource = {VK_IMAGE_ASPECT_DEPTH_BIT, 0, 0, 1};
      region.imageExtent = {256, 256, 1};
      vkCmdCopyImageToBuffer(cmd, image, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, depth.buffer, 1, &region);
      region.imageSubresource.aspectMask = VK_IMAGE_ASPECT_STENCIL_BIT;
      vkCmdCopyImageToBuffer(cmd, image, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, stencil.buffer, 1, &region);
      VkMemoryBarrier host{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
      host.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
      host.dstAccessMask = VK_ACCESS_HOST_READ_BIT;
      vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_HOST_BIT, 0, 1, &host, 0,
                           nullptr, 0, nullptr);
   });

   // Texel (x, y) of a tile is the 4 bytes at (y * 128 + x) * 4: depth in
   // bits 0..23, stencil in 24..31.
   for (uint32_t y = 0; y < 128; y += 7) {
      for (uint32_t x = 0; x < 128; x += 5) {
         const size_t inTile = (size_t(y) * 128 + x) * 4;
         for (const auto &[tileX, tileY, bytes] :
              {std::tuple{0u, 0u, &bytes0}, std::tuple{128u, 128u, &bytes3}}) {
            const size_t texel = size_t(tileY + y) * 256 + tileX + x;
            uint32_t expected = 0, actual = 0;
            memcpy(&expected, bytes->data() + inTile, 4);
            memcpy(&actual, depth.mapped + texel * 4, 4);
            ASSERT_EQ(expected & 0xffffff, actual & 0xffffff) << "depth at " << tileX + x << "," << tileY + y;
            ASSERT_EQ(expected >> 24, stencil.mapped[texel]) << "stencil at " << tileX + x << "," << tileY + y;
         }
      }
   }
   // The copy's memory holds the bound tiles at the same places.
   EXPECT_EQ(0, memcmp(bytes0.data(), copyMapped, kTile));
   EXPECT_EQ(0, memcmp(bytes3.data(), copyMapped + 3 * kTile, kTile));
}

} // namespace
} // namespace panvk::test
