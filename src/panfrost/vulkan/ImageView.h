// VkImageView: which part of an image is seen, and as what (view type,
// format, component swizzle). Views of every type the spec has: 1D, 2D, 3D,
// their arrays, and CUBE / CUBE_ARRAY of cube-compatible images (6 layers,
// a multiple of 6), checked against the image at creation.
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
   // The create info's range with the "remaining" counts resolved (layers of
   // a 2D view of a 3D image are the level's depth slices).
   static VkImageSubresourceRange resolvedRange(const Image &image, const VkImageViewCreateInfo &info);

   Image &image_;
   VkImageViewType viewType_;
   VkFormat format_;
   VkComponentMapping components_;
   VkImageSubresourceRange range_;
};

} // namespace panvk
