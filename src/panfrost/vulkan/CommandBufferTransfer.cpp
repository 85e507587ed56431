// The transfer commands a command buffer records: copies, blits, fills,
// updates and clears. Arguments are kept as given; the executor clips what
// lies outside the resources.
#include <algorithm>

#include "Buffer.h"
#include "CommandBuffer.h"
#include "Image.h"
#include "panvk_entrypoints.h"

using namespace panvk;

namespace {

template <typename T>
std::vector<T>
copyArray(const T *items, uint32_t count)
{
   return items ? std::vector<T>(items, items + count) : std::vector<T>();
}

} // namespace

extern "C" {

VKAPI_ATTR void VKAPI_CALL
panvk_CmdCopyBuffer(VkCommandBuffer commandBuffer, VkBuffer srcBuffer, VkBuffer dstBuffer,
                    uint32_t regionCount, const VkBufferCopy *pRegions)
{
   CommandBuffer::from(commandBuffer)->record([&] {
      return CmdCopyBuffer{Buffer::from(srcBuffer), Buffer::from(dstBuffer),
                           copyArray(pRegions, regionCount)};
   });
}

VKAPI_ATTR void VKAPI_CALL
panvk_CmdCopyImage(VkCommandBuffer commandBuffer, VkImage srcImage, VkImageLayout, VkImage dstImage,
                   VkImageLayout, uint32_t regionCount, const VkImageCopy *pRegions)
{
   CommandBuffer::from(commandBuffer)->record([&] {
      return CmdCopyImage{Image::from(srcImage), Image::from(dstImage),
                          copyArray(pRegions, regionCount)};
   });
}

VKAPI_ATTR void VKAPI_CALL
panvk_CmdCopyBufferToImage(VkCommandBuffer commandBuffer, VkBuffer srcBuffer, VkImage dstImage,
                           VkImageLayout, uint32_t regionCount, const VkBufferImageCopy *pRegions)
{
   CommandBuffer::from(commandBuffer)->record([&] {
      return CmdCopyBufferToImage{Buffer::from(srcBuffer), Image::from(dstImage),
                                  copyArray(pRegions, regionCount)};
   });
}

VKAPI_ATTR void VKAPI_CALL
panvk_CmdCopyImageToBuffer(VkCommandBuffer commandBuffer, VkImage srcImage, VkImageLayout,
                           VkBuffer dstBuffer, uint32_t regionCount, const VkBufferImageCopy *pRegions)
{
   CommandBuffer::from(commandBuffer)->record([&] {
      return CmdCopyImageToBuffer{Image::from(srcImage), Buffer::from(dstBuffer),
                                  copyArray(pRegions, regionCount)};
   });
}

VKAPI_ATTR void VKAPI_CALL
panvk_CmdBlitImage(VkCommandBuffer commandBuffer, VkImage srcImage, VkImageLayout, VkImage dstImage,
                   VkImageLayout, uint32_t regionCount, const VkImageBlit *pRegions, VkFilter filter)
{
   CommandBuffer::from(commandBuffer)->record([&] {
      return CmdBlitImage{Image::from(srcImage), Image::from(dstImage),
                          copyArray(pRegions, regionCount), filter};
   });
}

VKAPI_ATTR void VKAPI_CALL
panvk_CmdFillBuffer(VkCommandBuffer commandBuffer, VkBuffer dstBuffer, VkDeviceSize dstOffset,
                    VkDeviceSize size, uint32_t data)
{
   Buffer *buffer = Buffer::from(dstBuffer);
   if (size == VK_WHOLE_SIZE) {
      // The rest of the buffer, rounded down to whole words.
      size = buffer && dstOffset < buffer->size() ? (buffer->size() - dstOffset) & ~VkDeviceSize(3) : 0;
   }
   CommandBuffer::from(commandBuffer)->record([&] {
      return CmdFillBuffer{buffer, dstOffset, size, data};
   });
}

VKAPI_ATTR void VKAPI_CALL
panvk_CmdUpdateBuffer(VkCommandBuffer commandBuffer, VkBuffer dstBuffer, VkDeviceSize dstOffset,
                      VkDeviceSize dataSize, const void *pData)
{
   if (!pData)
      return;
   // The spec's limit; reading further could leave the caller's array.
   constexpr VkDeviceSize kMaxUpdateBytes = 65536;
   dataSize = std::min(dataSize, kMaxUpdateBytes);
   CommandBuffer::from(commandBuffer)->record([&] {
      const auto *bytes = static_cast<const uint8_t *>(pData);
      return CmdUpdateBuffer{Buffer::from(dstBuffer), dstOffset,
                             std::vector<uint8_t>(bytes, bytes + dataSize)};
   });
}

VKAPI_ATTR void VKAPI_CALL
panvk_CmdClearColorImage(VkCommandBuffer commandBuffer, VkImage image, VkImageLayout,
                         const VkClearColorValue *pColor, uint32_t rangeCount,
                         const VkImageSubresourceRange *pRanges)
{
   if (!pColor)
      return;
   CommandBuffer::from(commandBuffer)->record([&] {
      return CmdClearColorImage{Image::from(image), *pColor, copyArray(pRanges, rangeCount)};
   });
}

VKAPI_ATTR void VKAPI_CALL
panvk_CmdClearDepthStencilImage(VkCommandBuffer commandBuffer, VkImage image, VkImageLayout,
                                const VkClearDepthStencilValue *pDepthStencil, uint32_t rangeCount,
                                const VkImageSubresourceRange *pRanges)
{
   if (!pDepthStencil)
      return;
   CommandBuffer::from(commandBuffer)->record([&] {
      return CmdClearDepthStencilImage{Image::from(image), *pDepthStencil,
                                       copyArray(pRanges, rangeCount)};
   });
}

} // extern "C"
