// VkImage: its description and its memory layout (src/panfrost/lib/layout:
// linear, or Mali's 64 KiB interleaved tiles for VK_IMAGE_TILING_OPTIMAL), and
// once bound, the GPU address of its first byte.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "Handle.h"
#include "layout/ImageLayout.h"

namespace panvk {

class Device;
class DeviceMemory;
class SparseRange;

class Image : public HandleOf<Image, VkImage> {
public:
   // VK_ERROR_OUT_OF_DEVICE_MEMORY for an image larger than maxResourceSize
   // or one the layout cannot be made for (a description the format
   // properties refuse, which is invalid usage); VK_ERROR_OUT_OF_HOST_MEMORY
   // without host memory.
   static VkResult create(Device &device, const VkImageCreateInfo &info, VkImage *out);
   ~Image();

   Device &device() { return device_; }
   const VkImageCreateInfo &info() const { return info_; } // pNext and queue families dropped
   VkFormat format() const { return info_.format; }
   VkImageType type() const { return info_.imageType; }
   VkExtent3D extent() const { return info_.extent; }
   uint32_t mipLevels() const { return info_.mipLevels; }
   uint32_t arrayLayers() const { return info_.arrayLayers; }
   const pan::layout::ImageLayout &layout() const { return layout_; }
   VkMemoryRequirements memoryRequirements() const;

   // Sparse images own their VA range; opaque binds go through the queue.
   bool sparse() const { return sparseRange_ != nullptr; }
   VkResult bind(DeviceMemory &memory, VkDeviceSize offset);
   // GPU address of byte 0; 0 while unbound.
   uint64_t va() const { return va_; }
   // The memory bound and where in it the image starts; null while unbound.
   DeviceMemory *memory() const { return memory_; }
   VkDeviceSize memoryOffset() const { return memoryOffset_; }

   // Where (level, layer) lives, as vkGetImageSubresourceLayout reports it;
   // all zero when out of range.
   VkSubresourceLayout subresourceLayout(uint32_t level, uint32_t layer) const;

   // The layout library's description of an image: OPTIMAL is Tiled64K,
   // except 1D images, which are linear whatever the tiling. nullopt for a
   // tiling the driver does not offer.
   static std::optional<pan::layout::ImageDesc> describe(const VkImageCreateInfo &info);
   // The layout an image of `info` gets; nullopt where describe() or the
   // layout library refuses it, or for a cube-compatible image that is not
   // square with 6 layers or more (invalid usage, refused rather than kept).
   static std::optional<pan::layout::ImageLayout> layoutOf(const VkImageCreateInfo &info);
   // vkGetImageMemoryRequirements of an image of `info` laid out as `layout`:
   // what the image reports, and what vkGetDeviceImageMemoryRequirements
   // answers without making one.
   static VkMemoryRequirements memoryRequirementsOf(Device &device, const VkImageCreateInfo &info,
                                                    const pan::layout::ImageLayout &layout);

private:
   Image(Device &device, const VkImageCreateInfo &info, const pan::layout::ImageLayout &layout);

   Device &device_;
   VkImageCreateInfo info_;
   pan::layout::ImageLayout layout_;
   uint64_t va_ = 0;
   DeviceMemory *memory_ = nullptr;
   VkDeviceSize memoryOffset_ = 0;
   std::unique_ptr<SparseRange> sparseRange_;
};

} // namespace panvk
