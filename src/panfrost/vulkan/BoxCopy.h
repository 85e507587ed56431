// The executor's one copy loop: a box of texel blocks goes from a source
// Surface (or a constant, for clears) to a destination Surface, band by band
// through host staging memory: the band is read into staging with one
// GpuTransfer call, then written out with another.
//
// Staging holds a band in the "stream" format: the buffer format of Vulkan's
// buffer <-> image copies, which for colour is the texel (block) itself and
// for one aspect of a depth/stencil format its buffer packing. A side whose
// `aspect` is set holds whole depth/stencil texels of which only that aspect
// moves: it converts through layout/DepthStencil.h, and a destination is
// read, modified and written back so that its other aspect stays.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "GpuTransfer.h"
#include "Surface.h"

namespace panvk {

// Host memory of one executor: two band buffers and the piece list.
struct Staging {
   static constexpr uint64_t kBytes = 256 << 10;

   std::unique_ptr<uint8_t[]> stream{new uint8_t[kBytes]};
   std::unique_ptr<uint8_t[]> raw{new uint8_t[kBytes]}; // texels of a converting side
   std::vector<Piece> pieces;
};

struct BoxSide {
   Surface surface;
   VkFormat format = VK_FORMAT_UNDEFINED;
   VkImageAspectFlags aspect = 0; // 0: whole blocks, as they are
};

struct BoxCopy {
   BoxSide src;
   const uint8_t *constant = nullptr; // if set, every block is these streamBytes bytes
   BoxSide dst;
   uint32_t width = 0, height = 0, slices = 0; // in blocks
   // Bytes of a block in staging; equal to surface.blockBytes on a side that
   // does not convert.
   uint32_t streamBytes = 0;
};

// False when the GPU failed (gpu.failure() says where); blocks before the
// failing band may have been copied.
bool copyBox(GpuTransfer &gpu, Staging &staging, const BoxCopy &copy);

} // namespace panvk
