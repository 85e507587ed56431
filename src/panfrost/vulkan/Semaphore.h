// VkSemaphore: a kmod syncobj.
// - Binary: a queue signals its fence after the batch ran; a queue waiting on
//   it waits for that fence (for submission too: the signal may be submitted
//   to another queue later) and then resets it, since a wait consumes the
//   payload.
// - Timeline: the syncobj's timeline points are the semaphore's values; waits
//   before the signal is submitted (wait-before-signal) wait for submission.
//
// The syncobj is shared with the submissions that use it, so it outlives a
// semaphore destroyed while they are still queued.
#pragma once

#include <cstdint>
#include <memory>

#include "Handle.h"
#include "kmod/Syncobj.h"

namespace panvk {

class Device;

class Semaphore : public HandleOf<Semaphore, VkSemaphore> {
public:
   static VkResult create(Device &device, const VkSemaphoreCreateInfo &info, VkSemaphore *out);

   Device &device() { return device_; }
   bool isTimeline() const { return timeline_; }
   const std::shared_ptr<pan::kmod::Syncobj> &syncobj() const { return syncobj_; }

   // Timeline semaphores: the current value.
   VkResult counterValue(uint64_t *value) const;
   // Timeline semaphores: the host sets the value (vkSignalSemaphore).
   VkResult signalFromHost(uint64_t value);

private:
   Semaphore(Device &device, bool timeline, std::shared_ptr<pan::kmod::Syncobj> syncobj);

   Device &device_;
   const bool timeline_;
   const std::shared_ptr<pan::kmod::Syncobj> syncobj_;
};

} // namespace panvk
