// VkTestFixture's helpers: memory types, buffers and images with their
// memory, one-shot submissions, staging copies and barriers.
#include "VkTestFixture.h"

#include <cstring>

namespace panvk::test {

namespace {

VkImageAspectFlags
aspectsOf(VkFormat format)
{
   switch (format) {
   case VK_FORMAT_D16_UNORM:
   case VK_FORMAT_X8_D24_UNORM_PACK32:
   case VK_FORMAT_D32_SFLOAT:
      return VK_IMAGE_ASPECT_DEPTH_BIT;
   case VK_FORMAT_S8_UINT:
      return VK_IMAGE_ASPECT_STENCIL_BIT;
   case VK_FORMAT_D16_UNORM_S8_UINT:
   case VK_FORMAT_D24_UNORM_S8_UINT:
   case VK_FORMAT_D32_SFLOAT_S8_UINT:
      return VK_IMAGE_ASPECT_DEPTH_BIT | VK_IMAGE_ASPECT_STENCIL_BIT;
   default:
      return VK_IMAGE_ASPECT_COLOR_BIT;
   }
}

} // namespace

uint32_t
VkTestFixture::findMemoryType(uint32_t typeBits, VkMemoryPropertyFlags required) const
{
   for (uint32_t i = 0; i < memoryProperties_.memoryTypeCount; i++) {
      if ((typeBits & (1u << i)) && (memoryProperties_.memoryTypes[i].propertyFlags & required) == required)
         return i;
   }
   return UINT32_MAX;
}

void
VkTestFixture::createBuffer(VkDeviceSize size, VkBufferUsageFlags usage, uint32_t memoryType, TestBuffer *out,
                            std::span<const uint32_t> concurrentFamilies)
{
   VkBufferCreateInfo info{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
   info.size = size;
   info.usage = usage;
   info.sharingMode = concurrentFamilies.empty() ? VK_SHARING_MODE_EXCLUSIVE : VK_SHARING_MODE_CONCURRENT;
   info.queueFamilyIndexCount = uint32_t(concurrentFamilies.size());
   info.pQueueFamilyIndices = concurrentFamilies.data();
   TestBuffer buffer;
   VK_ASSERT_SUCCESS(vkCreateBuffer(device_, &info, nullptr, &buffer.buffer));
   atTearDown([this, b = buffer.buffer] { vkDestroyBuffer(device_, b, nullptr); });

   VkMemoryRequirements requirements;
   vkGetBufferMemoryRequirements(device_, buffer.buffer, &requirements);
   ASSERT_GE(requirements.size, size);
   ASSERT_TRUE(requirements.memoryTypeBits & (1u << memoryType))
      << "memory type " << memoryType << " not allowed for buffers (bits 0x" << std::hex
      << requirements.memoryTypeBits << ")";
   VkMemoryAllocateInfo alloc{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
   alloc.allocationSize = requirements.size;
   alloc.memoryTypeIndex = memoryType;
   VK_ASSERT_SUCCESS(vkAllocateMemory(device_, &alloc, nullptr, &buffer.memory));
   atTearDown([this, m = buffer.memory] { vkFreeMemory(device_, m, nullptr); });
   VK_ASSERT_SUCCESS(vkBindBufferMemory(device_, buffer.buffer, buffer.memory, 0));
   buffer.size = size;
   buffer.memoryType = memoryType;
   if (memoryProperties_.memoryTypes[memoryType].propertyFlags & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT) {
      void *data = nullptr;
      VK_ASSERT_SUCCESS(vkMapMemory(device_, buffer.memory, 0, VK_WHOLE_SIZE, 0, &data));
      buffer.mapped = static_cast<uint8_t *>(data);
   }
   *out = buffer;
}

void
VkTestFixture::createHostBuffer(VkDeviceSize size, TestBuffer *out)
{
   const uint32_t type = findMemoryType(~0u, VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT);
   ASSERT_NE(UINT32_MAX, type) << "no host-visible coherent memory type";
   createBuffer(size, VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT, type, out);
}

void
VkTestFixture::createDeviceBuffer(VkDeviceSize size, TestBuffer *out)
{
   uint32_t type = UINT32_MAX;
   for (uint32_t i = 0; i < memoryProperties_.memoryTypeCount && type == UINT32_MAX; i++) {
      const VkMemoryPropertyFlags flags = memoryProperties_.memoryTypes[i].propertyFlags;
      if ((flags & VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT) && !(flags & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT))
         type = i;
   }
   ASSERT_NE(UINT32_MAX, type) << "no device-only memory type";
   createBuffer(size, VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT, type, out);
}

void
VkTestFixture::createImage(const VkImageCreateInfo &info, VkMemoryPropertyFlags memoryFlags, TestImage *out)
{
   TestImage image;
   image.info = info;
   VK_ASSERT_SUCCESS(vkCreateImage(device_, &info, nullptr, &image.image));
   atTearDown([this, i = image.image] { vkDestroyImage(device_, i, nullptr); });
   VkMemoryRequirements requirements;
   vkGetImageMemoryRequirements(device_, image.image, &requirements);
   const uint32_t type = findMemoryType(requirements.memoryTypeBits, memoryFlags);
   ASSERT_NE(UINT32_MAX, type) << "no memory type with flags 0x" << std::hex << memoryFlags
                               << " for the image (bits 0x" << requirements.memoryTypeBits << ")";
   VkMemoryAllocateInfo alloc{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
   alloc.allocationSize = requirements.size;
   alloc.memoryTypeIndex = type;
   VK_ASSERT_SUCCESS(vkAllocateMemory(device_, &alloc, nullptr, &image.memory));
   atTearDown([this, m = image.memory] { vkFreeMemory(device_, m, nullptr); });
   VK_ASSERT_SUCCESS(vkBindImageMemory(device_, image.image, image.memory, 0));
   image.memorySize = requirements.size;
   if (memoryProperties_.memoryTypes[type].propertyFlags & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT) {
      void *data = nullptr;
      VK_ASSERT_SUCCESS(vkMapMemory(device_, image.memory, 0, VK_WHOLE_SIZE, 0, &data));
      image.mapped = static_cast<uint8_t *>(data);
   }
   *out = image;
}

void
VkTestFixture::allocateCommandBuffer(uint32_t family, VkCommandBuffer *out)
{
   VkCommandBufferAllocateInfo info{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
   info.commandPool = pool(family);
   info.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
   info.commandBufferCount = 1;
   VK_ASSERT_SUCCESS(vkAllocateCommandBuffers(device_, &info, out));
   atTearDown([this, p = pool(family), c = *out] { vkFreeCommandBuffers(device_, p, 1, &c); });
}

void
VkTestFixture::submitAndWait(const std::function<void(VkCommandBuffer)> &record, uint32_t family)
{
   VkCommandBuffer cmd;
   ASSERT_NO_FATAL_FAILURE(allocateCommandBuffer(family, &cmd));
   VkCommandBufferBeginInfo begin{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
   begin.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
   VK_ASSERT_SUCCESS(vkBeginCommandBuffer(cmd, &begin));
   record(cmd);
   VK_ASSERT_SUCCESS(vkEndCommandBuffer(cmd));
   ASSERT_FALSE(HasFatalFailure()) << "recording failed";

   VkFence fence;
   VkFenceCreateInfo fenceInfo{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
   VK_ASSERT_SUCCESS(vkCreateFence(device_, &fenceInfo, nullptr, &fence));
   atTearDown([this, fence] { vkDestroyFence(device_, fence, nullptr); });
   VkSubmitInfo submit{VK_STRUCTURE_TYPE_SUBMIT_INFO};
   submit.commandBufferCount = 1;
   submit.pCommandBuffers = &cmd;
   VK_ASSERT_SUCCESS(vkQueueSubmit(queue(family), 1, &submit, fence));
   const VkResult waited = vkWaitForFences(device_, 1, &fence, VK_TRUE, kGpuTimeoutNs);
   if (waited == VK_TIMEOUT)
      hung_ = true;
   VK_ASSERT_SUCCESS(waited);
}

VkResult
recordSubmitAndWait(VkDevice device, VkCommandPool pool, VkQueue queue,
                    const std::function<void(VkCommandBuffer)> &record)
{
   VkCommandBufferAllocateInfo alloc{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
   alloc.commandPool = pool;
   alloc.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
   alloc.commandBufferCount = 1;
   VkCommandBuffer cmd = VK_NULL_HANDLE;
   if (VkResult result = vkAllocateCommandBuffers(device, &alloc, &cmd); result != VK_SUCCESS)
      return result;
   VkFence fence = VK_NULL_HANDLE;
   VkCommandBufferBeginInfo begin{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
   begin.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
   VkResult result = vkBeginCommandBuffer(cmd, &begin);
   if (result == VK_SUCCESS) {
      record(cmd);
      result = vkEndCommandBuffer(cmd);
   }
   const VkFenceCreateInfo fenceInfo{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
   if (result == VK_SUCCESS)
      result = vkCreateFence(device, &fenceInfo, nullptr, &fence);
   if (result == VK_SUCCESS) {
      VkSubmitInfo submit{VK_STRUCTURE_TYPE_SUBMIT_INFO};
      submit.commandBufferCount = 1;
      submit.pCommandBuffers = &cmd;
      result = vkQueueSubmit(queue, 1, &submit, fence);
   }
   if (result == VK_SUCCESS)
      result = vkWaitForFences(device, 1, &fence, VK_TRUE, kGpuTimeoutNs);
   if (fence)
      vkDestroyFence(device, fence, nullptr);
   vkFreeCommandBuffers(device, pool, 1, &cmd);
   return result;
}

void
VkTestFixture::uploadToBuffer(const TestBuffer &dst, VkDeviceSize offset, std::span<const uint8_t> bytes)
{
   TestBuffer staging;
   ASSERT_NO_FATAL_FAILURE(createHostBuffer(bytes.size(), &staging));
   memcpy(staging.mapped, bytes.data(), bytes.size());
   submitAndWait([&](VkCommandBuffer cmd) {
      const VkBufferCopy region{0, offset, bytes.size()};
      vkCmdCopyBuffer(cmd, staging.buffer, dst.buffer, 1, &region);
      transferBarrier(cmd);
   });
}

void
VkTestFixture::downloadFromBuffer(const TestBuffer &src, VkDeviceSize offset, VkDeviceSize size,
                                  std::vector<uint8_t> *out)
{
   TestBuffer staging;
   ASSERT_NO_FATAL_FAILURE(createHostBuffer(size, &staging));
   ASSERT_NO_FATAL_FAILURE(submitAndWait([&](VkCommandBuffer cmd) {
      const VkBufferCopy region{offset, 0, size};
      vkCmdCopyBuffer(cmd, src.buffer, staging.buffer, 1, &region);
      hostReadBarrier(cmd);
   }));
   out->assign(staging.mapped, staging.mapped + size);
}

void
VkTestFixture::uploadToImage(const TestImage &dst, std::span<const uint8_t> bufferBytes,
                             std::span<const VkBufferImageCopy> regions, VkImageLayout layout)
{
   TestBuffer staging;
   ASSERT_NO_FATAL_FAILURE(createHostBuffer(bufferBytes.size(), &staging));
   memcpy(staging.mapped, bufferBytes.data(), bufferBytes.size());
   submitAndWait([&](VkCommandBuffer cmd) {
      vkCmdCopyBufferToImage(cmd, staging.buffer, dst.image, layout, uint32_t(regions.size()), regions.data());
      transferBarrier(cmd);
   });
}

void
VkTestFixture::downloadFromImage(const TestImage &src, std::span<const VkBufferImageCopy> regions,
                                 VkImageLayout layout, std::vector<uint8_t> *bytes)
{
   TestBuffer staging;
   ASSERT_NO_FATAL_FAILURE(createHostBuffer(bytes->size(), &staging));
   memcpy(staging.mapped, bytes->data(), bytes->size());
   ASSERT_NO_FATAL_FAILURE(submitAndWait([&](VkCommandBuffer cmd) {
      vkCmdCopyImageToBuffer(cmd, src.image, layout, staging.buffer, uint32_t(regions.size()), regions.data());
      hostReadBarrier(cmd);
   }));
   bytes->assign(staging.mapped, staging.mapped + bytes->size());
}

void
VkTestFixture::transition(VkCommandBuffer cmd, const TestImage &image, VkImageLayout from, VkImageLayout to)
{
   VkImageMemoryBarrier barrier{VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER};
   // Host writes too: images created PREINITIALIZED are written by the host.
   barrier.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT | VK_ACCESS_HOST_WRITE_BIT;
   barrier.dstAccessMask = VK_ACCESS_TRANSFER_READ_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
   barrier.oldLayout = from;
   barrier.newLayout = to;
   barrier.srcQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
   barrier.dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
   barrier.image = image.image;
   barrier.subresourceRange = {aspectsOf(image.info.format), 0, VK_REMAINING_MIP_LEVELS, 0,
                               VK_REMAINING_ARRAY_LAYERS};
   vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT | VK_PIPELINE_STAGE_HOST_BIT,
                        VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 0, nullptr, 0, nullptr, 1, &barrier);
}

void
VkTestFixture::transferBarrier(VkCommandBuffer cmd)
{
   VkMemoryBarrier barrier{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
   barrier.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
   barrier.dstAccessMask = VK_ACCESS_TRANSFER_READ_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
   vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 1, &barrier, 0,
                        nullptr, 0, nullptr);
}

void
VkTestFixture::hostReadBarrier(VkCommandBuffer cmd)
{
   VkMemoryBarrier barrier{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
   barrier.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
   barrier.dstAccessMask = VK_ACCESS_HOST_READ_BIT | VK_ACCESS_TRANSFER_READ_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
   vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT,
                        VK_PIPELINE_STAGE_HOST_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 1, &barrier, 0, nullptr,
                        0, nullptr);
}

} // namespace panvk::test
