#include "BoxCopy.h"

#include <algorithm>
#include <cstring>

#include "layout/DepthStencil.h"

namespace panvk {

namespace {

bool
readSource(GpuTransfer &gpu, Staging &staging, const BoxCopy &copy, const Band &band)
{
   const BoxSide &src = copy.src;
   staging.pieces.clear();
   src.surface.appendPieces(band, 0, staging.pieces);
   if (!src.aspect)
      return gpu.read(staging.pieces, staging.stream.get());
   if (!gpu.read(staging.pieces, staging.raw.get()))
      return false;
   const uint64_t blocks = band.blocks();
   for (uint64_t i = 0; i < blocks; i++) {
      pan::layout::readAspect(src.format, src.aspect, &staging.raw[i * src.surface.blockBytes],
                              &staging.stream[i * copy.streamBytes]);
   }
   return true;
}

bool
writeDestination(GpuTransfer &gpu, Staging &staging, const BoxCopy &copy, const Band &band)
{
   const BoxSide &dst = copy.dst;
   staging.pieces.clear();
   dst.surface.appendPieces(band, 0, staging.pieces);
   if (!dst.aspect)
      return gpu.write(staging.pieces, staging.stream.get());
   if (!gpu.read(staging.pieces, staging.raw.get()))
      return false;
   const uint64_t blocks = band.blocks();
   for (uint64_t i = 0; i < blocks; i++) {
      pan::layout::writeAspect(dst.format, dst.aspect, &staging.stream[i * copy.streamBytes],
                               &staging.raw[i * dst.surface.blockBytes]);
   }
   return gpu.write(staging.pieces, staging.raw.get());
}

} // namespace

bool
copyBox(GpuTransfer &gpu, Staging &staging, const BoxCopy &copy)
{
   if (!copy.width || !copy.height || !copy.slices || !copy.streamBytes)
      return true;
   uint32_t largest = copy.streamBytes;
   if (!copy.constant && copy.src.aspect)
      largest = std::max(largest, copy.src.surface.blockBytes);
   if (copy.dst.aspect)
      largest = std::max(largest, copy.dst.surface.blockBytes);
   // The largest band staging holds: whole rows when they fit.
   const uint64_t bandBlocks = Staging::kBytes / largest;
   const uint32_t columns = uint32_t(std::min<uint64_t>(copy.width, bandBlocks));
   const uint32_t rows = uint32_t(std::clamp<uint64_t>(bandBlocks / columns, 1, copy.height));

   if (copy.constant) {
      for (uint64_t i = 0; i < uint64_t(columns) * rows; i++)
         std::memcpy(&staging.stream[i * copy.streamBytes], copy.constant, copy.streamBytes);
   }
   for (uint32_t slice = 0; slice < copy.slices; slice++) {
      for (uint32_t y = 0; y < copy.height; y += rows) {
         for (uint32_t x = 0; x < copy.width; x += columns) {
            const Band band{x, std::min(x + columns, copy.width), y, std::min(y + rows, copy.height),
                            slice};
            if (!copy.constant && !readSource(gpu, staging, copy, band))
               return false;
            if (!writeDestination(gpu, staging, copy, band))
               return false;
         }
      }
   }
   return true;
}

} // namespace panvk
