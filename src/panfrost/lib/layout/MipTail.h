// The mip tail of a residency image in the Tiled64K layout, as
// VkSparseImageMemoryRequirements describes it.
//
// The tail starts at the first level smaller than one sparse block in width
// or height (depth never counts: 3D blocks are one slice deep). Every level
// before it is bound block by block with image binds; the tail is bound with
// opaque binds.
//
// Levels are whole tiles, so a level that is not a multiple of the block
// still occupies whole blocks and its edge blocks bind like any other: the
// layout does not need aligned mip sizes (residencyAlignedMipSize is false,
// and ALIGNED_MIP_SIZE is never reported).
//
// The layout is layer-major (each layer holds all its levels), so each layer
// has its own tail: offset + layer * stride, size bytes, never one tail for
// all layers (SINGLE_MIPTAIL is never reported).
#pragma once

#include <cstdint>
#include <optional>

#include "layout/ImageLayout.h"

namespace pan::layout {

struct MipTail {
   uint32_t firstLod = 0; // levelCount when the image has no tail
   uint64_t offset = 0;   // opaque offset of layer 0's tail; 0 without a tail
   uint64_t size = 0;     // bytes of one layer's tail, a multiple of 64 KiB
   uint64_t stride = 0;   // between the tails of consecutive layers
};

// nullopt for a linear layout (no sparse blocks).
std::optional<MipTail> mipTail(const ImageLayout &layout);

} // namespace pan::layout
