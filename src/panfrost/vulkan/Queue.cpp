#include "Queue.h"

#include <new>
#include <string>

#include "Device.h"
#include "PhysicalDevice.h"
#include "QueueWorker.h"
#include "panvk_entrypoints.h"

namespace panvk {

Queue::Queue(Device &device, uint32_t family, uint32_t index, VkDeviceQueueCreateFlags flags)
   : device_(device), family_(family), index_(index), flags_(flags)
{
}

Queue::~Queue() = default;

VkResult
Queue::startWorker()
{
   worker_.reset(new (std::nothrow) QueueWorker);
   if (!worker_)
      return VK_ERROR_OUT_OF_HOST_MEMORY;
   return worker_->start("panvk-q" + std::to_string(family_) + "." + std::to_string(index_));
}

bool
Queue::runsCommandBuffers() const
{
   const auto &families = device_.physical().queueFamilies();
   if (family_ >= families.size())
      return false;
   constexpr VkQueueFlags kWorkFlags = VK_QUEUE_GRAPHICS_BIT | VK_QUEUE_COMPUTE_BIT | VK_QUEUE_TRANSFER_BIT;
   return families[family_].queueFlags & kWorkFlags;
}

} // namespace panvk

using namespace panvk;

extern "C" {

VKAPI_ATTR void VKAPI_CALL
panvk_GetDeviceQueue(VkDevice device, uint32_t queueFamilyIndex, uint32_t queueIndex, VkQueue *pQueue)
{
   Queue *queue = Device::from(device)->queue(queueFamilyIndex, queueIndex);
   *pQueue = queue ? queue->handle() : VK_NULL_HANDLE;
}

VKAPI_ATTR void VKAPI_CALL
panvk_GetDeviceQueue2(VkDevice device, const VkDeviceQueueInfo2 *pQueueInfo, VkQueue *pQueue)
{
   Queue *queue = Device::from(device)->queue(pQueueInfo->queueFamilyIndex, pQueueInfo->queueIndex);
   *pQueue = queue && queue->flags() == pQueueInfo->flags ? queue->handle() : VK_NULL_HANDLE;
}

} // extern "C"
