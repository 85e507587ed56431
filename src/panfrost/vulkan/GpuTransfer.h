// The executor's only way to GPU memory: reads, writes and fills at GPU
// addresses of one VM, made through the mock GPU's MMU (kmod::MockGpu), so
// they translate, fault and populate alloc-on-fault granules as a GPU job's
// accesses would.
//
// Scattered transfers (rows of an image, one run per tile crossed) are lists
// of pieces between GPU addresses and a host staging buffer. Neighbouring
// pieces share one MMU access, whose visitor copies just the pieces' bytes of
// each physically contiguous run; the bytes between them (at most
// kMaxPieceGap, inside the same resource) are translated but not touched.
//
// Not thread-safe: one GpuTransfer per executing thread.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "kmod/MockGpu.h"

namespace panvk {

// `bytes` bytes at GPU address `va` <-> the bytes at offset `stream` of a
// host staging buffer.
struct Piece {
   uint64_t va = 0;
   uint64_t stream = 0;
   uint64_t bytes = 0;
};

// Pieces this close (in GPU address) are read or written by one MMU access.
constexpr uint64_t kMaxPieceGap = 64 * 1024;

// Where the GPU stopped: an unhandled fault (or an access aborted by another
// one's fault), or a failed call (`error`).
struct GpuFailure {
   uint64_t va = 0;
   bool aborted = false;
   std::string error;
};

class GpuTransfer {
public:
   GpuTransfer(pan::kmod::MockGpu &gpu, uint32_t vmId) : gpu_(gpu), vmId_(vmId) {}

   // Every piece, in any order; false at the first failure (failure() says
   // where; the pieces before it may have been transferred). Sorts `pieces`.
   bool read(std::vector<Piece> &pieces, uint8_t *stream);
   bool write(std::vector<Piece> &pieces, const uint8_t *stream);

   bool read(uint64_t va, void *data, uint64_t size);
   bool write(uint64_t va, const void *data, uint64_t size);
   // GPU memory to GPU memory: one host copy per pair of physically
   // contiguous runs (the MMU's GPU-to-GPU copy), no bounce.
   bool copy(uint64_t dstVa, uint64_t srcVa, uint64_t size);
   // The little-endian `pattern` repeated over [va, va + size).
   bool fill(uint64_t va, uint64_t size, uint32_t pattern);

   const std::optional<GpuFailure> &failure() const { return failure_; }

private:
   using Access = pan::kmod::MockGpu::Access;

   bool transfer(std::vector<Piece> &pieces, uint8_t *stream, Access kind);
   // One MMU access over sorted, disjoint pieces.
   bool transferSpan(std::span<const Piece> span, uint8_t *stream, Access kind);
   bool check(const pan::kmod::Result<pan::kmod::MockGpu::AccessResult> &result);

   pan::kmod::MockGpu &gpu_;
   uint32_t vmId_;
   std::optional<GpuFailure> failure_;
};

} // namespace panvk
