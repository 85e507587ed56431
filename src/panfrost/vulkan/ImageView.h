// VkImageView: which part of an image is seen, and as what (view type,
// format, component swizzle). Nothing reads views yet; the compute work will.
#pragma once

#include "Handle.h"

namespace panvk {

class Device;
class Image;

class ImageView : public HandleOf<ImageView, VkImageView> {
public:
   static VkResult create(Device &device, const VkImageViewCreateInfo &info, VkImageView *out);

   Image &image() { return image_; }
   VkImageViewType viewType() const { return viewType_; }
   VkFormat format() const { return format_; }
   const VkComponentMapping &components() const { return components_; }
   // VK_REMAINING_MIP_LEVELS and VK_REMAINING_ARRAY_LAYERS resolved against
   // the image.
   const VkImageSubresourceRange &subresourceRange() const { return range_; }

private:
   ImageView(Image &image, const VkImageViewCreateInfo &info);

   Image &image_;
   VkImageViewType viewType_;
   VkFormat format_;
   VkComponentMapping components_;
   VkImageSubresourceRange range_;
};

} // namespace panvk
