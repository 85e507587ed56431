#include "ImageView.h"

#include <new>

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

} // namespace

VkResult
ImageView::create(Device &, const VkImageViewCreateInfo &info, VkImageView *out)
{
   if (!info.image)
      return VK_ERROR_OUT_OF_HOST_MEMORY; // invalid usage; nothing to view
   ImageView *view = new (std::nothrow) ImageView(*Image::from(info.image), info);
   if (!view)
      return VK_ERROR_OUT_OF_HOST_MEMORY;
   *out = view->handle();
   return VK_SUCCESS;
}

ImageView::ImageView(Image &image, const VkImageViewCreateInfo &info)
   : image_(image), viewType_(info.viewType), format_(info.format), components_(info.components),
     range_(info.subresourceRange)
{
   range_.levelCount =
      resolveCount(range_.levelCount, range_.baseMipLevel, image.mipLevels(), VK_REMAINING_MIP_LEVELS);
   range_.layerCount = resolveCount(range_.layerCount, range_.baseArrayLayer, image.arrayLayers(),
                                    VK_REMAINING_ARRAY_LAYERS);
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
