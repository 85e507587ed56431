// VkQueue: a queue of one of the device's families, with the worker thread
// that runs what is submitted to it (QueueWorker.h, QueueSubmit.cpp).
#pragma once

#include <cstdint>
#include <memory>

#include "Handle.h"

namespace panvk {

class Device;
class QueueWorker;

class Queue : public DispatchableObject, public HandleOf<Queue, VkQueue> {
public:
   Queue(Device &device, uint32_t family, uint32_t index, VkDeviceQueueCreateFlags flags);
   ~Queue(); // the worker finishes the queue and joins

   Device &device() { return device_; }
   uint32_t family() const { return family_; }
   uint32_t index() const { return index_; }
   VkDeviceQueueCreateFlags flags() const { return flags_; }

   // Called once, right after construction.
   VkResult startWorker();
   QueueWorker &worker() { return *worker_; }
   // False for the sparse-binding-only family: it has no executor work.
   bool runsCommandBuffers() const;

private:
   Device &device_;
   uint32_t family_;
   uint32_t index_;
   VkDeviceQueueCreateFlags flags_;
   std::unique_ptr<QueueWorker> worker_;
};

} // namespace panvk
