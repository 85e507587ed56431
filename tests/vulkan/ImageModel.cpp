#include "ImageModel.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>

namespace panvk::test {

namespace {

uint32_t
divideRoundingUp(uint32_t value, uint32_t divisor)
{
   return (value + divisor - 1) / divisor;
}

} // namespace

ImageModel::ImageModel(const VkImageCreateInfo &info, uint32_t blockBytes, uint32_t blockWidth,
                       uint32_t blockHeight)
   : type_(info.imageType), extent_(info.extent), mipLevels_(info.mipLevels), arrayLayers_(info.arrayLayers),
     blockBytes_(blockBytes), blockWidth_(blockWidth), blockHeight_(blockHeight)
{
   subresources_.resize(size_t(mipLevels_) * arrayLayers_);
   for (uint32_t level = 0; level < mipLevels_; level++) {
      const VkExtent3D blocks = levelBlocks(level);
      for (uint32_t layer = 0; layer < arrayLayers_; layer++)
         subresources_[level * arrayLayers_ + layer].resize(size_t(blocks.width) * blocks.height * blocks.depth *
                                                            blockBytes_);
   }
}

VkExtent3D
ImageModel::levelExtent(uint32_t level) const
{
   return {std::max(1u, extent_.width >> level), std::max(1u, extent_.height >> level),
           type_ == VK_IMAGE_TYPE_3D ? std::max(1u, extent_.depth >> level) : 1u};
}

VkExtent3D
ImageModel::levelBlocks(uint32_t level) const
{
   const VkExtent3D texels = levelExtent(level);
   return {divideRoundingUp(texels.width, blockWidth_), divideRoundingUp(texels.height, blockHeight_),
           texels.depth};
}

uint8_t *
ImageModel::block(uint32_t level, uint32_t layer, uint32_t bx, uint32_t by, uint32_t z)
{
   return const_cast<uint8_t *>(static_cast<const ImageModel *>(this)->block(level, layer, bx, by, z));
}

const uint8_t *
ImageModel::block(uint32_t level, uint32_t layer, uint32_t bx, uint32_t by, uint32_t z) const
{
   static uint8_t outside[16];
   if (level >= mipLevels_ || layer >= arrayLayers_) {
      ADD_FAILURE() << "model access outside the image: level " << level << " layer " << layer;
      return outside;
   }
   const VkExtent3D blocks = levelBlocks(level);
   if (bx >= blocks.width || by >= blocks.height || z >= blocks.depth) {
      ADD_FAILURE() << "model access outside level " << level << ": block " << bx << "," << by << "," << z;
      return outside;
   }
   const std::vector<uint8_t> &bytes = subresources_[level * arrayLayers_ + layer];
   return bytes.data() + ((size_t(z) * blocks.height + by) * blocks.width + bx) * blockBytes_;
}

ImageModel::BufferWalk
ImageModel::walk(const VkBufferImageCopy &region) const
{
   // The spec's addressing: rows of bufferRowLength texels, slices of
   // bufferImageHeight rows (0: tightly packed), array layers after the
   // slices as if they were further slices.
   const uint32_t rowLength = region.bufferRowLength ? region.bufferRowLength : region.imageExtent.width;
   const uint32_t imageHeight = region.bufferImageHeight ? region.bufferImageHeight : region.imageExtent.height;
   BufferWalk w;
   w.offset = region.bufferOffset;
   w.rowBlocks = divideRoundingUp(rowLength, blockWidth_);
   w.sliceBlocks = divideRoundingUp(imageHeight, blockHeight_) * w.rowBlocks;
   w.blocksX = divideRoundingUp(region.imageExtent.width, blockWidth_);
   w.blocksY = divideRoundingUp(region.imageExtent.height, blockHeight_);
   w.depth = region.imageExtent.depth;
   w.layers = region.imageSubresource.layerCount;
   w.firstBlockX = uint32_t(region.imageOffset.x) / blockWidth_;
   w.firstBlockY = uint32_t(region.imageOffset.y) / blockHeight_;
   return w;
}

VkDeviceSize
ImageModel::bufferEnd(const VkBufferImageCopy &region) const
{
   const BufferWalk w = walk(region);
   const uint64_t lastBlock = (uint64_t(w.layers) * w.depth - 1) * w.sliceBlocks +
                              uint64_t(w.blocksY - 1) * w.rowBlocks + w.blocksX;
   return w.offset + lastBlock * blockBytes_;
}

void
ImageModel::copyFromBuffer(std::span<const uint8_t> buffer, const VkBufferImageCopy &region)
{
   if (bufferEnd(region) > buffer.size()) {
      ADD_FAILURE() << "region reads past the model's buffer";
      return;
   }
   forEachBlock(region, [&](uint64_t at, uint32_t level, uint32_t layer, uint32_t x, uint32_t y, uint32_t z) {
      memcpy(block(level, layer, x, y, z), buffer.data() + at, blockBytes_);
   });
}

void
ImageModel::copyToBuffer(std::span<uint8_t> buffer, const VkBufferImageCopy &region) const
{
   if (bufferEnd(region) > buffer.size()) {
      ADD_FAILURE() << "region writes past the model's buffer";
      return;
   }
   forEachBlock(region, [&](uint64_t at, uint32_t level, uint32_t layer, uint32_t x, uint32_t y, uint32_t z) {
      memcpy(buffer.data() + at, block(level, layer, x, y, z), blockBytes_);
   });
}

void
ImageModel::copyImage(const ImageModel &src, ImageModel &dst, const VkImageCopy &region)
{
   if (src.blockBytes_ != dst.blockBytes_) {
      ADD_FAILURE() << "image copy between formats of different block sizes";
      return;
   }
   // Counted in the source's blocks; a 3D image's slices and an array's
   // layers pair up one to one (layerCount or depth, whichever is > 1).
   const uint32_t blocksX = divideRoundingUp(region.extent.width, src.blockWidth_);
   const uint32_t blocksY = divideRoundingUp(region.extent.height, src.blockHeight_);
   const uint32_t slices = std::max(region.extent.depth, region.srcSubresource.layerCount);
   const bool src3D = src.type_ == VK_IMAGE_TYPE_3D, dst3D = dst.type_ == VK_IMAGE_TYPE_3D;
   for (uint32_t s = 0; s < slices; s++) {
      const uint32_t srcLayer = src3D ? 0 : region.srcSubresource.baseArrayLayer + s;
      const uint32_t srcZ = src3D ? uint32_t(region.srcOffset.z) + s : 0;
      const uint32_t dstLayer = dst3D ? 0 : region.dstSubresource.baseArrayLayer + s;
      const uint32_t dstZ = dst3D ? uint32_t(region.dstOffset.z) + s : 0;
      for (uint32_t y = 0; y < blocksY; y++) {
         for (uint32_t x = 0; x < blocksX; x++) {
            const uint8_t *from = src.block(region.srcSubresource.mipLevel, srcLayer,
                                            uint32_t(region.srcOffset.x) / src.blockWidth_ + x,
                                            uint32_t(region.srcOffset.y) / src.blockHeight_ + y, srcZ);
            uint8_t *to = dst.block(region.dstSubresource.mipLevel, dstLayer,
                                    uint32_t(region.dstOffset.x) / dst.blockWidth_ + x,
                                    uint32_t(region.dstOffset.y) / dst.blockHeight_ + y, dstZ);
            memmove(to, from, src.blockBytes_);
         }
      }
   }
}

} // namespace panvk::test
