// Host-side waits on syncobjs that a table has already resolved from handles:
// the core of DRM_IOCTL_SYNCOBJ_WAIT / TIMELINE_WAIT, and the kernel's
// drm_syncobj_find_fence() used by TRANSFER. No table lock is held while
// these block; they sleep on FenceEvent and are woken by any signal or submit.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "mock/Fence.h"
#include "mock/Syncobj.h"

namespace pan::mock {

// `points` has one entry per syncobj (0 for binary waits). flags are the
// DRM_SYNCOBJ_WAIT_FLAGS_* bits, already validated by the caller. timeoutNsec
// is an absolute CLOCK_MONOTONIC time; 0 or a time already past polls once.
// Returns 0 and sets *firstSignaled as the kernel does (WAIT_ANY: the entry
// that satisfied the wait; WAIT_ALL: the first entry that was already
// signalled on entry, else ~0u), -EINVAL when a point is not submitted and
// neither WAIT_FOR_SUBMIT nor WAIT_AVAILABLE is set, -ETIME on timeout.
//
// As in the kernel, the fence of each point is taken once (at entry, or when
// the point is submitted with WAIT_FOR_SUBMIT): a later reset or replace of
// the syncobj does not change what an ongoing wait waits for. Without
// WAIT_FOR_SUBMIT, a point missing at entry (WAIT_AVAILABLE) is never picked
// up later, so such a wait can only time out.
int waitSyncobjs(const std::vector<std::shared_ptr<Syncobj>> &syncobjs,
                 const std::vector<uint64_t> &points, uint32_t flags, int64_t timeoutNsec,
                 uint32_t *firstSignaled);

// The fence for `point`. Not submitted: -EINVAL, or with WAIT_FOR_SUBMIT in
// `flags`, wait up to kSubmitTimeoutNsec for it (then -ETIME).
constexpr int64_t kSubmitTimeoutNsec = 5'000'000'000;
int findFence(const std::shared_ptr<Syncobj> &syncobj, uint64_t point, uint32_t flags,
              std::shared_ptr<Fence> *fence);

} // namespace pan::mock
