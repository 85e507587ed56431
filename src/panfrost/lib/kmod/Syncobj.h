// A DRM syncobj (binary, or timeline when used with non-zero points), through
// the DRM core ioctls sent over the device's transport, so the mock sees them.
//
// Timeouts are absolute CLOCK_MONOTONIC nanoseconds, as the kernel takes them:
// 0 polls, kInfiniteTimeout waits forever; absoluteTimeout() converts a
// relative one. A wait that times out fails with ETIME.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <span>

#include "kmod/Result.h"
#include "kmod/VmOp.h"

namespace pan::kmod {

class Device;

constexpr int64_t kInfiniteTimeout = std::numeric_limits<int64_t>::max();

// Now + relativeNs on CLOCK_MONOTONIC, saturating at kInfiniteTimeout;
// relativeNs <= 0 gives 0 (poll).
int64_t absoluteTimeout(int64_t relativeNs);

class Syncobj {
public:
   static Result<std::unique_ptr<Syncobj>> create(Device &device, bool signaled = false);
   // Takes a new handle for a syncobj fd from exportFd() (the fd stays the caller's).
   static Result<std::unique_ptr<Syncobj>> importFd(Device &device, int fd);
   ~Syncobj(); // destroys the handle
   Syncobj(const Syncobj &) = delete;
   Syncobj &operator=(const Syncobj &) = delete;

   uint32_t handle() const { return handle_; }

   // point 0: the binary fence; else until the timeline reaches `point`.
   // waitForSubmit: also wait for a fence to be attached instead of failing
   // (EINVAL) when there is none yet.
   Result<void> wait(uint64_t point, int64_t absTimeoutNs, bool waitForSubmit = false) const;
   // Waits for all (all = true) or any of `points`; returns the index of the
   // first signalled one (0 when waiting for all). flags: extra
   // DRM_SYNCOBJ_WAIT_FLAGS_* (WAIT_ALL is set from `all`).
   static Result<uint32_t> waitMany(Device &device, std::span<const SyncPoint> points, bool all,
                                    int64_t absTimeoutNs, uint32_t flags = 0);

   // point 0: signals the binary fence; else signals timeline point `point`.
   Result<void> signal(uint64_t point = 0);
   // Drops the fence (binary syncobjs).
   Result<void> reset();
   // The timeline's last signalled point (0 for a binary syncobj).
   Result<uint64_t> query() const;
   // Makes this syncobj's `dstPoint` (0 = its binary fence) carry the fence of
   // `src` at `srcPoint`.
   Result<void> transfer(uint64_t dstPoint, const Syncobj &src, uint64_t srcPoint);
   // A new fd owned by the caller.
   Result<int> exportFd() const;

private:
   Syncobj(Device &device, uint32_t handle) : device_(&device), handle_(handle) {}

   Device *device_;
   uint32_t handle_;
};

} // namespace pan::kmod
