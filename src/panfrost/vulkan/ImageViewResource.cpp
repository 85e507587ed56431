#include "ImageViewResource.h"

#include <algorithm>

#include "Image.h"
#include "ImageView.h"
#include "layout/Tile.h"

namespace panvk {

std::unique_ptr<ImageViewResource>
ImageViewResource::create(spirv::GlobalMemory &memory, ImageView &view, bool swizzled)
{
   Image &image = view.image();
   const pan::layout::ImageLayout &layout = image.layout();
   const VkImageSubresourceRange &range = view.subresourceRange();
   const std::optional<TexelFormat> format =
      TexelFormat::make(view.format(), range.aspectMask, swizzled ? &view.components() : nullptr);
   if (!image.va() || !format || format->bytes() != layout.texelBytes || range.baseMipLevel >= layout.levelCount)
      return nullptr;
   const uint32_t levelCount = std::min(range.levelCount, layout.levelCount - range.baseMipLevel);
   if (levelCount == 0)
      return nullptr;

   std::unique_ptr<ImageViewResource> resource(new ImageViewResource(memory, *format));
   resource->tiled_ = layout.tiled();
   resource->texelBytes_ = layout.texelBytes;
   resource->tileWidthLog2_ = layout.tileWidthLog2;
   resource->tileHeightLog2_ = layout.tileHeightLog2;
   resource->layerStride_ = layout.layerStride;
   // An uncompressed view of a compressed image sees one texel per block.
   const bool blocks = layout.blockWidth > 1 || layout.blockHeight > 1;
   for (uint32_t i = 0; i < levelCount; ++i) {
      const pan::layout::LevelLayout &l = layout.levels[range.baseMipLevel + i];
      Level level;
      level.offset = l.offset;
      level.rowPitch = l.rowPitch;
      level.slicePitch = l.slicePitch;
      level.tilesX = l.tilesX;
      level.extent = blocks ? std::array<uint32_t, 3>{l.width, l.height, l.depth}
                            : std::array<uint32_t, 3>{l.texelExtent.width, l.texelExtent.height,
                                                      l.texelExtent.depth};
      resource->levels_.push_back(level);
   }

   if (image.type() == VK_IMAGE_TYPE_3D && view.viewType() != VK_IMAGE_VIEW_TYPE_3D) {
      // 2D (array) views of a 3D image (2D_ARRAY_COMPATIBLE): one level,
      // whose depth slices are the view's layers.
      Level &level = resource->levels_.front();
      const uint32_t depth = level.extent[2];
      if (range.baseArrayLayer >= depth)
         return nullptr;
      resource->levels_.resize(1);
      resource->layersAreSlices_ = true;
      resource->firstSlice_ = range.baseArrayLayer;
      // ImageView resolves VK_REMAINING_ARRAY_LAYERS against the depth; a
      // count of 0 (no valid view has one) takes the remaining slices too.
      const uint32_t asked = range.layerCount ? range.layerCount : depth - range.baseArrayLayer;
      resource->layerCount_ = std::min(asked, depth - range.baseArrayLayer);
      level.extent[2] = 1;
      resource->base_ = image.va();
      return resource;
   }
   if (range.baseArrayLayer >= layout.layerCount)
      return nullptr;
   resource->layerCount_ = std::min(range.layerCount, layout.layerCount - range.baseArrayLayer);
   if (resource->layerCount_ == 0)
      return nullptr;
   resource->base_ = image.va() + uint64_t(range.baseArrayLayer) * layout.layerStride;
   return resource;
}

std::array<uint32_t, 3>
ImageViewResource::extent(uint32_t level) const
{
   return level < levels_.size() ? levels_[level].extent : std::array<uint32_t, 3>{0, 0, 0};
}

uint64_t
ImageViewResource::address(uint32_t x, uint32_t y, uint32_t z, uint32_t layer, uint32_t level) const
{
   if (level >= levels_.size() || layer >= layerCount_)
      return 0;
   const Level &l = levels_[level];
   if (x >= l.extent[0] || y >= l.extent[1] || z >= l.extent[2])
      return 0;
   if (layersAreSlices_) {
      z = firstSlice_ + layer;
      layer = 0;
   }
   uint64_t offset = l.offset + uint64_t(layer) * layerStride_ + uint64_t(z) * l.slicePitch;
   if (!tiled_)
      return base_ + offset + uint64_t(y) * l.rowPitch + uint64_t(x) * texelBytes_;
   // Tiles row-major over the level; texels row-major inside a tile.
   const uint32_t tileMaskX = (1u << tileWidthLog2_) - 1, tileMaskY = (1u << tileHeightLog2_) - 1;
   const uint64_t tile = uint64_t(y >> tileHeightLog2_) * l.tilesX + (x >> tileWidthLog2_);
   const uint64_t inTile = (uint64_t(y & tileMaskY) << tileWidthLog2_) + (x & tileMaskX);
   offset += (tile << pan::layout::kTileBytesLog2) + inTile * texelBytes_;
   return base_ + offset;
}

} // namespace panvk
