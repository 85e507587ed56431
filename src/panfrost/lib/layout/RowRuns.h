// The contiguous byte runs of one row segment, so the executor can copy with
// memcpy instead of one texelOffset call per texel block.
//
// For texel blocks [x0, x1) of row y at depth slice z of (level, layer):
// linear layouts give one run; tiled layouts give one run per tile crossed
// (at most tileWidth blocks each, tile-local rows being contiguous). Runs come
// in increasing x. Offsets are from the start of the image.
#pragma once

#include <cstdint>

#include "layout/ImageLayout.h"
#include "layout/Tile.h"

namespace pan::layout {

struct Run {
   uint64_t offset = 0;
   uint32_t texels = 0; // texel blocks; bytes = texels * texelBytes
};

// Calls `callback(const Run &)` for each run; returns false, calling nothing,
// if the level, layer, row, slice or segment is out of range or x0 > x1.
// An empty segment (x0 == x1) succeeds with no calls.
template <typename Callback>
bool forEachRowRun(const ImageLayout &layout, uint32_t level, uint32_t layer, uint32_t y,
                   uint32_t z, uint32_t x0, uint32_t x1, Callback &&callback)
{
   if (level >= layout.levelCount || layer >= layout.layerCount)
      return false;
   const LevelLayout &l = layout.levels[level];
   if (y >= l.height || z >= l.depth || x0 > x1 || x1 > l.width)
      return false;
   if (x0 == x1)
      return true;

   if (!layout.tiled()) {
      callback(Run {texelOffset(layout, level, layer, x0, y, z), x1 - x0});
      return true;
   }
   const uint32_t tileWidth = layout.tileExtent.width;
   uint32_t x = x0;
   uint64_t offset = texelOffset(layout, level, layer, x, y, z);
   // Moving one tile right keeps the tile-local row, so after the first run
   // every run starts at the left edge of the next tile, one tile further on.
   uint64_t tileStart = offset - uint64_t(x & (tileWidth - 1)) * layout.texelBytes;
   while (x < x1) {
      const uint64_t tileEnd = uint64_t(x | (tileWidth - 1)) + 1;
      const uint32_t end = x1 < tileEnd ? x1 : static_cast<uint32_t>(tileEnd);
      callback(Run {offset, end - x});
      x = end;
      tileStart += kTileBytes;
      offset = tileStart;
   }
   return true;
}

} // namespace pan::layout
