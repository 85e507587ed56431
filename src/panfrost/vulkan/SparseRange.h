// The GPU VA range a sparse resource owns for its whole life: reserved from
// the device's VA allocator at creation (64 KiB aligned, 2 MiB aligned when it
// is 2 MiB or more, so the kernel can use 2 MiB blocks), bound piece by piece
// with vkQueueBindSparse, unmapped whole and given back at destruction.
//
// A residency resource starts fully mapped to the sparse dummy with one sparse
// op (its unbound parts read without faulting); a binding-only resource starts
// unmapped, as the application must bind all of it before use.
#pragma once

#include <cstdint>
#include <memory>

#include <vulkan/vulkan_core.h>

namespace panvk {

class Device;

class SparseRange {
public:
   // The sparse block size: what memory requirements and binds align to.
   static constexpr uint64_t kBindGranularity = 64 * 1024;

   static uint64_t roundUp(uint64_t size) { return (size + kBindGranularity - 1) & ~(kBindGranularity - 1); }

   // VK_ERROR_OUT_OF_DEVICE_MEMORY when no VA is left or the initial sparse
   // map fails (nothing is kept).
   static VkResult create(Device &device, uint64_t size, bool residency, std::unique_ptr<SparseRange> *out);
   ~SparseRange();

   uint64_t va() const { return va_; }
   uint64_t size() const { return size_; }

private:
   SparseRange(Device &device, uint64_t va, uint64_t size) : device_(device), va_(va), size_(size) {}

   Device &device_;
   uint64_t va_;
   uint64_t size_;
};

} // namespace panvk
