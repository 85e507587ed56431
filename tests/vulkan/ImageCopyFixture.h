// What the image copy tests share: image shapes (1D / 2D arrays with mip
// levels, 3D, a 2D image spanning several tiles), the check that a format,
// shape and tiling are offered, whole-image and sub-region copy regions, and
// images filled with a known pattern alongside their CPU model.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ImageModel.h"
#include "TestFormats.h"
#include "VkTestFixture.h"

namespace panvk::test {

struct ImageShape {
   const char *name;
   VkImageType type;
   VkExtent3D extent;
   uint32_t mipLevels;
   uint32_t arrayLayers;
};

const std::vector<ImageShape> &copyTestShapes();

VkImageCreateInfo transferImageInfo(VkFormat format, const ImageShape &shape, VkImageTiling tiling);

// Part of a mip level, in texels, whole blocks but at the level's edges.
struct ImageBox {
   VkOffset3D offset;
   VkExtent3D extent;
};
// A box inside mip level `level`; `variant` moves it around.
ImageBox subBox(const ImageModel &model, uint32_t level, uint32_t variant);

// One region per mip level covering all layers, tightly packed, one after
// another at 16-byte aligned offsets. *bufferSize: bytes the buffer needs.
std::vector<VkBufferImageCopy> wholeImageRegions(const ImageModel &model, VkImageAspectFlags aspect,
                                                 VkDeviceSize *bufferSize);
// One region per mip level over a sub-box, with buffer rows and slices
// longer than the box (or 0, tightly packed, for some variants) and layers
// 1.. (or 0..) of the image.
std::vector<VkBufferImageCopy> subRegions(const ImageModel &model, VkImageAspectFlags aspect, uint32_t variant,
                                          VkDeviceSize *bufferSize);

// A vkCmdCopyImage region from mip level `srcLevel` of `src` to `dstLevel`
// of `dst`: boxes placed differently in each (whole blocks), layers 0.. of
// the source onto the last layers of the destination. nullopt when the
// block size allows no copy between the two levels.
std::optional<VkImageCopy> imageCopyRegion(const ImageModel &src, const ImageModel &dst, VkImageAspectFlags aspect,
                            uint32_t srcLevel, uint32_t dstLevel, uint32_t variant);

class ImageCopyFixture : public VkTestFixture {
protected:
   // Why the device does not offer transfers of this kind of image, or
   // nullopt when it does.
   std::optional<std::string> notOffered(VkFormat format, const ImageShape &shape, VkImageTiling tiling) const;
   // Fails the test when a combination issue 5 requires is not offered;
   // returns false (and the caller skips) for an optional one.
   bool requireOffered(const TestFormat &format, const ImageShape &shape, VkImageTiling tiling);

   // A colour or compressed image in TRANSFER_DST_OPTIMAL, every block
   // written from the pattern of `seed`, and its model.
   void createFilledImage(const TestFormat &format, const ImageShape &shape, VkImageTiling tiling, uint32_t seed,
                          TestImage *image, std::optional<ImageModel> *model);
   // Downloads every subresource (image in `layout`) and compares it with
   // the model, byte for byte, staging bytes outside the regions included.
   void expectImageMatches(const TestImage &image, const ImageModel &model, VkImageAspectFlags aspect,
                           VkImageLayout layout);
};

} // namespace panvk::test
