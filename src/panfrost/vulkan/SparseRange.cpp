#include "SparseRange.h"

#include <new>

#include "Debug.h"
#include "Device.h"
#include "kmod/Vm.h"

namespace panvk {

namespace {

constexpr uint64_t kLargeAlignment = 2ull << 20;

} // namespace

VkResult
SparseRange::create(Device &device, uint64_t size, bool residency, std::unique_ptr<SparseRange> *out)
{
   size = roundUp(size);
   const uint64_t alignment = size >= kLargeAlignment ? kLargeAlignment : kBindGranularity;
   const uint64_t va = device.va().allocate(size, alignment);
   if (!va)
      return VK_ERROR_OUT_OF_DEVICE_MEMORY;
   std::unique_ptr<SparseRange> range(new (std::nothrow) SparseRange(device, va, size));
   if (!range) {
      device.va().free(va, size);
      return VK_ERROR_OUT_OF_HOST_MEMORY;
   }
   if (residency) {
      const pan::kmod::VmOp op = pan::kmod::VmOp::sparse(va, size);
      auto bound = device.vm().bind({&op, 1}, pan::kmod::Vm::BindMode::Immediate);
      if (!bound) {
         errorLog("sparse map of a %llu-byte resource failed: %s", (unsigned long long)size,
                  bound.error().message.c_str());
         range->size_ = 0; // nothing mapped: the destructor only frees the VA
         device.va().free(va, size);
         return VK_ERROR_OUT_OF_DEVICE_MEMORY;
      }
   }
   *out = std::move(range);
   return VK_SUCCESS;
}

SparseRange::~SparseRange()
{
   if (!size_)
      return;
   const pan::kmod::VmOp op = pan::kmod::VmOp::unmap(va_, size_);
   if (auto unmapped = device_.vm().bind({&op, 1}, pan::kmod::Vm::BindMode::Immediate); !unmapped) {
      // Keep the VA out of the allocator rather than hand out a range that may
      // still be mapped.
      errorLog("unmapping a sparse resource failed: %s", unmapped.error().message.c_str());
      return;
   }
   device_.va().free(va_, size_);
}

} // namespace panvk
