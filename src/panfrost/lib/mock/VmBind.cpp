// VM_BIND: checks every rule of the ABI on each op, then applies the ops in
// order (synchronous mode) on the VM.
#include <cerrno>
#include <vector>

#include "mock/Bo.h"
#include "mock/Device.h"
#include "mock/File.h"
#include "mock/Ioctls.h"
#include "mock/UserArray.h"
#include "mock/Vm.h"

namespace pan::mock {

namespace {

constexpr uint64_t kPageMask = PhysicalMemory::kPageSize - 1;
constexpr uint32_t kTypeMask = DRM_PANTHOR_VM_BIND_OP_TYPE_MASK;

// An op that passed every check, with its BO resolved.
struct CheckedOp {
   drm_panthor_vm_bind_op op;
   std::shared_ptr<Bo> bo;
   uint32_t type() const { return op.flags & kTypeMask; }
};

// va and size are page aligned, and the range lies in the VM's user VA range.
// The kernel refuses ranges that overlap its own reserved region at the top
// (drm_gpuvm's range check), which also covers "fits in 2^va_bits".
bool
rangeIsValid(const Vm &vm, uint64_t va, uint64_t size)
{
   if ((va & kPageMask) || (size & kPageMask))
      return false;
   if (va + size < va)
      return false;
   return va + size <= vm.userVaRange();
}

int
checkOp(File &file, const Vm &vm, const drm_panthor_vm_bind_op &op, CheckedOp *out)
{
   out->op = op;
   out->bo.reset();
   const uint32_t type = op.flags & kTypeMask;
   const uint32_t modifiers = op.flags & ~kTypeMask;
   switch (type) {
   case DRM_PANTHOR_VM_BIND_OP_TYPE_MAP: {
      uint32_t allowed = DRM_PANTHOR_VM_BIND_OP_MAP_READONLY | DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC |
                         DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED;
      if (file.device().hasSparseMap())
         allowed |= DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE;
      if ((modifiers & ~allowed) || (op.bo_offset & kPageMask) || !rangeIsValid(vm, op.va, op.size))
         return -EINVAL;
      if (modifiers & DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE) {
         if (op.bo_handle || op.bo_offset || !(modifiers & DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC))
            return -EINVAL;
         return 0;
      }
      // The kernel answers an unknown handle here with EINVAL, not ENOENT.
      out->bo = file.lookupBo(op.bo_handle);
      if (!out->bo)
         return -EINVAL;
      if (out->bo->exclusiveVmId() && out->bo->exclusiveVmId() != vm.id())
         return -EINVAL;
      if (op.bo_offset > out->bo->size() || op.size > out->bo->size() - op.bo_offset)
         return -EINVAL;
      return 0;
   }
   case DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP:
      if (modifiers || op.bo_handle || op.bo_offset || !rangeIsValid(vm, op.va, op.size))
         return -EINVAL;
      return 0;
   case DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY:
      if (modifiers || op.bo_handle || op.bo_offset || op.va || op.size || !op.syncs.count)
         return -EINVAL;
      return 0;
   default:
      return -EINVAL;
   }
}

int
applyOp(File &file, Vm &vm, const CheckedOp &checked)
{
   const drm_panthor_vm_bind_op &op = checked.op;
   switch (checked.type()) {
   case DRM_PANTHOR_VM_BIND_OP_TYPE_MAP: {
      const uint32_t mapFlags = op.flags & ~kTypeMask;
      if (mapFlags & DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE) {
         std::shared_ptr<Bo> dummy;
         if (int err = file.sparseDummy(&dummy))
            return err;
         return vm.mapSparse(std::move(dummy), op.va, op.size, mapFlags);
      }
      return vm.map(checked.bo, op.bo_offset, op.va, op.size, mapFlags);
   }
   case DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP:
      return vm.unmap(op.va, op.size);
   default:
      return 0; // SYNC_ONLY changes no mapping
   }
}

// Synchronous mode: ops run one by one; the first failure stops the ioctl,
// which reports the failing index through ops.count. Earlier ops stay applied.
int
bindSync(File &file, Vm &vm, drm_panthor_vm_bind &args, const std::vector<drm_panthor_vm_bind_op> &ops)
{
   for (uint32_t i = 0; i < ops.size(); i++) {
      const drm_panthor_vm_bind_op &op = ops[i];
      int err = 0;
      CheckedOp checked;
      // The kernel's order: syncs are refused first, then an empty op is a
      // no-op whatever else it says.
      if (op.syncs.count)
         err = -EINVAL;
      else if (!op.size)
         continue;
      else if (!(err = checkOp(file, vm, op, &checked)) && vm.unusable() &&
               checked.type() != DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP)
         err = -EINVAL; // an unusable VM still takes unmaps on this path
      if (!err)
         err = applyOp(file, vm, checked);
      if (err) {
         args.ops.count = i;
         return err;
      }
   }
   return 0;
}

} // namespace

int
vmBind(File &file, drm_panthor_vm_bind &args)
{
   if (args.flags & ~uint32_t(DRM_PANTHOR_VM_BIND_ASYNC))
      return -EINVAL;
   std::shared_ptr<Vm> vm = file.lookupVm(args.vm_id);
   if (!vm)
      return -EINVAL;
   if (!args.ops.count)
      return 0;
   std::vector<drm_panthor_vm_bind_op> ops;
   if (int err = readUserArray(args.ops, &ops))
      return err;
   if (args.flags & DRM_PANTHOR_VM_BIND_ASYNC)
      return -EINVAL; // TODO(#3): the bind queue
   return bindSync(file, *vm, args, ops);
}

} // namespace pan::mock
