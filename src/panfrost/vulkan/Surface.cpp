#include "Surface.h"

#include "layout/RowRuns.h"

namespace panvk {

Surface
Surface::buffer(uint64_t bufferVa, uint64_t offset, uint32_t blockBytes, uint32_t rowBlocks,
                uint32_t rowsPerSlice)
{
   Surface surface;
   surface.va = bufferVa + offset;
   surface.blockBytes = blockBytes;
   surface.rowPitch = uint64_t(rowBlocks) * blockBytes;
   surface.slicePitch = surface.rowPitch * rowsPerSlice;
   return surface;
}

namespace {

// Pieces that continue each other both in GPU memory and in staging (rows of
// a tightly packed buffer or linear image) become one.
void
append(std::vector<Piece> &out, const Piece &piece)
{
   if (!out.empty() && out.back().va + out.back().bytes == piece.va &&
       out.back().stream + out.back().bytes == piece.stream)
      out.back().bytes += piece.bytes;
   else
      out.push_back(piece);
}

} // namespace

void
Surface::appendPieces(const Band &band, uint64_t streamBase, std::vector<Piece> &out) const
{
   const uint64_t rowBytes = uint64_t(band.x1 - band.x0) * blockBytes;
   if (rowBytes == 0)
      return;
   for (uint32_t row = band.y0; row < band.y1; row++) {
      const uint64_t stream = streamBase + (row - band.y0) * rowBytes;
      if (!layout) {
         const uint64_t va = this->va + band.slice * slicePitch + row * rowPitch +
                             uint64_t(band.x0) * blockBytes;
         append(out, Piece{va, stream, rowBytes});
         continue;
      }
      const uint32_t sliceLayer = slicesAreDepth ? layer : layer + band.slice;
      const uint32_t sliceZ = slicesAreDepth ? z + band.slice : z;
      uint64_t runStream = stream;
      // The callers clip boxes to the level, so every row is in range.
      pan::layout::forEachRowRun(*layout, level, sliceLayer, y + row, sliceZ, x + band.x0,
                                 x + band.x1, [&](const pan::layout::Run &run) {
                                    const uint64_t bytes = uint64_t(run.texels) * blockBytes;
                                    append(out, Piece{va + run.offset, runStream, bytes});
                                    runStream += bytes;
                                 });
   }
}

} // namespace panvk
