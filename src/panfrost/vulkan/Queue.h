// VkQueue: a queue of one of the device's families.
#pragma once

#include <cstdint>

#include "Handle.h"

namespace panvk {

class Device;

class Queue : public DispatchableObject, public HandleOf<Queue, VkQueue> {
public:
   Queue(Device &device, uint32_t family, uint32_t index, VkDeviceQueueCreateFlags flags);
   ~Queue();

   Device &device() { return device_; }
   uint32_t family() const { return family_; }
   uint32_t index() const { return index_; }
   VkDeviceQueueCreateFlags flags() const { return flags_; }

private:
   Device &device_;
   uint32_t family_;
   uint32_t index_;
   VkDeviceQueueCreateFlags flags_;
};

} // namespace panvk
