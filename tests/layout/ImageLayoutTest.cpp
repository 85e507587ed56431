#include "layout/ImageLayout.h"

#include <gtest/gtest.h>

#include "layout/Tile.h"

namespace pan::layout {
namespace {

constexpr uint64_t kTile = kTileBytes;

ImageDesc desc2D(VkFormat format, uint32_t width, uint32_t height, uint32_t mips,
                 uint32_t layers, Tiling tiling)
{
   ImageDesc desc;
   desc.type = VK_IMAGE_TYPE_2D;
   desc.format = format;
   desc.extent = {width, height, 1};
   desc.mipLevels = mips;
   desc.arrayLayers = layers;
   desc.tiling = tiling;
   return desc;
}

void expectConsecutiveLevels(const ImageLayout &layout)
{
   uint64_t offset = 0;
   for (uint32_t i = 0; i < layout.levelCount; ++i) {
      SCOPED_TRACE(i);
      EXPECT_EQ(layout.levels[i].offset, offset);
      EXPECT_EQ(layout.levels[i].offset % layout.alignment, 0u);
      offset += layout.levels[i].size;
   }
   EXPECT_EQ(layout.layerStride, offset);
   EXPECT_EQ(layout.layerStride % layout.alignment, 0u);
   EXPECT_EQ(layout.totalSize, layout.layerStride * layout.layerCount);
}

TEST(ImageLayoutTest, TiledLevelsAreWholeTiles)
{
   const auto layout = computeLayout(
      desc2D(VK_FORMAT_R8G8B8A8_UNORM, 300, 200, 9, 1, Tiling::Tiled64K));
   ASSERT_TRUE(layout);
   EXPECT_EQ(layout->alignment, kTile);
   EXPECT_EQ(layout->tileExtent.width, 128u);
   EXPECT_EQ(layout->tileExtent.height, 128u);

   const uint32_t tilesX[] = {3, 2, 1, 1, 1, 1, 1, 1, 1};
   const uint32_t tilesY[] = {2, 1, 1, 1, 1, 1, 1, 1, 1};
   const uint32_t widths[] = {300, 150, 75, 37, 18, 9, 4, 2, 1};
   const uint32_t heights[] = {200, 100, 50, 25, 12, 6, 3, 1, 1};
   for (uint32_t i = 0; i < 9; ++i) {
      SCOPED_TRACE(i);
      const LevelLayout &level = layout->levels[i];
      EXPECT_EQ(level.width, widths[i]);
      EXPECT_EQ(level.height, heights[i]);
      EXPECT_EQ(level.depth, 1u);
      EXPECT_EQ(level.tilesX, tilesX[i]);
      EXPECT_EQ(level.tilesY, tilesY[i]);
      EXPECT_EQ(level.size, uint64_t(tilesX[i]) * tilesY[i] * kTile);
      EXPECT_EQ(level.rowPitch, tilesX[i] * kTile);
      EXPECT_EQ(level.slicePitch, level.size);
   }
   EXPECT_EQ(layout->levels[0].size, 384u * 1024);
   EXPECT_EQ(layout->layerStride, 15 * kTile);
   expectConsecutiveLevels(*layout);
}

TEST(ImageLayoutTest, TiledLayersAreLayerMajor)
{
   const auto layout = computeLayout(
      desc2D(VK_FORMAT_R8G8B8A8_UNORM, 300, 200, 9, 6, Tiling::Tiled64K));
   ASSERT_TRUE(layout);
   EXPECT_EQ(layout->layerStride, 15 * kTile);
   EXPECT_EQ(layout->totalSize, 90 * kTile);
   EXPECT_EQ(subresourceOffset(*layout, 0, 1), 15 * kTile);
   EXPECT_EQ(subresourceOffset(*layout, 2, 3), 3 * 15 * kTile + 8 * kTile);
   EXPECT_EQ(subresourceOffset(*layout, 9, 0), kInvalidOffset);
   EXPECT_EQ(subresourceOffset(*layout, 0, 6), kInvalidOffset);
}

TEST(ImageLayoutTest, TiledSmallImageStillTakesOneTilePerLevel)
{
   const auto layout = computeLayout(desc2D(VK_FORMAT_R8_UNORM, 1, 1, 1, 1, Tiling::Tiled64K));
   ASSERT_TRUE(layout);
   EXPECT_EQ(layout->totalSize, kTile);
   EXPECT_EQ(layout->levels[0].tilesX, 1u);
   EXPECT_EQ(layout->levels[0].tilesY, 1u);
}

TEST(ImageLayoutTest, Tiled3DTilesEachSlice)
{
   ImageDesc desc;
   desc.type = VK_IMAGE_TYPE_3D;
   desc.format = VK_FORMAT_R8G8B8A8_UNORM;
   desc.extent = {200, 130, 5};
   desc.mipLevels = 3;
   desc.tiling = Tiling::Tiled64K;
   const auto layout = computeLayout(desc);
   ASSERT_TRUE(layout);
   const LevelLayout &l0 = layout->levels[0];
   EXPECT_EQ(l0.tilesX, 2u);
   EXPECT_EQ(l0.tilesY, 2u);
   EXPECT_EQ(l0.depth, 5u);
   EXPECT_EQ(l0.slicePitch, 4 * kTile);
   EXPECT_EQ(l0.size, 20 * kTile);
   const LevelLayout &l1 = layout->levels[1];
   EXPECT_EQ(l1.width, 100u);
   EXPECT_EQ(l1.height, 65u);
   EXPECT_EQ(l1.depth, 2u);
   EXPECT_EQ(l1.size, 2 * kTile);
   const LevelLayout &l2 = layout->levels[2];
   EXPECT_EQ(l2.depth, 1u);
   EXPECT_EQ(l2.size, kTile);
   EXPECT_EQ(layout->totalSize, 23 * kTile);
   expectConsecutiveLevels(*layout);
}

TEST(ImageLayoutTest, TiledCompressedCountsBlocks)
{
   const auto bc1 = computeLayout(
      desc2D(VK_FORMAT_BC1_RGB_UNORM_BLOCK, 1024, 1024, 1, 1, Tiling::Tiled64K));
   ASSERT_TRUE(bc1);
   EXPECT_EQ(bc1->tileExtent.width, 128u);
   EXPECT_EQ(bc1->tileExtent.height, 64u);
   EXPECT_EQ(bc1->levels[0].width, 256u);
   EXPECT_EQ(bc1->levels[0].height, 256u);
   EXPECT_EQ(bc1->levels[0].tilesX, 2u);
   EXPECT_EQ(bc1->levels[0].tilesY, 4u);
   EXPECT_EQ(bc1->levels[0].texelExtent.width, 1024u);

   const auto bc7 = computeLayout(
      desc2D(VK_FORMAT_BC7_UNORM_BLOCK, 258, 256, 2, 1, Tiling::Tiled64K));
   ASSERT_TRUE(bc7);
   EXPECT_EQ(bc7->levels[0].width, 65u);
   EXPECT_EQ(bc7->levels[0].tilesX, 2u);
   EXPECT_EQ(bc7->levels[0].tilesY, 1u);
   EXPECT_EQ(bc7->levels[1].width, 33u); // 129 texels
   EXPECT_EQ(bc7->levels[1].height, 32u);
}

TEST(ImageLayoutTest, LinearPitches)
{
   const auto layout = computeLayout(
      desc2D(VK_FORMAT_R8G8B8A8_UNORM, 100, 10, 3, 2, Tiling::Linear));
   ASSERT_TRUE(layout);
   EXPECT_EQ(layout->alignment, kLinearAlignment);
   EXPECT_EQ(layout->tileExtent.width, 0u);
   const LevelLayout &l0 = layout->levels[0];
   EXPECT_EQ(l0.rowPitch, 448u); // 400 rounded up to 64
   EXPECT_EQ(l0.slicePitch, 4480u);
   EXPECT_EQ(l0.size, 4480u);
   EXPECT_EQ(l0.tilesX, 0u);
   const LevelLayout &l1 = layout->levels[1];
   EXPECT_EQ(l1.offset, 4480u);
   EXPECT_EQ(l1.rowPitch, 256u); // 200 -> 256
   EXPECT_EQ(l1.size, 1280u);
   const LevelLayout &l2 = layout->levels[2];
   EXPECT_EQ(l2.rowPitch, 128u); // 25 texels = 100 bytes -> 128
   EXPECT_EQ(l2.size, 128u * 2);
   EXPECT_EQ(layout->layerStride, 4480u + 1280 + 256);
   expectConsecutiveLevels(*layout);
}

TEST(ImageLayoutTest, LinearSmallRowsTakeOneAlignedRow)
{
   const auto layout = computeLayout(desc2D(VK_FORMAT_R8_UNORM, 3, 3, 1, 1, Tiling::Linear));
   ASSERT_TRUE(layout);
   EXPECT_EQ(layout->levels[0].rowPitch, 64u);
   EXPECT_EQ(layout->totalSize, 192u);
}

TEST(ImageLayoutTest, LinearCompressedAnd3DAnd1D)
{
   const auto bc1 = computeLayout(desc2D(VK_FORMAT_BC1_RGB_UNORM_BLOCK, 10, 10, 1, 1,
                                         Tiling::Linear));
   ASSERT_TRUE(bc1);
   EXPECT_EQ(bc1->levels[0].width, 3u);
   EXPECT_EQ(bc1->levels[0].height, 3u);
   EXPECT_EQ(bc1->levels[0].rowPitch, 64u);
   EXPECT_EQ(bc1->levels[0].size, 192u);

   ImageDesc volume;
   volume.type = VK_IMAGE_TYPE_3D;
   volume.format = VK_FORMAT_R32_SFLOAT;
   volume.extent = {20, 4, 3};
   const auto linear3d = computeLayout(volume);
   ASSERT_TRUE(linear3d);
   EXPECT_EQ(linear3d->levels[0].rowPitch, 128u);
   EXPECT_EQ(linear3d->levels[0].slicePitch, 512u);
   EXPECT_EQ(linear3d->levels[0].size, 1536u);

   ImageDesc line;
   line.type = VK_IMAGE_TYPE_1D;
   line.format = VK_FORMAT_R16_UNORM;
   line.extent = {1000, 1, 1};
   line.mipLevels = 10;
   line.arrayLayers = 4;
   const auto linear1d = computeLayout(line);
   ASSERT_TRUE(linear1d);
   EXPECT_EQ(linear1d->levels[0].rowPitch, 2048u);
   EXPECT_EQ(linear1d->levels[9].width, 1u);
   EXPECT_EQ(linear1d->levels[9].rowPitch, 64u);
   expectConsecutiveLevels(*linear1d);
}

TEST(ImageLayoutTest, RejectsBadDescriptions)
{
   const ImageDesc good = desc2D(VK_FORMAT_R8G8B8A8_UNORM, 300, 200, 9, 1, Tiling::Tiled64K);
   ASSERT_TRUE(computeLayout(good));

   ImageDesc d = good;
   d.format = VK_FORMAT_R8G8B8_UNORM;
   EXPECT_FALSE(computeLayout(d));
   d = good;
   d.format = VK_FORMAT_UNDEFINED;
   EXPECT_FALSE(computeLayout(d));
   d = good;
   d.mipLevels = 10;
   EXPECT_FALSE(computeLayout(d));
   d = good;
   d.mipLevels = 0;
   EXPECT_FALSE(computeLayout(d));
   d = good;
   d.arrayLayers = 0;
   EXPECT_FALSE(computeLayout(d));
   d = good;
   d.extent.width = 0;
   EXPECT_FALSE(computeLayout(d));
   d = good;
   d.extent.depth = 2;
   EXPECT_FALSE(computeLayout(d));
   d = good;
   d.type = VK_IMAGE_TYPE_1D;
   d.extent = {300, 1, 1};
   d.mipLevels = 1;
   EXPECT_FALSE(computeLayout(d)) << "tiled 1D images are not supported";
   d.tiling = Tiling::Linear;
   EXPECT_TRUE(computeLayout(d));
   d.extent.height = 2;
   EXPECT_FALSE(computeLayout(d));
   d = good;
   d.type = VK_IMAGE_TYPE_3D;
   d.extent.depth = 4;
   d.arrayLayers = 2;
   EXPECT_FALSE(computeLayout(d));
   d = good;
   d.type = static_cast<VkImageType>(7);
   EXPECT_FALSE(computeLayout(d));
   d = good;
   d.tiling = static_cast<Tiling>(9);
   EXPECT_FALSE(computeLayout(d));
}

TEST(ImageLayoutTest, RejectsSizesPast64Bits)
{
   ImageDesc huge = desc2D(VK_FORMAT_R32G32B32A32_UINT, 0xffffffffu, 0xffffffffu, 1,
                           0xffffffffu, Tiling::Tiled64K);
   EXPECT_FALSE(computeLayout(huge));
   huge.tiling = Tiling::Linear;
   EXPECT_FALSE(computeLayout(huge));

   ImageDesc volume;
   volume.type = VK_IMAGE_TYPE_3D;
   volume.format = VK_FORMAT_R32G32B32A32_SFLOAT;
   volume.extent = {0xffffffffu, 0xffffffffu, 0xffffffffu};
   volume.tiling = Tiling::Tiled64K;
   EXPECT_FALSE(computeLayout(volume));

   // Large but representable: 65536 x 65536 RGBA8, 1 layer.
   const auto big = computeLayout(
      desc2D(VK_FORMAT_R8G8B8A8_UNORM, 65536, 65536, 17, 1, Tiling::Tiled64K));
   ASSERT_TRUE(big);
   EXPECT_EQ(big->levels[0].size, 16ull << 30);
}

} // namespace
} // namespace pan::layout
