// Turns a caller's VmOps into the drm_panthor_vm_bind_op array of one VM_BIND
// ioctl, emulating sparse maps on kernels without MAP_SPARSE.
//
// Emulation (panthor < 1.9): a sparse op becomes maps of the VM's own 2 MiB
// dummy BO, one per 2 MiB VA stretch (cut at every 2 MiB VA boundary), at BO
// offset va % 2 MiB, so that the dummy repeats with VA just as the kernel's
// does and 2 MiB-aligned stretches can use 2 MiB blocks. Its waits go on the
// first piece and its signals on the last.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "drm-uapi/panthor_drm.h"
#include "kmod/Result.h"
#include "kmod/VmOp.h"

namespace pan::kmod {

constexpr uint64_t kSparseDummySize = 2ull << 20;

struct SparseLowering {
   bool native = false;        // the kernel takes MAP_SPARSE
   uint32_t dummyBoHandle = 0; // emulation: the VM's dummy BO
   unsigned vaBits = 64;       // emulation: ops beyond this go to the kernel as is
};

class BindBatch {
public:
   // Validates what the kernel cannot see (a map without a BO, a sparse op with
   // one or without NoExec): EINVAL with opIndex, nothing built.
   static Result<BindBatch> build(std::span<const VmOp> ops, const SparseLowering &sparse);

   BindBatch(BindBatch &&) = default;
   BindBatch &operator=(BindBatch &&) = default;
   BindBatch(const BindBatch &) = delete;
   BindBatch &operator=(const BindBatch &) = delete;

   std::span<const drm_panthor_vm_bind_op> kernelOps() const { return kernelOps_; }
   // The caller's op that produced kernel op `kernelIndex`.
   std::optional<uint32_t> callerOpFor(uint32_t kernelIndex) const;

private:
   BindBatch() = default;
   void addKernelOp(uint32_t flags, uint32_t boHandle, uint64_t boOffset, uint64_t va,
                    uint64_t size, std::span<const SyncPoint> waits,
                    std::span<const SyncPoint> signals);
   void addEmulatedSparse(const VmOp &op, const SparseLowering &sparse);

   std::vector<drm_panthor_vm_bind_op> kernelOps_;
   // Sized up front: kernel ops point into it.
   std::vector<drm_panthor_sync_op> syncs_;
   std::vector<uint32_t> firstKernelOp_; // per caller op
};

} // namespace pan::kmod
