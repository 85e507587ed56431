// vkCmdCopyImage between every pair of tilings (linear <-> optimal, and
// within each), per mip level with offsets and shifted array layers or depth
// slices, between mip levels, and between different size-compatible formats
// (same class; compressed <-> uncompressed of the same block size). The
// destination is compared byte for byte with the CPU model.
#include <tuple>

#include "ImageCopyFixture.h"

namespace panvk::test {
namespace {

using Param = std::tuple<size_t /* format */, VkImageTiling /* src */, VkImageTiling /* dst */, size_t /* shape */>;

class ImageCopyTest : public ImageCopyFixture, public ::testing::WithParamInterface<Param> {
protected:
   const TestFormat &format() const { return copyTestFormats()[std::get<0>(GetParam())]; }
   VkImageTiling srcTiling() const { return std::get<1>(GetParam()); }
   VkImageTiling dstTiling() const { return std::get<2>(GetParam()); }
   const ImageShape &shape() const { return copyTestShapes()[std::get<3>(GetParam())]; }
};

TEST_P(ImageCopyTest, LevelsAndLayersBetweenTilings)
{
   if (!requireOffered(format(), shape(), srcTiling()) || !requireOffered(format(), shape(), dstTiling()))
      GTEST_SKIP() << "not offered by the device";
   TestImage src, dst;
   std::optional<ImageModel> srcModel, dstModel;
   ASSERT_NO_FATAL_FAILURE(createFilledImage(format(), shape(), srcTiling(), 21, &src, &srcModel));
   ASSERT_NO_FATAL_FAILURE(createFilledImage(format(), shape(), dstTiling(), 22, &dst, &dstModel));

   // One region per level in one command, then level 0 onto level 1 (a
   // second command: regions of one command must not overlap).
   std::vector<VkImageCopy> sameLevel;
   for (uint32_t level = 0; level < shape().mipLevels; level++) {
      const auto region = imageCopyRegion(*srcModel, *dstModel, VK_IMAGE_ASPECT_COLOR_BIT, level, level, level);
      ASSERT_TRUE(region) << "level " << level;
      sameLevel.push_back(*region);
   }
   std::vector<VkImageCopy> crossLevel;
   if (shape().mipLevels > 1) {
      const auto region = imageCopyRegion(*srcModel, *dstModel, VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 2);
      ASSERT_TRUE(region);
      crossLevel.push_back(*region);
   }
   for (const VkImageCopy &region : sameLevel)
      ImageModel::copyImage(*srcModel, *dstModel, region);
   for (const VkImageCopy &region : crossLevel)
      ImageModel::copyImage(*srcModel, *dstModel, region);

   ASSERT_NO_FATAL_FAILURE(submitAndWait([&](VkCommandBuffer cmd) {
      transition(cmd, src, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL);
      vkCmdCopyImage(cmd, src.image, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, dst.image,
                     VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, uint32_t(sameLevel.size()), sameLevel.data());
      transferBarrier(cmd);
      if (!crossLevel.empty())
         vkCmdCopyImage(cmd, src.image, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, dst.image,
                        VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, uint32_t(crossLevel.size()), crossLevel.data());
      transition(cmd, dst, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL);
   }));
   expectImageMatches(dst, *dstModel, VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL);
   // The source is unchanged.
   expectImageMatches(src, *srcModel, VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL);
}

std::string
paramName(const ::testing::TestParamInfo<Param> &info)
{
   return std::string(copyTestFormats()[std::get<0>(info.param)].name) + "_" +
          tilingName(std::get<1>(info.param)) + "To" + tilingName(std::get<2>(info.param)) + "_" +
          copyTestShapes()[std::get<3>(info.param)].name;
}

INSTANTIATE_TEST_SUITE_P(AllFormats, ImageCopyTest,
                         ::testing::Combine(::testing::Range<size_t>(0, copyTestFormats().size()),
                                            ::testing::Values(VK_IMAGE_TILING_LINEAR, VK_IMAGE_TILING_OPTIMAL),
                                            ::testing::Values(VK_IMAGE_TILING_LINEAR, VK_IMAGE_TILING_OPTIMAL),
                                            ::testing::Range<size_t>(0, copyTestShapes().size())),
                         paramName);

// Copies between different formats of the same block size.
class CompatibleFormatCopyTest : public ImageCopyFixture {
protected:
   void copyBetween(const TestFormat &srcFormat, VkImageTiling srcTiling, const TestFormat &dstFormat,
                    VkImageTiling dstTiling)
   {
      const ImageShape shape{"Tex2D", VK_IMAGE_TYPE_2D, {64, 48, 1}, 2, 2};
      if (!requireOffered(srcFormat, shape, srcTiling) || !requireOffered(dstFormat, shape, dstTiling))
         GTEST_SKIP() << "not offered by the device";
      // Same number of blocks in both: the compressed image is 4x larger in texels.
      const auto shapeFor = [&](const TestFormat &f) {
         ImageShape s = shape;
         s.extent = {shape.extent.width * f.blockWidth, shape.extent.height * f.blockHeight, 1};
         return s;
      };
      TestImage src, dst;
      std::optional<ImageModel> srcModel, dstModel;
      ASSERT_NO_FATAL_FAILURE(createFilledImage(srcFormat, shapeFor(srcFormat), srcTiling, 31, &src, &srcModel));
      ASSERT_NO_FATAL_FAILURE(createFilledImage(dstFormat, shapeFor(dstFormat), dstTiling, 32, &dst, &dstModel));
      std::vector<VkImageCopy> regions;
      for (uint32_t level = 0; level < shape.mipLevels; level++) {
         // The extent is in the source's texels; offsets in each image's own.
         VkImageCopy region{};
         region.srcSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, level, 0, 2};
         region.dstSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, level, 0, 2};
         region.srcOffset = {int32_t(srcFormat.blockWidth * (1 + level)), int32_t(srcFormat.blockHeight * 2), 0};
         region.dstOffset = {int32_t(dstFormat.blockWidth * 3), int32_t(dstFormat.blockHeight * (1 + level)), 0};
         region.extent = {srcFormat.blockWidth * (20 >> level), srcFormat.blockHeight * (9 >> level), 1};
         regions.push_back(region);
         ImageModel::copyImage(*srcModel, *dstModel, region);
      }
      ASSERT_NO_FATAL_FAILURE(submitAndWait([&](VkCommandBuffer cmd) {
         transition(cmd, src, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL);
         vkCmdCopyImage(cmd, src.image, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, dst.image,
                        VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, uint32_t(regions.size()), regions.data());
         transition(cmd, dst, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL);
      }));
      expectImageMatches(dst, *dstModel, VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL);
   }
};

const TestFormat kR32Uint{VK_FORMAT_R32_UINT, "R32_UINT", 4, 1, 1, true};
const TestFormat kR32G32B32A32Uint{VK_FORMAT_R32G32B32A32_UINT, "R32G32B32A32_UINT", 16, 1, 1, true};

const TestFormat &
testFormat(VkFormat format)
{
   for (const TestFormat &f : copyTestFormats()) {
      if (f.format == format)
         return f;
   }
   static const TestFormat none{};
   ADD_FAILURE() << "format " << format << " is not in the test table";
   return none;
}

TEST_F(CompatibleFormatCopyTest, Rgba8OptimalToR32UintLinear)
{
   copyBetween(testFormat(VK_FORMAT_R8G8B8A8_UNORM), VK_IMAGE_TILING_OPTIMAL, kR32Uint, VK_IMAGE_TILING_LINEAR);
}

TEST_F(CompatibleFormatCopyTest, R32UintLinearToRgba8Optimal)
{
   copyBetween(kR32Uint, VK_IMAGE_TILING_LINEAR, testFormat(VK_FORMAT_R8G8B8A8_UNORM), VK_IMAGE_TILING_OPTIMAL);
}

TEST_F(CompatibleFormatCopyTest, Bc1ToRgba16Uint)
{
   copyBetween(testFormat(VK_FORMAT_BC1_RGBA_UNORM_BLOCK), VK_IMAGE_TILING_OPTIMAL,
               testFormat(VK_FORMAT_R16G16B16A16_UINT), VK_IMAGE_TILING_OPTIMAL);
}

TEST_F(CompatibleFormatCopyTest, Rgba32UintToBc7)
{
   copyBetween(kR32G32B32A32Uint, VK_IMAGE_TILING_LINEAR, testFormat(VK_FORMAT_BC7_UNORM_BLOCK),
               VK_IMAGE_TILING_OPTIMAL);
}

} // namespace
} // namespace panvk::test
