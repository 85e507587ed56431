// Turns the binds of one vkQueueBindSparse call into as few VM_BIND ops as the
// kernel allows, with the waits and signals where Vulkan needs them.
//
// Rules:
// - Binds apply in API order: a later bind that overlaps an earlier one wins,
//   and the earlier one is trimmed or dropped instead of being sent.
// - Binds whose VA and memory offset are both contiguous, with the same memory
//   and flags, become one op (unbound ranges: one sparse op).
// - Waits and signals are only observable at signal points, so the binds of
//   the batches between two signal points form one "window": its ops run after
//   every wait of the window (a batch's ops may be delayed, never advanced:
//   nothing can see them before the window's signals) and its signals follow
//   its last op. A window with no op is one SYNC_ONLY op that still waits and
//   signals.
// - Trimming never crosses a window boundary: someone waiting on a signal must
//   see every bind made before it.
//
// Pure logic on VAs and BOs: no Vulkan objects, no ioctls.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "kmod/VmOp.h"

namespace panvk {

class SparseBinder {
public:
   // [va, va + size) backed by `bo` at `boOffset`, or unbound (bo null: the
   // sparse dummy, never a bare unmap, so unbound reads do not fault).
   void bind(uint64_t va, uint64_t size, const pan::kmod::Bo *bo, uint64_t boOffset,
             pan::kmod::MapFlags flags = pan::kmod::MapFlags::NoExec);
   void wait(pan::kmod::SyncPoint point) { waits_.push_back(point); }
   void signal(pan::kmod::SyncPoint point) { signals_.push_back(point); }
   // The end of a VkBindSparseInfo: if it signalled anything, the window closes.
   void endBatch();
   // Closes the last window. The ops of the whole call, in submission order.
   std::vector<pan::kmod::VmOp> finish();

   uint64_t bindsReceived() const { return bindsReceived_; }

private:
   struct Segment {
      uint64_t size;
      const pan::kmod::Bo *bo;
      uint64_t boOffset;
      pan::kmod::MapFlags flags;
   };

   void closeWindow();
   // Removes [va, va + size) from the window, keeping the parts outside it.
   void carve(uint64_t va, uint64_t size);

   std::map<uint64_t, Segment> window_; // VA -> segment, never overlapping
   std::vector<pan::kmod::SyncPoint> waits_;
   std::vector<pan::kmod::SyncPoint> signals_;
   std::vector<pan::kmod::VmOp> ops_;
   uint64_t bindsReceived_ = 0;
};

} // namespace panvk
