#include "mock/SyncobjWait.h"

#include <cerrno>
#include <chrono>
#include <mutex>

#include <drm.h>

#include "mock/FenceEvent.h"

namespace pan::mock {

namespace {

using Clock = FenceEvent::Clock;

Clock::time_point
absoluteDeadline(int64_t timeoutNsec)
{
   // 0 means "poll" (an absolute 0 is not a sensible time).
   if (timeoutNsec == 0)
      return Clock::time_point::min();
   return Clock::time_point(std::chrono::nanoseconds(timeoutNsec));
}

// Fences that arrive from submit listeners, written from other threads and
// possibly after the wait has returned (hence shared).
struct SubmittedFences {
   std::mutex mutex;
   std::vector<std::shared_ptr<Fence>> fences;
};

// Registers "tell me when submitted" on each entry still without a fence and
// removes whatever is left when the wait ends.
class SubmitListeners {
public:
   SubmitListeners(const std::vector<std::shared_ptr<Syncobj>> &syncobjs,
                   const std::vector<uint64_t> &points,
                   const std::shared_ptr<SubmittedFences> &submitted)
      : syncobjs_(syncobjs), ids_(syncobjs.size(), 0)
   {
      for (size_t i = 0; i < syncobjs.size(); i++) {
         {
            std::lock_guard lock(submitted->mutex);
            if (submitted->fences[i])
               continue;
         }
         std::weak_ptr<SubmittedFences> target = submitted;
         ids_[i] = syncobjs[i]->whenSubmitted(points[i], [target, i](const std::shared_ptr<Fence> &fence) {
            if (auto state = target.lock()) {
               std::lock_guard lock(state->mutex);
               if (!state->fences[i])
                  state->fences[i] = fence;
            }
         });
      }
   }
   ~SubmitListeners()
   {
      for (size_t i = 0; i < ids_.size(); i++) {
         if (ids_[i])
            syncobjs_[i]->cancelWhenSubmitted(ids_[i]);
      }
   }
   SubmitListeners(const SubmitListeners &) = delete;
   SubmitListeners &operator=(const SubmitListeners &) = delete;

private:
   const std::vector<std::shared_ptr<Syncobj>> &syncobjs_;
   std::vector<Syncobj::ListenerId> ids_;
};

} // namespace

int
waitSyncobjs(const std::vector<std::shared_ptr<Syncobj>> &syncobjs,
             const std::vector<uint64_t> &points, uint32_t flags, int64_t timeoutNsec,
             uint32_t *firstSignaled)
{
   const size_t count = syncobjs.size();
   const bool waitAll = flags & DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL;
   const bool forSubmit = flags & DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT;
   const bool available = flags & DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE;
   const Clock::time_point deadline = absoluteDeadline(timeoutNsec);

   auto submitted = std::make_shared<SubmittedFences>();
   submitted->fences.resize(count);
   uint32_t first = ~0u;
   size_t signaledCount = 0;

   // Every missing point is found up front, so -EINVAL comes before any wait.
   for (size_t i = 0; i < count; i++) {
      std::shared_ptr<Fence> fence = syncobjs[i]->fenceFor(points[i]);
      if (!fence) {
         if (forSubmit || available)
            continue;
         return -EINVAL;
      }
      if (available || fence->signaled()) {
         if (signaledCount == 0)
            first = uint32_t(i);
         signaledCount++;
      }
      submitted->fences[i] = std::move(fence);
   }
   if (signaledCount == count || (signaledCount > 0 && !waitAll)) {
      *firstSignaled = first;
      return 0;
   }

   std::unique_ptr<SubmitListeners> listeners;
   if (forSubmit)
      listeners = std::make_unique<SubmitListeners>(syncobjs, points, submitted);

   bool expired = false;
   for (;;) {
      const uint64_t seen = FenceEvent::generation();
      std::vector<std::shared_ptr<Fence>> fences;
      {
         std::lock_guard lock(submitted->mutex);
         fences = submitted->fences;
      }
      signaledCount = 0;
      for (size_t i = 0; i < count; i++) {
         if (!fences[i] || !(available || fences[i]->signaled()))
            continue;
         if (!waitAll) {
            *firstSignaled = uint32_t(i);
            return 0;
         }
         signaledCount++;
      }
      if (signaledCount == count) {
         *firstSignaled = first;
         return 0;
      }
      if (expired)
         return -ETIME;
      expired = !FenceEvent::waitForChange(seen, deadline);
   }
}

int
findFence(const std::shared_ptr<Syncobj> &syncobj, uint64_t point, uint32_t flags,
          std::shared_ptr<Fence> *fence)
{
   *fence = syncobj->fenceFor(point);
   if (*fence)
      return 0;
   if (!(flags & DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT))
      return -EINVAL;

   auto submitted = std::make_shared<SubmittedFences>();
   submitted->fences.resize(1);
   const std::vector<std::shared_ptr<Syncobj>> syncobjs{syncobj};
   const std::vector<uint64_t> points{point};
   SubmitListeners listener(syncobjs, points, submitted);
   const Clock::time_point deadline = Clock::now() + std::chrono::nanoseconds(kSubmitTimeoutNsec);
   bool expired = false;
   for (;;) {
      const uint64_t seen = FenceEvent::generation();
      {
         std::lock_guard lock(submitted->mutex);
         if (submitted->fences[0]) {
            *fence = submitted->fences[0];
            return 0;
         }
      }
      if (expired)
         return -ETIME;
      expired = !FenceEvent::waitForChange(seen, deadline);
   }
}

} // namespace pan::mock
