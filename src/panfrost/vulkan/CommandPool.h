// VkCommandPool: owns the command buffers allocated from it. A pool and its
// buffers are externally synchronized by the application (the spec's rule),
// so the pool itself takes no lock.
#pragma once

#include <memory>
#include <unordered_map>

#include "Handle.h"

namespace panvk {

class CommandBuffer;
class Device;

class CommandPool : public HandleOf<CommandPool, VkCommandPool> {
public:
   static VkResult create(Device &device, const VkCommandPoolCreateInfo &info, VkCommandPool *out);
   ~CommandPool(); // frees every buffer still allocated from it

   Device &device() { return device_; }
   uint32_t queueFamily() const { return queueFamily_; }
   VkCommandPoolCreateFlags flags() const { return flags_; }

   // All or nothing: on failure every handle is VK_NULL_HANDLE.
   VkResult allocate(const VkCommandBufferAllocateInfo &info, VkCommandBuffer *out);
   // Ignores buffers that are not from this pool (and null handles).
   void free(CommandBuffer *buffer);
   void reset(VkCommandPoolResetFlags flags);
   void trim();

private:
   CommandPool(Device &device, const VkCommandPoolCreateInfo &info);

   Device &device_;
   uint32_t queueFamily_;
   VkCommandPoolCreateFlags flags_;
   std::unordered_map<CommandBuffer *, std::unique_ptr<CommandBuffer>> buffers_;
};

} // namespace panvk
