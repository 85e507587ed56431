// One side of a transfer: a box of texel blocks in a buffer or in one level
// of an image, and the GPU address pieces (GpuTransfer.h) of a band of it.
//
// A box has `slices`: depth slices of a 3D image, array layers otherwise, or
// the buffer's images one after the other (Vulkan's bufferImageHeight rule).
// Coordinates are in texel blocks (texels, or compressed blocks).
#pragma once

#include <cstdint>
#include <vector>

#include "GpuTransfer.h"
#include "layout/ImageLayout.h"

namespace panvk {

// Columns [x0, x1) of rows [y0, y1) of one slice of a box.
struct Band {
   uint32_t x0 = 0, x1 = 0;
   uint32_t y0 = 0, y1 = 0;
   uint32_t slice = 0;

   uint64_t blocks() const { return uint64_t(x1 - x0) * (y1 - y0); }
};

struct Surface {
   uint64_t va = 0;          // buffer: block (0, 0) of slice 0; image: the image's byte 0
   uint32_t blockBytes = 0;  // in GPU memory, and in staging

   // Buffer only: bytes between rows and between slices.
   uint64_t rowPitch = 0;
   uint64_t slicePitch = 0;

   // Image only (a buffer has no layout).
   const pan::layout::ImageLayout *layout = nullptr;
   uint32_t level = 0;
   uint32_t layer = 0;          // of slice 0
   uint32_t x = 0, y = 0, z = 0; // the box's origin in the level, in blocks
   bool slicesAreDepth = false; // 3D image: slices step z; else array layers

   // A box that starts at `offset` bytes into a buffer at `bufferVa`, rows of
   // `rowBlocks` blocks, slices of `rowsPerSlice` rows.
   static Surface buffer(uint64_t bufferVa, uint64_t offset, uint32_t blockBytes, uint32_t rowBlocks,
                         uint32_t rowsPerSlice);

   // Appends the pieces of `band`; the staging copy is the band's blocks row
   // after row, tightly packed, from `streamBase` on.
   void appendPieces(const Band &band, uint64_t streamBase, std::vector<Piece> &out) const;
};

} // namespace panvk
