#include "Queue.h"

#include "Device.h"
#include "panvk_entrypoints.h"

namespace panvk {

Queue::Queue(Device &device, uint32_t family, uint32_t index, VkDeviceQueueCreateFlags flags)
   : device_(device), family_(family), index_(index), flags_(flags)
{
}

Queue::~Queue() = default;

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
