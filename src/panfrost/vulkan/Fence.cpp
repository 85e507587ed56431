#include "Fence.h"

#include <cerrno>
#include <new>
#include <vector>

#include "Debug.h"
#include "Device.h"
#include "SyncWait.h"
#include "panvk_entrypoints.h"

namespace panvk {

VkResult
Fence::create(Device &device, const VkFenceCreateInfo &info, VkFence *out)
{
   const bool signaled = info.flags & VK_FENCE_CREATE_SIGNALED_BIT;
   auto created = pan::kmod::Syncobj::create(device.kmod(), signaled);
   if (!created) {
      errorLog("vkCreateFence: %s", created.error().message.c_str());
      return VK_ERROR_OUT_OF_HOST_MEMORY;
   }
   std::shared_ptr<pan::kmod::Syncobj> syncobj;
   try {
      syncobj = std::move(created.value());
   } catch (const std::bad_alloc &) {
      return VK_ERROR_OUT_OF_HOST_MEMORY;
   }
   Fence *fence = new (std::nothrow) Fence(device, std::move(syncobj));
   if (!fence)
      return VK_ERROR_OUT_OF_HOST_MEMORY;
   *out = fence->handle();
   return VK_SUCCESS;
}

Fence::Fence(Device &device, std::shared_ptr<pan::kmod::Syncobj> syncobj)
   : device_(device), syncobj_(std::move(syncobj))
{
}

VkResult
Fence::reset()
{
   if (auto result = syncobj_->reset(); !result) {
      errorLog("vkResetFences: %s", result.error().message.c_str());
      return VK_ERROR_OUT_OF_HOST_MEMORY;
   }
   return VK_SUCCESS;
}

VkResult
Fence::status()
{
   if (device_.lost())
      return VK_ERROR_DEVICE_LOST;
   // A poll; waiting for submission turns "nothing attached yet" into a timeout.
   auto result = syncobj_->wait(0, 0, true);
   if (result)
      return device_.checkBinds("vkGetFenceStatus");
   if (result.error().errnum == ETIME)
      return device_.check(VK_NOT_READY);
   device_.markLost("vkGetFenceStatus: " + result.error().message);
   return VK_ERROR_DEVICE_LOST;
}

namespace {

VkResult
waitForFences(Device &device, uint32_t count, const VkFence *fences, bool all, uint64_t timeout)
{
   if (device.lost())
      return VK_ERROR_DEVICE_LOST;
   std::vector<pan::kmod::SyncPoint> points;
   try {
      points.reserve(count);
   } catch (const std::bad_alloc &) {
      return VK_ERROR_OUT_OF_HOST_MEMORY;
   }
   for (uint32_t i = 0; i < count; i++) {
      if (Fence *fence = Fence::from(fences[i]))
         points.push_back(pan::kmod::SyncPoint{fence->syncobj()->handle(), 0});
   }
   return hostWait(device, points, all, timeout, "vkWaitForFences");
}

} // namespace

} // namespace panvk

using namespace panvk;

extern "C" {

VKAPI_ATTR VkResult VKAPI_CALL
panvk_CreateFence(VkDevice device, const VkFenceCreateInfo *pCreateInfo, const VkAllocationCallbacks *,
                  VkFence *pFence)
{
   return Fence::create(*Device::from(device), *pCreateInfo, pFence);
}

VKAPI_ATTR void VKAPI_CALL
panvk_DestroyFence(VkDevice, VkFence fence, const VkAllocationCallbacks *)
{
   delete Fence::from(fence);
}

VKAPI_ATTR VkResult VKAPI_CALL
panvk_ResetFences(VkDevice, uint32_t fenceCount, const VkFence *pFences)
{
   for (uint32_t i = 0; i < fenceCount; i++) {
      if (Fence *fence = Fence::from(pFences[i])) {
         if (const VkResult result = fence->reset(); result != VK_SUCCESS)
            return result;
      }
   }
   return VK_SUCCESS;
}

VKAPI_ATTR VkResult VKAPI_CALL
panvk_GetFenceStatus(VkDevice, VkFence fence)
{
   return Fence::from(fence)->status();
}

VKAPI_ATTR VkResult VKAPI_CALL
panvk_WaitForFences(VkDevice device, uint32_t fenceCount, const VkFence *pFences, VkBool32 waitAll,
                    uint64_t timeout)
{
   return waitForFences(*Device::from(device), fenceCount, pFences, waitAll, timeout);
}

} // extern "C"

