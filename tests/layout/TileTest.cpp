#include "layout/Tile.h"

#include <gtest/gtest.h>

namespace pan::layout {
namespace {

struct Expected {
   uint32_t texelBytes;
   uint32_t width;
   uint32_t height;
};

TEST(TileTest, StandardSparseBlockShapes)
{
   const Expected table[] = {
      {1, 256, 256}, {2, 256, 128}, {4, 128, 128}, {8, 128, 64}, {16, 64, 64},
   };
   for (const Expected &e : table) {
      SCOPED_TRACE(e.texelBytes);
      const VkExtent2D extent = tileExtent(e.texelBytes);
      EXPECT_EQ(extent.width, e.width);
      EXPECT_EQ(extent.height, e.height);
      EXPECT_EQ(uint64_t(extent.width) * extent.height * e.texelBytes, kTileBytes);
   }
}

TEST(TileTest, OtherTexelSizesHaveNoTile)
{
   for (uint32_t bytes : {0u, 3u, 6u, 12u, 32u, 0xffffffffu}) {
      const VkExtent2D extent = tileExtent(bytes);
      EXPECT_EQ(extent.width, 0u) << bytes;
      EXPECT_EQ(extent.height, 0u) << bytes;
   }
}

TEST(TileTest, ExtentInTexelsCountsCompressedBlocks)
{
   VkExtent2D extent = tileExtentInTexels(VK_FORMAT_BC1_RGBA_UNORM_BLOCK);
   EXPECT_EQ(extent.width, 512u);
   EXPECT_EQ(extent.height, 256u);
   extent = tileExtentInTexels(VK_FORMAT_BC7_UNORM_BLOCK);
   EXPECT_EQ(extent.width, 256u);
   EXPECT_EQ(extent.height, 256u);
   extent = tileExtentInTexels(VK_FORMAT_R8G8B8A8_UNORM);
   EXPECT_EQ(extent.width, 128u);
   EXPECT_EQ(extent.height, 128u);
   extent = tileExtentInTexels(VK_FORMAT_R16_SFLOAT);
   EXPECT_EQ(extent.width, 256u);
   EXPECT_EQ(extent.height, 128u);
   extent = tileExtentInTexels(VK_FORMAT_UNDEFINED);
   EXPECT_EQ(extent.width, 0u);
}

} // namespace
} // namespace pan::layout
