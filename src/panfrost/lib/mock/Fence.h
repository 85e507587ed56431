// A one-shot completion, like the kernel's dma_fence: it is signalled once,
// with an error status (0, or -errno when the work it stands for failed), and
// never goes back. Always held by std::shared_ptr. Thread-safe.
//
// Blocking on fences: there is no per-fence wait. Every signal also advances
// the process-wide FenceEvent (FenceEvent.h), so a host-side wait on any number
// of fences takes the event's generation, checks its fences, and sleeps until
// the generation moves. This keeps waits free of registrations that would
// outlive them on fences that never signal.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace pan::mock {

class Fence : public std::enable_shared_from_this<Fence> {
   struct CompositeTag {};

public:
   Fence() = default;
   // Used by allOf() only (the tag is private).
   Fence(CompositeTag, std::vector<std::shared_ptr<Fence>> parts);
   Fence(const Fence &) = delete;
   Fence &operator=(const Fence &) = delete;

   static std::shared_ptr<Fence> create() { return std::make_shared<Fence>(); }
   // One shared, already signalled fence with error 0 (the kernel's stub fence).
   static std::shared_ptr<Fence> signaledStub();
   // A fence that signals once all of `parts` have, carrying the first non-zero
   // error among them in order (as a dma_fence_array does). Null parts are
   // skipped; nested composites are flattened. With no part left to wait on,
   // returns an already signalled fence; with exactly one, returns that part.
   static std::shared_ptr<Fence> allOf(std::vector<std::shared_ptr<Fence>> parts);

   // The first call wins; later calls do nothing. `error` is 0 or -errno.
   void signal(int error = 0);
   bool signaled() const;
   // 0 until signalled.
   int error() const;
   // Runs `callback` once the fence is signalled: at once (in the caller) if it
   // already is, else in the signalling thread. Never under the fence's lock,
   // so a callback may use the fence. Callbacks must not throw.
   void onSignal(std::function<void()> callback);

private:
   void complete(int error);
   // Signalled yet, and with which error. A composite is signalled as soon as
   // its parts are, even before it completes; reading this never runs
   // callbacks, so it is safe under any lock.
   bool state(int *error) const;

   mutable std::mutex mutex_;
   bool signaled_ = false;
   int error_ = 0;
   std::vector<std::function<void()>> callbacks_;
   // Composite only: what it waits for, dropped once completed.
   std::vector<std::shared_ptr<Fence>> parts_;
   bool armed_ = false; // callbacks registered on the parts
};

} // namespace pan::mock
