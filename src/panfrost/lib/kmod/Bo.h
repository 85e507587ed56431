// A panthor buffer object (GEM handle) and its CPU mapping.
//
// Alloc-on-fault: BoFlags::AllocOnFault needs Device::features().allocOnFault
// (driver 1.10, a project extension). On other kernels create() fails with
// EOPNOTSUPP and sends nothing; falling back to an ordinary, fully populated
// BO is the caller's decision (it costs memory the caller may not want to spend).
// WbMmap likewise needs 1.7 and fails with EOPNOTSUPP before.
//
// Thread-safety: map()/unmap() are serialised internally; the rest is const.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string_view>

#include "kmod/Result.h"

namespace pan::kmod {

class Device;
class Vm;

enum class BoFlags : uint32_t {
   None = 0,
   NoMmap = 1u << 0,       // never CPU-mapped
   WbMmap = 1u << 1,       // write-back cached CPU mappings (1.7)
   AllocOnFault = 1u << 2, // pages appear on GPU fault (1.10, see above)
};

constexpr BoFlags operator|(BoFlags a, BoFlags b) {
   return static_cast<BoFlags>(static_cast<uint32_t>(a) | static_cast<uint32_t>(b));
}
constexpr BoFlags operator&(BoFlags a, BoFlags b) {
   return static_cast<BoFlags>(static_cast<uint32_t>(a) & static_cast<uint32_t>(b));
}
constexpr BoFlags operator~(BoFlags a) {
   return static_cast<BoFlags>(~static_cast<uint32_t>(a));
}
constexpr BoFlags &operator|=(BoFlags &a, BoFlags b) {
   return a = a | b;
}
constexpr bool hasFlag(BoFlags flags, BoFlags flag) {
   return (flags & flag) == flag;
}

struct BoCreateInfo {
   uint64_t size = 0;
   BoFlags flags = BoFlags::None;
   // AllocOnFault only: bytes populated per fault (power of two, >= 4096, <= size).
   uint32_t allocOnFaultGranularity = 0;
   // The VM this BO is private to (it can only be mapped there), or null.
   const Vm *exclusiveVm = nullptr;
};

struct BoInfo {
   uint32_t extraFlags = 0;  // DRM_PANTHOR_BO_IS_IMPORTED ...
   uint32_t createFlags = 0; // DRM_PANTHOR_BO_* as created
};

class Bo {
public:
   // size() is the kernel's rounding of info.size.
   static Result<std::unique_ptr<Bo>> create(Device &device, const BoCreateInfo &info);
   ~Bo(); // unmaps and closes the handle
   Bo(const Bo &) = delete;
   Bo &operator=(const Bo &) = delete;

   uint32_t handle() const { return handle_; }
   uint64_t size() const { return size_; }
   BoFlags flags() const { return flags_; }
   Device &device() const { return *device_; }

   // Maps the whole BO read-write. Cached: later calls return the same address
   // until unmap().
   Result<void *> map();
   // No-op when not mapped.
   Result<void> unmap();
   // Needs 1.4 (ENOTSUP before, without an ioctl).
   Result<void> setLabel(std::string_view label);
   // Needs 1.7 (ENOTSUP before, without an ioctl).
   Result<BoInfo> queryInfo() const;

private:
   Bo(Device &device, uint32_t handle, uint64_t size, BoFlags flags)
      : device_(&device), handle_(handle), size_(size), flags_(flags) {}

   Device *device_;
   uint32_t handle_;
   uint64_t size_;
   BoFlags flags_;
   std::mutex mapMutex_;
   void *mapping_ = nullptr;
};

} // namespace pan::kmod
