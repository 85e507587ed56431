#include "GpuTransfer.h"

#include <algorithm>
#include <cstring>

namespace panvk {

bool
GpuTransfer::read(std::vector<Piece> &pieces, uint8_t *stream)
{
   return transfer(pieces, stream, Access::Read);
}

bool
GpuTransfer::write(std::vector<Piece> &pieces, const uint8_t *stream)
{
   // Only read from in a write: the visitor copies into GPU memory.
   return transfer(pieces, const_cast<uint8_t *>(stream), Access::Write);
}

bool
GpuTransfer::transfer(std::vector<Piece> &pieces, uint8_t *stream, Access kind)
{
   auto byVa = [](const Piece &a, const Piece &b) { return a.va < b.va; };
   if (!std::is_sorted(pieces.begin(), pieces.end(), byVa))
      std::sort(pieces.begin(), pieces.end(), byVa);
   size_t first = 0;
   while (first < pieces.size()) {
      // Overlapping pieces (invalid usage) go to separate accesses, in order.
      uint64_t end = pieces[first].va + pieces[first].bytes;
      size_t last = first + 1;
      while (last < pieces.size() && pieces[last].va >= end &&
             pieces[last].va - end <= kMaxPieceGap) {
         end = pieces[last].va + pieces[last].bytes;
         last++;
      }
      if (!transferSpan(std::span(pieces).subspan(first, last - first), stream, kind))
         return false;
      first = last;
   }
   return true;
}

bool
GpuTransfer::transferSpan(std::span<const Piece> span, uint8_t *stream, Access kind)
{
   const uint64_t start = span.front().va;
   const uint64_t size = span.back().va + span.back().bytes - start;
   size_t next = 0; // the first piece not finished yet
   auto visit = [&](uint8_t *host, uint64_t length, uint64_t offset) {
      const uint64_t runStart = start + offset, runEnd = runStart + length;
      for (; next < span.size() && span[next].va < runEnd; next++) {
         const Piece &piece = span[next];
         const uint64_t pieceEnd = piece.va + piece.bytes;
         const uint64_t from = std::max(piece.va, runStart);
         const uint64_t to = std::min(pieceEnd, runEnd);
         if (from < to) {
            uint8_t *gpu = host + (from - runStart);
            uint8_t *staged = stream + piece.stream + (from - piece.va);
            if (kind == Access::Write)
               std::memcpy(gpu, staged, to - from);
            else
               std::memcpy(staged, gpu, to - from);
         }
         if (pieceEnd > runEnd)
            break; // continues in the next run
      }
   };
   return check(gpu_.access(vmId_, start, size, kind, visit));
}

bool
GpuTransfer::read(uint64_t va, void *data, uint64_t size)
{
   return check(gpu_.copyFromGpu(vmId_, va, data, size));
}

bool
GpuTransfer::write(uint64_t va, const void *data, uint64_t size)
{
   return check(gpu_.copyToGpu(vmId_, va, data, size));
}

// Chunk by chunk: read into staging, then write out. One access may not run
// inside another's visitor: a bind of the outer run's range, waiting for that
// run with the VM's lock held, would deadlock with the inner access's page
// walk. So the two sides are never mapped at once, and every byte is copied
// twice (the second time from cache).
bool
GpuTransfer::copy(uint64_t dstVa, uint64_t srcVa, uint64_t size)
{
   return check(gpu_.copyWithinGpu(vmId_, dstVa, srcVa, size));
}

bool
GpuTransfer::fill(uint64_t va, uint64_t size, uint32_t pattern)
{
   return check(gpu_.fill(vmId_, va, size, pattern));
}

bool
GpuTransfer::check(const pan::kmod::Result<pan::kmod::MockGpu::AccessResult> &result)
{
   if (!result) {
      failure_ = GpuFailure{0, false, result.error().message};
      return false;
   }
   if (result->ok())
      return true;
   failure_ = GpuFailure{result->fault ? result->fault->va : 0, result->aborted, {}};
   return false;
}

} // namespace panvk
