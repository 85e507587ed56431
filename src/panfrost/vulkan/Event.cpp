#include "Event.h"

#include <new>

#include "Device.h"
#include "panvk_entrypoints.h"

namespace panvk {

void
Event::set()
{
   {
      std::lock_guard lock(mutex_);
      set_ = true;
   }
   changed_.notify_all();
}

void
Event::reset()
{
   std::lock_guard lock(mutex_);
   set_ = false;
}

bool
Event::isSet() const
{
   std::lock_guard lock(mutex_);
   return set_;
}

} // namespace panvk

using namespace panvk;

extern "C" {

VKAPI_ATTR VkResult VKAPI_CALL
panvk_CreateEvent(VkDevice device, const VkEventCreateInfo *, const VkAllocationCallbacks *,
                  VkEvent *pEvent)
{
   Event *event = new (std::nothrow) Event(*Device::from(device));
   if (!event)
      return VK_ERROR_OUT_OF_HOST_MEMORY;
   *pEvent = event->handle();
   return VK_SUCCESS;
}

VKAPI_ATTR void VKAPI_CALL
panvk_DestroyEvent(VkDevice, VkEvent event, const VkAllocationCallbacks *)
{
   delete Event::from(event);
}

VKAPI_ATTR VkResult VKAPI_CALL
panvk_GetEventStatus(VkDevice device, VkEvent event)
{
   if (Device::from(device)->lost())
      return VK_ERROR_DEVICE_LOST;
   return Event::from(event)->isSet() ? VK_EVENT_SET : VK_EVENT_RESET;
}

VKAPI_ATTR VkResult VKAPI_CALL
panvk_SetEvent(VkDevice, VkEvent event)
{
   Event::from(event)->set();
   return VK_SUCCESS;
}

VKAPI_ATTR VkResult VKAPI_CALL
panvk_ResetEvent(VkDevice, VkEvent event)
{
   Event::from(event)->reset();
   return VK_SUCCESS;
}

} // extern "C"
