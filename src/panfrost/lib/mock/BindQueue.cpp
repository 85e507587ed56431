#include "mock/BindQueue.h"

#include <cerrno>

#include "mock/FenceEvent.h"

namespace pan::mock {

BindQueue::BindQueue() : worker_([this] { workerLoop(); }) {}

BindQueue::~BindQueue()
{
   {
      std::lock_guard lock(mutex_);
      stopping_ = true;
   }
   wake_.notify_all();
   FenceEvent::notifyAll(); // a worker waiting on a fence re-checks stopping_
   worker_.join();
   for (Job &job : jobs_)
      job.done->signal(-ECANCELED);
}

void
BindQueue::push(Job job)
{
   {
      std::lock_guard lock(mutex_);
      jobs_.push_back(std::move(job));
   }
   wake_.notify_one();
}

// true once the fence signalled; false if the queue is stopping first.
bool
BindQueue::waitForFence(const Fence &fence)
{
   for (;;) {
      const uint64_t seen = FenceEvent::generation();
      if (fence.signaled())
         return true;
      if (stopping_)
         return false;
      FenceEvent::waitForChange(seen, FenceEvent::Clock::now() + std::chrono::seconds(1));
   }
}

void
BindQueue::workerLoop()
{
   for (;;) {
      Job job;
      {
         std::unique_lock lock(mutex_);
         wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
         if (stopping_)
            return;
         job = std::move(jobs_.front());
         jobs_.pop_front();
      }
      if (!waitForFence(*job.waits)) {
         job.done->signal(-ECANCELED);
         return;
      }
      if (const int waitError = job.waits->error()) {
         job.done->signal(waitError);
         continue;
      }
      const int result = job.work();
      jobsRun_++; // before the signal: a waiter that sees the fence sees the count
      job.done->signal(result);
   }
}

} // namespace pan::mock
