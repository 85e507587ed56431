#include "mock/Syncobj.h"

#include <algorithm>

#include "mock/FenceEvent.h"

namespace pan::mock {

std::shared_ptr<Syncobj>
Syncobj::create(bool signaled)
{
   auto syncobj = std::make_shared<Syncobj>();
   if (signaled)
      syncobj->plain_ = Fence::signaledStub();
   return syncobj;
}

std::shared_ptr<Fence>
Syncobj::fenceFor(uint64_t point) const
{
   std::lock_guard lock(mutex_);
   return fenceForLocked(point);
}

std::shared_ptr<Fence>
Syncobj::fenceForLocked(uint64_t point) const
{
   if (links_.empty())
      return point == 0 ? plain_ : nullptr;
   size_t index = links_.size() - 1;
   if (point == 0)
      return chainFenceLocked(index);
   if (point > links_[index].value)
      return nullptr;
   // Walk down while the link below still reaches `point`: the link we stop
   // at is the first whose predecessor is below it, the one that covers it.
   while (links_[index].prevValue >= point) {
      if (index == 0) {
         // What covered it was dropped as signalled: only the plain fence
         // under the chain (if any) is left to wait for.
         return plain_ ? plain_ : Fence::signaledStub();
      }
      index--;
   }
   return chainFenceLocked(index);
}

std::shared_ptr<Fence>
Syncobj::chainFenceLocked(size_t last) const
{
   std::vector<std::shared_ptr<Fence>> parts;
   parts.reserve(last + 2);
   parts.push_back(plain_);
   for (size_t i = 0; i <= last; i++)
      parts.push_back(links_[i].fence);
   return Fence::allOf(std::move(parts));
}

bool
Syncobj::chainSignaledLocked(size_t last) const
{
   if (plain_ && !plain_->signaled())
      return false;
   for (size_t i = 0; i <= last; i++) {
      if (!links_[i].fence->signaled())
         return false;
   }
   return true;
}

void
Syncobj::attach(uint64_t point, std::shared_ptr<Fence> fence)
{
   if (point == 0)
      replace(fence ? std::move(fence) : Fence::signaledStub());
   else
      addPoint(point, std::move(fence));
}

void
Syncobj::replace(std::shared_ptr<Fence> fence)
{
   ReadyListeners ready;
   {
      std::lock_guard lock(mutex_);
      plain_ = std::move(fence);
      links_.clear();
      ready = takeReadyListenersLocked();
   }
   runReady(ready);
   FenceEvent::notifyAll();
}

void
Syncobj::addPoint(uint64_t point, std::shared_ptr<Fence> fence)
{
   if (!fence)
      fence = Fence::signaledStub();
   ReadyListeners ready;
   {
      std::lock_guard lock(mutex_);
      Link link{point, 0, 0, std::move(fence)};
      if (!links_.empty() && point > links_.back().value) {
         link.prevValue = links_.back().value;
         link.run = links_.back().run;
      } else {
         // Out of order (or the first link): a new run, never going backwards.
         link.run = nextRun_++;
         if (!links_.empty())
            link.value = std::max(links_.back().value, point);
      }
      links_.push_back(std::move(link));
      dropSignaledLinksLocked();
      ready = takeReadyListenersLocked();
   }
   runReady(ready);
   FenceEvent::notifyAll();
}

void
Syncobj::dropSignaledLinksLocked()
{
   auto clean = [](const std::shared_ptr<Fence> &fence) {
      return fence->signaled() && fence->error() == 0;
   };
   if (plain_ && clean(plain_))
      plain_.reset();
   // The newest link stays: it holds the timeline's value.
   auto end = links_.end() - 1;
   auto kept = std::remove_if(links_.begin(), end, [&](const Link &link) { return clean(link.fence); });
   links_.erase(kept, end);
}

uint64_t
Syncobj::queryPoint(bool lastSubmitted) const
{
   std::lock_guard lock(mutex_);
   if (links_.empty())
      return 0;
   const Link &newest = links_.back();
   if (lastSubmitted)
      return newest.value;
   // From the newest link down through the unsignalled ones, stop at the first
   // of another run: the last link reached either has everything under it
   // signalled (its value is reached) or not (its predecessor's value is).
   size_t reached = links_.size() - 1;
   for (size_t i = reached; i-- > 0;) {
      if (links_[i].fence->signaled())
         continue;
      if (links_[i].run != newest.run)
         break;
      reached = i;
   }
   return chainSignaledLocked(reached) ? links_[reached].value : links_[reached].prevValue;
}

bool
Syncobj::isTimeline() const
{
   std::lock_guard lock(mutex_);
   return !links_.empty();
}

Syncobj::ListenerId
Syncobj::whenSubmitted(uint64_t point, SubmitCallback callback)
{
   std::shared_ptr<Fence> fence;
   {
      std::lock_guard lock(mutex_);
      fence = fenceForLocked(point);
      if (!fence) {
         ListenerId id = nextListenerId_++;
         listeners_.push_back({id, point, std::move(callback)});
         return id;
      }
   }
   if (callback)
      callback(fence);
   return 0;
}

bool
Syncobj::cancelWhenSubmitted(ListenerId id)
{
   std::lock_guard lock(mutex_);
   auto it = std::find_if(listeners_.begin(), listeners_.end(),
                          [id](const Listener &listener) { return listener.id == id; });
   if (it == listeners_.end())
      return false;
   listeners_.erase(it);
   return true;
}

Syncobj::ReadyListeners
Syncobj::takeReadyListenersLocked()
{
   ReadyListeners ready;
   std::vector<Listener> waiting;
   for (Listener &listener : listeners_) {
      std::shared_ptr<Fence> fence = fenceForLocked(listener.point);
      if (fence)
         ready.emplace_back(std::move(listener.callback), std::move(fence));
      else
         waiting.push_back(std::move(listener));
   }
   listeners_.swap(waiting);
   return ready;
}

void
Syncobj::runReady(ReadyListeners &ready)
{
   for (auto &[callback, fence] : ready) {
      if (callback)
         callback(fence);
   }
}

} // namespace pan::mock
