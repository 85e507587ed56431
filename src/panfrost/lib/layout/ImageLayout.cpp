#include "layout/ImageLayout.h"

#include <algorithm>
#include <bit>

#include "layout/Format.h"
#include "layout/Tile.h"

namespace pan::layout {

namespace {

// Overflow-checked arithmetic: every size is computed through these, so a huge
// description fails cleanly instead of wrapping.
bool mul(uint64_t a, uint64_t b, uint64_t &out)
{
   return !__builtin_mul_overflow(a, b, &out);
}

bool add(uint64_t a, uint64_t b, uint64_t &out)
{
   return !__builtin_add_overflow(a, b, &out);
}

// `alignment` is a power of two.
bool alignUp(uint64_t value, uint64_t alignment, uint64_t &out)
{
   if (!add(value, alignment - 1, out))
      return false;
   out &= ~(alignment - 1);
   return true;
}

uint32_t divRoundUp(uint32_t value, uint32_t divisor)
{
   return value / divisor + (value % divisor != 0);
}

bool validDesc(const ImageDesc &desc, const FormatInfo &format)
{
   const VkExtent3D &e = desc.extent;
   if (e.width == 0 || e.height == 0 || e.depth == 0 || desc.arrayLayers == 0 ||
       desc.mipLevels == 0)
      return false;
   switch (desc.type) {
   case VK_IMAGE_TYPE_1D:
      if (e.height != 1 || e.depth != 1 || desc.tiling != Tiling::Linear)
         return false;
      break;
   case VK_IMAGE_TYPE_2D:
      if (e.depth != 1)
         return false;
      break;
   case VK_IMAGE_TYPE_3D:
      if (desc.arrayLayers != 1)
         return false;
      break;
   default:
      return false;
   }
   if (desc.tiling != Tiling::Linear && desc.tiling != Tiling::Tiled64K)
      return false;
   if (desc.tiling == Tiling::Tiled64K && tileExtent(format.texelBytes).width == 0)
      return false;
   const uint32_t largest = std::max({e.width, e.height, e.depth});
   return desc.mipLevels <= uint32_t(std::bit_width(largest));
}

bool layoutLevel(const ImageLayout &layout, uint32_t index, LevelLayout &level)
{
   const VkExtent3D &e = layout.desc.extent;
   level.texelExtent = {std::max(e.width >> index, 1u), std::max(e.height >> index, 1u),
                        std::max(e.depth >> index, 1u)};
   level.width = divRoundUp(level.texelExtent.width, layout.blockWidth);
   level.height = divRoundUp(level.texelExtent.height, layout.blockHeight);
   level.depth = level.texelExtent.depth;

   if (layout.tiled()) {
      level.tilesX = divRoundUp(level.width, layout.tileExtent.width);
      level.tilesY = divRoundUp(level.height, layout.tileExtent.height);
      return mul(level.tilesX, kTileBytes, level.rowPitch) &&
             mul(level.rowPitch, level.tilesY, level.slicePitch) &&
             mul(level.slicePitch, level.depth, level.size);
   }
   uint64_t rowBytes;
   return mul(level.width, layout.texelBytes, rowBytes) &&
          alignUp(rowBytes, kLinearAlignment, level.rowPitch) &&
          mul(level.rowPitch, level.height, level.slicePitch) &&
          mul(level.slicePitch, level.depth, level.size);
}

} // namespace

std::optional<ImageLayout> computeLayout(const ImageDesc &desc)
{
   const FormatInfo *format = formatInfo(desc.format);
   if (!format || !validDesc(desc, *format))
      return std::nullopt;

   ImageLayout layout;
   layout.desc = desc;
   layout.texelBytes = format->texelBytes;
   layout.blockWidth = format->blockWidth;
   layout.blockHeight = format->blockHeight;
   layout.levelCount = desc.mipLevels;
   layout.layerCount = desc.arrayLayers;
   if (layout.tiled()) {
      layout.tileExtent = tileExtent(format->texelBytes);
      layout.tileWidthLog2 = std::countr_zero(layout.tileExtent.width);
      layout.tileHeightLog2 = std::countr_zero(layout.tileExtent.height);
      layout.alignment = kTileBytes;
   } else {
      layout.alignment = kLinearAlignment;
   }

   // Every level size is a multiple of the alignment (whole tiles, or rows of a
   // 64-byte multiple), so consecutive levels stay aligned without padding.
   uint64_t offset = 0;
   for (uint32_t i = 0; i < layout.levelCount; ++i) {
      LevelLayout &level = layout.levels[i];
      if (!layoutLevel(layout, i, level))
         return std::nullopt;
      level.offset = offset;
      if (!add(offset, level.size, offset))
         return std::nullopt;
   }
   layout.layerStride = offset;
   if (!mul(layout.layerStride, layout.layerCount, layout.totalSize))
      return std::nullopt;
   return layout;
}

uint64_t subresourceOffset(const ImageLayout &layout, uint32_t level, uint32_t layer)
{
   if (level >= layout.levelCount || layer >= layout.layerCount)
      return kInvalidOffset;
   return layout.layerStride * layer + layout.levels[level].offset;
}

uint64_t texelOffset(const ImageLayout &layout, uint32_t level, uint32_t layer, uint32_t x,
                     uint32_t y, uint32_t z)
{
   const uint64_t base = subresourceOffset(layout, level, layer);
   if (base == kInvalidOffset)
      return kInvalidOffset;
   const LevelLayout &l = layout.levels[level];
   if (x >= l.width || y >= l.height || z >= l.depth)
      return kInvalidOffset;
   if (!layout.tiled())
      return base + z * l.slicePitch + y * l.rowPitch + uint64_t(x) * layout.texelBytes;

   const uint32_t tileX = x >> layout.tileWidthLog2;
   const uint32_t tileY = y >> layout.tileHeightLog2;
   const uint32_t inTileX = x & (layout.tileExtent.width - 1);
   const uint32_t inTileY = y & (layout.tileExtent.height - 1);
   const uint64_t tileIndex = (uint64_t(z) * l.tilesY + tileY) * l.tilesX + tileX;
   const uint64_t inTile = ((uint64_t(inTileY) << layout.tileWidthLog2) + inTileX) *
                           layout.texelBytes;
   return base + (tileIndex << kTileBytesLog2) + inTile;
}

} // namespace pan::layout
