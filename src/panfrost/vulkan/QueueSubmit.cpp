// vkQueueSubmit, vkQueueWaitIdle, vkDeviceWaitIdle.
//
// vkQueueSubmit never waits for the GPU: it turns the call into one job for
// the queue's worker and returns. The worker, batch after batch, waits for the
// semaphores, runs the command buffers through the device's executor in order
// (so pWaitDstStageMask needs no handling), signals the semaphores, and after
// the last batch the fence.
//
// A lost device stops execution, not signalling: every semaphore and fence of
// the submission that failed and of all later ones is still signalled, so no
// thread waits forever on work that will not run.
#include <exception>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "CommandBuffer.h"
#include "Debug.h"
#include "Device.h"
#include "Executor.h"
#include "Fence.h"
#include "Queue.h"
#include "QueueWorker.h"
#include "Semaphore.h"
#include "SyncWait.h"
#include "Util.h"
#include "panvk_entrypoints.h"

namespace panvk {

namespace {

using pan::kmod::SyncPoint;
using pan::kmod::Syncobj;

struct SemaphorePoint {
   std::shared_ptr<Syncobj> syncobj;
   uint64_t point; // 0: binary
};

struct Batch {
   std::vector<SemaphorePoint> waits;
   std::vector<CommandBuffer *> commandBuffers; // marked submitted
   std::vector<SemaphorePoint> signals;
};

struct Submission {
   std::vector<Batch> batches;
   std::shared_ptr<Syncobj> fence; // null: none
};

std::string
queueName(Queue &queue)
{
   return "queue " + std::to_string(queue.family()) + "." + std::to_string(queue.index());
}

// True when the waits were satisfied (binary payloads are then consumed);
// false when the device gave up on waiting.
bool
waitSemaphores(Queue &queue, const std::vector<SemaphorePoint> &waits)
{
   Device &device = queue.device();
   std::vector<SyncPoint> points;
   points.reserve(waits.size());
   for (const SemaphorePoint &wait : waits)
      points.push_back(SyncPoint{wait.syncobj->handle(), wait.point});

   std::string failure;
   switch (waitForSyncPoints(device, points, true, pan::kmod::kInfiniteTimeout, &failure)) {
   case WaitStatus::Reached:
      if (device.checkBinds("vkQueueSubmit") != VK_SUCCESS)
         return false;
      break;
   case WaitStatus::TimedOut: // cannot happen without a deadline
   case WaitStatus::Abandoned:
      return false;
   case WaitStatus::Failed:
      device.markLost(queueName(queue) + ": semaphore wait: " + failure);
      return false;
   }
   for (const SemaphorePoint &wait : waits) {
      if (wait.point != 0)
         continue;
      if (auto result = wait.syncobj->reset(); !result) {
         device.markLost(queueName(queue) + ": semaphore reset: " + result.error().message);
         return false;
      }
   }
   return true;
}

void
execute(Queue &queue, CommandBuffer &commandBuffer)
{
   Device &device = queue.device();
   VkResult result;
   try {
      result = device.executor().execute(commandBuffer);
   } catch (const std::exception &error) {
      device.markLost(queueName(queue) + ": executor failed: " + error.what());
      return;
   }
   // The executor marks the device lost itself on a GPU fault; anything else
   // it cannot report to the application either.
   if (result != VK_SUCCESS && !device.lost())
      device.markLost(queueName(queue) + ": executor returned " + std::to_string(int(result)));
}

void
signal(Queue &queue, Syncobj &syncobj, uint64_t point, const char *what)
{
   if (auto result = syncobj.signal(point); !result)
      queue.device().markLost(queueName(queue) + ": " + what + " signal: " + result.error().message);
}

// The worker's side of one vkQueueSubmit call.
void
run(Queue &queue, const Submission &submission)
{
   Device &device = queue.device();
   for (const Batch &batch : submission.batches) {
      bool ready = false;
      try {
         ready = !device.lost() && waitSemaphores(queue, batch.waits);
      } catch (const std::bad_alloc &) {
         device.markLost(queueName(queue) + ": out of host memory");
      }
      for (CommandBuffer *commandBuffer : batch.commandBuffers) {
         if (ready && !device.lost())
            execute(queue, *commandBuffer);
         commandBuffer->markCompleted();
      }
      for (const SemaphorePoint &point : batch.signals)
         signal(queue, *point.syncobj, point.point, "semaphore");
   }
   if (submission.fence)
      signal(queue, *submission.fence, 0, "fence");
}

// The semaphore's point for a wait or signal: the value the application gave
// for a timeline, 0 for a binary semaphore. False when it should be skipped
// (invalid usage, or value 0, which every timeline has reached).
bool
semaphorePoint(Semaphore *semaphore, const uint64_t *values, uint32_t valueCount, uint32_t i,
               SemaphorePoint *out)
{
   if (!semaphore)
      return false;
   uint64_t point = 0;
   if (semaphore->isTimeline()) {
      if (!values || i >= valueCount)
         return false;
      point = values[i];
      if (point == 0)
         return false;
   }
   *out = SemaphorePoint{semaphore->syncobj(), point};
   return true;
}

void
buildBatch(Queue &queue, const VkSubmitInfo &info, Batch &batch)
{
   const auto *timeline = findInChain<VkTimelineSemaphoreSubmitInfo>(
      info.pNext, VK_STRUCTURE_TYPE_TIMELINE_SEMAPHORE_SUBMIT_INFO);
   const uint64_t *waitValues = timeline ? timeline->pWaitSemaphoreValues : nullptr;
   const uint32_t waitValueCount = timeline ? timeline->waitSemaphoreValueCount : 0;
   const uint64_t *signalValues = timeline ? timeline->pSignalSemaphoreValues : nullptr;
   const uint32_t signalValueCount = timeline ? timeline->signalSemaphoreValueCount : 0;

   for (uint32_t i = 0; i < info.waitSemaphoreCount; i++) {
      SemaphorePoint point;
      if (semaphorePoint(Semaphore::from(info.pWaitSemaphores[i]), waitValues, waitValueCount, i, &point))
         batch.waits.push_back(std::move(point));
   }
   for (uint32_t i = 0; i < info.commandBufferCount; i++) {
      CommandBuffer *commandBuffer = CommandBuffer::from(info.pCommandBuffers[i]);
      if (!commandBuffer)
         continue;
      if (!queue.runsCommandBuffers()) {
         errorLog("vkQueueSubmit: %s cannot run command buffers (sparse binding only); skipped",
                  queueName(queue).c_str());
         continue;
      }
      if (commandBuffer->isSecondary() || !commandBuffer->executable()) {
         errorLog("vkQueueSubmit: command buffer %u of a batch is not executable; skipped", i);
         continue;
      }
      batch.commandBuffers.push_back(commandBuffer);
   }
   for (uint32_t i = 0; i < info.signalSemaphoreCount; i++) {
      SemaphorePoint point;
      if (semaphorePoint(Semaphore::from(info.pSignalSemaphores[i]), signalValues, signalValueCount, i,
                         &point))
         batch.signals.push_back(std::move(point));
   }
}

VkResult
queueSubmit(Queue &queue, uint32_t count, const VkSubmitInfo *infos, VkFence fenceHandle)
{
   Submission submission;
   try {
      submission.batches.resize(count);
      for (uint32_t i = 0; i < count; i++)
         buildBatch(queue, infos[i], submission.batches[i]);
   } catch (const std::bad_alloc &) {
      return VK_ERROR_OUT_OF_HOST_MEMORY;
   }
   if (Fence *fence = Fence::from(fenceHandle))
      submission.fence = fence->syncobj();

   std::shared_ptr<const Submission> shared;
   QueueWorker::Job job;
   try {
      shared = std::make_shared<const Submission>(std::move(submission));
      job = [&queue, shared] { run(queue, *shared); };
   } catch (const std::bad_alloc &) {
      return VK_ERROR_OUT_OF_HOST_MEMORY;
   }
   // Pending before the worker can complete them.
   for (const Batch &batch : shared->batches) {
      for (CommandBuffer *commandBuffer : batch.commandBuffers)
         commandBuffer->markSubmitted();
   }
   if (const VkResult result = queue.worker().enqueue(std::move(job)); result != VK_SUCCESS) {
      for (const Batch &batch : shared->batches) {
         for (CommandBuffer *commandBuffer : batch.commandBuffers)
            commandBuffer->markCompleted();
      }
      return result;
   }
   // Queued even when lost: the worker signals without executing.
   return queue.device().check();
}

} // namespace

} // namespace panvk

using namespace panvk;

extern "C" {

VKAPI_ATTR VkResult VKAPI_CALL
panvk_QueueSubmit(VkQueue queue, uint32_t submitCount, const VkSubmitInfo *pSubmits, VkFence fence)
{
   return queueSubmit(*Queue::from(queue), submitCount, pSubmits, fence);
}

VKAPI_ATTR VkResult VKAPI_CALL
panvk_QueueWaitIdle(VkQueue queueHandle)
{
   Queue *queue = Queue::from(queueHandle);
   queue->worker().waitIdle();
   return queue->device().check();
}

VKAPI_ATTR VkResult VKAPI_CALL
panvk_DeviceWaitIdle(VkDevice deviceHandle)
{
   Device *device = Device::from(deviceHandle);
   for (const auto &queue : device->queues())
      queue->worker().waitIdle();
   return device->check();
}

} // extern "C"
