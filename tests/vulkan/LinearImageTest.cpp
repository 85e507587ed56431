// Linear images seen from the host: vkGetImageSubresourceLayout gives
// where every texel is, so the host can write an image that the device
// then copies out, and read what the device copied in. Checks that the
// layouts are sane (pitches, no overlap) and that host and device agree on
// every byte.
#include <algorithm>
#include <cstring>
#include <tuple>

#include "ImageCopyFixture.h"

namespace panvk::test {
namespace {

using Param = std::tuple<size_t /* format */, size_t /* shape */>;

class LinearImageTest : public ImageCopyFixture, public ::testing::WithParamInterface<Param> {
protected:
   const TestFormat &format() const { return copyTestFormats()[std::get<0>(GetParam())]; }
   const ImageShape &shape() const { return copyTestShapes()[std::get<1>(GetParam())]; }

   VkSubresourceLayout layoutOf(const TestImage &image, uint32_t level, uint32_t layer) const
   {
      const VkImageSubresource subresource{VK_IMAGE_ASPECT_COLOR_BIT, level, layer};
      VkSubresourceLayout layout;
      vkGetImageSubresourceLayout(device_, image.image, &subresource, &layout);
      return layout;
   }

   // Host address of texel (x, y, z) of a subresource.
   static uint8_t *texel(const TestImage &image, const VkSubresourceLayout &layout, uint32_t blockBytes,
                         uint32_t x, uint32_t y, uint32_t z)
   {
      return image.mapped + layout.offset + z * layout.depthPitch + y * layout.rowPitch + x * blockBytes;
   }

   // Checks every subresource's layout and calls visit(level, layer, x, y, z,
   // host address) for every texel.
   template <typename Visit> void forEachTexel(const TestImage &image, const ImageModel &model, Visit visit)
   {
      std::vector<std::pair<VkDeviceSize, VkDeviceSize>> ranges;
      for (uint32_t level = 0; level < model.mipLevels(); level++) {
         const VkExtent3D extent = model.levelExtent(level);
         for (uint32_t layer = 0; layer < model.arrayLayers(); layer++) {
            const VkSubresourceLayout layout = layoutOf(image, level, layer);
            const VkDeviceSize row = VkDeviceSize(extent.width) * model.blockBytes();
            ASSERT_GE(layout.rowPitch, row) << "level " << level;
            if (extent.depth > 1) {
               ASSERT_GE(layout.depthPitch, layout.rowPitch * extent.height) << "level " << level;
            }
            const VkDeviceSize used =
               (extent.depth - 1) * layout.depthPitch + (extent.height - 1) * layout.rowPitch + row;
            ASSERT_GE(layout.size, used) << "level " << level << " layer " << layer;
            ASSERT_LE(layout.offset + layout.size, image.memorySize) << "level " << level << " layer " << layer;
            ranges.emplace_back(layout.offset, layout.offset + used);
            for (uint32_t z = 0; z < extent.depth; z++)
               for (uint32_t y = 0; y < extent.height; y++)
                  for (uint32_t x = 0; x < extent.width; x++)
                     visit(level, layer, x, y, z, texel(image, layout, model.blockBytes(), x, y, z));
         }
      }
      std::sort(ranges.begin(), ranges.end());
      for (size_t i = 1; i < ranges.size(); i++)
         ASSERT_LE(ranges[i - 1].second, ranges[i].first) << "two subresources overlap in memory";
   }

   void createLinearImage(VkImageLayout initialLayout, TestImage *image)
   {
      VkImageCreateInfo info = transferImageInfo(format().format, shape(), VK_IMAGE_TILING_LINEAR);
      info.initialLayout = initialLayout;
      ASSERT_NO_FATAL_FAILURE(createImage(info, VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT, image));
      ASSERT_NE(nullptr, image->mapped);
   }
};

TEST_P(LinearImageTest, HostWritesDeviceReads)
{
   if (!requireOffered(format(), shape(), VK_IMAGE_TILING_LINEAR))
      GTEST_SKIP() << "not offered by the device";
   TestImage image;
   ASSERT_NO_FATAL_FAILURE(createLinearImage(VK_IMAGE_LAYOUT_PREINITIALIZED, &image));
   ImageModel model(image.info, format().blockBytes);
   const std::vector<uint8_t> pattern = patternBytes(image.memorySize, 61);
   size_t next = 0;
   ASSERT_NO_FATAL_FAILURE(forEachTexel(image, model, [&](uint32_t level, uint32_t layer, uint32_t x, uint32_t y,
                                                          uint32_t z, uint8_t *host) {
      const uint8_t *bytes = &pattern[next++ * format().blockBytes % (pattern.size() - 16)];
      memcpy(host, bytes, format().blockBytes);
      memcpy(model.block(level, layer, x, y, z), bytes, format().blockBytes);
   }));
   ASSERT_NO_FATAL_FAILURE(submitAndWait([&](VkCommandBuffer cmd) {
      transition(cmd, image, VK_IMAGE_LAYOUT_PREINITIALIZED, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL);
   }));
   expectImageMatches(image, model, VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL);
}

TEST_P(LinearImageTest, DeviceWritesHostReads)
{
   if (!requireOffered(format(), shape(), VK_IMAGE_TILING_LINEAR))
      GTEST_SKIP() << "not offered by the device";
   TestImage image;
   ASSERT_NO_FATAL_FAILURE(createLinearImage(VK_IMAGE_LAYOUT_UNDEFINED, &image));
   ImageModel model(image.info, format().blockBytes);
   VkDeviceSize size;
   const std::vector<VkBufferImageCopy> regions = wholeImageRegions(model, VK_IMAGE_ASPECT_COLOR_BIT, &size);
   const std::vector<uint8_t> bytes = patternBytes(size, 62);
   for (const VkBufferImageCopy &region : regions)
      model.copyFromBuffer(bytes, region);
   ASSERT_NO_FATAL_FAILURE(submitAndWait([&](VkCommandBuffer cmd) {
      transition(cmd, image, VK_IMAGE_LAYOUT_UNDEFINED, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL);
   }));
   ASSERT_NO_FATAL_FAILURE(uploadToImage(image, bytes, regions, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL));
   // The host may only read a linear image in the GENERAL layout.
   ASSERT_NO_FATAL_FAILURE(submitAndWait([&](VkCommandBuffer cmd) {
      VkImageMemoryBarrier barrier{VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER};
      barrier.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
      barrier.dstAccessMask = VK_ACCESS_HOST_READ_BIT;
      barrier.oldLayout = VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL;
      barrier.newLayout = VK_IMAGE_LAYOUT_GENERAL;
      barrier.srcQueueFamilyIndex = barrier.dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
      barrier.image = image.image;
      barrier.subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, VK_REMAINING_MIP_LEVELS, 0,
                                  VK_REMAINING_ARRAY_LAYERS};
      vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_HOST_BIT, 0, 0, nullptr, 0,
                           nullptr, 1, &barrier);
   }));
   size_t mismatches = 0;
   ASSERT_NO_FATAL_FAILURE(forEachTexel(image, model, [&](uint32_t level, uint32_t layer, uint32_t x, uint32_t y,
                                                          uint32_t z, uint8_t *host) {
      if (memcmp(host, model.block(level, layer, x, y, z), format().blockBytes) != 0 && mismatches++ == 0) {
         ADD_FAILURE() << "first texel that differs: level " << level << " layer " << layer << " (" << x << ","
                       << y << "," << z << ")";
      }
   }));
   EXPECT_EQ(0u, mismatches);
}

std::string
paramName(const ::testing::TestParamInfo<Param> &info)
{
   return std::string(copyTestFormats()[std::get<0>(info.param)].name) + "_" +
          copyTestShapes()[std::get<1>(info.param)].name;
}

// The texel walks above are for formats of one texel per block.
std::vector<size_t>
uncompressedFormats()
{
   std::vector<size_t> indices;
   for (size_t i = 0; i < copyTestFormats().size(); i++) {
      if (copyTestFormats()[i].blockWidth == 1)
         indices.push_back(i);
   }
   return indices;
}

INSTANTIATE_TEST_SUITE_P(UncompressedFormats, LinearImageTest,
                         ::testing::Combine(::testing::ValuesIn(uncompressedFormats()),
                                            ::testing::Range<size_t>(0, copyTestShapes().size())),
                         paramName);

} // namespace
} // namespace panvk::test
