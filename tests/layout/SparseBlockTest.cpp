#include <gtest/gtest.h>

#include "layout/Format.h"
#include "layout/SparseBlock.h"

namespace pan::layout {
namespace {

// Vulkan's standard 2D sparse block shapes, in texel blocks, by block size.
VkExtent2D standard2D(uint32_t texelBytes)
{
   switch (texelBytes) {
   case 1: return {256, 256};
   case 2: return {256, 128};
   case 4: return {128, 128};
   case 8: return {128, 64};
   case 16: return {64, 64};
   default: return {0, 0};
   }
}

TEST(SparseBlockTest, EveryFormatHasTheStandard2DShape)
{
   for (const FormatInfo &info : allFormats()) {
      SCOPED_TRACE(info.format);
      const auto shape = sparseBlockShape(info.format, VK_IMAGE_TYPE_2D);
      ASSERT_TRUE(shape.has_value());
      const VkExtent2D expected = standard2D(info.texelBytes);
      EXPECT_EQ(expected.width, shape->texelBlocks.width);
      EXPECT_EQ(expected.height, shape->texelBlocks.height);
      EXPECT_EQ(1u, shape->texelBlocks.depth);
      EXPECT_EQ(expected.width * info.blockWidth, shape->texels.width);
      EXPECT_EQ(expected.height * info.blockHeight, shape->texels.height);
      EXPECT_EQ(1u, shape->texels.depth);
      EXPECT_TRUE(shape->standard);
   }
}

TEST(SparseBlockTest, ThreeDimensionalBlocksAreOneSliceAndNonstandard)
{
   for (const FormatInfo &info : allFormats()) {
      SCOPED_TRACE(info.format);
      const auto flat = sparseBlockShape(info.format, VK_IMAGE_TYPE_2D);
      const auto deep = sparseBlockShape(info.format, VK_IMAGE_TYPE_3D);
      ASSERT_TRUE(flat && deep);
      EXPECT_EQ(flat->texels.width, deep->texels.width);
      EXPECT_EQ(flat->texels.height, deep->texels.height);
      EXPECT_EQ(1u, deep->texels.depth);
      EXPECT_FALSE(deep->standard);
   }
}

TEST(SparseBlockTest, ExamplesInTexels)
{
   struct Case {
      VkFormat format;
      VkExtent3D texels;
   };
   const Case cases[] = {
      {VK_FORMAT_R8_UNORM, {256, 256, 1}},
      {VK_FORMAT_R5G6B5_UNORM_PACK16, {256, 128, 1}},
      {VK_FORMAT_R8G8B8A8_UNORM, {128, 128, 1}},
      {VK_FORMAT_D32_SFLOAT, {128, 128, 1}},
      {VK_FORMAT_D24_UNORM_S8_UINT, {128, 128, 1}},
      {VK_FORMAT_D32_SFLOAT_S8_UINT, {128, 64, 1}},
      {VK_FORMAT_S8_UINT, {256, 256, 1}},
      {VK_FORMAT_R16G16B16A16_SFLOAT, {128, 64, 1}},
      {VK_FORMAT_R32G32B32A32_SFLOAT, {64, 64, 1}},
      {VK_FORMAT_BC1_RGB_UNORM_BLOCK, {512, 256, 1}},  // 128x64 blocks of 8 bytes
      {VK_FORMAT_BC7_UNORM_BLOCK, {256, 256, 1}},      // 64x64 blocks of 16 bytes
      {VK_FORMAT_ASTC_4x4_UNORM_BLOCK, {256, 256, 1}},
   };
   for (const Case &c : cases) {
      SCOPED_TRACE(c.format);
      const auto shape = sparseBlockShape(c.format, VK_IMAGE_TYPE_2D);
      ASSERT_TRUE(shape.has_value());
      EXPECT_EQ(c.texels.width, shape->texels.width);
      EXPECT_EQ(c.texels.height, shape->texels.height);
      EXPECT_EQ(c.texels.depth, shape->texels.depth);
   }
}

TEST(SparseBlockTest, RefusesWhatCannotBeTiled)
{
   EXPECT_FALSE(sparseBlockShape(VK_FORMAT_R8G8B8A8_UNORM, VK_IMAGE_TYPE_1D));
   EXPECT_FALSE(sparseBlockShape(VK_FORMAT_R8G8B8A8_UNORM, VK_IMAGE_TYPE_MAX_ENUM));
   // 3-byte texels have no power-of-two tile; YUV and unknown formats are not in the table.
   EXPECT_FALSE(sparseBlockShape(VK_FORMAT_R8G8B8_UNORM, VK_IMAGE_TYPE_2D));
   EXPECT_FALSE(sparseBlockShape(VK_FORMAT_G8_B8R8_2PLANE_420_UNORM, VK_IMAGE_TYPE_2D));
   EXPECT_FALSE(sparseBlockShape(VK_FORMAT_UNDEFINED, VK_IMAGE_TYPE_2D));
   EXPECT_FALSE(sparseBlockShape(static_cast<VkFormat>(-5), VK_IMAGE_TYPE_2D));
}

} // namespace
} // namespace pan::layout
