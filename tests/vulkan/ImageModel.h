// A CPU reference for the contents of one aspect of an image: every texel
// block of every mip level and array layer, and the spec's copy rules
// applied to it (buffer <-> image addressing with bufferRowLength and
// bufferImageHeight, image <-> image copies between size-compatible formats).
//
// The copy tests run the same copies on the device and on the model and
// compare the device's results with the model's byte for byte.
#pragma once

#include <vulkan/vulkan.h>

#include <cstdint>
#include <span>
#include <vector>

namespace panvk::test {

class ImageModel {
public:
   // blockBytes: the aspect's texel block size as a buffer holds it.
   ImageModel(const VkImageCreateInfo &info, uint32_t blockBytes, uint32_t blockWidth = 1,
              uint32_t blockHeight = 1);

   // Texels of mip level `level` (depth is 1 but for 3D images).
   VkExtent3D levelExtent(uint32_t level) const;
   uint32_t mipLevels() const { return mipLevels_; }
   uint32_t arrayLayers() const { return arrayLayers_; }
   uint32_t blockBytes() const { return blockBytes_; }
   uint32_t blockWidth() const { return blockWidth_; }
   uint32_t blockHeight() const { return blockHeight_; }

   // vkCmdCopyBufferToImage / vkCmdCopyImageToBuffer of one region.
   void copyFromBuffer(std::span<const uint8_t> buffer, const VkBufferImageCopy &region);
   void copyToBuffer(std::span<uint8_t> buffer, const VkBufferImageCopy &region) const;
   // vkCmdCopyImage of one region; the formats' blocks must have the same
   // size in bytes. The extent is in the source's texels.
   static void copyImage(const ImageModel &src, ImageModel &dst, const VkImageCopy &region);

   // One past the last buffer byte the region touches.
   VkDeviceSize bufferEnd(const VkBufferImageCopy &region) const;
   // Calls visit(bufferOffset, level, layer, blockX, blockY, z) for every
   // block the region copies.
   template <typename Visit> void forEachBlock(const VkBufferImageCopy &region, Visit visit) const
   {
      const BufferWalk w = walk(region);
      for (uint32_t l = 0; l < w.layers; l++) {
         for (uint32_t z = 0; z < w.depth; z++) {
            for (uint32_t y = 0; y < w.blocksY; y++) {
               for (uint32_t x = 0; x < w.blocksX; x++) {
                  const uint64_t at = w.offset + ((uint64_t(l) * w.depth + z) * w.sliceBlocks +
                                                  uint64_t(y) * w.rowBlocks + x) * blockBytes_;
                  visit(at, region.imageSubresource.mipLevel, region.imageSubresource.baseArrayLayer + l,
                        w.firstBlockX + x, w.firstBlockY + y, uint32_t(region.imageOffset.z) + z);
               }
            }
         }
      }
   }

   // The bytes of one block.
   uint8_t *block(uint32_t level, uint32_t layer, uint32_t bx, uint32_t by, uint32_t z);
   const uint8_t *block(uint32_t level, uint32_t layer, uint32_t bx, uint32_t by, uint32_t z) const;

private:
   struct BufferWalk {
      VkDeviceSize offset;
      uint32_t rowBlocks;   // blocks per buffer row
      uint32_t sliceBlocks; // blocks per buffer slice (image height x row)
      uint32_t blocksX, blocksY, depth, layers;
      uint32_t firstBlockX, firstBlockY;
   };
   BufferWalk walk(const VkBufferImageCopy &region) const;
   VkExtent3D levelBlocks(uint32_t level) const;

   VkImageType type_;
   VkExtent3D extent_;
   uint32_t mipLevels_;
   uint32_t arrayLayers_;
   uint32_t blockBytes_;
   uint32_t blockWidth_;
   uint32_t blockHeight_;
   // [level * arrayLayers + layer]: blocks of that subresource, x fastest, then y, then z.
   std::vector<std::vector<uint8_t>> subresources_;
};

} // namespace panvk::test
