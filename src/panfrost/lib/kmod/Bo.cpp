#include "kmod/Bo.h"

#include <string>
#include <sys/mman.h>

#include "drm-uapi/panthor_drm.h"
#include "kmod/Device.h"
#include "kmod/Vm.h"

namespace pan::kmod {

namespace {

uint32_t kernelBoFlags(BoFlags flags) {
   uint32_t result = 0;
   if (hasFlag(flags, BoFlags::NoMmap))
      result |= DRM_PANTHOR_BO_NO_MMAP;
   if (hasFlag(flags, BoFlags::WbMmap))
      result |= DRM_PANTHOR_BO_WB_MMAP;
   if (hasFlag(flags, BoFlags::AllocOnFault))
      result |= DRM_PANTHOR_BO_ALLOC_ON_FAULT;
   return result;
}

constexpr BoFlags kKnownFlags = BoFlags::NoMmap | BoFlags::WbMmap | BoFlags::AllocOnFault;

} // namespace

Result<std::unique_ptr<Bo>> Bo::create(Device &device, const BoCreateInfo &info) {
   if ((info.flags & ~kKnownFlags) != BoFlags::None)
      return fail(EINVAL, "BO_CREATE: unknown flags");
   if (hasFlag(info.flags, BoFlags::AllocOnFault) && !device.features().allocOnFault)
      return fail(EOPNOTSUPP, "BO_CREATE: alloc-on-fault needs panthor 1.10");
   if (hasFlag(info.flags, BoFlags::WbMmap) && !device.features().wbMmap)
      return fail(EOPNOTSUPP, "BO_CREATE: WB_MMAP needs panthor 1.7");

   drm_panthor_bo_create args{};
   args.size = info.size;
   args.flags = kernelBoFlags(info.flags);
   args.exclusive_vm_id = info.exclusiveVm ? info.exclusiveVm->id() : 0;
   args.alloc_on_fault_granularity = info.allocOnFaultGranularity;
   if (const int ret = device.ioctl(DRM_IOCTL_PANTHOR_BO_CREATE, &args); ret < 0)
      return fail(-ret, "BO_CREATE");
   return std::unique_ptr<Bo>(new Bo(device, args.handle, args.size, info.flags));
}

Bo::~Bo() {
   // Errors cannot be reported from here; the handle is gone either way.
   (void)unmap();
   drm_gem_close close{};
   close.handle = handle_;
   device_->ioctl(DRM_IOCTL_GEM_CLOSE, &close);
}

Result<void *> Bo::map() {
   std::lock_guard lock(mapMutex_);
   if (mapping_)
      return mapping_;

   drm_panthor_bo_mmap_offset args{};
   args.handle = handle_;
   if (const int ret = device_->ioctl(DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &args); ret < 0)
      return fail(-ret, "BO_MMAP_OFFSET");
   Result<void *> address =
      device_->transport().mmap(args.offset, size_, PROT_READ | PROT_WRITE);
   if (!address)
      return address;
   mapping_ = address.value();
   return mapping_;
}

Result<void> Bo::unmap() {
   std::lock_guard lock(mapMutex_);
   if (!mapping_)
      return success();
   const int ret = device_->transport().munmap(mapping_, size_);
   mapping_ = nullptr;
   if (ret < 0)
      return fail(-ret, "munmap");
   return success();
}

Result<void> Bo::setLabel(std::string_view label) {
   if (!device_->features().boLabels)
      return fail(ENOTSUP, "BO_SET_LABEL needs panthor 1.4");
   // The kernel reads a NUL-terminated string.
   const std::string terminated(label);
   drm_panthor_bo_set_label args{};
   args.handle = handle_;
   args.label = reinterpret_cast<uintptr_t>(terminated.c_str());
   if (const int ret = device_->ioctl(DRM_IOCTL_PANTHOR_BO_SET_LABEL, &args); ret < 0)
      return fail(-ret, "BO_SET_LABEL");
   return success();
}

Result<BoInfo> Bo::queryInfo() const {
   if (!device_->features().boQueryInfo)
      return fail(ENOTSUP, "BO_QUERY_INFO needs panthor 1.7");
   drm_panthor_bo_query_info args{};
   args.handle = handle_;
   if (const int ret = device_->ioctl(DRM_IOCTL_PANTHOR_BO_QUERY_INFO, &args); ret < 0)
      return fail(-ret, "BO_QUERY_INFO");
   return BoInfo{args.extra_flags, args.create_flags};
}

} // namespace pan::kmod
