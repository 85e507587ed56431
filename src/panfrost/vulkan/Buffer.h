// VkBuffer: a size, its usage and the GPU address of its first byte: memory
// VA + offset once bound, or for a sparse buffer the VA range it owns
// (SparseRange.h), bound 64 KiB by 64 KiB through vkQueueBindSparse.
#pragma once

#include <cstdint>
#include <memory>

#include "Handle.h"

namespace panvk {

class Device;
class DeviceMemory;
class SparseRange;

class Buffer : public HandleOf<Buffer, VkBuffer> {
public:
   static VkResult create(Device &device, const VkBufferCreateInfo &info, VkBuffer *out);
   ~Buffer();

   Device &device() { return device_; }
   VkDeviceSize size() const { return size_; }
   VkBufferUsageFlags usage() const { return usage_; }
   VkBufferCreateFlags flags() const { return flags_; }
   VkMemoryRequirements memoryRequirements() const;
   // What a buffer of `info` reports: also vkGetDeviceBufferMemoryRequirements'
   // answer, without making one.
   static VkMemoryRequirements memoryRequirementsOf(Device &device, const VkBufferCreateInfo &info);

   // Memory requirements' alignment: covers every buffer offset alignment
   // the device reports (all <= 64) and bufferImageGranularity.
   static constexpr VkDeviceSize kAlignment = 64;

   bool sparse() const { return sparseRange_ != nullptr; }
   VkResult bind(DeviceMemory &memory, VkDeviceSize offset);
   // GPU address of byte 0; 0 while unbound.
   uint64_t va() const { return va_; }
   // The memory bound and where in it the buffer starts; null while unbound.
   DeviceMemory *memory() const { return memory_; }
   VkDeviceSize memoryOffset() const { return memoryOffset_; }

private:
   Buffer(Device &device, const VkBufferCreateInfo &info);

   Device &device_;
   VkDeviceSize size_;
   VkBufferUsageFlags usage_;
   VkBufferCreateFlags flags_;
   uint64_t va_ = 0;
   DeviceMemory *memory_ = nullptr;
   VkDeviceSize memoryOffset_ = 0;
   std::unique_ptr<SparseRange> sparseRange_;
};

} // namespace panvk
