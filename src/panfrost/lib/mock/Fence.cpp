#include "mock/Fence.h"

#include "mock/FenceEvent.h"

namespace pan::mock {

Fence::Fence(CompositeTag, std::vector<std::shared_ptr<Fence>> parts) : parts_(std::move(parts))
{
}

std::shared_ptr<Fence>
Fence::signaledStub()
{
   static const std::shared_ptr<Fence> stub = [] {
      auto fence = std::make_shared<Fence>();
      fence->signal(0);
      return fence;
   }();
   return stub;
}

std::shared_ptr<Fence>
Fence::allOf(std::vector<std::shared_ptr<Fence>> parts)
{
   // Flattening keeps every composite one level deep, however many times
   // points are transferred from one timeline to another.
   std::vector<std::shared_ptr<Fence>> flat;
   for (auto &part : parts) {
      if (!part)
         continue;
      std::vector<std::shared_ptr<Fence>> nested;
      {
         std::lock_guard lock(part->mutex_);
         if (!part->signaled_)
            nested = part->parts_;
      }
      if (nested.empty())
         flat.push_back(std::move(part));
      else
         flat.insert(flat.end(), nested.begin(), nested.end());
   }
   // Keep what is pending, and the first failed part in its place in the
   // order (only the first error can ever be reported).
   std::vector<std::shared_ptr<Fence>> kept;
   bool anyPending = false;
   bool failureKept = false;
   for (auto &fence : flat) {
      if (!fence->signaled()) {
         kept.push_back(std::move(fence));
         anyPending = true;
      } else if (fence->error() != 0 && !failureKept) {
         kept.push_back(std::move(fence));
         failureKept = true;
      }
   }
   if (!anyPending && !failureKept)
      return signaledStub();
   if (kept.size() == 1)
      return kept.front();
   return std::make_shared<Fence>(CompositeTag{}, std::move(kept));
}

void
Fence::signal(int error)
{
   complete(error);
}

void
Fence::complete(int error)
{
   std::vector<std::function<void()>> callbacks;
   std::vector<std::shared_ptr<Fence>> parts;
   {
      std::lock_guard lock(mutex_);
      if (signaled_)
         return;
      signaled_ = true;
      error_ = error;
      callbacks.swap(callbacks_);
      parts.swap(parts_);
   }
   FenceEvent::notifyAll();
   for (auto &callback : callbacks)
      callback();
}

bool
Fence::state(int *error) const
{
   std::vector<std::shared_ptr<Fence>> parts;
   {
      std::lock_guard lock(mutex_);
      if (signaled_ || parts_.empty()) {
         *error = error_;
         return signaled_;
      }
      parts = parts_;
   }
   int firstError = 0;
   for (const auto &part : parts) {
      if (!part->signaled())
         return false;
      if (firstError == 0)
         firstError = part->error();
   }
   *error = firstError;
   return true;
}

bool
Fence::signaled() const
{
   int error;
   return state(&error);
}

int
Fence::error() const
{
   int error;
   return state(&error) ? error : 0;
}

void
Fence::onSignal(std::function<void()> callback)
{
   if (!callback)
      return;
   bool queued = false;
   std::vector<std::shared_ptr<Fence>> toArm;
   {
      std::lock_guard lock(mutex_);
      if (!signaled_) {
         callbacks_.push_back(std::move(callback));
         queued = true;
         if (!armed_ && !parts_.empty()) {
            armed_ = true;
            toArm = parts_;
         }
      }
   }
   if (!queued) {
      callback();
      return;
   }
   // A composite completes (and runs its callbacks) from its parts' callbacks,
   // that is in the thread that signals the last part. Registered outside our
   // lock since a part that is already signalled calls back at once.
   std::weak_ptr<Fence> self = weak_from_this();
   for (auto &part : toArm) {
      part->onSignal([self] {
         auto fence = self.lock();
         int error;
         if (fence && fence->state(&error))
            fence->complete(error);
      });
   }
}

} // namespace pan::mock
