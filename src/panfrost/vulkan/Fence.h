// VkFence: a binary kmod syncobj. The queue worker signals it after the last
// batch of the submission; reset drops the payload; host waits wait for
// submission too, so waiting on a fence whose submission is still queued works.
//
// The syncobj is shared with the submissions that signal it.
#pragma once

#include <memory>

#include "Handle.h"
#include "kmod/Syncobj.h"

namespace panvk {

class Device;

class Fence : public HandleOf<Fence, VkFence> {
public:
   static VkResult create(Device &device, const VkFenceCreateInfo &info, VkFence *out);

   Device &device() { return device_; }
   const std::shared_ptr<pan::kmod::Syncobj> &syncobj() const { return syncobj_; }

   VkResult reset();
   // VK_SUCCESS (signalled), VK_NOT_READY, or VK_ERROR_DEVICE_LOST.
   VkResult status();

private:
   Fence(Device &device, std::shared_ptr<pan::kmod::Syncobj> syncobj);

   Device &device_;
   const std::shared_ptr<pan::kmod::Syncobj> syncobj_;
};

} // namespace panvk
