// Depth/stencil texels: clears, and one-aspect access for buffer <-> image
// copies. The texel storage of each format is described in Format.h.
//
// Buffer side of a copy (Vulkan's packing rules for depth/stencil copies):
//   depth of D16_UNORM                  2 bytes
//   depth of X8_D24 / D24_UNORM_S8      4 bytes, the 24 bits in bits 0..23;
//                                       bits 24..31 read as 0, ignored on write
//   depth of D32_SFLOAT(_S8_UINT)       4 bytes, float
//   stencil                             1 byte
//   colour aspect of a colour format    the whole texel (or compressed block)
//
// Writing one aspect keeps the other aspect of the texel, and leaves the
// format's unused bits zero. All functions return 0/false for an unsupported
// format, an aspect the format lacks, more than one aspect where one is
// expected, or a null pointer.
#pragma once

#include <cstdint>

#include <vulkan/vulkan_core.h>

namespace pan::layout {

// Bytes one texel of `aspect` takes in a buffer; 0 if not copyable that way.
uint32_t aspectCopyBytes(VkFormat format, VkImageAspectFlags aspect);

// texel -> aspectCopyBytes(format, aspect) bytes at `out`.
bool readAspect(VkFormat format, VkImageAspectFlags aspect, const uint8_t *texel, uint8_t *out);
// aspectCopyBytes(format, aspect) bytes at `in` -> the aspect's bits of `texel`.
bool writeAspect(VkFormat format, VkImageAspectFlags aspect, const uint8_t *in, uint8_t *texel);

// Clears the aspects in `aspects` (a non-empty subset of the format's) of one
// texel, keeping the others. UNORM depth is clamped to [0, 1] and rounded to
// nearest (NaN gives 0); float depth is stored as given; stencil keeps its low
// 8 bits.
bool packDepthStencil(VkFormat format, VkImageAspectFlags aspects, float depth, uint32_t stencil,
                      uint8_t *texel);

// Reads back what the format holds; a null pointer skips that aspect. False for
// non-depth/stencil formats or a null texel.
bool unpackDepthStencil(VkFormat format, const uint8_t *texel, float *depth, uint32_t *stencil);

} // namespace pan::layout
