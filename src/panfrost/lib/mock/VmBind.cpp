// VM_BIND: checks every rule of the ABI on each op, then applies the ops in
// order (synchronous mode) or queues one job per op on the VM's bind queue
// (asynchronous mode).
#include <cerrno>
#include <vector>

#include "mock/Bo.h"
#include "mock/Device.h"
#include "mock/File.h"
#include "mock/Ioctls.h"
#include "mock/Syncobj.h"
#include "mock/SyncobjTable.h"
#include "mock/UserArray.h"
#include "mock/Vm.h"

namespace pan::mock {

namespace {

constexpr uint64_t kPageMask = PhysicalMemory::kPageSize - 1;
constexpr uint32_t kTypeMask = DRM_PANTHOR_VM_BIND_OP_TYPE_MASK;

// An op that passed every check, with its BO resolved (the file's sparse
// dummy for a sparse map), so that running it needs nothing of the file.
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
         return file.sparseDummy(&out->bo);
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
applyOp(Vm &vm, const CheckedOp &checked)
{
   const drm_panthor_vm_bind_op &op = checked.op;
   switch (checked.type()) {
   case DRM_PANTHOR_VM_BIND_OP_TYPE_MAP: {
      const uint32_t mapFlags = op.flags & ~kTypeMask;
      if (mapFlags & DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE)
         return vm.mapSparse(checked.bo, op.va, op.size, mapFlags);
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
         err = applyOp(vm, checked);
      if (err) {
         args.ops.count = i;
         return err;
      }
   }
   return 0;
}

// One async op, checked and with its syncs resolved, ready to queue.
struct PreparedJob {
   CheckedOp op;
   std::vector<std::shared_ptr<Fence>> waits;
   std::vector<std::pair<std::shared_ptr<Syncobj>, uint64_t>> signals; // point 0: binary
};

constexpr uint32_t kSyncTypeMask = DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_MASK;

int
prepareSyncs(File &file, const drm_panthor_vm_bind_op &op, PreparedJob *job)
{
   std::vector<drm_panthor_sync_op> syncs;
   if (int err = readUserArray(op.syncs, &syncs))
      return err;
   for (const drm_panthor_sync_op &sync : syncs) {
      const uint32_t type = sync.flags & kSyncTypeMask;
      if (sync.flags & ~(kSyncTypeMask | uint32_t(DRM_PANTHOR_SYNC_OP_SIGNAL)))
         return -EINVAL;
      if (type != DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ &&
          type != DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ)
         return -EINVAL;
      if (type == DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ && sync.timeline_value)
         return -EINVAL;
      const uint64_t point =
         type == DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ ? sync.timeline_value : 0;
      std::shared_ptr<Syncobj> syncobj = file.syncobjs().lookup(sync.handle);
      if (sync.flags & DRM_PANTHOR_SYNC_OP_SIGNAL) {
         if (!syncobj)
            return -EINVAL;
         job->signals.emplace_back(std::move(syncobj), point);
      } else {
         // As drm_syncobj_find_fence() answers: no such handle is ENOENT, a
         // point with no fence yet is EINVAL (the kernel never waits for a
         // submission here).
         if (!syncobj)
            return -ENOENT;
         std::shared_ptr<Fence> fence = syncobj->fenceFor(point);
         if (!fence)
            return -EINVAL;
         job->waits.push_back(std::move(fence));
      }
   }
   return 0;
}

// What a queued job does when it runs. A failure makes the VM unusable; a
// job that runs on an unusable VM fails without touching it.
int
runJob(Vm &vm, const CheckedOp &op, bool injectedFailure)
{
   if (vm.unusable())
      return -EINVAL;
   const int err = injectedFailure ? -ENOMEM : applyOp(vm, op);
   if (err)
      vm.markUnusable();
   return err;
}

// Asynchronous mode: every op is checked and its syncs resolved before any
// job is queued, so a bad op queues nothing. Each op is one job.
int
bindAsync(File &file, const std::shared_ptr<Vm> &vm, const std::vector<drm_panthor_vm_bind_op> &ops)
{
   if (vm->unusable())
      return -EINVAL;
   std::vector<PreparedJob> jobs(ops.size());
   for (size_t i = 0; i < ops.size(); i++) {
      // Decision (ABI.md only speaks of the sync path): an empty MAP or UNMAP
      // is refused here, as an empty range is no valid range for the queue.
      const uint32_t type = ops[i].flags & kTypeMask;
      if (!ops[i].size && type != DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY)
         return -EINVAL;
      if (int err = checkOp(file, *vm, ops[i], &jobs[i].op))
         return err;
      if (int err = prepareSyncs(file, ops[i], &jobs[i]))
         return err;
   }
   for (PreparedJob &prepared : jobs) {
      auto done = Fence::create();
      // Signal points are submitted now, so later waits on them are valid.
      for (auto &[syncobj, point] : prepared.signals)
         syncobj->attach(point, done);
      BindQueue::Job job;
      job.waits = Fence::allOf(std::move(prepared.waits));
      job.done = std::move(done);
      // The queue belongs to the VM and stops before it goes: a raw pointer is safe.
      job.work = [raw = vm.get(), op = std::move(prepared.op), fail = file.device().bindJobFailureFires()] {
         return runJob(*raw, op, fail);
      };
      vm->queueBindJob(std::move(job));
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
      return bindAsync(file, vm, ops);
   return bindSync(file, *vm, args, ops);
}

} // namespace pan::mock
