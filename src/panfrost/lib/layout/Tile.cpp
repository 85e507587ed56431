#include "layout/Tile.h"

#include <bit>

#include "layout/Format.h"

namespace pan::layout {

VkExtent2D tileExtent(uint32_t texelBytes)
{
   if (texelBytes == 0 || texelBytes > 16 || !std::has_single_bit(texelBytes))
      return {0, 0};
   // A tile holds 2^n texel blocks; the width takes the odd power of two.
   const uint32_t blocksLog2 = kTileBytesLog2 - std::countr_zero(texelBytes);
   const uint32_t heightLog2 = blocksLog2 / 2;
   return {1u << (blocksLog2 - heightLog2), 1u << heightLog2};
}

VkExtent2D tileExtentInTexels(VkFormat format)
{
   const FormatInfo *info = formatInfo(format);
   if (!info)
      return {0, 0};
   const VkExtent2D blocks = tileExtent(info->texelBytes);
   return {blocks.width * info->blockWidth, blocks.height * info->blockHeight};
}

} // namespace pan::layout
