#include "CommandPool.h"

#include <new>

#include "CommandBuffer.h"
#include "Device.h"
#include "panvk_entrypoints.h"

namespace panvk {

VkResult
CommandPool::create(Device &device, const VkCommandPoolCreateInfo &info, VkCommandPool *out)
{
   CommandPool *pool = new (std::nothrow) CommandPool(device, info);
   if (!pool)
      return VK_ERROR_OUT_OF_HOST_MEMORY;
   *out = pool->handle();
   return VK_SUCCESS;
}

CommandPool::CommandPool(Device &device, const VkCommandPoolCreateInfo &info)
   : device_(device), queueFamily_(info.queueFamilyIndex), flags_(info.flags)
{
}

CommandPool::~CommandPool() = default;

VkResult
CommandPool::allocate(const VkCommandBufferAllocateInfo &info, VkCommandBuffer *out)
{
   uint32_t done = 0;
   try {
      buffers_.reserve(buffers_.size() + info.commandBufferCount);
      for (; done < info.commandBufferCount; done++) {
         auto buffer = std::make_unique<CommandBuffer>(*this, info.level);
         CommandBuffer *raw = buffer.get();
         buffers_.emplace(raw, std::move(buffer));
         out[done] = raw->handle();
      }
   } catch (const std::exception &) {
      for (uint32_t i = 0; i < done; i++)
         free(CommandBuffer::from(out[i]));
      for (uint32_t i = 0; i < info.commandBufferCount; i++)
         out[i] = VK_NULL_HANDLE;
      return VK_ERROR_OUT_OF_HOST_MEMORY;
   }
   return VK_SUCCESS;
}

void
CommandPool::free(CommandBuffer *buffer)
{
   buffers_.erase(buffer);
}

void
CommandPool::reset(VkCommandPoolResetFlags flags)
{
   for (auto &[raw, buffer] : buffers_)
      buffer->reset(flags & VK_COMMAND_POOL_RESET_RELEASE_RESOURCES_BIT);
}

void
CommandPool::trim()
{
   for (auto &[raw, buffer] : buffers_)
      buffer->trim();
}

} // namespace panvk

using namespace panvk;

extern "C" {

VKAPI_ATTR VkResult VKAPI_CALL
panvk_CreateCommandPool(VkDevice device, const VkCommandPoolCreateInfo *pCreateInfo,
                        const VkAllocationCallbacks *, VkCommandPool *pCommandPool)
{
   return CommandPool::create(*Device::from(device), *pCreateInfo, pCommandPool);
}

VKAPI_ATTR void VKAPI_CALL
panvk_DestroyCommandPool(VkDevice, VkCommandPool commandPool, const VkAllocationCallbacks *)
{
   delete CommandPool::from(commandPool);
}

VKAPI_ATTR VkResult VKAPI_CALL
panvk_ResetCommandPool(VkDevice, VkCommandPool commandPool, VkCommandPoolResetFlags flags)
{
   CommandPool::from(commandPool)->reset(flags);
   return VK_SUCCESS;
}

VKAPI_ATTR void VKAPI_CALL
panvk_TrimCommandPool(VkDevice, VkCommandPool commandPool, VkCommandPoolTrimFlags)
{
   CommandPool::from(commandPool)->trim();
}

VKAPI_ATTR VkResult VKAPI_CALL
panvk_AllocateCommandBuffers(VkDevice, const VkCommandBufferAllocateInfo *pAllocateInfo,
                             VkCommandBuffer *pCommandBuffers)
{
   return CommandPool::from(pAllocateInfo->commandPool)->allocate(*pAllocateInfo, pCommandBuffers);
}

VKAPI_ATTR void VKAPI_CALL
panvk_FreeCommandBuffers(VkDevice, VkCommandPool commandPool, uint32_t commandBufferCount,
                         const VkCommandBuffer *pCommandBuffers)
{
   CommandPool *pool = CommandPool::from(commandPool);
   for (uint32_t i = 0; pCommandBuffers && i < commandBufferCount; i++)
      pool->free(CommandBuffer::from(pCommandBuffers[i]));
}

} // extern "C"
