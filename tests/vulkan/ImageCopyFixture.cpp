#include "ImageCopyFixture.h"

#include <algorithm>

namespace panvk::test {

namespace {

VkDeviceSize
alignUp(VkDeviceSize value, VkDeviceSize alignment)
{
   return (value + alignment - 1) / alignment * alignment;
}

uint32_t
roundUp(uint32_t value, uint32_t multiple)
{
   return (value + multiple - 1) / multiple * multiple;
}

// Region offsets: a multiple of every block size used (<= 16) and of 4, as
// transfer-only queues require.
constexpr VkDeviceSize kRegionAlignment = 16;
// Room after the last region: bytes a copy must not touch.
constexpr VkDeviceSize kTrailingBytes = 64;

// One axis of a copy: source and destination offsets and a common length,
// in whole blocks unless the copy covers both levels entirely. False when
// no such length exists (levels of different sizes, both below a block).
bool
chooseAxis(uint32_t srcLevelSize, uint32_t dstLevelSize, uint32_t block, int32_t srcWant, int32_t dstWant,
           uint32_t lengthWant, int32_t *srcOffset, int32_t *dstOffset, uint32_t *length)
{
   const uint32_t len =
      std::min({lengthWant, srcLevelSize - uint32_t(srcWant), dstLevelSize - uint32_t(dstWant)}) / block * block;
   if (len) {
      *srcOffset = srcWant;
      *dstOffset = dstWant;
      *length = len;
      return true;
   }
   *srcOffset = *dstOffset = 0;
   if (srcLevelSize == dstLevelSize) {
      *length = srcLevelSize;
      return true;
   }
   *length = std::min(srcLevelSize, dstLevelSize) / block * block;
   return *length != 0;
}

} // namespace

const std::vector<ImageShape> &
copyTestShapes()
{
   static const std::vector<ImageShape> shapes = {
      {"Tex2DArrayMips", VK_IMAGE_TYPE_2D, {67, 35, 1}, 3, 4},
      {"Tex1DArrayMips", VK_IMAGE_TYPE_1D, {300, 1, 1}, 3, 3},
      {"Tex3DMips", VK_IMAGE_TYPE_3D, {19, 13, 7}, 2, 1},
      // Several 64 KiB tiles across and down for every texel size.
      {"Tex2DManyTiles", VK_IMAGE_TYPE_2D, {300, 260, 1}, 1, 1},
   };
   return shapes;
}

VkImageCreateInfo
transferImageInfo(VkFormat format, const ImageShape &shape, VkImageTiling tiling)
{
   VkImageCreateInfo info{VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO};
   info.imageType = shape.type;
   info.format = format;
   info.extent = shape.extent;
   info.mipLevels = shape.mipLevels;
   info.arrayLayers = shape.arrayLayers;
   info.samples = VK_SAMPLE_COUNT_1_BIT;
   info.tiling = tiling;
   info.usage = VK_IMAGE_USAGE_TRANSFER_SRC_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT;
   info.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
   info.initialLayout = VK_IMAGE_LAYOUT_UNDEFINED;
   return info;
}

ImageBox
subBox(const ImageModel &model, uint32_t level, uint32_t variant)
{
   const VkExtent3D texels = model.levelExtent(level);
   const uint32_t bw = model.blockWidth(), bh = model.blockHeight();
   const uint32_t blocksX = (texels.width + bw - 1) / bw, blocksY = (texels.height + bh - 1) / bh;
   const uint32_t v = variant % 4;
   const uint32_t x = blocksX * (v + 1) / 5, y = blocksY * (v + 2) / 7, z = texels.depth * (v + 1) / 5;
   const uint32_t w = std::max(1u, (blocksX - x) * 3 / 4), h = std::max(1u, (blocksY - y) * 2 / 3);
   const uint32_t d = std::max(1u, (texels.depth - z) * 2 / 3);
   ImageBox box;
   box.offset = {int32_t(x * bw), int32_t(y * bh), int32_t(z)};
   // A partial block only where the box reaches the level's edge.
   box.extent = {std::min(w * bw, texels.width - x * bw), std::min(h * bh, texels.height - y * bh), d};
   return box;
}

std::vector<VkBufferImageCopy>
wholeImageRegions(const ImageModel &model, VkImageAspectFlags aspect, VkDeviceSize *bufferSize)
{
   std::vector<VkBufferImageCopy> regions;
   VkDeviceSize offset = kRegionAlignment;
   for (uint32_t level = 0; level < model.mipLevels(); level++) {
      VkBufferImageCopy region{};
      region.bufferOffset = offset;
      region.imageSubresource = {aspect, level, 0, model.arrayLayers()};
      region.imageExtent = model.levelExtent(level);
      regions.push_back(region);
      offset = alignUp(model.bufferEnd(region), kRegionAlignment) + kRegionAlignment;
   }
   *bufferSize = offset + kTrailingBytes;
   return regions;
}

std::vector<VkBufferImageCopy>
subRegions(const ImageModel &model, VkImageAspectFlags aspect, uint32_t variant, VkDeviceSize *bufferSize)
{
   std::vector<VkBufferImageCopy> regions;
   VkDeviceSize offset = kRegionAlignment * (variant + 2);
   const uint32_t layers = model.arrayLayers();
   for (uint32_t level = 0; level < model.mipLevels(); level++) {
      const ImageBox box = subBox(model, level, variant + level);
      VkBufferImageCopy region{};
      region.bufferOffset = offset;
      if (variant % 3 != 2) {
         region.bufferRowLength = roundUp(box.extent.width, model.blockWidth()) + (variant + 1) * 2 * model.blockWidth();
         region.bufferImageHeight = roundUp(box.extent.height, model.blockHeight()) + (variant + 1) * model.blockHeight();
      }
      const bool skipFirstLayer = layers > 1 && (variant + level) % 2 == 0;
      region.imageSubresource = {aspect, level, skipFirstLayer ? 1u : 0u,
                                 layers > 1 ? layers - 1 : 1u};
      region.imageOffset = box.offset;
      region.imageExtent = box.extent;
      regions.push_back(region);
      offset = alignUp(model.bufferEnd(region), kRegionAlignment) + kRegionAlignment * (variant + 1);
   }
   *bufferSize = offset + kTrailingBytes;
   return regions;
}

std::optional<VkImageCopy>
imageCopyRegion(const ImageModel &src, const ImageModel &dst, VkImageAspectFlags aspect, uint32_t srcLevel,
                uint32_t dstLevel, uint32_t variant)
{
   const ImageBox a = subBox(src, srcLevel, variant), b = subBox(dst, dstLevel, variant + 1);
   const VkExtent3D srcSize = src.levelExtent(srcLevel), dstSize = dst.levelExtent(dstLevel);
   VkImageCopy region{};
   if (!chooseAxis(srcSize.width, dstSize.width, src.blockWidth(), a.offset.x, b.offset.x,
                   std::max(a.extent.width, b.extent.width), &region.srcOffset.x, &region.dstOffset.x,
                   &region.extent.width) ||
       !chooseAxis(srcSize.height, dstSize.height, src.blockHeight(), a.offset.y, b.offset.y,
                   std::max(a.extent.height, b.extent.height), &region.srcOffset.y, &region.dstOffset.y,
                   &region.extent.height) ||
       !chooseAxis(srcSize.depth, dstSize.depth, 1, a.offset.z, b.offset.z,
                   std::max(a.extent.depth, b.extent.depth), &region.srcOffset.z, &region.dstOffset.z,
                   &region.extent.depth))
      return std::nullopt;
   const uint32_t layers = std::min(src.arrayLayers(), dst.arrayLayers());
   const uint32_t count = layers > 1 ? layers - 1 : 1;
   region.srcSubresource = {aspect, srcLevel, 0, count};
   region.dstSubresource = {aspect, dstLevel, dst.arrayLayers() - count, count};
   return region;
}

std::optional<std::string>
ImageCopyFixture::notOffered(VkFormat format, const ImageShape &shape, VkImageTiling tiling) const
{
   VkFormatProperties properties;
   vkGetPhysicalDeviceFormatProperties(physicalDevice_, format, &properties);
   const VkFormatFeatureFlags features =
      tiling == VK_IMAGE_TILING_LINEAR ? properties.linearTilingFeatures : properties.optimalTilingFeatures;
   const VkFormatFeatureFlags transfer = VK_FORMAT_FEATURE_TRANSFER_SRC_BIT | VK_FORMAT_FEATURE_TRANSFER_DST_BIT;
   if ((features & transfer) != transfer)
      return std::string("no transfer src+dst format features for ") + tilingName(tiling) + " tiling";
   const VkImageCreateInfo info = transferImageInfo(format, shape, tiling);
   VkImageFormatProperties limits;
   if (vkGetPhysicalDeviceImageFormatProperties(physicalDevice_, format, info.imageType, tiling, info.usage, 0,
                                                &limits) != VK_SUCCESS)
      return std::string("vkGetPhysicalDeviceImageFormatProperties refuses ") + shape.name;
   if (shape.extent.width > limits.maxExtent.width || shape.extent.height > limits.maxExtent.height ||
       shape.extent.depth > limits.maxExtent.depth || shape.mipLevels > limits.maxMipLevels ||
       shape.arrayLayers > limits.maxArrayLayers)
      return std::string(shape.name) + " exceeds the image format limits";
   return std::nullopt;
}

bool
ImageCopyFixture::requireOffered(const TestFormat &format, const ImageShape &shape, VkImageTiling tiling)
{
   const std::optional<std::string> why = notOffered(format.format, shape, tiling);
   if (why && format.requiredInBothTilings) {
      ADD_FAILURE() << format.name << " " << shape.name << " " << tilingName(tiling)
                    << " is required by issue 5 but not offered: " << *why;
   }
   return !why;
}

void
ImageCopyFixture::createFilledImage(const TestFormat &format, const ImageShape &shape, VkImageTiling tiling,
                                    uint32_t seed, TestImage *image, std::optional<ImageModel> *model)
{
   const VkImageCreateInfo info = transferImageInfo(format.format, shape, tiling);
   ASSERT_NO_FATAL_FAILURE(createImage(info, VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT, image));
   model->emplace(info, format.blockBytes, format.blockWidth, format.blockHeight);
   VkDeviceSize size;
   const std::vector<VkBufferImageCopy> regions = wholeImageRegions(**model, VK_IMAGE_ASPECT_COLOR_BIT, &size);
   const std::vector<uint8_t> bytes = patternBytes(size, seed);
   for (const VkBufferImageCopy &region : regions)
      (*model)->copyFromBuffer(bytes, region);
   ASSERT_NO_FATAL_FAILURE(submitAndWait([&](VkCommandBuffer cmd) {
      transition(cmd, *image, VK_IMAGE_LAYOUT_UNDEFINED, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL);
   }));
   ASSERT_NO_FATAL_FAILURE(uploadToImage(*image, bytes, regions, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL));
}

void
ImageCopyFixture::expectImageMatches(const TestImage &image, const ImageModel &model, VkImageAspectFlags aspect,
                                     VkImageLayout layout)
{
   VkDeviceSize size;
   const std::vector<VkBufferImageCopy> regions = wholeImageRegions(model, aspect, &size);
   std::vector<uint8_t> expected = patternBytes(size, 0xfeed);
   std::vector<uint8_t> actual = expected;
   for (const VkBufferImageCopy &region : regions)
      model.copyToBuffer(expected, region);
   ASSERT_NO_FATAL_FAILURE(downloadFromImage(image, regions, layout, &actual));
   EXPECT_BYTES_EQ(expected, actual);
}

} // namespace panvk::test
