// One operation of a VM bind: map a BO range, map the sparse dummy, unmap, or
// only wait/signal. Vm::bind turns a list of these into one VM_BIND ioctl.
#pragma once

#include <cstdint>
#include <vector>

namespace pan::kmod {

class Bo;

enum class MapFlags : uint32_t {
   None = 0,
   ReadOnly = 1u << 0,
   NoExec = 1u << 1,
   Uncached = 1u << 2,
   // Back the range with the sparse dummy (reads undefined, writes dropped
   // into it). Needs NoExec and no BO. Native on panthor 1.9+, emulated before.
   Sparse = 1u << 3,
};

constexpr MapFlags operator|(MapFlags a, MapFlags b) {
   return static_cast<MapFlags>(static_cast<uint32_t>(a) | static_cast<uint32_t>(b));
}
constexpr MapFlags operator&(MapFlags a, MapFlags b) {
   return static_cast<MapFlags>(static_cast<uint32_t>(a) & static_cast<uint32_t>(b));
}
constexpr MapFlags operator~(MapFlags a) {
   return static_cast<MapFlags>(~static_cast<uint32_t>(a));
}
constexpr MapFlags &operator|=(MapFlags &a, MapFlags b) {
   return a = a | b;
}
constexpr bool hasFlag(MapFlags flags, MapFlags flag) {
   return (flags & flag) == flag;
}

// A syncobj point: value 0 = binary syncobj, else a timeline point.
struct SyncPoint {
   uint32_t syncobj = 0;
   uint64_t value = 0;
};

struct VmOp {
   enum class Type { Map, Unmap, SyncOnly };

   Type type = Type::SyncOnly;
   const Bo *bo = nullptr; // Map without Sparse only
   uint64_t boOffset = 0;
   uint64_t va = 0;
   uint64_t size = 0;
   MapFlags flags = MapFlags::None;
   // Async binds only: waited on before the op runs / signalled after it.
   std::vector<SyncPoint> waits;
   std::vector<SyncPoint> signals;

   static VmOp map(const Bo &bo, uint64_t boOffset, uint64_t va, uint64_t size,
                   MapFlags flags = MapFlags::None) {
      VmOp op;
      op.type = Type::Map;
      op.bo = &bo;
      op.boOffset = boOffset;
      op.va = va;
      op.size = size;
      op.flags = flags;
      return op;
   }

   static VmOp sparse(uint64_t va, uint64_t size) {
      VmOp op;
      op.type = Type::Map;
      op.va = va;
      op.size = size;
      op.flags = MapFlags::NoExec | MapFlags::Sparse;
      return op;
   }

   static VmOp unmap(uint64_t va, uint64_t size) {
      VmOp op;
      op.type = Type::Unmap;
      op.va = va;
      op.size = size;
      return op;
   }

   static VmOp syncOnly() {
      VmOp op;
      op.type = Type::SyncOnly;
      return op;
   }

   bool isSparse() const { return type == Type::Map && hasFlag(flags, MapFlags::Sparse); }
};

} // namespace pan::kmod
