#include "kmod/panthor/BindMarshaller.h"

#include <algorithm>
#include <limits>
#include <new>
#include <string>

#include "kmod/Bo.h"

namespace pan::kmod {

static_assert(static_cast<uint32_t>(MapFlags::ReadOnly) == DRM_PANTHOR_VM_BIND_OP_MAP_READONLY);
static_assert(static_cast<uint32_t>(MapFlags::NoExec) == DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);
static_assert(static_cast<uint32_t>(MapFlags::Uncached) == DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED);
static_assert(static_cast<uint32_t>(MapFlags::Sparse) == DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE);

namespace {

Error opError(size_t index, int errnum, const char *what) {
   Error error = fail(errnum, "VM_BIND op " + std::to_string(index) + ": " + what);
   error.opIndex = static_cast<uint32_t>(index);
   return error;
}

uint32_t typeBits(VmOp::Type type) {
   switch (type) {
   case VmOp::Type::Map:
      return DRM_PANTHOR_VM_BIND_OP_TYPE_MAP;
   case VmOp::Type::Unmap:
      return DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP;
   case VmOp::Type::SyncOnly:
      return DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY;
   }
   return DRM_PANTHOR_VM_BIND_OP_TYPE_MASK;
}

bool knownType(VmOp::Type type) {
   return type == VmOp::Type::Map || type == VmOp::Type::Unmap || type == VmOp::Type::SyncOnly;
}

// Whether an emulated sparse op is split: not when the kernel will reject it
// anyway (empty, wrapping, unaligned or beyond the VA space), so such an op
// reaches the kernel once, as the caller wrote it, and gets the kernel's errno.
bool splittable(const VmOp &op, unsigned vaBits) {
   constexpr uint64_t kPageMask = 4095;
   if (op.size == 0 || op.va + op.size < op.va)
      return false;
   if ((op.va | op.size) & kPageMask)
      return false;
   return vaBits >= 64 || op.va + op.size <= (1ull << vaBits);
}

uint64_t pieceCount(const VmOp &op, unsigned vaBits) {
   if (!splittable(op, vaBits))
      return 1;
   const uint64_t last = op.va + op.size - 1;
   return last / kSparseDummySize - op.va / kSparseDummySize + 1;
}

uint32_t syncFlags(const SyncPoint &point, bool signal) {
   uint32_t flags = point.value ? DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ
                                : DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ;
   if (signal)
      flags |= DRM_PANTHOR_SYNC_OP_SIGNAL;
   return flags;
}

} // namespace

Result<BindBatch> BindBatch::build(std::span<const VmOp> ops, const SparseLowering &sparse) {
   uint64_t kernelOpCount = 0;
   uint64_t syncCount = 0;
   for (size_t i = 0; i < ops.size(); ++i) {
      const VmOp &op = ops[i];
      if (!knownType(op.type))
         return opError(i, EINVAL, "unknown op type");
      if (op.isSparse()) {
         if (op.bo || op.boOffset)
            return opError(i, EINVAL, "sparse map with a BO");
         if (!hasFlag(op.flags, MapFlags::NoExec))
            return opError(i, EINVAL, "sparse map without NoExec");
      } else if (op.type == VmOp::Type::Map && !op.bo) {
         return opError(i, EINVAL, "map without a BO");
      }
      const bool emulated = op.isSparse() && !sparse.native;
      kernelOpCount += emulated ? pieceCount(op, sparse.vaBits) : 1;
      syncCount += op.waits.size() + op.signals.size();
   }
   if (kernelOpCount > std::numeric_limits<uint32_t>::max() ||
       syncCount > std::numeric_limits<uint32_t>::max())
      return fail(E2BIG, "VM_BIND: too many ops");

   BindBatch batch;
   try {
      batch.kernelOps_.reserve(kernelOpCount);
      batch.syncs_.reserve(syncCount);
      batch.firstKernelOp_.reserve(ops.size());
   } catch (const std::bad_alloc &) {
      return fail(ENOMEM, "VM_BIND: op array");
   }

   for (const VmOp &op : ops) {
      batch.firstKernelOp_.push_back(static_cast<uint32_t>(batch.kernelOps_.size()));
      const uint32_t flags = static_cast<uint32_t>(op.flags);
      if (op.isSparse() && !sparse.native) {
         batch.addEmulatedSparse(op, sparse);
      } else if (op.isSparse()) {
         batch.addKernelOp(typeBits(op.type) | flags, 0, 0, op.va, op.size, op.waits,
                           op.signals);
      } else {
         batch.addKernelOp(typeBits(op.type) | flags, op.bo ? op.bo->handle() : 0, op.boOffset,
                           op.va, op.size, op.waits, op.signals);
      }
   }
   return batch;
}

void BindBatch::addKernelOp(uint32_t flags, uint32_t boHandle, uint64_t boOffset, uint64_t va,
                            uint64_t size, std::span<const SyncPoint> waits,
                            std::span<const SyncPoint> signals) {
   drm_panthor_vm_bind_op kernelOp{};
   kernelOp.flags = flags;
   kernelOp.bo_handle = boHandle;
   kernelOp.bo_offset = boOffset;
   kernelOp.va = va;
   kernelOp.size = size;
   kernelOp.syncs.stride = sizeof(drm_panthor_sync_op);
   kernelOp.syncs.count = static_cast<uint32_t>(waits.size() + signals.size());
   if (kernelOp.syncs.count)
      kernelOp.syncs.array = reinterpret_cast<uintptr_t>(syncs_.data() + syncs_.size());
   // Waits before signals, as the kernel processes them in array order.
   for (const SyncPoint &point : waits)
      syncs_.push_back({syncFlags(point, false), point.syncobj, point.value});
   for (const SyncPoint &point : signals)
      syncs_.push_back({syncFlags(point, true), point.syncobj, point.value});
   kernelOps_.push_back(kernelOp);
}

void BindBatch::addEmulatedSparse(const VmOp &op, const SparseLowering &sparse) {
   const uint32_t flags = DRM_PANTHOR_VM_BIND_OP_TYPE_MAP |
                          static_cast<uint32_t>(op.flags & ~MapFlags::Sparse);
   if (!splittable(op, sparse.vaBits)) {
      addKernelOp(flags, sparse.dummyBoHandle, op.va % kSparseDummySize, op.va, op.size,
                  op.waits, op.signals);
      return;
   }
   const uint64_t end = op.va + op.size;
   uint64_t va = op.va;
   while (va < end) {
      const uint64_t boundary = (va / kSparseDummySize + 1) * kSparseDummySize;
      // boundary wraps to 0 only at the very top of a 64-bit VA space.
      const uint64_t pieceEnd = (boundary == 0 || boundary > end) ? end : boundary;
      const bool first = va == op.va;
      const bool last = pieceEnd == end;
      addKernelOp(flags, sparse.dummyBoHandle, va % kSparseDummySize, va, pieceEnd - va,
                  first ? std::span<const SyncPoint>(op.waits) : std::span<const SyncPoint>(),
                  last ? std::span<const SyncPoint>(op.signals) : std::span<const SyncPoint>());
      va = pieceEnd;
   }
}

std::optional<uint32_t> BindBatch::callerOpFor(uint32_t kernelIndex) const {
   if (kernelIndex >= kernelOps_.size() || firstKernelOp_.empty())
      return std::nullopt;
   // The last caller op whose first kernel op is at or before kernelIndex.
   const auto next =
      std::upper_bound(firstKernelOp_.begin(), firstKernelOp_.end(), kernelIndex);
   return static_cast<uint32_t>(next - firstKernelOp_.begin() - 1);
}

} // namespace pan::kmod
