// A VkDevice made by calling the driver's entry points in process, without
// the loader, on the mock kernel: white-box tests reach the driver objects
// behind the handles and the mock GPU's view (VM mappings, MMU accesses).
//
// Environment knobs are set before the instance enumerates (the mock reads
// them when it opens): PAN_KMOD=mock always, and PANTHOR_MOCK_MEMORY_MB when
// a test asks for a small GPU memory.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "Device.h"
#include "kmod/MockGpu.h"
#include "panvk_entrypoints.h"

namespace panvk::test {

class DirectDevice : public ::testing::Test {
protected:
   // 0: the mock's default memory size.
   explicit DirectDevice(uint64_t mockMemoryMiB = 0) : mockMemoryMiB_(mockMemoryMiB) {}

   void SetUp() override { openDevice({0}, VkPhysicalDeviceFeatures{}); }

   // The instance, the mock's physical device, and a device with one queue of
   // each of `families` and the given features (pNext and extensions go to
   // VkDeviceCreateInfo). Fixtures that need another device call this from
   // their own SetUp.
   void openDevice(const std::vector<uint32_t> &families, const VkPhysicalDeviceFeatures &features,
                   const void *pNext = nullptr, const std::vector<const char *> &extensions = {})
   {
      setenv("PAN_KMOD", "mock", 1);
      if (mockMemoryMiB_)
         setenv("PANTHOR_MOCK_MEMORY_MB", std::to_string(mockMemoryMiB_).c_str(), 1);
      else
         unsetenv("PANTHOR_MOCK_MEMORY_MB");

      VkApplicationInfo app{VK_STRUCTURE_TYPE_APPLICATION_INFO};
      app.apiVersion = VK_API_VERSION_1_1;
      VkInstanceCreateInfo instanceInfo{VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO};
      instanceInfo.pApplicationInfo = &app;
      ASSERT_EQ(VK_SUCCESS, panvk_CreateInstance(&instanceInfo, nullptr, &instance_));
      uint32_t count = 1;
      ASSERT_EQ(VK_SUCCESS, panvk_EnumeratePhysicalDevices(instance_, &count, &physical_));
      ASSERT_EQ(1u, count);
      panvk_GetPhysicalDeviceMemoryProperties(physical_, &memoryProperties_);

      const float priority = 1.0f;
      std::vector<VkDeviceQueueCreateInfo> queues;
      for (uint32_t family : families) {
         VkDeviceQueueCreateInfo queueInfo{VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO};
         queueInfo.queueFamilyIndex = family;
         queueInfo.queueCount = 1;
         queueInfo.pQueuePriorities = &priority;
         queues.push_back(queueInfo);
      }
      VkDeviceCreateInfo deviceInfo{VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO};
      deviceInfo.pNext = pNext;
      deviceInfo.queueCreateInfoCount = uint32_t(queues.size());
      deviceInfo.pQueueCreateInfos = queues.data();
      deviceInfo.enabledExtensionCount = uint32_t(extensions.size());
      deviceInfo.ppEnabledExtensionNames = extensions.data();
      deviceInfo.pEnabledFeatures = &features;
      ASSERT_EQ(VK_SUCCESS, panvk_CreateDevice(physical_, &deviceInfo, nullptr, &device_));
      gpu_ = device().kmod().mockGpu();
      ASSERT_NE(nullptr, gpu_);
   }

   void TearDown() override
   {
      if (device_)
         panvk_DestroyDevice(device_, nullptr);
      if (instance_)
         panvk_DestroyInstance(instance_, nullptr);
      unsetenv("PANTHOR_MOCK_MEMORY_MB");
   }

   Device &device() { return *Device::from(device_); }
   pan::kmod::MockGpu &gpu() { return *gpu_; }
   uint32_t vmId() { return device().vm().id(); }

   // The first type with all of `flags`; UINT32_MAX if none.
   uint32_t memoryType(VkMemoryPropertyFlags flags) const
   {
      for (uint32_t i = 0; i < memoryProperties_.memoryTypeCount; i++) {
         if ((memoryProperties_.memoryTypes[i].propertyFlags & flags) == flags)
            return i;
      }
      return UINT32_MAX;
   }

   VkResult allocate(VkDeviceSize size, uint32_t type, VkDeviceMemory *out)
   {
      VkMemoryAllocateInfo info{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
      info.allocationSize = size;
      info.memoryTypeIndex = type;
      return panvk_AllocateMemory(device_, &info, nullptr, out);
   }

   VkInstance instance_ = VK_NULL_HANDLE;
   VkPhysicalDevice physical_ = VK_NULL_HANDLE;
   VkPhysicalDeviceMemoryProperties memoryProperties_{};
   VkDevice device_ = VK_NULL_HANDLE;

private:
   uint64_t mockMemoryMiB_;
   pan::kmod::MockGpu *gpu_ = nullptr;
};

} // namespace panvk::test
