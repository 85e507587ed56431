// A DRM sync object, modelled on the kernel's drm_syncobj. Held by
// std::shared_ptr: handle tables, exported fds and queued jobs share it.
// Thread-safe.
//
// Its payload is what the kernel keeps behind syncobj->fence:
// - nothing (a reset or never-signalled syncobj);
// - one plain fence: a binary syncobj;
// - a timeline: a chain of links (value, fence), newest last, like the
//   kernel's dma_fence_chain, possibly on top of the plain fence that was
//   there when the first point was added.
//
// Timeline rules, as dma_fence_chain has them:
// - adding point N above the newest value extends the timeline; adding a value
//   not above it (out of order) is accepted, as the kernel does, and starts a
//   new "run" whose value is max(newest, N), so later in-order points still
//   work; queries then report as the kernel would (often 0) until it settles;
// - point N is signalled when the link that covers it (the lowest link whose
//   predecessor is below N) and everything under it are signalled, that is,
//   when every point <= N is;
// - a point above the newest value, or any non-zero point of a binary syncobj,
//   is "not submitted" (the kernel's dma_fence_chain_find_seqno() fails);
// - point 0 means the whole payload: the plain fence, or the newest link with
//   everything under it.
// Links whose fence signalled without error are dropped when a point is added
// (the kernel collapses them while walking), so a long-lived timeline stays
// short. Failed links stay, so a point's fence reports the first error at or
// below it; the kernel's chain fences carry no error, ours do on purpose.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "mock/Fence.h"

namespace pan::mock {

class Syncobj {
public:
   using ListenerId = uint64_t;
   using SubmitCallback = std::function<void(const std::shared_ptr<Fence> &)>;

   // signaled: start with an already signalled fence (DRM_SYNCOBJ_CREATE_SIGNALED).
   static std::shared_ptr<Syncobj> create(bool signaled = false);
   Syncobj() = default;
   Syncobj(const Syncobj &) = delete;
   Syncobj &operator=(const Syncobj &) = delete;

   // The fence that signals when `point` is reached (see the rules above);
   // nullptr when the point is not submitted.
   std::shared_ptr<Fence> fenceFor(uint64_t point) const;

   // What a driver does for a signal operation: point 0 replaces the payload
   // (drm_syncobj_replace_fence), any other adds a timeline point
   // (drm_syncobj_add_point). A null fence counts as already signalled.
   void attach(uint64_t point, std::shared_ptr<Fence> fence);
   // The payload becomes `fence` alone (nullptr: nothing, as a reset).
   void replace(std::shared_ptr<Fence> fence);
   void reset() { replace(nullptr); }
   // Adds a timeline link for any value, 0 included (the timeline-signal
   // ioctl does that for point 0). A null fence counts as already signalled.
   void addPoint(uint64_t point, std::shared_ptr<Fence> fence);

   // DRM_IOCTL_SYNCOBJ_QUERY: the largest N such that every point <= N is
   // signalled (0 for a binary or empty payload), or with lastSubmitted the
   // newest point's value.
   uint64_t queryPoint(bool lastSubmitted) const;
   bool isTimeline() const;

   // Calls `callback` with the point's fence once `point` is submitted: at
   // once, in the caller, if it already is (and returns 0), else from the
   // thread that submits it (outside the syncobj's lock). Used for
   // WAIT_FOR_SUBMIT waits and by the VM_BIND queue.
   ListenerId whenSubmitted(uint64_t point, SubmitCallback callback);
   // False when the listener already ran (or is running) or never existed.
   bool cancelWhenSubmitted(ListenerId id);

private:
   struct Link {
      uint64_t value;     // the point (the chain node's seqno)
      uint64_t prevValue; // value of the link below when added in order, else 0
      uint64_t run;       // links added in order share a run (the kernel's fence context)
      std::shared_ptr<Fence> fence;
   };
   struct Listener {
      ListenerId id;
      uint64_t point;
      SubmitCallback callback;
   };
   using ReadyListeners = std::vector<std::pair<SubmitCallback, std::shared_ptr<Fence>>>;

   std::shared_ptr<Fence> fenceForLocked(uint64_t point) const;
   // Everything up to and including links_[last], and the plain fence under them.
   std::shared_ptr<Fence> chainFenceLocked(size_t last) const;
   bool chainSignaledLocked(size_t last) const;
   void dropSignaledLinksLocked();
   ReadyListeners takeReadyListenersLocked();
   static void runReady(ReadyListeners &ready);

   mutable std::mutex mutex_;
   std::shared_ptr<Fence> plain_;
   std::vector<Link> links_; // oldest first; empty: not a timeline
   uint64_t nextRun_ = 1;
   std::vector<Listener> listeners_;
   ListenerId nextListenerId_ = 1;
};

} // namespace pan::mock
