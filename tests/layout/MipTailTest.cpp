#include <gtest/gtest.h>

#include "layout/ImageLayout.h"
#include "layout/MipTail.h"
#include "layout/Tile.h"

namespace pan::layout {
namespace {

constexpr uint64_t kTile = kTileBytes;

ImageLayout tiled(VkImageType type, VkFormat format, VkExtent3D extent, uint32_t levels, uint32_t layers = 1)
{
   ImageDesc desc;
   desc.type = type;
   desc.format = format;
   desc.extent = extent;
   desc.mipLevels = levels;
   desc.arrayLayers = layers;
   desc.tiling = Tiling::Tiled64K;
   const std::optional<ImageLayout> layout = computeLayout(desc);
   EXPECT_TRUE(layout.has_value());
   return layout.value_or(ImageLayout{});
}

TEST(MipTailTest, FullChainStartsAtTheFirstLevelBelowOneBlock)
{
   // RGBA8 blocks are 128x128: levels 0..5 (4096 .. 128) are whole blocks,
   // level 6 (64x64) starts the tail; levels 6..12 take one tile each.
   const ImageLayout layout = tiled(VK_IMAGE_TYPE_2D, VK_FORMAT_R8G8B8A8_UNORM, {4096, 4096, 1}, 13);
   const auto tail = mipTail(layout);
   ASSERT_TRUE(tail.has_value());
   EXPECT_EQ(6u, tail->firstLod);
   EXPECT_EQ((1024u + 256 + 64 + 16 + 4 + 1) * kTile, tail->offset);
   EXPECT_EQ(7 * kTile, tail->size);
   EXPECT_EQ(layout.layerStride, tail->stride);
   EXPECT_EQ(tail->offset + tail->size, layout.layerStride);
}

TEST(MipTailTest, OddSizeTailStartsWhenEitherDimensionIsBelowTheBlock)
{
   // 300x200: level 1 is 150x100, narrower than 128 in height only.
   const ImageLayout layout = tiled(VK_IMAGE_TYPE_2D, VK_FORMAT_R8G8B8A8_UNORM, {300, 200, 1}, 5);
   const auto tail = mipTail(layout);
   ASSERT_TRUE(tail.has_value());
   EXPECT_EQ(1u, tail->firstLod);
   EXPECT_EQ(6 * kTile, tail->offset); // level 0: 3x2 tiles, edge tiles partly used
   // Level 1 is 2x1 tiles, levels 2..4 one tile each.
   EXPECT_EQ(5 * kTile, tail->size);
}

TEST(MipTailTest, ArrayLayersHaveOneTailEach)
{
   const ImageLayout layout = tiled(VK_IMAGE_TYPE_2D, VK_FORMAT_R16_UNORM, {700, 333, 1}, 4, 5);
   // R16 blocks are 256x128: level 0 700x333 (3x3 tiles), level 1 350x166
   // (2x2), level 2 175x83 is narrower: the tail (levels 2, 3: one tile each).
   const auto tail = mipTail(layout);
   ASSERT_TRUE(tail.has_value());
   EXPECT_EQ(2u, tail->firstLod);
   EXPECT_EQ(13 * kTile, tail->offset);
   EXPECT_EQ(2 * kTile, tail->size);
   EXPECT_EQ(15 * kTile, tail->stride);
   EXPECT_EQ(layout.layerStride, tail->stride);
   for (uint32_t layer = 0; layer < 5; ++layer)
      EXPECT_EQ(subresourceOffset(layout, 2, layer), tail->offset + layer * tail->stride);
}

TEST(MipTailTest, CubeShapedArray)
{
   // What a cube-compatible image would be (6 square layers); the driver does
   // not offer cube images yet, the layout treats them as a 6-layer array.
   const ImageLayout layout = tiled(VK_IMAGE_TYPE_2D, VK_FORMAT_R32G32B32A32_SFLOAT, {129, 129, 1}, 8, 6);
   const auto tail = mipTail(layout);
   ASSERT_TRUE(tail.has_value());
   // 16-byte blocks are 64x64: 129 (3x3 tiles), 64 (1 tile), 32: the tail.
   EXPECT_EQ(2u, tail->firstLod);
   EXPECT_EQ(10 * kTile, tail->offset);
   EXPECT_EQ(6 * kTile, tail->size);
   EXPECT_EQ(16 * kTile, tail->stride);
}

TEST(MipTailTest, ThreeDimensionalLevelsCountEverySlice)
{
   // 300x260x5: level 0 is 3x3 tiles x 5 slices, level 1 (150x130x2) 2x2x2,
   // level 2 (75x65x1) the tail with level 3 (37x32x1).
   const ImageLayout layout = tiled(VK_IMAGE_TYPE_3D, VK_FORMAT_R8G8B8A8_UNORM, {300, 260, 5}, 4);
   const auto tail = mipTail(layout);
   ASSERT_TRUE(tail.has_value());
   EXPECT_EQ(2u, tail->firstLod);
   EXPECT_EQ((45 + 8) * kTile, tail->offset);
   EXPECT_EQ(2 * kTile, tail->size);
}

TEST(MipTailTest, DepthNeverStartsTheTail)
{
   // A deep, thin-sliced 3D image: depth shrinks to 1 long before the tail.
   const ImageLayout layout = tiled(VK_IMAGE_TYPE_3D, VK_FORMAT_R8_UNORM, {1024, 512, 3}, 3);
   const auto tail = mipTail(layout);
   ASSERT_TRUE(tail.has_value());
   EXPECT_EQ(2u, tail->firstLod); // level 2: 256x128, height below 256
}

TEST(MipTailTest, CompressedBlocksCountInTexels)
{
   // BC1: a sparse block is 512x256 texels. 1000x1000 level 0 is 2x4 tiles;
   // level 1 (500x500) is narrower than 512: the tail, 125x125 blocks in 1x2
   // tiles of 128x64 blocks, then level 2 (63x63 blocks) in one.
   const ImageLayout layout = tiled(VK_IMAGE_TYPE_2D, VK_FORMAT_BC1_RGBA_UNORM_BLOCK, {1000, 1000, 1}, 3);
   const auto tail = mipTail(layout);
   ASSERT_TRUE(tail.has_value());
   EXPECT_EQ(1u, tail->firstLod);
   EXPECT_EQ(8 * kTile, tail->offset);
   EXPECT_EQ(3 * kTile, tail->size);
}

TEST(MipTailTest, NoTailWhenEveryLevelIsAtLeastOneBlock)
{
   const ImageLayout layout = tiled(VK_IMAGE_TYPE_2D, VK_FORMAT_R8G8B8A8_UNORM, {512, 300, 1}, 2, 3);
   const auto tail = mipTail(layout);
   ASSERT_TRUE(tail.has_value());
   EXPECT_EQ(2u, tail->firstLod);
   EXPECT_EQ(0u, tail->size);
   EXPECT_EQ(0u, tail->offset);
}

TEST(MipTailTest, SmallImageIsAllTail)
{
   const ImageLayout layout = tiled(VK_IMAGE_TYPE_2D, VK_FORMAT_R8_UNORM, {100, 1000, 1}, 1, 2);
   const auto tail = mipTail(layout);
   ASSERT_TRUE(tail.has_value());
   EXPECT_EQ(0u, tail->firstLod);
   EXPECT_EQ(0u, tail->offset);
   EXPECT_EQ(layout.layerStride, tail->size);
   EXPECT_EQ(4 * kTile, tail->size); // 1x4 tiles of 256x256
}

TEST(MipTailTest, LinearLayoutsHaveNoSparseTail)
{
   ImageDesc desc;
   desc.format = VK_FORMAT_R8G8B8A8_UNORM;
   desc.extent = {256, 256, 1};
   desc.tiling = Tiling::Linear;
   const auto layout = computeLayout(desc);
   ASSERT_TRUE(layout.has_value());
   EXPECT_FALSE(mipTail(*layout));
}

} // namespace
} // namespace pan::layout
