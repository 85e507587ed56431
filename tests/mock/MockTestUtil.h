// Helpers for tests that drive the mock kernel through its ioctls: building
// argument structs, creating BOs and VMs, binding, and reading what the page
// walk ends at. Every helper goes through File::ioctl, as user space would.
#pragma once

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <vector>

#include "drm-uapi/panthor_drm.h"
#include "mock/Bo.h"
#include "mock/Device.h"
#include "mock/File.h"
#include "mock/Vm.h"

namespace pan::mock::testutil {

constexpr uint64_t kKiB = 1024;
constexpr uint64_t kMiB = 1024 * kKiB;
constexpr uint64_t kGiB = 1024 * kMiB;
constexpr uint64_t kPage = 4 * kKiB;
constexpr uint64_t kBlock = 2 * kMiB;
constexpr uint64_t kKernelVaReserve = 256 * kMiB;

constexpr uint32_t kReadOnly = DRM_PANTHOR_VM_BIND_OP_MAP_READONLY;
constexpr uint32_t kNoExec = DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC;
constexpr uint32_t kUncached = DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED;
constexpr uint32_t kSparse = DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE;
constexpr uint32_t kOpMap = DRM_PANTHOR_VM_BIND_OP_TYPE_MAP;
constexpr uint32_t kOpUnmap = DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP;
constexpr uint32_t kOpSyncOnly = DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY;

inline std::shared_ptr<Device>
makeDevice(unsigned minor = 10, uint64_t memoryBytes = 256 * kMiB)
{
   return Device::create({.minorVersion = minor, .memoryBytes = memoryBytes});
}

inline int
createBo(File &file, uint64_t size, uint32_t flags, uint32_t *handle, uint32_t exclusiveVmId = 0)
{
   drm_panthor_bo_create args{};
   args.size = size;
   args.flags = flags;
   args.exclusive_vm_id = exclusiveVmId;
   const int r = file.ioctl(DRM_IOCTL_PANTHOR_BO_CREATE, &args);
   *handle = r ? 0 : args.handle;
   return r;
}

// A BO that the test needs to exist: 0 (and a recorded failure) if it cannot.
inline uint32_t
newBo(File &file, uint64_t size, uint32_t flags = 0, uint32_t exclusiveVmId = 0)
{
   uint32_t handle = 0;
   const int r = createBo(file, size, flags, &handle, exclusiveVmId);
   EXPECT_EQ(r, 0) << "BO_CREATE of " << size << " bytes";
   return handle;
}

inline int
createVm(File &file, uint32_t *id, uint64_t userVaRange = 0)
{
   drm_panthor_vm_create args{};
   args.user_va_range = userVaRange;
   const int r = file.ioctl(DRM_IOCTL_PANTHOR_VM_CREATE, &args);
   *id = r ? 0 : args.id;
   return r;
}

inline uint32_t
newVm(File &file, uint64_t userVaRange = 0)
{
   uint32_t id = 0;
   EXPECT_EQ(createVm(file, &id, userVaRange), 0) << "VM_CREATE";
   return id;
}

inline int
destroyVm(File &file, uint32_t id)
{
   drm_panthor_vm_destroy args{};
   args.id = id;
   return file.ioctl(DRM_IOCTL_PANTHOR_VM_DESTROY, &args);
}

inline int
closeBo(File &file, uint32_t handle)
{
   drm_gem_close args{};
   args.handle = handle;
   return file.ioctl(DRM_IOCTL_GEM_CLOSE, &args);
}

inline drm_panthor_vm_bind_op
mapOp(uint32_t bo, uint64_t boOffset, uint64_t va, uint64_t size, uint32_t flags = 0)
{
   drm_panthor_vm_bind_op op{};
   op.flags = kOpMap | flags;
   op.bo_handle = bo;
   op.bo_offset = boOffset;
   op.va = va;
   op.size = size;
   return op;
}

inline drm_panthor_vm_bind_op
sparseOp(uint64_t va, uint64_t size, uint32_t flags = kNoExec)
{
   return mapOp(0, 0, va, size, kSparse | flags);
}

inline drm_panthor_vm_bind_op
unmapOp(uint64_t va, uint64_t size)
{
   drm_panthor_vm_bind_op op{};
   op.flags = kOpUnmap;
   op.va = va;
   op.size = size;
   return op;
}

// Synchronous VM_BIND of `ops`. *reportedCount receives ops.count as the
// kernel left it (the failing index on error).
inline int
bindOps(File &file, uint32_t vm, const std::vector<drm_panthor_vm_bind_op> &ops,
     uint32_t *reportedCount = nullptr, uint32_t flags = 0)
{
   drm_panthor_vm_bind args{};
   args.vm_id = vm;
   args.flags = flags;
   args.ops.stride = sizeof(drm_panthor_vm_bind_op);
   args.ops.count = uint32_t(ops.size());
   args.ops.array = reinterpret_cast<uint64_t>(ops.data());
   const int r = file.ioctl(DRM_IOCTL_PANTHOR_VM_BIND, &args);
   if (reportedCount)
      *reportedCount = args.ops.count;
   return r;
}

inline int
bindOne(File &file, uint32_t vm, const drm_panthor_vm_bind_op &op)
{
   return bindOps(file, vm, {op});
}

inline int
mmapOffset(File &file, uint32_t handle, uint64_t *offset)
{
   drm_panthor_bo_mmap_offset args{};
   args.handle = handle;
   const int r = file.ioctl(DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &args);
   *offset = args.offset;
   return r;
}

inline uint8_t *
physByte(uint64_t phys)
{
   return reinterpret_cast<uint8_t *>(phys);
}

// The physical address backing BO offset `offset` (0 if none).
inline uint64_t
boPhys(File &file, uint32_t handle, uint64_t offset)
{
   std::shared_ptr<Bo> bo = file.lookupBo(handle);
   return bo ? bo->backingAt(offset).phys : 0;
}

// Base of the file's sparse dummy (created if needed), which the tests expect
// to be one physically contiguous 2 MiB block.
inline uint64_t
dummyBase(File &file)
{
   std::shared_ptr<Bo> dummy;
   if (file.sparseDummy(&dummy) != 0)
      return 0;
   const Backing backing = dummy->backingAt(0);
   EXPECT_EQ(backing.contiguous, kBlock) << "the dummy is one 2 MiB block";
   return backing.phys;
}

inline std::optional<Translation>
translate(File &file, uint32_t vm, uint64_t va)
{
   std::shared_ptr<Vm> v = file.lookupVm(vm);
   if (!v)
      return std::nullopt;
   return v->translate(va);
}

inline uint64_t
pagesInUse(Device &device, AllocSite site)
{
   return device.memory().counters(site).pagesInUse;
}

} // namespace pan::mock::testutil
