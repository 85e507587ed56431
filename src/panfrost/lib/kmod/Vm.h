// A GPU virtual address space (panthor VM) and its VM_BIND.
//
// bind() sends all of a call's ops in ONE VM_BIND ioctl. Sparse maps
// (VmOp::sparse) work on every kernel: natively with MAP_SPARSE from 1.9,
// before that as maps of a 2 MiB dummy BO private to this VM (created on first
// use, kept for the VM's life), cut at every 2 MiB VA boundary. Only stats()
// shows the difference.
//
// Errors: a failing Immediate bind reports the caller's op index in
// Error::opIndex; the ops before it stay applied, as in the kernel. Ops kmod
// itself rejects (a map without a BO, a sparse op with a BO or without
// NoExec) also carry opIndex, but then nothing was sent and nothing applied.
//
// Thread-safety: every method may be called from any thread; concurrent binds
// reach the kernel in an unspecified order.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>

#include "kmod/Bo.h"
#include "kmod/Result.h"
#include "kmod/VmOp.h"

namespace pan::kmod {

class Device;

struct BindStats {
   uint64_t ioctls = 0;    // VM_BIND ioctls sent by this VM
   uint64_t kernelOps = 0; // drm_panthor_vm_bind_op entries in them
};

class Vm {
public:
   enum class BindMode {
      Immediate, // applied before bind() returns; ops may not have waits/signals
      Async,     // queued on the VM's bind queue, runs after its waits
   };

   // userVaRange 0 lets the kernel choose; userVaRange() is what it chose.
   static Result<std::unique_ptr<Vm>> create(Device &device, uint64_t userVaRange = 0);
   ~Vm(); // VM_DESTROY, then the sparse dummy BO goes
   Vm(const Vm &) = delete;
   Vm &operator=(const Vm &) = delete;

   uint32_t id() const { return id_; }
   uint64_t userVaRange() const { return userVaRange_; }
   Device &device() const { return *device_; }

   // DRM_PANTHOR_VM_STATE_USABLE or DRM_PANTHOR_VM_STATE_UNUSABLE.
   Result<uint32_t> state() const;
   // Whether an async bind was ever accepted. Its job can still fail in the
   // kernel, and says so only by leaving the VM unusable (its fence signals
   // all the same), so callers look at state() after waiting for such jobs.
   bool sentAsyncBinds() const { return asyncBindsSent_.load(std::memory_order_acquire); }

   // An empty span succeeds without an ioctl.
   Result<void> bind(std::span<const VmOp> ops, BindMode mode);

   BindStats stats() const;
   void resetStats();
   // The emulation's dummy BO, or null (native sparse, or no sparse op yet).
   const Bo *sparseDummy() const;

private:
   Vm(Device &device, uint32_t id, uint64_t userVaRange)
      : device_(&device), id_(id), userVaRange_(userVaRange) {}
   Result<uint32_t> sparseDummyHandle();

   Device *device_;
   uint32_t id_;
   uint64_t userVaRange_;

   mutable std::mutex dummyMutex_;
   std::unique_ptr<Bo> sparseDummy_;

   std::atomic<uint64_t> bindIoctls_{0};
   std::atomic<uint64_t> kernelOps_{0};
   std::atomic<bool> asyncBindsSent_{false};
};

} // namespace pan::kmod
