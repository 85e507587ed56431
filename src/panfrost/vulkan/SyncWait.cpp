#include "SyncWait.h"

#include <cerrno>
#include <new>
#include <vector>

#include "Device.h"
#include "drm.h"
#include "kmod/Syncobj.h"

namespace panvk {

namespace {

using pan::kmod::SyncPoint;
using pan::kmod::Syncobj;

// Waits for any of `points`; the abandon syncobj is appended as the last
// entry, so a result index equal to points.size() means "abandoned".
WaitStatus
waitAny(Device &device, std::vector<SyncPoint> &points, int64_t absTimeoutNs, std::string *failure,
        WaitUntil until)
{
   const size_t abandonIndex = points.size();
   points.push_back(SyncPoint{device.abandonSyncobj().handle(), 0});
   uint32_t flags = DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT;
   if (until == WaitUntil::Submitted)
      flags |= DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE;
   auto result = Syncobj::waitMany(device.kmod(), points, false, absTimeoutNs, flags);
   points.pop_back();
   if (!result) {
      if (result.error().errnum == ETIME)
         return WaitStatus::TimedOut;
      if (failure)
         *failure = result.error().message;
      return WaitStatus::Failed;
   }
   return result.value() == abandonIndex ? WaitStatus::Abandoned : WaitStatus::Reached;
}

} // namespace

WaitStatus
waitForSyncPoints(Device &device, std::span<const SyncPoint> points, bool all, int64_t absTimeoutNs,
                  std::string *failure, WaitUntil until)
{
   if (device.waitsAbandoned())
      return WaitStatus::Abandoned;
   if (points.empty())
      return WaitStatus::Reached;
   try {
      if (!all) {
         std::vector<SyncPoint> any(points.begin(), points.end());
         return waitAny(device, any, absTimeoutNs, failure, until);
      }
      // "All" is each point in turn against the same deadline: the kernel
      // cannot wait for all of some entries and any of others at once.
      std::vector<SyncPoint> one;
      one.reserve(2);
      for (const SyncPoint &point : points) {
         one.assign(1, point);
         const WaitStatus status = waitAny(device, one, absTimeoutNs, failure, until);
         if (status != WaitStatus::Reached)
            return status;
      }
      return WaitStatus::Reached;
   } catch (const std::bad_alloc &) {
      if (failure)
         *failure = "out of host memory";
      return WaitStatus::Failed;
   }
}

VkResult
hostWait(Device &device, std::span<const SyncPoint> points, bool all, uint64_t vulkanTimeoutNs,
         const char *what)
{
   std::string failure;
   switch (waitForSyncPoints(device, points, all, absoluteTimeoutFromVulkan(vulkanTimeoutNs), &failure)) {
   case WaitStatus::Reached:
      return device.checkBinds(what);
   case WaitStatus::TimedOut:
      return device.check(VK_TIMEOUT);
   case WaitStatus::Abandoned:
      return VK_ERROR_DEVICE_LOST;
   case WaitStatus::Failed:
      device.markLost(std::string(what) + ": " + failure);
      return VK_ERROR_DEVICE_LOST;
   }
   return VK_ERROR_DEVICE_LOST;
}

int64_t
absoluteTimeoutFromVulkan(uint64_t timeoutNs)
{
   if (timeoutNs >= uint64_t(pan::kmod::kInfiniteTimeout))
      return pan::kmod::kInfiniteTimeout;
   return pan::kmod::absoluteTimeout(int64_t(timeoutNs));
}

} // namespace panvk
