#include "ImageView.h"

#include <new>

#include "Debug.h"
#include "Device.h"
#include "Image.h"
#include "panvk_entrypoints.h"

namespace panvk {

namespace {

// The count left from `base` when `count` is the "remaining" value; a base
// past the end (invalid usage) leaves none rather than wrapping.
uint32_t
resolveCount(uint32_t count, uint32_t base, uint32_t total, uint32_t remaining)
{
   if (count != remaining)
      return count;
   return base < total ? total - base : 0;
}

// A 2D or 2D array view of a 3D image (2D_ARRAY_COMPATIBLE) sees the depth
// slices of one level as its layers.
bool
viewsSlicesAsLayers(const Image &image, VkImageViewType viewType)
{
   return image.type() == VK_IMAGE_TYPE_3D &&
          (viewType == VK_IMAGE_VIEW_TYPE_2D || viewType == VK_IMAGE_VIEW_TYPE_2D_ARRAY);
}

// How many layers a view of `image` may take from: the image's layers, or a
// level's depth slices.
uint32_t
layersToView(const Image &image, VkImageViewType viewType, uint32_t level)
{
   if (!viewsSlicesAsLayers(image, viewType))
      return image.arrayLayers();
   return level < image.layout().levelCount ? image.layout().levels[level].depth : 0;
}

// Whether the spec lets `viewType` view an image of this type and flags.
bool
viewTypeFits(const Image &image, VkImageViewType viewType)
{
   const VkImageCreateFlags flags = image.info().flags;
   switch (viewType) {
   case VK_IMAGE_VIEW_TYPE_1D:
   case VK_IMAGE_VIEW_TYPE_1D_ARRAY:
      return image.type() == VK_IMAGE_TYPE_1D;
   case VK_IMAGE_VIEW_TYPE_2D:
   case VK_IMAGE_VIEW_TYPE_2D_ARRAY:
      return image.type() == VK_IMAGE_TYPE_2D ||
             (image.type() == VK_IMAGE_TYPE_3D && (flags & VK_IMAGE_CREATE_2D_ARRAY_COMPATIBLE_BIT));
   case VK_IMAGE_VIEW_TYPE_3D:
      return image.type() == VK_IMAGE_TYPE_3D;
   case VK_IMAGE_VIEW_TYPE_CUBE:
   case VK_IMAGE_VIEW_TYPE_CUBE_ARRAY:
      return image.type() == VK_IMAGE_TYPE_2D && (flags & VK_IMAGE_CREATE_CUBE_COMPATIBLE_BIT);
   default:
      return false;
   }
}

// Null when the view is one the spec allows (as far as the driver relies
// on it: the image's type, flags and subresources); else what is wrong. The
// resolved range is what later readers of the view index the image with, so
// it must lie inside the image.
const char *
viewProblem(const Image &image, const VkImageViewCreateInfo &info, const VkImageSubresourceRange &range)
{
   if (!viewTypeFits(image, info.viewType))
      return "view type not allowed for the image's type and flags";
   if (range.levelCount == 0 || range.baseMipLevel >= image.mipLevels() ||
       range.levelCount > image.mipLevels() - range.baseMipLevel)
      return "mip levels outside the image";
   const uint32_t layers = layersToView(image, info.viewType, range.baseMipLevel);
   if (range.layerCount == 0 || range.baseArrayLayer >= layers || range.layerCount > layers - range.baseArrayLayer)
      return "array layers outside the image";
   if (viewsSlicesAsLayers(image, info.viewType) && range.levelCount != 1)
      return "a 2D view of a 3D image takes one level";
   switch (info.viewType) {
   case VK_IMAGE_VIEW_TYPE_1D:
   case VK_IMAGE_VIEW_TYPE_2D:
   case VK_IMAGE_VIEW_TYPE_3D:
      return range.layerCount == 1 ? nullptr : "a non-array view takes one layer";
   case VK_IMAGE_VIEW_TYPE_CUBE:
      return range.layerCount == 6 ? nullptr : "a cube view takes six layers";
   case VK_IMAGE_VIEW_TYPE_CUBE_ARRAY:
      return range.layerCount % 6 == 0 ? nullptr : "a cube array view takes a multiple of six layers";
   default:
      return nullptr;
   }
}

} // namespace

VkResult
ImageView::create(Device &, const VkImageViewCreateInfo &info, VkImageView *out)
{
   // Invalid usage is refused with the one error the command has, rather
   // than kept as a view whose range would reach outside the image.
   if (!info.image) {
      errorLog("vkCreateImageView: no image (invalid usage), refused");
      return VK_ERROR_OUT_OF_HOST_MEMORY;
   }
   Image &image = *Image::from(info.image);
   const VkImageSubresourceRange range = resolvedRange(image, info);
   if (const char *problem = viewProblem(image, info, range)) {
      errorLog("vkCreateImageView: %s (invalid usage), refused", problem);
      return VK_ERROR_OUT_OF_HOST_MEMORY;
   }
   ImageView *view = new (std::nothrow) ImageView(image, info);
   if (!view)
      return VK_ERROR_OUT_OF_HOST_MEMORY;
   *out = view->handle();
   return VK_SUCCESS;
}

VkImageSubresourceRange
ImageView::resolvedRange(const Image &image, const VkImageViewCreateInfo &info)
{
   VkImageSubresourceRange range = info.subresourceRange;
   range.levelCount =
      resolveCount(range.levelCount, range.baseMipLevel, image.mipLevels(), VK_REMAINING_MIP_LEVELS);
   range.layerCount = resolveCount(range.layerCount, range.baseArrayLayer,
                                   layersToView(image, info.viewType, range.baseMipLevel),
                                   VK_REMAINING_ARRAY_LAYERS);
   return range;
}

ImageView::ImageView(Image &image, const VkImageViewCreateInfo &info)
   : image_(image), viewType_(info.viewType), format_(info.format), components_(info.components),
     range_(resolvedRange(image, info))
{
}

} // namespace panvk

using namespace panvk;

extern "C" {

VKAPI_ATTR VkResult VKAPI_CALL
panvk_CreateImageView(VkDevice device, const VkImageViewCreateInfo *pCreateInfo, const VkAllocationCallbacks *,
                      VkImageView *pView)
{
   return ImageView::create(*Device::from(device), *pCreateInfo, pView);
}

VKAPI_ATTR void VKAPI_CALL
panvk_DestroyImageView(VkDevice, VkImageView imageView, const VkAllocationCallbacks *)
{
   delete ImageView::from(imageView);
}

} // extern "C"
