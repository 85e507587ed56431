// VkDeviceMemory: one kmod BO per allocation, mapped whole into the device's
// VM at a VA from the device's allocator (so buffers and images bound to it
// have GPU addresses), and CPU-mapped on demand for host-visible types.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>

#include "Handle.h"
#include "kmod/Bo.h"

namespace panvk {

class Device;

class DeviceMemory : public HandleOf<DeviceMemory, VkDeviceMemory> {
public:
   // VK_ERROR_OUT_OF_DEVICE_MEMORY when the kernel has no memory (or VA) for
   // it; nothing is left behind on failure.
   static VkResult allocate(Device &device, const VkMemoryAllocateInfo &info, VkDeviceMemory *out);
   // Driver-internal memory for growable heaps: where the kernel has
   // alloc-on-fault BOs (1.10), pages appear when the GPU first touches them,
   // `granularity` bytes at a time (a power of two from 4 KiB); elsewhere the
   // BO is fully populated up front. Device-local, never host-visible, bound
   // like any other memory. Apps cannot ask for it: Vulkan's lazily allocated
   // memory types may only back transient attachments.
   static VkResult allocateGrowable(Device &device, uint64_t size, uint32_t granularity, VkDeviceMemory *out);
   ~DeviceMemory(); // unmaps from the VM, frees the VA, closes the BO

   Device &device() { return device_; }
   uint64_t size() const { return size_; }
   uint32_t memoryType() const { return memoryType_; }
   pan::kmod::Bo &bo() { return *bo_; }
   // GPU address of byte 0 of the allocation in the device's VM.
   uint64_t va() const { return va_; }

   bool hostVisible() const;
   // Whether pages appear on GPU faults (allocateGrowable on a 1.10 kernel).
   bool allocOnFault() const { return allocOnFault_; }
   // Bytes of memory the allocation holds now.
   uint64_t committedBytes() const;

   // One mapping at a time (a second map is VK_ERROR_MEMORY_MAP_FAILED, as
   // are non-host-visible types and ranges outside the allocation).
   VkResult map(VkDeviceSize offset, VkDeviceSize size, void **out);
   void unmap();
   // Whether [offset, offset + size) lies in the current mapping
   // (VK_WHOLE_SIZE: to its end).
   bool rangeIsMapped(VkDeviceSize offset, VkDeviceSize size);

   // VA alignment of an allocation of `size` bytes: 64 KiB, or 2 MiB from
   // 2 MiB up so the kernel can use 2 MiB page-table blocks.
   static constexpr uint64_t kVaAlignment = 64 * 1024;
   static constexpr uint64_t kLargeVaAlignment = 2 * 1024 * 1024;
   static uint64_t vaAlignment(uint64_t size);

   // Every memory type suits every buffer and image.
   static uint32_t allTypeBits(Device &device);
   // Fills a VkMemoryDedicatedRequirements in a requirements chain, if any:
   // dedicated allocations are neither preferred nor required.
   static void fillDedicatedRequirements(void *chain);

private:
   DeviceMemory(Device &device, uint64_t size, uint32_t memoryType);
   // Creates the BO and maps it at a VA of its own.
   static VkResult create(Device &device, uint32_t memoryType, const pan::kmod::BoCreateInfo &boInfo,
                          VkDeviceMemory *out);

   Device &device_;
   uint64_t size_;
   uint32_t memoryType_;
   std::unique_ptr<pan::kmod::Bo> bo_;
   uint64_t va_ = 0;
   uint64_t vaSize_ = 0;
   bool allocOnFault_ = false;

   std::mutex mapMutex_;
   bool mapped_ = false;
   VkDeviceSize mapOffset_ = 0;
   VkDeviceSize mapSize_ = 0;
};

} // namespace panvk
