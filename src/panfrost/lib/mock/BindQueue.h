// A VM's bind queue: the jobs of asynchronous VM_BINDs, run one at a time in
// submission order, each once the fence of its waits has signalled, on a
// worker thread of the queue's own (so the ioctl that queues a job never
// blocks on it, and two jobs of one VM never run at once).
//
// A job whose waits failed does not run: its fence carries their error.
// Destroying the queue cancels what has not run (-ECANCELED) and joins the
// worker; it does not wait for fences that may never signal.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "mock/Fence.h"

namespace pan::mock {

class BindQueue {
public:
   struct Job {
      std::shared_ptr<Fence> waits; // all of the job's WAIT syncs
      std::shared_ptr<Fence> done;  // what its SIGNAL syncs were given
      std::function<int()> work;    // 0 or -errno, becomes done's error
   };

   BindQueue();
   ~BindQueue();
   BindQueue(const BindQueue &) = delete;
   BindQueue &operator=(const BindQueue &) = delete;

   void push(Job job);
   uint64_t jobsRun() const { return jobsRun_.load(); }

private:
   void workerLoop();
   bool waitForFence(const Fence &fence);

   std::mutex mutex_;
   std::condition_variable wake_;
   std::deque<Job> jobs_;
   std::atomic<bool> stopping_{false};
   std::atomic<uint64_t> jobsRun_{0};
   std::thread worker_; // last: it starts once everything above exists
};

} // namespace pan::mock
