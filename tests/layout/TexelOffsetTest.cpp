#include "layout/ImageLayout.h"

#include <gtest/gtest.h>

#include <vector>

#include "LayoutTestImages.h"
#include "layout/Tile.h"

namespace pan::layout {
namespace {

// Every texel block of every subresource lands inside its own level's bytes,
// aligned to the texel size, and no two texel blocks share bytes.
TEST(TexelOffsetTest, IsABijectionOntoDistinctTexels)
{
   for (const auto &image : testing::walkableImages()) {
      SCOPED_TRACE(image.name);
      const auto layout = computeLayout(image.desc);
      ASSERT_TRUE(layout);
      const uint32_t bytes = layout->texelBytes;
      std::vector<bool> used(layout->totalSize / bytes, false);
      uint64_t texels = 0;
      for (uint32_t layer = 0; layer < layout->layerCount; ++layer) {
         for (uint32_t level = 0; level < layout->levelCount; ++level) {
            const LevelLayout &l = layout->levels[level];
            const uint64_t begin = subresourceOffset(*layout, level, layer);
            for (uint32_t z = 0; z < l.depth; ++z) {
               for (uint32_t y = 0; y < l.height; ++y) {
                  for (uint32_t x = 0; x < l.width; ++x) {
                     const uint64_t offset = texelOffset(*layout, level, layer, x, y, z);
                     ASSERT_GE(offset, begin);
                     ASSERT_LE(offset + bytes, begin + l.size)
                        << "level " << level << " layer " << layer << " (" << x << "," << y
                        << "," << z << ")";
                     ASSERT_EQ(offset % bytes, 0u);
                     ASSERT_FALSE(used[offset / bytes])
                        << "level " << level << " layer " << layer << " (" << x << "," << y
                        << "," << z << ")";
                     used[offset / bytes] = true;
                     ++texels;
                  }
               }
            }
         }
      }
      EXPECT_GT(texels, 0u);
   }
}

TEST(TexelOffsetTest, TiledOffsetsFollowTheDocumentedOrder)
{
   ImageDesc desc;
   desc.format = VK_FORMAT_R8G8B8A8_UNORM;
   desc.extent = {300, 200, 1};
   desc.mipLevels = 2;
   desc.arrayLayers = 2;
   desc.tiling = Tiling::Tiled64K;
   const auto layout = computeLayout(desc);
   ASSERT_TRUE(layout);
   // Tile (1, 0), tile-local (2, 5): row-major inside the tile.
   EXPECT_EQ(texelOffset(*layout, 0, 0, 130, 5, 0), kTileBytes + (5 * 128 + 2) * 4);
   // Tile (0, 1): tiles are row-major, 3 across.
   EXPECT_EQ(texelOffset(*layout, 0, 0, 0, 128, 0), 3 * kTileBytes);
   EXPECT_EQ(texelOffset(*layout, 0, 0, 299, 199, 0), 5 * kTileBytes + (71 * 128 + 43) * 4);
   // Level 1 starts after level 0's 6 tiles; layer 1 after the layer's 8 tiles.
   EXPECT_EQ(texelOffset(*layout, 1, 0, 1, 0, 0), 6 * kTileBytes + 4);
   EXPECT_EQ(texelOffset(*layout, 1, 1, 1, 1, 0), 14 * kTileBytes + (128 + 1) * 4);
}

TEST(TexelOffsetTest, Tiled3DSlicesFollowTheLevelsTiles)
{
   ImageDesc desc;
   desc.type = VK_IMAGE_TYPE_3D;
   desc.format = VK_FORMAT_R8_UINT;
   desc.extent = {300, 10, 4};
   desc.tiling = Tiling::Tiled64K;
   const auto layout = computeLayout(desc);
   ASSERT_TRUE(layout);
   // 2 x 1 tiles per slice.
   EXPECT_EQ(texelOffset(*layout, 0, 0, 0, 0, 1), 2 * kTileBytes);
   EXPECT_EQ(texelOffset(*layout, 0, 0, 257, 3, 3), 7 * kTileBytes + 3 * 256 + 1);
}

TEST(TexelOffsetTest, LinearOffsetsUsePitches)
{
   ImageDesc desc;
   desc.type = VK_IMAGE_TYPE_3D;
   desc.format = VK_FORMAT_R16_SFLOAT;
   desc.extent = {40, 5, 3};
   desc.mipLevels = 2;
   const auto layout = computeLayout(desc);
   ASSERT_TRUE(layout);
   // Row 80 bytes -> 128; slice 640.
   EXPECT_EQ(texelOffset(*layout, 0, 0, 3, 2, 1), 640 + 2 * 128 + 6);
   // Level 1 (20x2x1) starts after 3 slices.
   EXPECT_EQ(texelOffset(*layout, 1, 0, 19, 1, 0), 1920 + 64 + 38);
}

TEST(TexelOffsetTest, OutOfRangeIsInvalid)
{
   ImageDesc desc;
   desc.format = VK_FORMAT_R8G8B8A8_UNORM;
   desc.extent = {300, 200, 1};
   desc.mipLevels = 2;
   desc.arrayLayers = 2;
   for (Tiling tiling : {Tiling::Linear, Tiling::Tiled64K}) {
      desc.tiling = tiling;
      const auto layout = computeLayout(desc);
      ASSERT_TRUE(layout);
      EXPECT_EQ(texelOffset(*layout, 0, 0, 300, 0, 0), kInvalidOffset);
      EXPECT_EQ(texelOffset(*layout, 0, 0, 0, 200, 0), kInvalidOffset);
      EXPECT_EQ(texelOffset(*layout, 0, 0, 0, 0, 1), kInvalidOffset);
      EXPECT_EQ(texelOffset(*layout, 1, 0, 150, 0, 0), kInvalidOffset);
      EXPECT_EQ(texelOffset(*layout, 2, 0, 0, 0, 0), kInvalidOffset);
      EXPECT_EQ(texelOffset(*layout, 0, 2, 0, 0, 0), kInvalidOffset);
      EXPECT_NE(texelOffset(*layout, 1, 1, 149, 99, 0), kInvalidOffset);
   }
   const ImageLayout empty {};
   EXPECT_EQ(texelOffset(empty, 0, 0, 0, 0, 0), kInvalidOffset);
}

} // namespace
} // namespace pan::layout
