#include "kmod/Vm.h"

#include <algorithm>
#include <string>

#include "drm-uapi/panthor_drm.h"
#include "kmod/Device.h"
#include "kmod/panthor/BindMarshaller.h"

namespace pan::kmod {

Result<std::unique_ptr<Vm>> Vm::create(Device &device, uint64_t userVaRange) {
   drm_panthor_vm_create args{};
   args.user_va_range = userVaRange;
   if (const int ret = device.ioctl(DRM_IOCTL_PANTHOR_VM_CREATE, &args); ret < 0)
      return fail(-ret, "VM_CREATE");
   return std::unique_ptr<Vm>(new Vm(device, args.id, args.user_va_range));
}

Vm::~Vm() {
   drm_panthor_vm_destroy args{};
   args.id = id_;
   device_->ioctl(DRM_IOCTL_PANTHOR_VM_DESTROY, &args);
}

Result<uint32_t> Vm::state() const {
   drm_panthor_vm_get_state args{};
   args.vm_id = id_;
   if (const int ret = device_->ioctl(DRM_IOCTL_PANTHOR_VM_GET_STATE, &args); ret < 0)
      return fail(-ret, "VM_GET_STATE");
   return args.state;
}

const Bo *Vm::sparseDummy() const {
   std::lock_guard lock(dummyMutex_);
   return sparseDummy_.get();
}

Result<uint32_t> Vm::sparseDummyHandle() {
   std::lock_guard lock(dummyMutex_);
   if (!sparseDummy_) {
      BoCreateInfo info;
      info.size = kSparseDummySize;
      info.flags = BoFlags::NoMmap;
      info.exclusiveVm = this;
      Result<std::unique_ptr<Bo>> bo = Bo::create(*device_, info);
      if (!bo)
         return fail(bo.error().errnum, "sparse dummy BO_CREATE");
      sparseDummy_ = std::move(bo.value());
   }
   return sparseDummy_->handle();
}

Result<void> Vm::bind(std::span<const VmOp> ops, BindMode mode) {
   if (ops.empty())
      return success();

   SparseLowering sparse;
   sparse.native = device_->features().nativeSparseMap;
   sparse.vaBits = device_->vaBits();
   const bool needsDummy = !sparse.native &&
      std::any_of(ops.begin(), ops.end(), [](const VmOp &op) { return op.isSparse(); });
   if (needsDummy) {
      Result<uint32_t> dummy = sparseDummyHandle();
      if (!dummy)
         return dummy.takeError();
      sparse.dummyBoHandle = dummy.value();
   }

   Result<BindBatch> batch = BindBatch::build(ops, sparse);
   if (!batch)
      return batch.takeError();
   const std::span<const drm_panthor_vm_bind_op> kernelOps = batch->kernelOps();
   const uint32_t sentCount = static_cast<uint32_t>(kernelOps.size());

   drm_panthor_vm_bind args{};
   args.vm_id = id_;
   args.flags = mode == BindMode::Async ? DRM_PANTHOR_VM_BIND_ASYNC : 0;
   args.ops.stride = sizeof(drm_panthor_vm_bind_op);
   args.ops.count = sentCount;
   args.ops.array = reinterpret_cast<uintptr_t>(kernelOps.data());

   bindIoctls_.fetch_add(1, std::memory_order_relaxed);
   kernelOps_.fetch_add(sentCount, std::memory_order_relaxed);
   const int ret = device_->ioctl(DRM_IOCTL_PANTHOR_VM_BIND, &args);
   if (ret == 0) {
      if (mode == BindMode::Async)
         asyncBindsSent_.store(true, std::memory_order_release);
      return success();
   }

   // A synchronous failure leaves the failing kernel op's index in ops.count;
   // an untouched count means the kernel failed before running any op.
   std::optional<uint32_t> callerOp;
   if (mode == BindMode::Immediate && args.ops.count < sentCount)
      callerOp = batch->callerOpFor(args.ops.count);
   if (!callerOp)
      return fail(-ret, mode == BindMode::Async ? "VM_BIND (async)" : "VM_BIND");
   Error error = fail(-ret, "VM_BIND op " + std::to_string(*callerOp));
   error.opIndex = callerOp;
   return error;
}

BindStats Vm::stats() const {
   BindStats stats;
   stats.ioctls = bindIoctls_.load(std::memory_order_relaxed);
   stats.kernelOps = kernelOps_.load(std::memory_order_relaxed);
   return stats;
}

void Vm::resetStats() {
   bindIoctls_.store(0, std::memory_order_relaxed);
   kernelOps_.store(0, std::memory_order_relaxed);
}

} // namespace pan::kmod
