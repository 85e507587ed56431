// vkCmdCopyBufferToImage and vkCmdCopyImageToBuffer round trips for every
// test format, both tilings where offered, every image shape (1D and 2D
// arrays with mip levels, 3D, many tiles): whole images and sub-regions with
// buffer offsets, bufferRowLength / bufferImageHeight and image offsets,
// compared byte for byte with the CPU model.
#include <tuple>

#include "ImageCopyFixture.h"

namespace panvk::test {
namespace {

using Param = std::tuple<size_t /* format */, VkImageTiling, size_t /* shape */>;

class BufferImageCopyTest : public ImageCopyFixture, public ::testing::WithParamInterface<Param> {
protected:
   const TestFormat &format() const { return copyTestFormats()[std::get<0>(GetParam())]; }
   VkImageTiling tiling() const { return std::get<1>(GetParam()); }
   const ImageShape &shape() const { return copyTestShapes()[std::get<2>(GetParam())]; }

   // Downloads sub-regions of the given variant and compares the whole
   // staging buffer with the model's.
   void expectSubRegionsMatch(const TestImage &image, const ImageModel &model, uint32_t variant,
                              VkImageLayout layout)
   {
      VkDeviceSize size;
      const std::vector<VkBufferImageCopy> regions = subRegions(model, VK_IMAGE_ASPECT_COLOR_BIT, variant, &size);
      std::vector<uint8_t> expected = patternBytes(size, 40 + variant);
      std::vector<uint8_t> actual = expected;
      for (const VkBufferImageCopy &region : regions)
         model.copyToBuffer(expected, region);
      ASSERT_NO_FATAL_FAILURE(downloadFromImage(image, regions, layout, &actual));
      EXPECT_BYTES_EQ(expected, actual) << "sub-region download, variant " << variant;
   }
};

TEST_P(BufferImageCopyTest, WholeImageRoundTrip)
{
   if (!requireOffered(format(), shape(), tiling()))
      GTEST_SKIP() << "not offered by the device";
   TestImage image;
   std::optional<ImageModel> model;
   ASSERT_NO_FATAL_FAILURE(createFilledImage(format(), shape(), tiling(), 1, &image, &model));
   ASSERT_NO_FATAL_FAILURE(submitAndWait([&](VkCommandBuffer cmd) {
      transition(cmd, image, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL);
   }));
   expectImageMatches(image, *model, VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL);
}

TEST_P(BufferImageCopyTest, SubRegionUploadsKeepTheRest)
{
   if (!requireOffered(format(), shape(), tiling()))
      GTEST_SKIP() << "not offered by the device";
   TestImage image;
   std::optional<ImageModel> model;
   ASSERT_NO_FATAL_FAILURE(createFilledImage(format(), shape(), tiling(), 1, &image, &model));
   // Two overlapping rounds of sub-region uploads with different pitches.
   for (uint32_t variant : {0u, 2u}) {
      VkDeviceSize size;
      const std::vector<VkBufferImageCopy> regions = subRegions(*model, VK_IMAGE_ASPECT_COLOR_BIT, variant, &size);
      const std::vector<uint8_t> bytes = patternBytes(size, 10 + variant);
      for (const VkBufferImageCopy &region : regions)
         model->copyFromBuffer(bytes, region);
      ASSERT_NO_FATAL_FAILURE(uploadToImage(image, bytes, regions, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL));
   }
   ASSERT_NO_FATAL_FAILURE(submitAndWait([&](VkCommandBuffer cmd) {
      transition(cmd, image, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL);
   }));
   expectImageMatches(image, *model, VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL);
}

TEST_P(BufferImageCopyTest, SubRegionDownloadsWithPitchesAndOffsets)
{
   if (!requireOffered(format(), shape(), tiling()))
      GTEST_SKIP() << "not offered by the device";
   TestImage image;
   std::optional<ImageModel> model;
   ASSERT_NO_FATAL_FAILURE(createFilledImage(format(), shape(), tiling(), 3, &image, &model));
   ASSERT_NO_FATAL_FAILURE(submitAndWait([&](VkCommandBuffer cmd) {
      transition(cmd, image, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL);
   }));
   for (uint32_t variant : {1u, 2u, 3u})
      ASSERT_NO_FATAL_FAILURE(
         expectSubRegionsMatch(image, *model, variant, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL));
}

std::string
paramName(const ::testing::TestParamInfo<Param> &info)
{
   return std::string(copyTestFormats()[std::get<0>(info.param)].name) + "_" +
          tilingName(std::get<1>(info.param)) + "_" + copyTestShapes()[std::get<2>(info.param)].name;
}

INSTANTIATE_TEST_SUITE_P(AllFormats, BufferImageCopyTest,
                         ::testing::Combine(::testing::Range<size_t>(0, copyTestFormats().size()),
                                            ::testing::Values(VK_IMAGE_TILING_LINEAR, VK_IMAGE_TILING_OPTIMAL),
                                            ::testing::Range<size_t>(0, copyTestShapes().size())),
                         paramName);

} // namespace
} // namespace panvk::test
