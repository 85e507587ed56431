// Residency images through the loader, with the validation layer: images
// bound tile by tile (VkSparseImageMemoryBind) on the sparse-binding queue,
// then copied on the transfer queue. Bound tiles must keep their data; the
// unbound ones read the sparse dummy without faulting (the device is not lost,
// no submission fails). The contents of unbound tiles are not checked: the
// device does not offer residencyNonResidentStrict.
#include <algorithm>
#include <cstring>
#include <vector>

#include "SparseImageResidencyFixture.h"

namespace panvk::test {
namespace {

using SparseImageResidencyTest = SparseImageResidencyFixture;

TEST_F(SparseImageResidencyTest, CheckerboardOf4096SquareRgba8FromOneAllocationPerTile)
{
   constexpr uint32_t kSize = 4096, kBlock = 128, kTiles = kSize / kBlock;
   const VkImage image = createResidencyImage(VK_IMAGE_TYPE_2D, VK_FORMAT_R8G8B8A8_UNORM, {kSize, kSize, 1}, 1);
   ASSERT_NE(VK_NULL_HANDLE, image);
   const VkSparseImageMemoryRequirements requirements = sparseRequirements(image);
   ASSERT_EQ(kBlock, requirements.formatProperties.imageGranularity.width);
   ASSERT_EQ(kBlock, requirements.formatProperties.imageGranularity.height);
   EXPECT_EQ(1u, requirements.imageMipTailFirstLod) << "every level is at least a block: no tail";

   struct Tile {
      uint32_t x, y;
      uint8_t *mapped;
   };
   std::vector<Tile> tiles;
   std::vector<VkSparseImageMemoryBind> binds;
   for (uint32_t y = 0; y < kTiles; y++) {
      for (uint32_t x = (y & 1); x < kTiles; x += 2) {
         uint8_t *mapped = nullptr;
         const VkDeviceMemory memory = allocate(image, kTile, &mapped);
         ASSERT_NE(VK_NULL_HANDLE, memory);
         tiles.push_back({x, y, mapped});
         binds.push_back(tileBind(0, {int32_t(x * kBlock), int32_t(y * kBlock), 0}, {kBlock, kBlock, 1}, memory, 0));
      }
   }
   ASSERT_NO_FATAL_FAILURE(bindAndWait(image, binds));

   const VkDeviceSize bytes = VkDeviceSize(kSize) * kSize * 4;
   const StagingBuffer upload = createStagingBuffer(bytes);
   const StagingBuffer download = createStagingBuffer(bytes);
   ASSERT_TRUE(upload.mapped && download.mapped);
   const std::vector<uint8_t> texels = patternBytes(bytes, 4096);
   memcpy(upload.mapped, texels.data(), bytes);
   VkBufferImageCopy region{};
   region.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
   region.imageExtent = {kSize, kSize, 1};
   ASSERT_NO_FATAL_FAILURE(roundTrip(image, upload, download, {region}));

   for (const Tile &tile : tiles) {
      EXPECT_TRUE(boxEqual(texels.data(), download.mapped, kSize, kSize, tile.x * kBlock, (tile.x + 1) * kBlock,
                           tile.y * kBlock, (tile.y + 1) * kBlock))
         << "tile " << tile.x << "," << tile.y;
   }
   // Each tile's texels are in its own allocation, row-major inside it.
   for (const Tile &tile : {tiles.front(), tiles[tiles.size() / 2], tiles.back()}) {
      for (uint32_t row : {0u, 57u, kBlock - 1}) {
         const size_t image = ((size_t(tile.y) * kBlock + row) * kSize + tile.x * kBlock) * 4;
         EXPECT_EQ(0, memcmp(texels.data() + image, tile.mapped + row * kBlock * 4, kBlock * 4))
            << "tile " << tile.x << "," << tile.y << " row " << row;
      }
   }
}

TEST_F(SparseImageResidencyTest, ThreeDimensionalImageWithMipTail)
{
   // 300x260x3: level 0 is 3x3 tiles x 3 slices, level 1 (150x130x1) 2x2
   // tiles, level 2 (75x65x1) the mip tail.
   const VkImage image = createResidencyImage(VK_IMAGE_TYPE_3D, VK_FORMAT_R8G8B8A8_UNORM, {300, 260, 3}, 3);
   ASSERT_NE(VK_NULL_HANDLE, image);
   const VkSparseImageMemoryRequirements requirements = sparseRequirements(image);
   EXPECT_EQ(VK_SPARSE_IMAGE_FORMAT_NONSTANDARD_BLOCK_SIZE_BIT, requirements.formatProperties.flags);
   EXPECT_EQ(1u, requirements.formatProperties.imageGranularity.depth);
   ASSERT_EQ(2u, requirements.imageMipTailFirstLod);
   EXPECT_EQ(kTile, requirements.imageMipTailSize);
   EXPECT_EQ((27 + 4) * kTile, requirements.imageMipTailOffset);

   // Level 0: a 3D checkerboard, one allocation per tile; the last tiles of
   // each row and column are partial (the extent reaches the edge).
   std::vector<VkSparseImageMemoryBind> binds;
   struct Box {
      uint32_t x, y, z;
   };
   std::vector<Box> bound;
   for (uint32_t z = 0; z < 3; z++) {
      for (uint32_t y = 0; y < 3; y++) {
         for (uint32_t x = 0; x < 3; x++) {
            if ((x + y + z) % 2)
               continue;
            const VkExtent3D extent{std::min(128u, 300 - x * 128), std::min(128u, 260 - y * 128), 1};
            binds.push_back(tileBind(0, {int32_t(x * 128), int32_t(y * 128), int32_t(z)}, extent,
                                     allocate(image, kTile), 0));
            bound.push_back({x, y, z});
         }
      }
   }
   // Level 1 whole from one allocation, and the tail through an opaque bind.
   binds.push_back(tileBind(1, {0, 0, 0}, {150, 130, 1}, allocate(image, 4 * kTile), 0));
   const VkSparseMemoryBind tail{requirements.imageMipTailOffset, requirements.imageMipTailSize,
                                 allocate(image, requirements.imageMipTailSize), 0, 0};
   ASSERT_NO_FATAL_FAILURE(bindAndWait(image, binds, {tail}));

   const VkDeviceSize level0 = 300 * 260 * 3 * 4, level1 = 150 * 130 * 4, level2 = 75 * 65 * 4;
   const StagingBuffer upload = createStagingBuffer(level0 + level1 + level2);
   const StagingBuffer download = createStagingBuffer(level0 + level1 + level2);
   const std::vector<uint8_t> texels = patternBytes(level0 + level1 + level2, 3);
   memcpy(upload.mapped, texels.data(), texels.size());
   std::vector<VkBufferImageCopy> regions(3);
   regions[0].imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
   regions[0].imageExtent = {300, 260, 3};
   regions[1].bufferOffset = level0;
   regions[1].imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 1, 0, 1};
   regions[1].imageExtent = {150, 130, 1};
   regions[2].bufferOffset = level0 + level1;
   regions[2].imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 2, 0, 1};
   regions[2].imageExtent = {75, 65, 1};
   ASSERT_NO_FATAL_FAILURE(roundTrip(image, upload, download, regions));

   for (const Box &box : bound) {
      EXPECT_TRUE(boxEqual(texels.data(), download.mapped, 300, 260, box.x * 128, std::min(300u, box.x * 128 + 128),
                           box.y * 128, std::min(260u, box.y * 128 + 128), box.z, box.z + 1))
         << "tile " << box.x << "," << box.y << "," << box.z;
   }
   EXPECT_EQ(0, memcmp(texels.data() + level0, download.mapped + level0, level1 + level2))
      << "level 1 and the mip tail are fully bound";
}

} // namespace
} // namespace panvk::test
