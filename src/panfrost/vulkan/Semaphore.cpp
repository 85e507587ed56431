#include "Semaphore.h"

#include <new>
#include <vector>

#include "Debug.h"
#include "Device.h"
#include "SyncWait.h"
#include "Util.h"
#include "panvk_entrypoints.h"

namespace panvk {

VkResult
Semaphore::create(Device &device, const VkSemaphoreCreateInfo &info, VkSemaphore *out)
{
   const auto *type =
      findInChain<VkSemaphoreTypeCreateInfo>(info.pNext, VK_STRUCTURE_TYPE_SEMAPHORE_TYPE_CREATE_INFO);
   const bool timeline = type && type->semaphoreType == VK_SEMAPHORE_TYPE_TIMELINE;

   auto created = pan::kmod::Syncobj::create(device.kmod());
   if (!created) {
      errorLog("vkCreateSemaphore: %s", created.error().message.c_str());
      return VK_ERROR_OUT_OF_HOST_MEMORY;
   }
   std::shared_ptr<pan::kmod::Syncobj> syncobj;
   try {
      syncobj = std::move(created.value());
   } catch (const std::bad_alloc &) {
      return VK_ERROR_OUT_OF_HOST_MEMORY;
   }
   // A timeline starting above 0 has its first point already signalled.
   if (timeline && type->initialValue > 0) {
      if (auto result = syncobj->signal(type->initialValue); !result) {
         errorLog("vkCreateSemaphore: %s", result.error().message.c_str());
         return VK_ERROR_OUT_OF_HOST_MEMORY;
      }
   }
   Semaphore *semaphore = new (std::nothrow) Semaphore(device, timeline, std::move(syncobj));
   if (!semaphore)
      return VK_ERROR_OUT_OF_HOST_MEMORY;
   *out = semaphore->handle();
   return VK_SUCCESS;
}

Semaphore::Semaphore(Device &device, bool timeline, std::shared_ptr<pan::kmod::Syncobj> syncobj)
   : device_(device), timeline_(timeline), syncobj_(std::move(syncobj))
{
}

VkResult
Semaphore::counterValue(uint64_t *value) const
{
   auto result = syncobj_->query();
   if (!result) {
      errorLog("vkGetSemaphoreCounterValue: %s", result.error().message.c_str());
      return device_.check(VK_ERROR_OUT_OF_HOST_MEMORY);
   }
   *value = result.value();
   return device_.checkBinds("vkGetSemaphoreCounterValue");
}

VkResult
Semaphore::signalFromHost(uint64_t value)
{
   if (auto result = syncobj_->signal(value); !result) {
      errorLog("vkSignalSemaphore: %s", result.error().message.c_str());
      return VK_ERROR_OUT_OF_HOST_MEMORY;
   }
   return VK_SUCCESS;
}

namespace {

VkResult
waitSemaphores(Device &device, const VkSemaphoreWaitInfo &info, uint64_t timeout)
{
   if (device.lost())
      return VK_ERROR_DEVICE_LOST;
   const bool all = !(info.flags & VK_SEMAPHORE_WAIT_ANY_BIT);
   std::vector<pan::kmod::SyncPoint> points;
   try {
      points.reserve(info.semaphoreCount);
   } catch (const std::bad_alloc &) {
      return VK_ERROR_OUT_OF_HOST_MEMORY;
   }
   for (uint32_t i = 0; i < info.semaphoreCount; i++) {
      Semaphore *semaphore = Semaphore::from(info.pSemaphores[i]);
      if (!semaphore || !semaphore->isTimeline())
         continue; // invalid usage: only timeline semaphores can be waited on
      // Value 0 is always reached, and the kernel would wait for a first point.
      if (info.pValues[i] == 0) {
         if (!all)
            return VK_SUCCESS;
         continue;
      }
      points.push_back(pan::kmod::SyncPoint{semaphore->syncobj()->handle(), info.pValues[i]});
   }
   if (points.empty())
      return VK_SUCCESS;

   return hostWait(device, points, all, timeout, "vkWaitSemaphores");
}

} // namespace

} // namespace panvk

using namespace panvk;

extern "C" {

VKAPI_ATTR VkResult VKAPI_CALL
panvk_CreateSemaphore(VkDevice device, const VkSemaphoreCreateInfo *pCreateInfo, const VkAllocationCallbacks *,
                      VkSemaphore *pSemaphore)
{
   return Semaphore::create(*Device::from(device), *pCreateInfo, pSemaphore);
}

VKAPI_ATTR void VKAPI_CALL
panvk_DestroySemaphore(VkDevice, VkSemaphore semaphore, const VkAllocationCallbacks *)
{
   delete Semaphore::from(semaphore);
}

VKAPI_ATTR VkResult VKAPI_CALL
panvk_GetSemaphoreCounterValue(VkDevice, VkSemaphore semaphore, uint64_t *pValue)
{
   return Semaphore::from(semaphore)->counterValue(pValue);
}

VKAPI_ATTR VkResult VKAPI_CALL
panvk_WaitSemaphores(VkDevice device, const VkSemaphoreWaitInfo *pWaitInfo, uint64_t timeout)
{
   return waitSemaphores(*Device::from(device), *pWaitInfo, timeout);
}

VKAPI_ATTR VkResult VKAPI_CALL
panvk_SignalSemaphore(VkDevice, const VkSemaphoreSignalInfo *pSignalInfo)
{
   return Semaphore::from(pSignalInfo->semaphore)->signalFromHost(pSignalInfo->value);
}

} // extern "C"
