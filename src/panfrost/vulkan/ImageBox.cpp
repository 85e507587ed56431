#include "ImageBox.h"

#include <algorithm>

#include "Image.h"

namespace panvk {

uint32_t
blocksOf(uint32_t texels, uint32_t blockExtent)
{
   return texels / blockExtent + (texels % blockExtent != 0);
}

uint32_t
regionSlices(const Image &image, const VkImageSubresourceLayers &subresource, VkExtent3D extent)
{
   if (image.type() == VK_IMAGE_TYPE_3D)
      return extent.depth;
   if (subresource.layerCount == VK_REMAINING_ARRAY_LAYERS)
      return image.layout().layerCount - std::min(subresource.baseArrayLayer, image.layout().layerCount);
   return subresource.layerCount;
}

std::optional<ImageBox>
imageBox(const Image &image, const VkImageSubresourceLayers &subresource, VkOffset3D offset,
         uint32_t width, uint32_t height, uint32_t slices)
{
   const pan::layout::ImageLayout &layout = image.layout();
   if (subresource.mipLevel >= layout.levelCount || subresource.baseArrayLayer >= layout.layerCount ||
       offset.x < 0 || offset.y < 0 || offset.z < 0)
      return std::nullopt;
   const pan::layout::LevelLayout &level = layout.levels[subresource.mipLevel];
   const bool is3D = image.type() == VK_IMAGE_TYPE_3D;

   ImageBox box;
   Surface &s = box.surface;
   s.va = image.va();
   s.blockBytes = layout.texelBytes;
   s.layout = &layout;
   s.level = subresource.mipLevel;
   s.layer = subresource.baseArrayLayer;
   s.x = uint32_t(offset.x) / layout.blockWidth;
   s.y = uint32_t(offset.y) / layout.blockHeight;
   s.z = uint32_t(offset.z);
   s.slicesAreDepth = is3D;
   if (s.x >= level.width || s.y >= level.height || s.z >= level.depth)
      return std::nullopt;
   box.width = std::min(width, level.width - s.x);
   box.height = std::min(height, level.height - s.y);
   box.slices = std::min(slices, is3D ? level.depth - s.z : layout.layerCount - s.layer);
   if (!box.width || !box.height || !box.slices)
      return std::nullopt;
   return box;
}

} // namespace panvk
