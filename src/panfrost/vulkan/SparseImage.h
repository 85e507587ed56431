// Sparse residency images: what the device reports about them (sparse image
// format properties, an image's sparse memory requirements) and how an image
// bind becomes binds of 64 KiB tiles.
//
// One sparse block is one tile of the Tiled64K layout (layout/SparseBlock.h),
// so an image bind covers whole tiles: tile (x, y) of slice z of a level is at
// the image's VA + the level's offset + ((z * tilesY + y) * tilesX + x) * 64 KiB.
// The spec does not say in which order the blocks of a multi-block bind take
// the memory; like other drivers we take it x fastest, then y, then z: block
// i of the bind is at memoryOffset + i * 64 KiB. A row of blocks is then
// contiguous in VA and memory, one SparseBinder bind, and a whole level from
// one allocation is one op.
#pragma once

#include <cstdint>
#include <span>

#include <vulkan/vulkan_core.h>

#include "layout/ImageLayout.h"

namespace panvk {

class Image;
class SparseBinder;

// The sparse image format properties of residency images of this kind: one
// entry (every aspect of the format shares the tiles, depth and stencil
// included), or none where vkGetPhysicalDeviceImageFormatProperties refuses
// VK_IMAGE_CREATE_SPARSE_RESIDENCY_BIT for it. Returns the entry count.
uint32_t sparseImageFormatProperties(VkFormat format, VkImageType type, VkSampleCountFlagBits samples,
                                     VkImageUsageFlags usage, VkImageTiling tiling,
                                     VkSparseImageFormatProperties *out);

// An image's sparse memory requirements: one entry for a residency image
// (the format's properties and its per-layer mip tail), none otherwise. A
// cube-compatible image is a 2D array: each face is a layer with its own tail.
uint32_t sparseImageRequirements(const Image &image, VkSparseImageMemoryRequirements *out);
// The same for an image not made yet: created with `flags`, laid out as `layout`.
uint32_t sparseImageRequirements(VkImageCreateFlags flags, const pan::layout::ImageLayout &layout,
                                 VkSparseImageMemoryRequirements *out);

// Writes `count` (0 or 1) requirements to a VkSparseImageMemoryRequirements2
// array by the count/array idiom, keeping the caller's sType and pNext.
void writeSparseRequirements2(const VkSparseImageMemoryRequirements &requirements, uint32_t count,
                              uint32_t *outCount, VkSparseImageMemoryRequirements2 *out);

// Adds the tile binds of `bind` to `binder`. False (nothing added) for a bind
// that cannot apply to the image: not a residency image, a subresource out of
// range, an offset that is not block aligned or outside the level.
bool addImageBind(SparseBinder &binder, Image &image, const VkSparseImageMemoryBind &bind);

// The count/array query idiom: with no array, *count is how many there are;
// else at most *count entries are written and *count says how many.
template <typename T>
void writeQueryResult(std::span<const T> available, uint32_t *count, T *out)
{
   if (!out) {
      *count = static_cast<uint32_t>(available.size());
      return;
   }
   uint32_t written = 0;
   for (; written < *count && written < available.size(); ++written)
      out[written] = available[written];
   *count = written;
}

} // namespace panvk
