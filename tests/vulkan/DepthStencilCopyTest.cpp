// Copies of depth/stencil images. The queues here have no graphics bit, so
// the spec forbids vkCmdCopyBufferToImage into depth or stencil aspects: the
// test instead writes the image's memory from the host (the image is created
// PREINITIALIZED, so the contents survive its first transition; the layout of
// an optimal image is the driver's, so the bytes are opaque to the test) and
// checks what the device makes of them:
//  - image -> buffer of every aspect gives texels that all come from what
//    the host wrote (and, where the value range allows it, no two texels of a
//    subresource read the same memory);
//  - image -> image (whole, then shifted sub-regions onto other layers)
//    gives exactly what the CPU model predicts from the source's download;
//  - image -> buffer sub-regions with pitches agree with the model.
#include <cmath>
#include <cstring>
#include <set>
#include <tuple>

#include "ImageCopyFixture.h"

namespace panvk::test {
namespace {

struct DepthStencilFormat {
   VkFormat format;
   const char *name;
   uint32_t depthBytes;   // bytes of a depth texel in a buffer (0: no depth)
   uint32_t stencilBytes; // 1 if the format has stencil
   bool depthIsFloat;
   bool depthTopByteUndefined; // D24 in 32 bits: the spec leaves bits 24..31 undefined
};

const DepthStencilFormat kFormats[] = {
   {VK_FORMAT_D16_UNORM, "D16_UNORM", 2, 0, false, false},
   {VK_FORMAT_X8_D24_UNORM_PACK32, "X8_D24_UNORM", 4, 0, false, true},
   {VK_FORMAT_D32_SFLOAT, "D32_SFLOAT", 4, 0, true, false},
   {VK_FORMAT_S8_UINT, "S8_UINT", 0, 1, false, false},
   {VK_FORMAT_D24_UNORM_S8_UINT, "D24_UNORM_S8_UINT", 4, 1, false, true},
   {VK_FORMAT_D32_SFLOAT_S8_UINT, "D32_SFLOAT_S8_UINT", 4, 1, true, false},
};

// Depth values written as floats are k / 2^24: exact, in [0, 1), and
// recognisable.
constexpr float kFloatStep = 1.0f / 16777216.0f;

class DepthStencilCopyTest : public ImageCopyFixture, public ::testing::WithParamInterface<size_t> {
protected:
   const DepthStencilFormat &format() const { return kFormats[GetParam()]; }

   struct Aspect {
      VkImageAspectFlagBits bit;
      uint32_t bytes;
   };
   std::vector<Aspect> aspects() const
   {
      std::vector<Aspect> list;
      if (format().depthBytes)
         list.push_back({VK_IMAGE_ASPECT_DEPTH_BIT, format().depthBytes});
      if (format().stencilBytes)
         list.push_back({VK_IMAGE_ASPECT_STENCIL_BIT, format().stencilBytes});
      return list;
   }
   VkImageAspectFlags allAspects() const
   {
      VkImageAspectFlags all = 0;
      for (const Aspect &a : aspects())
         all |= a.bit;
      return all;
   }

   // Host pattern for the whole allocation: floats k / 2^24 in every 32-bit
   // word for float depth, a 16-bit counter for D16, hashed bytes otherwise.
   void writeHostPattern(uint8_t *memory, VkDeviceSize size) const
   {
      if (format().depthBytes && format().depthIsFloat) {
         for (VkDeviceSize i = 0; i + 4 <= size; i += 4) {
            const float value = float((i / 4) & 0xffffff) * kFloatStep;
            memcpy(memory + i, &value, 4);
         }
      } else if (format().format == VK_FORMAT_D16_UNORM) {
         for (VkDeviceSize i = 0; i + 2 <= size; i += 2) {
            const uint16_t value = uint16_t(i / 2);
            memcpy(memory + i, &value, 2);
         }
      } else {
         const std::vector<uint8_t> bytes = patternBytes(size, 77);
         memcpy(memory, bytes.data(), size);
      }
   }

   // Bytes a buffer copy of this aspect leaves undefined are zeroed in both
   // before comparing.
   void clearUndefinedBytes(const ImageModel &model, const Aspect &aspect,
                            const std::vector<VkBufferImageCopy> &regions, std::vector<uint8_t> *bytes) const
   {
      if (aspect.bit != VK_IMAGE_ASPECT_DEPTH_BIT || !format().depthTopByteUndefined)
         return;
      for (const VkBufferImageCopy &region : regions)
         model.forEachBlock(region, [&](uint64_t at, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t) {
            (*bytes)[at + 3] = 0;
         });
   }

   void download(const TestImage &image, const ImageModel &model, const Aspect &aspect,
                 const std::vector<VkBufferImageCopy> &regions, VkDeviceSize size, std::vector<uint8_t> *bytes)
   {
      *bytes = patternBytes(size, 90 + aspect.bit);
      ASSERT_NO_FATAL_FAILURE(downloadFromImage(image, regions, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, bytes));
      clearUndefinedBytes(model, aspect, regions, bytes);
   }

   // The texels of one subresource all come from the host pattern and, when
   // the value range is larger than the memory, are pairwise distinct.
   void expectTexelsFromHostPattern(const ImageModel &model, const Aspect &aspect, VkDeviceSize memorySize) const
   {
      const bool depth = aspect.bit == VK_IMAGE_ASPECT_DEPTH_BIT;
      const uint64_t valueRange = depth && format().depthIsFloat ? (1ull << 24)
                                  : depth && !format().depthTopByteUndefined ? (1ull << (8 * aspect.bytes))
                                                                              : 0;
      if (!valueRange || memorySize / aspect.bytes > valueRange)
         return; // any value is possible, or values repeat in memory
      for (uint32_t level = 0; level < model.mipLevels(); level++) {
         for (uint32_t layer = 0; layer < model.arrayLayers(); layer++) {
            const VkExtent3D extent = model.levelExtent(level);
            std::set<uint32_t> seen;
            for (uint32_t y = 0; y < extent.height; y++) {
               for (uint32_t x = 0; x < extent.width; x++) {
                  const uint8_t *texel = model.block(level, layer, x, y, 0);
                  uint32_t key = 0;
                  if (format().depthIsFloat) {
                     float value;
                     memcpy(&value, texel, 4);
                     const float steps = value / kFloatStep;
                     ASSERT_TRUE(value >= 0.0f && value < 1.0f && steps == std::floor(steps))
                        << "depth " << value << " at level " << level << " layer " << layer << " (" << x << ","
                        << y << ") was never written";
                     key = uint32_t(steps);
                  } else {
                     memcpy(&key, texel, aspect.bytes);
                  }
                  ASSERT_TRUE(seen.insert(key).second)
                     << "two texels of level " << level << " layer " << layer << " read the same memory (value "
                     << key << " again at " << x << "," << y << ")";
               }
            }
         }
      }
   }
};

TEST_P(DepthStencilCopyTest, HostWrittenImageCopiesConsistently)
{
   const ImageShape shape{"Tex2DArrayMips", VK_IMAGE_TYPE_2D, {40, 24, 1}, 2, 3};
   const std::optional<std::string> why = notOffered(format().format, shape, VK_IMAGE_TILING_OPTIMAL);
   ASSERT_FALSE(why) << format().name << " optimal is required by issue 5: " << why.value_or("");

   VkImageCreateInfo info = transferImageInfo(format().format, shape, VK_IMAGE_TILING_OPTIMAL);
   info.initialLayout = VK_IMAGE_LAYOUT_PREINITIALIZED;
   TestImage src, dst;
   ASSERT_NO_FATAL_FAILURE(createImage(info, VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT, &src));
   ASSERT_NE(nullptr, src.mapped);
   writeHostPattern(src.mapped, src.memorySize);
   info.initialLayout = VK_IMAGE_LAYOUT_UNDEFINED;
   ASSERT_NO_FATAL_FAILURE(createImage(info, VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT, &dst));

   ASSERT_NO_FATAL_FAILURE(submitAndWait([&](VkCommandBuffer cmd) {
      transition(cmd, src, VK_IMAGE_LAYOUT_PREINITIALIZED, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL);
      transition(cmd, dst, VK_IMAGE_LAYOUT_UNDEFINED, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL);
   }));

   // The source as the device sees it becomes the model of both images.
   std::vector<ImageModel> srcModels, dstModels;
   for (const Aspect &aspect : aspects()) {
      ImageModel model(info, aspect.bytes);
      VkDeviceSize size;
      const std::vector<VkBufferImageCopy> regions = wholeImageRegions(model, aspect.bit, &size);
      std::vector<uint8_t> bytes;
      ASSERT_NO_FATAL_FAILURE(download(src, model, aspect, regions, size, &bytes));
      for (const VkBufferImageCopy &region : regions)
         model.copyFromBuffer(bytes, region);
      ASSERT_NO_FATAL_FAILURE(expectTexelsFromHostPattern(model, aspect, src.memorySize));
      srcModels.push_back(model);
      dstModels.push_back(model);
   }

   // Whole image, then shifted boxes of layers 0..1 onto layers 1..2.
   std::vector<VkImageCopy> whole, shifted;
   for (uint32_t level = 0; level < shape.mipLevels; level++) {
      VkImageCopy region{};
      region.srcSubresource = region.dstSubresource = {allAspects(), level, 0, shape.arrayLayers};
      region.extent = srcModels[0].levelExtent(level);
      whole.push_back(region);
      const auto box = imageCopyRegion(srcModels[0], dstModels[0], allAspects(), level, level, level);
      ASSERT_TRUE(box) << "level " << level;
      shifted.push_back(*box);
   }
   for (size_t a = 0; a < dstModels.size(); a++) {
      for (const VkImageCopy &region : shifted)
         ImageModel::copyImage(srcModels[a], dstModels[a], region);
   }
   ASSERT_NO_FATAL_FAILURE(submitAndWait([&](VkCommandBuffer cmd) {
      vkCmdCopyImage(cmd, src.image, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, dst.image,
                     VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, uint32_t(whole.size()), whole.data());
      transferBarrier(cmd);
      vkCmdCopyImage(cmd, src.image, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, dst.image,
                     VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, uint32_t(shifted.size()), shifted.data());
      transition(cmd, dst, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL);
   }));

   for (size_t a = 0; a < aspects().size(); a++) {
      const Aspect aspect = aspects()[a];
      SCOPED_TRACE(aspect.bit == VK_IMAGE_ASPECT_DEPTH_BIT ? "depth" : "stencil");
      VkDeviceSize size;
      const std::vector<VkBufferImageCopy> regions = wholeImageRegions(dstModels[a], aspect.bit, &size);
      std::vector<uint8_t> expected = patternBytes(size, 90 + aspect.bit), actual;
      for (const VkBufferImageCopy &region : regions)
         dstModels[a].copyToBuffer(expected, region);
      clearUndefinedBytes(dstModels[a], aspect, regions, &expected);
      ASSERT_NO_FATAL_FAILURE(download(dst, dstModels[a], aspect, regions, size, &actual));
      EXPECT_BYTES_EQ(expected, actual) << "image -> image";

      // Sub-regions of the source with row and slice pitches.
      const std::vector<VkBufferImageCopy> subs = subRegions(srcModels[a], aspect.bit, 1, &size);
      expected = patternBytes(size, 90 + aspect.bit);
      for (const VkBufferImageCopy &region : subs)
         srcModels[a].copyToBuffer(expected, region);
      clearUndefinedBytes(srcModels[a], aspect, subs, &expected);
      ASSERT_NO_FATAL_FAILURE(download(src, srcModels[a], aspect, subs, size, &actual));
      EXPECT_BYTES_EQ(expected, actual) << "image -> buffer sub-regions";
   }
}

INSTANTIATE_TEST_SUITE_P(AllFormats, DepthStencilCopyTest, ::testing::Range<size_t>(0, std::size(kFormats)),
                         [](const ::testing::TestParamInfo<size_t> &info) {
                            return std::string(kFormats[info.param].name);
                         });

} // namespace
} // namespace panvk::test
