// A device of the driver made in process (the driver's objects linked in,
// entry points called directly) on the mock kernel, for benchmarks: one queue
// of a chosen family, the features asked for, a fence, and device-local
// allocations freed with it.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <vector>

#include "panvk_entrypoints.h"

namespace pan::bench {

class InProcessDevice {
public:
   InProcessDevice() = default;
   InProcessDevice(const InProcessDevice &) = delete;
   InProcessDevice &operator=(const InProcessDevice &) = delete;

   bool open(uint32_t queueFamily, const VkPhysicalDeviceFeatures &features)
   {
      setenv("PAN_KMOD", "mock", 1);
      VkApplicationInfo app{VK_STRUCTURE_TYPE_APPLICATION_INFO};
      app.apiVersion = VK_API_VERSION_1_1;
      VkInstanceCreateInfo instanceInfo{VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO};
      instanceInfo.pApplicationInfo = &app;
      uint32_t count = 1;
      if (panvk_CreateInstance(&instanceInfo, nullptr, &instance_) != VK_SUCCESS ||
          panvk_EnumeratePhysicalDevices(instance_, &count, &physical_) != VK_SUCCESS || count != 1)
         return false;
      VkPhysicalDeviceMemoryProperties memory{};
      panvk_GetPhysicalDeviceMemoryProperties(physical_, &memory);
      for (uint32_t i = 0; i < memory.memoryTypeCount && memoryType_ == UINT32_MAX; i++) {
         if (memory.memoryTypes[i].propertyFlags & VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT)
            memoryType_ = i;
      }
      const float priority = 1.0f;
      VkDeviceQueueCreateInfo queue{VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO};
      queue.queueFamilyIndex = queueFamily;
      queue.queueCount = 1;
      queue.pQueuePriorities = &priority;
      VkDeviceCreateInfo deviceInfo{VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO};
      deviceInfo.queueCreateInfoCount = 1;
      deviceInfo.pQueueCreateInfos = &queue;
      deviceInfo.pEnabledFeatures = &features;
      if (panvk_CreateDevice(physical_, &deviceInfo, nullptr, &device_) != VK_SUCCESS)
         return false;
      panvk_GetDeviceQueue(device_, queueFamily, 0, &queue_);
      VkFenceCreateInfo fenceInfo{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
      return queue_ && memoryType_ != UINT32_MAX &&
             panvk_CreateFence(device_, &fenceInfo, nullptr, &fence_) == VK_SUCCESS;
   }

   // Resources a derived class made are its to destroy first, after waiting idle.
   virtual ~InProcessDevice()
   {
      if (device_) {
         panvk_DeviceWaitIdle(device_);
         panvk_DestroyFence(device_, fence_, nullptr);
         for (VkDeviceMemory memory : memories_)
            panvk_FreeMemory(device_, memory, nullptr);
         panvk_DestroyDevice(device_, nullptr);
      }
      if (instance_)
         panvk_DestroyInstance(instance_, nullptr);
   }

   // Device-local memory, freed with the device; VK_NULL_HANDLE on failure.
   VkDeviceMemory allocate(VkDeviceSize size)
   {
      VkMemoryAllocateInfo info{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
      info.allocationSize = size;
      info.memoryTypeIndex = memoryType_;
      VkDeviceMemory memory = VK_NULL_HANDLE;
      if (panvk_AllocateMemory(device_, &info, nullptr, &memory) != VK_SUCCESS)
         return VK_NULL_HANDLE;
      memories_.push_back(memory);
      return memory;
   }

protected:
   VkInstance instance_ = VK_NULL_HANDLE;
   VkPhysicalDevice physical_ = VK_NULL_HANDLE;
   VkDevice device_ = VK_NULL_HANDLE;
   VkQueue queue_ = VK_NULL_HANDLE;
   VkFence fence_ = VK_NULL_HANDLE;
   uint32_t memoryType_ = UINT32_MAX;
   std::vector<VkDeviceMemory> memories_;
};

} // namespace pan::bench
