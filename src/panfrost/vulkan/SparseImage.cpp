#include "SparseImage.h"

#include <algorithm>
#include <optional>

#include "Debug.h"
#include "DeviceMemory.h"
#include "Formats.h"
#include "Image.h"
#include "SparseBinder.h"
#include "layout/Format.h"
#include "layout/MipTail.h"
#include "layout/SparseBlock.h"
#include "layout/Tile.h"

namespace panvk {

namespace {

constexpr VkImageCreateFlags kResidencyFlags =
   VK_IMAGE_CREATE_SPARSE_BINDING_BIT | VK_IMAGE_CREATE_SPARSE_RESIDENCY_BIT;

// The properties of a format and type whose residency images exist.
VkSparseImageFormatProperties formatPropertiesOf(const pan::layout::FormatInfo &info,
                                                 const pan::layout::SparseBlockShape &shape)
{
   VkSparseImageFormatProperties properties{};
   // Depth and stencil of a combined format live in the same texels, hence
   // the same tiles: one entry for both aspects.
   properties.aspectMask = info.aspects;
   properties.imageGranularity = shape.texels;
   properties.flags = shape.standard ? 0 : VK_SPARSE_IMAGE_FORMAT_NONSTANDARD_BLOCK_SIZE_BIT;
   return properties;
}

uint32_t divRoundUp(uint32_t value, uint32_t divisor)
{
   return value / divisor + (value % divisor != 0);
}

// [first, end) blocks of a bind along one dimension; false when misaligned
// or starting outside the level.
bool blockRange(int32_t offset, uint32_t extent, uint32_t block, uint32_t levelExtent, uint32_t levelBlocks,
                uint32_t *first, uint32_t *end)
{
   if (offset < 0 || uint32_t(offset) % block != 0 || uint32_t(offset) >= levelExtent)
      return false;
   *first = uint32_t(offset) / block;
   const uint64_t last = std::min<uint64_t>(uint64_t(uint32_t(offset)) + extent, levelExtent);
   *end = std::min(divRoundUp(uint32_t(last), block), levelBlocks);
   return true;
}

} // namespace

uint32_t
sparseImageFormatProperties(VkFormat format, VkImageType type, VkSampleCountFlagBits samples,
                            VkImageUsageFlags usage, VkImageTiling tiling, VkSparseImageFormatProperties *out)
{
   // Exactly where the image format query accepts residency images.
   VkImageFormatProperties limits;
   if (imageFormatProperties(format, type, tiling, usage, kResidencyFlags, &limits) != VK_SUCCESS ||
       !(limits.sampleCounts & samples))
      return 0;
   const pan::layout::FormatInfo *info = pan::layout::formatInfo(format);
   const std::optional<pan::layout::SparseBlockShape> shape = pan::layout::sparseBlockShape(format, type);
   if (!info || !shape)
      return 0;
   *out = formatPropertiesOf(*info, *shape);
   return 1;
}

uint32_t
sparseImageRequirements(const Image &image, VkSparseImageMemoryRequirements *out)
{
   return sparseImageRequirements(image.info().flags, image.layout(), out);
}

uint32_t
sparseImageRequirements(VkImageCreateFlags flags, const pan::layout::ImageLayout &layout,
                        VkSparseImageMemoryRequirements *out)
{
   if (!(flags & VK_IMAGE_CREATE_SPARSE_RESIDENCY_BIT))
      return 0;
   const pan::layout::FormatInfo *info = pan::layout::formatInfo(layout.desc.format);
   const std::optional<pan::layout::SparseBlockShape> shape =
      pan::layout::sparseBlockShape(layout.desc.format, layout.desc.type);
   const std::optional<pan::layout::MipTail> tail = pan::layout::mipTail(layout);
   if (!info || !shape || !tail)
      return 0;
   *out = VkSparseImageMemoryRequirements{};
   out->formatProperties = formatPropertiesOf(*info, *shape);
   out->imageMipTailFirstLod = tail->firstLod;
   out->imageMipTailSize = tail->size;
   out->imageMipTailOffset = tail->offset;
   out->imageMipTailStride = tail->stride;
   return 1;
}

void
writeSparseRequirements2(const VkSparseImageMemoryRequirements &requirements, uint32_t count, uint32_t *outCount,
                         VkSparseImageMemoryRequirements2 *out)
{
   if (!out) {
      *outCount = count;
      return;
   }
   const uint32_t written = std::min(*outCount, count);
   for (uint32_t i = 0; i < written; i++)
      out[i].memoryRequirements = requirements;
   *outCount = written;
}

bool
addImageBind(SparseBinder &binder, Image &image, const VkSparseImageMemoryBind &bind)
{
   const pan::layout::ImageLayout &layout = image.layout();
   const VkImageSubresource &sub = bind.subresource;
   if (!(image.info().flags & VK_IMAGE_CREATE_SPARSE_RESIDENCY_BIT) || !layout.tiled() ||
       sub.mipLevel >= layout.levelCount || sub.arrayLayer >= layout.layerCount) {
      errorLog("vkQueueBindSparse: image bind to a subresource that does not exist, ignored");
      return false;
   }
   const std::optional<pan::layout::SparseBlockShape> shape =
      pan::layout::sparseBlockShape(image.format(), image.type());
   if (!shape)
      return false;
   const pan::layout::LevelLayout &level = layout.levels[sub.mipLevel];
   uint32_t x0, x1, y0, y1, z0, z1;
   if (!blockRange(bind.offset.x, bind.extent.width, shape->texels.width, level.texelExtent.width,
                   level.tilesX, &x0, &x1) ||
       !blockRange(bind.offset.y, bind.extent.height, shape->texels.height, level.texelExtent.height,
                   level.tilesY, &y0, &y1) ||
       !blockRange(bind.offset.z, bind.extent.depth, 1, level.depth, level.depth, &z0, &z1)) {
      errorLog("vkQueueBindSparse: image bind offset not block aligned or outside the level, ignored");
      return false;
   }

   const pan::kmod::Bo *bo = nullptr;
   if (bind.memory != VK_NULL_HANDLE)
      bo = &DeviceMemory::from(bind.memory)->bo();
   const uint64_t levelVa = image.va() + pan::layout::subresourceOffset(layout, sub.mipLevel, sub.arrayLayer);
   const uint64_t rowBytes = uint64_t(x1 - x0) * pan::layout::kTileBytes;
   uint64_t memoryOffset = bind.memoryOffset;
   for (uint32_t z = z0; z < z1; ++z) {
      for (uint32_t y = y0; y < y1; ++y) {
         const uint64_t tile = (uint64_t(z) * level.tilesY + y) * level.tilesX + x0;
         binder.bind(levelVa + tile * pan::layout::kTileBytes, rowBytes, bo, bo ? memoryOffset : 0);
         memoryOffset += rowBytes;
      }
   }
   return true;
}

} // namespace panvk
