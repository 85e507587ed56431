// Waits on syncobj points, from the host (vkWaitForFences, vkWaitSemaphores)
// and from the queue workers, that give up once the device is lost or being
// destroyed: each wait also watches the device's "abandon" syncobj, so a
// point nobody will ever signal cannot hang a thread past that moment.
//
// Points not submitted yet are waited for (WAIT_FOR_SUBMIT): a semaphore's
// signal may be submitted after its wait, from another queue or the host.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "kmod/VmOp.h"

#include <vulkan/vulkan_core.h>

namespace panvk {

class Device;

enum class WaitStatus {
   Reached,   // the points were reached (all, or any, as asked)
   TimedOut,
   Abandoned, // the device is lost or being destroyed
   Failed,    // the kernel refused the wait; `failure` says why
};

enum class WaitUntil {
   Signalled,
   // A fence is attached to the point (DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE):
   // what the kernel needs before a VM_BIND may wait on the point.
   Submitted,
};

// absTimeoutNs: as kmod takes it (0 polls, kmod::kInfiniteTimeout never ends).
WaitStatus waitForSyncPoints(Device &device, std::span<const pan::kmod::SyncPoint> points, bool all,
                             int64_t absTimeoutNs, std::string *failure = nullptr,
                             WaitUntil until = WaitUntil::Signalled);

// A host wait (vkWaitForFences, vkWaitSemaphores) as its VkResult: VK_TIMEOUT,
// VK_ERROR_DEVICE_LOST once lost (a kernel failure while waiting makes it so),
// else VK_SUCCESS. `what` names the call in the lost-device message.
VkResult hostWait(Device &device, std::span<const pan::kmod::SyncPoint> points, bool all,
                  uint64_t vulkanTimeoutNs, const char *what);

// A Vulkan timeout (relative nanoseconds, UINT64_MAX = forever) as kmod's
// absolute one.
int64_t absoluteTimeoutFromVulkan(uint64_t timeoutNs);

} // namespace panvk
