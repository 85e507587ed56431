#include "QueueWorker.h"

#include <pthread.h>

#include <algorithm>
#include <exception>
#include <system_error>

#include "Debug.h"

namespace panvk {

VkResult
QueueWorker::start(std::string name)
{
   try {
      thread_ = std::thread([this] { run(); });
   } catch (const std::system_error &error) {
      errorLog("cannot start the queue thread: %s", error.what());
      return VK_ERROR_INITIALIZATION_FAILED;
   }
   // Thread names are at most 15 characters; a longer one is refused, harmlessly.
   name.resize(std::min<size_t>(name.size(), 15));
   pthread_setname_np(thread_.native_handle(), name.c_str());
   return VK_SUCCESS;
}

QueueWorker::~QueueWorker()
{
   if (!thread_.joinable())
      return;
   {
      std::lock_guard lock(mutex_);
      stopping_ = true;
   }
   jobQueued_.notify_one();
   thread_.join();
}

VkResult
QueueWorker::enqueue(Job job)
{
   {
      std::lock_guard lock(mutex_);
      try {
         jobs_.push_back(std::move(job));
      } catch (const std::exception &) {
         return VK_ERROR_OUT_OF_HOST_MEMORY;
      }
      queuedCount_++;
   }
   jobQueued_.notify_one();
   return VK_SUCCESS;
}

void
QueueWorker::waitIdle()
{
   std::unique_lock lock(mutex_);
   const uint64_t target = queuedCount_;
   jobDone_.wait(lock, [&] { return doneCount_ >= target; });
}

void
QueueWorker::run()
{
   std::unique_lock lock(mutex_);
   for (;;) {
      jobQueued_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty())
         return; // stopping, and everything ran
      Job job = std::move(jobs_.front());
      jobs_.pop_front();
      lock.unlock();
      job();
      job = nullptr; // what the job holds goes before it counts as done
      lock.lock();
      doneCount_++;
      jobDone_.notify_all();
   }
}

} // namespace panvk
