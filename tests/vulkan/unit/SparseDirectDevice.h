// DirectDevice (the driver's entry points in process, on the mock) made for
// sparse binding: a queue of the sparse-binding family (1), the sparse
// features on, and helpers for sparse buffers, residency images, memory,
// fences, semaphores, one-call binds, the VM's bind counters and the GPU's
// translation of a VA.
#pragma once

#include <cstdlib>
#include <string>
#include <vector>

#include "DirectDevice.h"
#include "Image.h"
#include "kmod/Vm.h"

namespace panvk::test {

constexpr uint64_t kSparseBlock = 64 * 1024;
constexpr uint64_t kSparseTimeoutNs = 20'000'000'000ull;

class SparseDirectDevice : public DirectDevice {
protected:
   // DirectDevice's setup, with a queue of the sparse-binding family (1) and
   // the sparse features enabled.
   void SetUp() override
   {
      VkPhysicalDeviceFeatures features{};
      features.sparseBinding = VK_TRUE;
      features.sparseResidencyBuffer = VK_TRUE;
      VkPhysicalDeviceTimelineSemaphoreFeatures timeline{
         VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_TIMELINE_SEMAPHORE_FEATURES};
      timeline.timelineSemaphore = VK_TRUE;
      ASSERT_NO_FATAL_FAILURE(
         openSparseDevice({0, 1}, features, &timeline, {VK_KHR_TIMELINE_SEMAPHORE_EXTENSION_NAME}));

      // The run must be at the version meson asked for, not the default.
      if (const char *version = getenv("PANTHOR_MOCK_VERSION")) {
         std::string v = version;
         if (v.rfind("1.", 0) == 0)
            v = v.substr(2);
         ASSERT_EQ(std::stoi(v), device().kmod().driverVersion().minor);
      }
   }

   // openDevice with `families` (family 1 among them), then bindQueue_ is
   // family 1's queue. For fixtures that need other features than SetUp's.
   void openSparseDevice(const std::vector<uint32_t> &families, const VkPhysicalDeviceFeatures &features,
                         const void *pNext = nullptr, const std::vector<const char *> &extensions = {})
   {
      openDevice(families, features, pNext, extensions);
      if (HasFatalFailure())
         return;
      panvk_GetDeviceQueue(device_, 1, 0, &bindQueue_);
      ASSERT_NE(VK_NULL_HANDLE, bindQueue_);
   }

   void TearDown() override
   {
      if (device_) {
         panvk_DeviceWaitIdle(device_);
         for (VkFence fence : fences_)
            panvk_DestroyFence(device_, fence, nullptr);
         for (VkSemaphore semaphore : semaphores_)
            panvk_DestroySemaphore(device_, semaphore, nullptr);
         for (VkImage image : images_)
            panvk_DestroyImage(device_, image, nullptr);
         for (VkBuffer buffer : buffers_)
            panvk_DestroyBuffer(device_, buffer, nullptr);
         for (VkDeviceMemory memory : memories_)
            panvk_FreeMemory(device_, memory, nullptr);
      }
      DirectDevice::TearDown();
   }

   bool nativeSparse() { return device().kmod().features().nativeSparseMap; }
   pan::kmod::BindStats stats() { return device().vm().stats(); }

   VkBuffer createSparseBuffer(VkDeviceSize size)
   {
      VkBufferCreateInfo info{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
      info.flags = VK_BUFFER_CREATE_SPARSE_BINDING_BIT | VK_BUFFER_CREATE_SPARSE_RESIDENCY_BIT;
      info.size = size;
      info.usage = VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT;
      VkBuffer buffer = VK_NULL_HANDLE;
      EXPECT_EQ(VK_SUCCESS, panvk_CreateBuffer(device_, &info, nullptr, &buffer));
      if (buffer)
         buffers_.push_back(buffer);
      return buffer;
   }
   // Optimal tiling, transfer source and destination, no memory bound.
   Image *createResidencyImage(VkImageType type, VkFormat format, VkExtent3D extent, uint32_t levels = 1,
                               uint32_t layers = 1)
   {
      VkImageCreateInfo info{VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO};
      info.flags = VK_IMAGE_CREATE_SPARSE_BINDING_BIT | VK_IMAGE_CREATE_SPARSE_RESIDENCY_BIT;
      info.imageType = type;
      info.format = format;
      info.extent = extent;
      info.mipLevels = levels;
      info.arrayLayers = layers;
      info.samples = VK_SAMPLE_COUNT_1_BIT;
      info.tiling = VK_IMAGE_TILING_OPTIMAL;
      info.usage = VK_IMAGE_USAGE_TRANSFER_SRC_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT;
      VkImage image = VK_NULL_HANDLE;
      EXPECT_EQ(VK_SUCCESS, panvk_CreateImage(device_, &info, nullptr, &image));
      if (!image)
         return nullptr;
      images_.push_back(image);
      return Image::from(image);
   }
   VkDeviceMemory allocateMemory(VkDeviceSize size)
   {
      VkDeviceMemory memory = VK_NULL_HANDLE;
      EXPECT_EQ(VK_SUCCESS, allocate(size, memoryType(VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT), &memory));
      if (memory)
         memories_.push_back(memory);
      return memory;
   }
   VkFence createFence()
   {
      VkFenceCreateInfo info{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
      VkFence fence = VK_NULL_HANDLE;
      EXPECT_EQ(VK_SUCCESS, panvk_CreateFence(device_, &info, nullptr, &fence));
      fences_.push_back(fence);
      return fence;
   }
   VkSemaphore createSemaphore(bool timeline)
   {
      VkSemaphoreTypeCreateInfo type{VK_STRUCTURE_TYPE_SEMAPHORE_TYPE_CREATE_INFO};
      type.semaphoreType = VK_SEMAPHORE_TYPE_TIMELINE;
      VkSemaphoreCreateInfo info{VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO};
      info.pNext = timeline ? &type : nullptr;
      VkSemaphore semaphore = VK_NULL_HANDLE;
      EXPECT_EQ(VK_SUCCESS, panvk_CreateSemaphore(device_, &info, nullptr, &semaphore));
      semaphores_.push_back(semaphore);
      return semaphore;
   }
   VkResult waitFence(VkFence fence) { return panvk_WaitForFences(device_, 1, &fence, VK_TRUE, kSparseTimeoutNs); }

   // One call, one batch of binds of `buffer`, the fence signalled.
   VkResult bind(VkBuffer buffer, const std::vector<VkSparseMemoryBind> &binds, VkFence fence)
   {
      VkSparseBufferMemoryBindInfo bufferBinds{buffer, uint32_t(binds.size()), binds.data()};
      VkBindSparseInfo info{VK_STRUCTURE_TYPE_BIND_SPARSE_INFO};
      info.bufferBindCount = 1;
      info.pBufferBinds = &bufferBinds;
      return panvk_QueueBindSparse(bindQueue_, 1, &info, fence);
   }

   // Where the GPU ends up reading va; 0 if it would fault.
   uint64_t physical(uint64_t va)
   {
      auto translation = gpu().translate(vmId(), va);
      if (!translation || !translation.value())
         return 0;
      return translation.value()->physical;
   }

   VkQueue bindQueue_ = VK_NULL_HANDLE;
   std::vector<VkFence> fences_;
   std::vector<VkSemaphore> semaphores_;
   std::vector<VkImage> images_;
   std::vector<VkBuffer> buffers_;
   std::vector<VkDeviceMemory> memories_;
};

} // namespace panvk::test
