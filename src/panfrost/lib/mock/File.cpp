#include "mock/File.h"

#include <sys/ioctl.h>
#include <sys/mman.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <map>

#include "mock/Bo.h"
#include "mock/Device.h"
#include "mock/HandleTable.h"
#include "mock/Ioctls.h"
#include "mock/SyncobjTable.h"
#include "mock/UserArray.h"
#include "mock/Vm.h"

namespace pan::mock {

namespace {

constexpr uint64_t kPageSize = PhysicalMemory::kPageSize;
constexpr uint32_t kMaxVmsPerFile = 32;
// The kernel keeps at least this much at the top of the VA space for itself.
constexpr uint64_t kKernelVaReserve = 256ull << 20;
// A label is at most 4096 bytes, its NUL included.
constexpr size_t kMaxLabelBytes = 4096;

} // namespace

struct File::Impl {
   mutable std::mutex mutex;
   HandleTable<Bo> bos{1, INT32_MAX};
   HandleTable<Vm> vms{1, kMaxVmsPerFile};
   std::shared_ptr<Bo> dummy;
   // BO_MMAP_OFFSET results this file may mmap: start offset -> BO.
   std::map<uint64_t, std::weak_ptr<Bo>> mmapOffsets;
   uint64_t userMmioOffset = 0;
};

File::File(std::shared_ptr<Device> device)
   : device_(std::move(device)), syncobjs_(std::make_unique<SyncobjTable>()),
     impl_(std::make_unique<Impl>())
{
}

File::~File()
{
   // VMs first: their mappings hold BO references and the dummy.
   impl_->vms.clear();
   impl_->bos.clear();
   impl_->dummy.reset();
   device_->fileClosed(this);
}

std::shared_ptr<Bo>
File::lookupBo(uint32_t handle) const
{
   std::lock_guard lock(impl_->mutex);
   return impl_->bos.lookup(handle);
}

std::shared_ptr<Vm>
File::lookupVm(uint32_t id) const
{
   std::lock_guard lock(impl_->mutex);
   return impl_->vms.lookup(id);
}

uint32_t
File::handleOf(const Bo *bo) const
{
   std::lock_guard lock(impl_->mutex);
   for (const auto &[handle, object] : impl_->bos.objects()) {
      if (object.get() == bo)
         return handle;
   }
   return 0;
}

size_t
File::boCount() const
{
   std::lock_guard lock(impl_->mutex);
   return impl_->bos.size();
}

size_t
File::vmCount() const
{
   std::lock_guard lock(impl_->mutex);
   return impl_->vms.size();
}

uint64_t
File::residentBytes() const
{
   std::lock_guard lock(impl_->mutex);
   uint64_t total = 0;
   for (const auto &[handle, bo] : impl_->bos.objects())
      total += bo->residentBytes();
   return total;
}

int
File::sparseDummy(std::shared_ptr<Bo> *out)
{
   std::lock_guard lock(impl_->mutex);
   if (!impl_->dummy) {
      Bo::CreateInfo info{.size = Vm::kDummySize, .flags = DRM_PANTHOR_BO_NO_MMAP};
      if (int err = Bo::create(device_->memory(), info, &impl_->dummy))
         return err;
   }
   *out = impl_->dummy;
   return 0;
}

// ---- BO ioctls -------------------------------------------------------------

namespace {

int
boCreate(File &file, Device &device, File::Impl &impl, drm_panthor_bo_create &args)
{
   uint32_t known = DRM_PANTHOR_BO_NO_MMAP;
   if (device.minorVersion() >= 7)
      known |= DRM_PANTHOR_BO_WB_MMAP;
   if (device.hasAllocOnFault())
      known |= DRM_PANTHOR_BO_ALLOC_ON_FAULT;
   if (args.flags & ~known)
      return -EINVAL;
   if ((args.flags & DRM_PANTHOR_BO_NO_MMAP) && (args.flags & DRM_PANTHOR_BO_WB_MMAP))
      return -EINVAL;
   if (args.size == 0 || args.size > UINT64_MAX - (kPageSize - 1))
      return -EINVAL;
   const uint64_t size = (args.size + kPageSize - 1) & ~(kPageSize - 1);

   uint64_t granularity = 0;
   if (args.flags & DRM_PANTHOR_BO_ALLOC_ON_FAULT) {
      granularity = args.alloc_on_fault_granularity;
      if (!std::has_single_bit(granularity) || granularity < kPageSize || granularity > size)
         return -EINVAL;
   } else if (args.pad) {
      return -EINVAL;
   }
   if (args.exclusive_vm_id && !file.lookupVm(args.exclusive_vm_id))
      return -EINVAL;
   // Fail fast rather than allocate the whole budget and give it back.
   if (!granularity && size > device.memory().freeBytes())
      return -ENOMEM;

   std::shared_ptr<Bo> bo;
   Bo::CreateInfo info{size, args.flags, args.exclusive_vm_id, granularity};
   if (int err = Bo::create(device.memory(), info, &bo))
      return err;
   std::lock_guard lock(impl.mutex);
   const uint32_t handle = impl.bos.insert(std::move(bo));
   if (!handle)
      return -ENOSPC;
   args.size = size;
   args.handle = handle;
   return 0;
}

int
boMmapOffset(File &file, Device &device, File::Impl &impl, drm_panthor_bo_mmap_offset &args)
{
   if (args.pad)
      return -EINVAL;
   std::shared_ptr<Bo> bo = file.lookupBo(args.handle);
   if (!bo)
      return -ENOENT;
   // Alloc-on-fault BOs are GPU-only in the mock: a CPU fault would need the
   // same may-fail allocation as a GPU fault, which the proposal leaves
   // undefined, so they refuse CPU mappings like NO_MMAP BOs.
   if ((bo->flags() & DRM_PANTHOR_BO_NO_MMAP) || bo->allocOnFault())
      return -EPERM;
   std::lock_guard lock(impl.mutex);
   if (!bo->mmapOffset())
      bo->setMmapOffset(device.allocateMmapOffset(bo->size()));
   impl.mmapOffsets[bo->mmapOffset()] = bo;
   args.offset = bo->mmapOffset();
   return 0;
}

int
gemClose(File::Impl &impl, drm_gem_close &args)
{
   if (args.pad)
      return -EINVAL;
   std::shared_ptr<Bo> bo;
   {
      std::lock_guard lock(impl.mutex);
      bo = impl.bos.remove(args.handle);
   }
   return bo ? 0 : -EINVAL; // the last reference may free pages: outside the lock
}

int
boSetLabel(File &file, drm_panthor_bo_set_label &args)
{
   if (args.pad)
      return -EINVAL;
   std::shared_ptr<Bo> bo = file.lookupBo(args.handle);
   if (!bo)
      return -ENOENT;
   if (!args.label) {
      bo->setLabel({});
      return 0;
   }
   const char *text = reinterpret_cast<const char *>(args.label);
   const size_t length = strnlen(text, kMaxLabelBytes);
   if (length == kMaxLabelBytes)
      return -EINVAL;
   bo->setLabel(std::string(text, length));
   return 0;
}

int
boQueryInfo(File &file, drm_panthor_bo_query_info &args)
{
   if (args.pad)
      return -EINVAL;
   std::shared_ptr<Bo> bo = file.lookupBo(args.handle);
   if (!bo)
      return -ENOENT;
   args.extra_flags = bo->imported() ? DRM_PANTHOR_BO_IS_IMPORTED : 0;
   args.create_flags = bo->flags();
   return 0;
}

int
boSync(File &file, drm_panthor_bo_sync &args)
{
   std::vector<drm_panthor_bo_sync_op> ops;
   if (int err = readUserArray(args.ops, &ops))
      return err;
   for (const drm_panthor_bo_sync_op &op : ops) {
      std::shared_ptr<Bo> bo = file.lookupBo(op.handle);
      if (!bo)
         return -ENOENT;
      if (op.type > DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH_AND_INVALIDATE)
         return -EINVAL;
      if (op.size > bo->size() || op.offset > bo->size() - op.size)
         return -EINVAL;
      // The mock's memory is the host's, coherent with the CPU: nothing to flush.
   }
   return 0;
}

// ---- VM ioctls -------------------------------------------------------------

int
vmCreate(Device &device, File::Impl &impl, drm_panthor_vm_create &args)
{
   if (args.flags)
      return -EINVAL;
   const uint64_t fullRange = 1ull << device.vaBits();
   // 0 asks for a default: everything but the kernel's reserve.
   const uint64_t userRange = args.user_va_range ? args.user_va_range : fullRange - kKernelVaReserve;
   if (userRange > fullRange - kKernelVaReserve)
      return -EINVAL;
   std::lock_guard lock(impl.mutex);
   const uint32_t id = impl.vms.insert(nullptr); // the VM needs its id to be built
   if (!id)
      return -EBUSY; // all 32 ids taken: xa_alloc's answer in the kernel
   auto vm = std::make_shared<Vm>(device.memory(), id, device.vaBits(), userRange, &device.mmu());
   if (!vm->valid()) {
      impl.vms.remove(id);
      return -ENOMEM;
   }
   impl.vms.assign(id, std::move(vm));
   args.id = id;
   args.user_va_range = userRange;
   return 0;
}

int
vmDestroy(File::Impl &impl, drm_panthor_vm_destroy &args)
{
   if (args.pad)
      return -EINVAL;
   std::shared_ptr<Vm> vm;
   {
      std::lock_guard lock(impl.mutex);
      vm = impl.vms.remove(args.id);
   }
   return vm ? 0 : -EINVAL;
}

int
vmGetState(File &file, drm_panthor_vm_get_state &args)
{
   std::shared_ptr<Vm> vm = file.lookupVm(args.vm_id);
   if (!vm)
      return -EINVAL;
   args.state = vm->unusable() ? DRM_PANTHOR_VM_STATE_UNUSABLE : DRM_PANTHOR_VM_STATE_USABLE;
   return 0;
}

int
setUserMmioOffset(File::Impl &impl, drm_panthor_set_user_mmio_offset &args)
{
   if (args.offset != DRM_PANTHOR_USER_MMIO_OFFSET_32BIT &&
       args.offset != DRM_PANTHOR_USER_MMIO_OFFSET_64BIT)
      return -EINVAL;
   std::lock_guard lock(impl.mutex);
   impl.userMmioOffset = args.offset;
   return 0;
}

// ---- DRM core ioctls -------------------------------------------------------

void
copyVersionString(const char *value, __kernel_size_t *length, char *dest)
{
   const size_t actual = strlen(value);
   if (dest && *length)
      memcpy(dest, value, std::min<size_t>(*length, actual));
   *length = actual;
}

int
drmVersion(const Device &device, drm_version &args)
{
   args.version_major = 1;
   args.version_minor = int(device.minorVersion());
   args.version_patchlevel = 0;
   copyVersionString("panthor", &args.name_len, args.name);
   copyVersionString("20230801", &args.date_len, args.date);
   copyVersionString("Panthor DRM driver (mock)", &args.desc_len, args.desc);
   return 0;
}

int
drmGetCap(drm_get_cap &args)
{
   // What drm_getcap() answers on a render node of a driver with PRIME and syncobjs.
   switch (args.capability) {
   case DRM_CAP_PRIME: args.value = DRM_PRIME_CAP_IMPORT | DRM_PRIME_CAP_EXPORT; return 0;
   case DRM_CAP_TIMESTAMP_MONOTONIC: args.value = 1; return 0;
   case DRM_CAP_SYNCOBJ: args.value = 1; return 0;
   case DRM_CAP_SYNCOBJ_TIMELINE: args.value = 1; return 0;
   default: return -EINVAL;
   }
}

} // namespace

// ---- dispatch --------------------------------------------------------------

namespace {

using Handler = int (*)(File &, Device &, File::Impl &, void *);

struct IoctlEntry {
   unsigned long request;
   size_t size;        // the kernel's struct size
   unsigned minMinor;  // the driver version that added it (driver ioctls)
   Handler handler;
};

#define MOCK_IOCTL(req, type, minor, body)                                                       \
   IoctlEntry{req, sizeof(type), minor,                                                          \
              [](File &file, Device &device, File::Impl &impl, void *arg) -> int {               \
                 [[maybe_unused]] File &f = file;                                                \
                 [[maybe_unused]] Device &d = device;                                            \
                 [[maybe_unused]] File::Impl &i = impl;                                          \
                 type &a = *static_cast<type *>(arg);                                            \
                 return body;                                                                    \
              }}

const IoctlEntry kIoctls[] = {
   MOCK_IOCTL(DRM_IOCTL_VERSION, drm_version, 0, drmVersion(d, a)),
   MOCK_IOCTL(DRM_IOCTL_GET_CAP, drm_get_cap, 0, drmGetCap(a)),
   MOCK_IOCTL(DRM_IOCTL_GEM_CLOSE, drm_gem_close, 0, gemClose(i, a)),
   MOCK_IOCTL(DRM_IOCTL_PRIME_HANDLE_TO_FD, drm_prime_handle, 0, primeHandleToFd(f, a)),
   MOCK_IOCTL(DRM_IOCTL_PRIME_FD_TO_HANDLE, drm_prime_handle, 0, primeFdToHandle(f, i.mutex, i.bos, a)),
   MOCK_IOCTL(DRM_IOCTL_SYNCOBJ_CREATE, drm_syncobj_create, 0, f.syncobjs().create(a)),
   MOCK_IOCTL(DRM_IOCTL_SYNCOBJ_DESTROY, drm_syncobj_destroy, 0, f.syncobjs().destroy(a)),
   MOCK_IOCTL(DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, drm_syncobj_handle, 0, f.syncobjs().handleToFd(a)),
   MOCK_IOCTL(DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, drm_syncobj_handle, 0, f.syncobjs().fdToHandle(a)),
   MOCK_IOCTL(DRM_IOCTL_SYNCOBJ_WAIT, drm_syncobj_wait, 0, f.syncobjs().wait(a)),
   MOCK_IOCTL(DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, drm_syncobj_timeline_wait, 0, f.syncobjs().timelineWait(a)),
   MOCK_IOCTL(DRM_IOCTL_SYNCOBJ_RESET, drm_syncobj_array, 0, f.syncobjs().reset(a)),
   MOCK_IOCTL(DRM_IOCTL_SYNCOBJ_SIGNAL, drm_syncobj_array, 0, f.syncobjs().signal(a)),
   MOCK_IOCTL(DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, drm_syncobj_timeline_array, 0, f.syncobjs().timelineSignal(a)),
   MOCK_IOCTL(DRM_IOCTL_SYNCOBJ_QUERY, drm_syncobj_timeline_array, 0, f.syncobjs().query(a)),
   MOCK_IOCTL(DRM_IOCTL_SYNCOBJ_TRANSFER, drm_syncobj_transfer, 0, f.syncobjs().transfer(a)),
   MOCK_IOCTL(DRM_IOCTL_PANTHOR_DEV_QUERY, drm_panthor_dev_query, 0, devQuery(d, a)),
   MOCK_IOCTL(DRM_IOCTL_PANTHOR_VM_CREATE, drm_panthor_vm_create, 0, vmCreate(d, i, a)),
   MOCK_IOCTL(DRM_IOCTL_PANTHOR_VM_DESTROY, drm_panthor_vm_destroy, 0, vmDestroy(i, a)),
   MOCK_IOCTL(DRM_IOCTL_PANTHOR_VM_BIND, drm_panthor_vm_bind, 0, vmBind(f, a)),
   MOCK_IOCTL(DRM_IOCTL_PANTHOR_VM_GET_STATE, drm_panthor_vm_get_state, 0, vmGetState(f, a)),
   MOCK_IOCTL(DRM_IOCTL_PANTHOR_BO_CREATE, drm_panthor_bo_create, 0, boCreate(f, d, i, a)),
   MOCK_IOCTL(DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, drm_panthor_bo_mmap_offset, 0, boMmapOffset(f, d, i, a)),
   MOCK_IOCTL(DRM_IOCTL_PANTHOR_BO_SET_LABEL, drm_panthor_bo_set_label, 4, boSetLabel(f, a)),
   MOCK_IOCTL(DRM_IOCTL_PANTHOR_SET_USER_MMIO_OFFSET, drm_panthor_set_user_mmio_offset, 5, setUserMmioOffset(i, a)),
   MOCK_IOCTL(DRM_IOCTL_PANTHOR_BO_SYNC, drm_panthor_bo_sync, 7, boSync(f, a)),
   MOCK_IOCTL(DRM_IOCTL_PANTHOR_BO_QUERY_INFO, drm_panthor_bo_query_info, 7, boQueryInfo(f, a)),
};

#undef MOCK_IOCTL

const IoctlEntry *
findIoctl(unsigned long request)
{
   // Matched on the number alone, as drm_ioctl() does: the size in the request
   // may differ from the kernel's (older or newer user space).
   for (const IoctlEntry &entry : kIoctls) {
      if (_IOC_NR(entry.request) == _IOC_NR(request) && _IOC_TYPE(request) == DRM_IOCTL_BASE)
         return &entry;
   }
   return nullptr;
}

} // namespace

int
File::ioctl(unsigned long request, void *arg)
{
   const IoctlEntry *entry = findIoctl(request);
   if (!entry || device_->minorVersion() < entry->minMinor)
      return -EINVAL;

   // Copy in what user space gave, zero-extended to the kernel's struct; copy
   // back what fits, whatever the result (VM_BIND reports through it on error).
   alignas(16) uint8_t kernelCopy[128] = {};
   static_assert(sizeof(drm_panthor_group_create) <= sizeof(kernelCopy));
   const size_t userSize = _IOC_SIZE(request);
   const size_t size = std::min(userSize, entry->size);
   if (size && !arg)
      return -EFAULT;
   if (_IOC_DIR(request) & _IOC_WRITE)
      memcpy(kernelCopy, arg, size);
   const int result = entry->handler(*this, *device_, *impl_, kernelCopy);
   if (_IOC_DIR(request) & _IOC_READ)
      memcpy(arg, kernelCopy, size);
   return result;
}

void *
File::mmap(void *addr, size_t length, int prot, int flags, uint64_t offset, int *error)
{
   *error = EINVAL;
   // drm_gem_shmem refuses copy-on-write mappings of GEM objects.
   if (!(flags & MAP_SHARED) || length == 0 || (offset % kPageSize))
      return nullptr;

   std::shared_ptr<Bo> bo;
   {
      std::lock_guard lock(impl_->mutex);
      auto it = impl_->mmapOffsets.upper_bound(offset);
      if (it != impl_->mmapOffsets.begin())
         bo = std::prev(it)->second.lock();
   }
   *error = EACCES; // an offset this file was never given
   if (!bo || offset < bo->mmapOffset() || offset - bo->mmapOffset() >= bo->size())
      return nullptr;
   const uint64_t boOffset = offset - bo->mmapOffset();
   *error = EINVAL;
   if (length > bo->size() - boOffset)
      return nullptr;

   // Reserve the whole range, then put the BO's pages in it run by run.
   const size_t mapLength = (length + kPageSize - 1) & ~(kPageSize - 1);
   void *base = ::mmap(addr, mapLength, PROT_NONE,
                       MAP_PRIVATE | MAP_ANONYMOUS | (flags & MAP_FIXED), -1, 0);
   if (base == MAP_FAILED) {
      *error = errno;
      return nullptr;
   }
   PhysicalMemory &memory = device_->memory();
   for (uint64_t done = 0; done < mapLength;) {
      const Backing backing = bo->backingAt(boOffset + done);
      const uint64_t run = std::min<uint64_t>(backing.contiguous, mapLength - done);
      void *where = static_cast<uint8_t *>(base) + done;
      if (!backing.phys ||
          ::mmap(where, run, prot, MAP_SHARED | MAP_FIXED, memory.memfd(),
                 off_t(memory.memfdOffset(backing.phys))) == MAP_FAILED) {
         *error = backing.phys ? errno : EINVAL;
         ::munmap(base, mapLength);
         return nullptr;
      }
      done += run;
   }
   *error = 0;
   return base;
}

} // namespace pan::mock
