// Helpers for the drm-shim's C++ tests: ioctls through a mock File, and the
// pages the mock's memory has handed out.
#pragma once

#include <cstdint>

#include "drm-uapi/panthor_drm.h"
#include "mock/Device.h"
#include "mock/File.h"
#include "mock/PhysicalMemory.h"

namespace pan::drmshim::testutil {

constexpr uint64_t kMiB = 1024 * 1024;

inline mock::DeviceOptions
testOptions(unsigned minor = 10)
{
   return {.minorVersion = minor, .memoryBytes = 128 * kMiB};
}

// Every page the device's memory has given out, whoever asked.
inline uint64_t
pagesInUse(mock::Device &device)
{
   uint64_t pages = 0;
   for (auto site : {mock::AllocSite::BoPages, mock::AllocSite::PageTablePages, mock::AllocSite::FaultPages})
      pages += device.memory().counters(site).pagesInUse;
   return pages;
}

inline int
createBo(mock::File &file, uint64_t size, uint32_t *handle, uint32_t flags = 0, uint32_t exclusiveVm = 0)
{
   drm_panthor_bo_create args{};
   args.size = size;
   args.flags = flags;
   args.exclusive_vm_id = exclusiveVm;
   const int result = file.ioctl(DRM_IOCTL_PANTHOR_BO_CREATE, &args);
   *handle = result ? 0 : args.handle;
   return result;
}

inline int
createVm(mock::File &file, uint32_t *id)
{
   drm_panthor_vm_create args{};
   const int result = file.ioctl(DRM_IOCTL_PANTHOR_VM_CREATE, &args);
   *id = result ? 0 : args.id;
   return result;
}

inline int
bind(mock::File &file, uint32_t vm, drm_panthor_vm_bind_op op)
{
   drm_panthor_vm_bind args{};
   args.vm_id = vm;
   args.ops = {.stride = sizeof(op), .count = 1, .array = reinterpret_cast<uint64_t>(&op)};
   return file.ioctl(DRM_IOCTL_PANTHOR_VM_BIND, &args);
}

inline int
exportBo(mock::File &file, uint32_t handle, uint32_t flags, int *fd)
{
   drm_prime_handle args{.handle = handle, .flags = flags, .fd = -1};
   const int result = file.ioctl(DRM_IOCTL_PRIME_HANDLE_TO_FD, &args);
   *fd = args.fd;
   return result;
}

inline int
importBo(mock::File &file, int fd, uint32_t *handle)
{
   drm_prime_handle args{.handle = 0, .flags = 0, .fd = fd};
   const int result = file.ioctl(DRM_IOCTL_PRIME_FD_TO_HANDLE, &args);
   *handle = args.handle;
   return result;
}

} // namespace pan::drmshim::testutil
