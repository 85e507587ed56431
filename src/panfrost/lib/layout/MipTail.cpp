#include "layout/MipTail.h"

#include "layout/SparseBlock.h"

namespace pan::layout {

std::optional<MipTail> mipTail(const ImageLayout &layout)
{
   if (!layout.tiled())
      return std::nullopt;
   const std::optional<SparseBlockShape> block = sparseBlockShape(layout.desc.format, layout.desc.type);
   if (!block)
      return std::nullopt;

   MipTail tail;
   tail.firstLod = layout.levelCount;
   for (uint32_t level = 0; level < layout.levelCount; ++level) {
      const VkExtent3D &extent = layout.levels[level].texelExtent;
      if (extent.width < block->texels.width || extent.height < block->texels.height) {
         tail.firstLod = level;
         break;
      }
   }
   if (tail.firstLod == layout.levelCount)
      return tail;
   tail.offset = layout.levels[tail.firstLod].offset;
   tail.size = layout.layerStride - tail.offset;
   tail.stride = layout.layerStride;
   return tail;
}

} // namespace pan::layout
