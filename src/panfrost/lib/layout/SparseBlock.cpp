#include "layout/SparseBlock.h"

#include "layout/Format.h"
#include "layout/Tile.h"

namespace pan::layout {

std::optional<SparseBlockShape> sparseBlockShape(VkFormat format, VkImageType type)
{
   if (type != VK_IMAGE_TYPE_2D && type != VK_IMAGE_TYPE_3D)
      return std::nullopt;
   const FormatInfo *info = formatInfo(format);
   if (!info)
      return std::nullopt;
   const VkExtent2D tile = tileExtent(info->texelBytes);
   if (tile.width == 0)
      return std::nullopt;
   SparseBlockShape shape;
   shape.texelBlocks = {tile.width, tile.height, 1};
   shape.texels = {tile.width * info->blockWidth, tile.height * info->blockHeight, 1};
   shape.standard = type == VK_IMAGE_TYPE_2D;
   return shape;
}

} // namespace pan::layout
