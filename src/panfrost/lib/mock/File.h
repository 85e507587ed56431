// One open file of the mock panthor device: the per-file handle tables (BOs,
// VMs, syncobjs), the per-file sparse dummy BO, and the ioctl and mmap entry
// points that the in-process transport and the drm-shim call.
//
// Entry points take the same structs as the kernel's ioctls and return 0 or
// -errno; user pointers inside them are pointers of this process.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "drm-uapi/panthor_drm.h"

namespace pan::mock {

class Bo;
class Device;
class SyncobjTable;
class Vm;
template <typename T> class HandleTable;

class File {
public:
   explicit File(std::shared_ptr<Device> device);
   ~File(); // releases every handle, VM and mapping, as close() does
   File(const File &) = delete;
   File &operator=(const File &) = delete;

   // Any ioctl request: panthor's, and the DRM core ones the mock implements
   // (VERSION, GET_CAP, GEM_CLOSE, the syncobj family). A request the kernel
   // does not know is -EINVAL, as drm_ioctl() answers.
   int ioctl(unsigned long request, void *arg);

   // mmap() of an offset returned by BO_MMAP_OFFSET. Returns the address, or
   // nullptr with *error = errno value.
   void *mmap(void *addr, size_t length, int prot, int flags, uint64_t offset, int *error);

   Device &device() { return *device_; }

   // Direct access for tests, the drm-shim and the hardware model.
   std::shared_ptr<Bo> lookupBo(uint32_t handle) const;
   std::shared_ptr<Vm> lookupVm(uint32_t id) const;
   // This file's handle for a BO, 0 if it has none (debugfs-style dumps).
   uint32_t handleOf(const Bo *bo) const;
   SyncobjTable &syncobjs() { return *syncobjs_; }
   // The per-file 2 MiB dummy that sparse maps point at, created on first use
   // (0 or -ENOMEM). Never shared with another file.
   int sparseDummy(std::shared_ptr<Bo> *out);
   size_t boCount() const;
   size_t vmCount() const;
   uint64_t residentBytes() const; // pages of this file's BOs (not the dummy)

   // Opaque outside File.cpp; public so that the ioctl handlers there can name it.
   struct Impl;

private:
   std::shared_ptr<Device> device_;
   std::unique_ptr<SyncobjTable> syncobjs_;
   std::unique_ptr<Impl> impl_;
};

// DRM_IOCTL_PRIME_HANDLE_TO_FD / PRIME_FD_TO_HANDLE for the device's BOs
// (Prime.cpp). File's dispatcher passes its BO table and the mutex guarding it.
int primeHandleToFd(File &file, drm_prime_handle &args);
int primeFdToHandle(File &file, std::mutex &mutex, HandleTable<Bo> &bos, drm_prime_handle &args);

} // namespace pan::mock
