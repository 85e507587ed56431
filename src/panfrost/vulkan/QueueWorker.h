// The thread behind one VkQueue: it runs the queue's jobs one after the other,
// in the order they were handed over (FIFO), so that vkQueueSubmit returns at
// once and the work happens behind it. A job is everything one call asked for
// (vkQueueSubmit: wait, execute, signal); it must not throw.
//
// Thread-safety: every method may be called from any thread but the worker's.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include <vulkan/vulkan_core.h>

namespace panvk {

class QueueWorker {
public:
   using Job = std::function<void()>;

   // VK_ERROR_INITIALIZATION_FAILED when no thread can be started.
   VkResult start(std::string name);
   // Runs what is still queued, then joins.
   ~QueueWorker();

   // VK_ERROR_OUT_OF_HOST_MEMORY if the job cannot be queued (it then never runs).
   VkResult enqueue(Job job);
   // Blocks until every job queued before the call has run.
   void waitIdle();

private:
   void run();

   std::mutex mutex_;
   std::condition_variable jobQueued_;
   std::condition_variable jobDone_;
   std::deque<Job> jobs_;
   uint64_t queuedCount_ = 0; // jobs ever queued
   uint64_t doneCount_ = 0;   // jobs ever finished
   bool stopping_ = false;
   std::thread thread_;
};

} // namespace panvk
