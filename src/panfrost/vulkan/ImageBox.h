// Image regions of transfer commands as Surfaces: texel offsets and extents
// become texel blocks, and the box is clipped to the subresource, so that an
// out-of-range region (invalid usage) copies what exists instead of touching
// memory outside the image.
#pragma once

#include <cstdint>
#include <optional>

#include "Surface.h"

namespace panvk {

class Image;

struct ImageBox {
   Surface surface;
   uint32_t width = 0, height = 0, slices = 0; // in blocks; slices as in Surface.h
};

// Texels -> blocks, partial blocks at an image edge counted whole.
uint32_t blocksOf(uint32_t texels, uint32_t blockExtent);

// The box at texel `offset` of `subresource`, `width` x `height` blocks and
// `slices` slices (depth slices of a 3D image, else layers from
// subresource.baseArrayLayer), clipped to the level. nullopt when the level
// or the first layer does not exist, or nothing is left.
std::optional<ImageBox> imageBox(const Image &image, const VkImageSubresourceLayers &subresource,
                                 VkOffset3D offset, uint32_t width, uint32_t height,
                                 uint32_t slices);

// Slices a region of `extent` (texels) covers: its depth on a 3D image, its
// layer count otherwise.
uint32_t regionSlices(const Image &image, const VkImageSubresourceLayers &subresource,
                      VkExtent3D extent);

} // namespace panvk
