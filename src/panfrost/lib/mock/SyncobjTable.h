// One open file's syncobj handles and every DRM core syncobj ioctl, as the
// kernel's drm_syncobj.c answers them. Thread-safe: waits resolve their
// handles under the table lock, then block without it, so signals from other
// threads and from other tables sharing a syncobj (through an fd) wake them.
//
// Each ioctl method takes the libdrm struct (<drm.h>) and returns 0 or -errno.
// User pointers inside the structs are pointers of this process; a null or
// unmapped one is -EFAULT.
//
// Errno choices, following the kernel:
// - unknown handle: -ENOENT where the kernel looks up arrays (wait,
//   timeline_wait, reset, signal, timeline_signal, query) and in transfer and
//   sync_file import/export; -EINVAL in destroy and in plain handle_to_fd;
// - unknown flag bits, non-zero pad, count_handles == 0: -EINVAL (wait and
//   timeline_wait do not look at pad, as in the kernel);
// - wait: a point not submitted without WAIT_FOR_SUBMIT / WAIT_AVAILABLE is
//   -EINVAL; timeout -ETIME; a fence that failed still satisfies a wait (its
//   error is only visible through Fence::error());
// - a binary syncobj waited on at a non-zero point is "not submitted", as
//   dma_fence_chain_find_seqno() answers for a fence that is not a chain;
// - timeline_signal of a point not above the newest one is accepted (see
//   Syncobj.h); a null points array means all points 0, as in the kernel;
// - transfer: flags other than WAIT_FOR_SUBMIT are -EINVAL (the check recent
//   kernels make; older ones ignored them);
// - a full handle table: -ENOSPC (idr_alloc);
// - more than kMaxHandles handles: -ENOMEM (the kernel's kmalloc_array of the
//   syncobj pointers fails there).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include <drm.h>

#include "mock/HandleTable.h"
#include "mock/Syncobj.h"

namespace pan::mock {

class SyncobjTable {
public:
   static constexpr uint32_t kMaxHandles = 1u << 19;

   SyncobjTable();
   ~SyncobjTable();
   SyncobjTable(const SyncobjTable &) = delete;
   SyncobjTable &operator=(const SyncobjTable &) = delete;

   int create(drm_syncobj_create &args);
   int destroy(const drm_syncobj_destroy &args);
   // flags 0: an fd for the syncobj itself; EXPORT_SYNC_FILE: an fd holding
   // its current fence (see SyncobjFiles.h).
   int handleToFd(drm_syncobj_handle &args);
   // flags 0: a new handle on the syncobj behind the fd, whichever table
   // exported it; IMPORT_SYNC_FILE: the fence of a sync_file fd replaces the
   // payload of args.handle.
   int fdToHandle(drm_syncobj_handle &args);
   int wait(drm_syncobj_wait &args);
   int timelineWait(drm_syncobj_timeline_wait &args);
   int reset(const drm_syncobj_array &args);
   int signal(const drm_syncobj_array &args);
   int timelineSignal(const drm_syncobj_timeline_array &args);
   int query(const drm_syncobj_timeline_array &args);
   int transfer(const drm_syncobj_transfer &args);

   // For the rest of the mock (VM_BIND sync operations, tests).
   std::shared_ptr<Syncobj> lookup(uint32_t handle) const;
   // A new handle on `syncobj`, or 0 when the table is full.
   uint32_t install(std::shared_ptr<Syncobj> syncobj);
   size_t count() const;

private:
   // drm_syncobj_array_find(): copies the handle array in, looks each up.
   int resolve(uint64_t userHandles, uint32_t count,
               std::vector<std::shared_ptr<Syncobj>> *syncobjs) const;
   // A user array of `count` u64 points; a null pointer reads as all zeros.
   static int readPoints(uint64_t userPoints, uint32_t count, std::vector<uint64_t> *points);
   int waitCommon(uint64_t userHandles, uint64_t userPoints, uint32_t count, uint32_t flags,
                  int64_t timeoutNsec, uint32_t *firstSignaled);

   mutable std::mutex mutex_;
   HandleTable<Syncobj> handles_;
};

} // namespace pan::mock
