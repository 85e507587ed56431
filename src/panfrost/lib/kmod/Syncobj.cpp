#include "kmod/Syncobj.h"

#include <algorithm>
#include <ctime>
#include <new>
#include <vector>

#include "drm.h"
#include "kmod/Device.h"

namespace pan::kmod {

int64_t absoluteTimeout(int64_t relativeNs) {
   if (relativeNs <= 0)
      return 0;
   timespec now{};
   clock_gettime(CLOCK_MONOTONIC, &now);
   const int64_t nowNs = int64_t(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
   if (relativeNs > kInfiniteTimeout - nowNs)
      return kInfiniteTimeout;
   return nowNs + relativeNs;
}

Result<std::unique_ptr<Syncobj>> Syncobj::create(Device &device, bool signaled) {
   drm_syncobj_create args{};
   args.flags = signaled ? DRM_SYNCOBJ_CREATE_SIGNALED : 0;
   if (const int ret = device.ioctl(DRM_IOCTL_SYNCOBJ_CREATE, &args); ret < 0)
      return fail(-ret, "SYNCOBJ_CREATE");
   return std::unique_ptr<Syncobj>(new Syncobj(device, args.handle));
}

Result<std::unique_ptr<Syncobj>> Syncobj::importFd(Device &device, int fd) {
   drm_syncobj_handle args{};
   args.fd = fd;
   if (const int ret = device.ioctl(DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, &args); ret < 0)
      return fail(-ret, "SYNCOBJ_FD_TO_HANDLE");
   return std::unique_ptr<Syncobj>(new Syncobj(device, args.handle));
}

Syncobj::~Syncobj() {
   drm_syncobj_destroy args{};
   args.handle = handle_;
   device_->ioctl(DRM_IOCTL_SYNCOBJ_DESTROY, &args);
}

Result<void> Syncobj::wait(uint64_t point, int64_t absTimeoutNs, bool waitForSubmit) const {
   const SyncPoint one{handle_, point};
   const uint32_t flags = waitForSubmit ? DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT : 0;
   Result<uint32_t> result = waitMany(*device_, std::span(&one, 1), true, absTimeoutNs, flags);
   if (!result)
      return result.takeError();
   return success();
}

Result<uint32_t> Syncobj::waitMany(Device &device, std::span<const SyncPoint> points, bool all,
                                   int64_t absTimeoutNs, uint32_t flags) {
   std::vector<uint32_t> handles;
   std::vector<uint64_t> values;
   try {
      handles.reserve(points.size());
      values.reserve(points.size());
   } catch (const std::bad_alloc &) {
      return fail(ENOMEM, "SYNCOBJ_WAIT");
   }
   for (const SyncPoint &point : points) {
      handles.push_back(point.syncobj);
      values.push_back(point.value);
   }
   if (all)
      flags |= DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL;

   // The binary ioctl when no point is asked for, so that kernels without
   // timeline syncobjs still work; but only the timeline ioctl takes
   // WAIT_AVAILABLE (SYNCOBJ_WAIT refuses it with EINVAL), so such a wait goes
   // there with point 0 for every binary syncobj.
   const bool binary =
      !(flags & DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE) &&
      std::all_of(values.begin(), values.end(), [](uint64_t value) { return value == 0; });
   if (binary) {
      drm_syncobj_wait args{};
      args.handles = reinterpret_cast<uintptr_t>(handles.data());
      args.timeout_nsec = absTimeoutNs;
      args.count_handles = static_cast<uint32_t>(handles.size());
      args.flags = flags;
      if (const int ret = device.ioctl(DRM_IOCTL_SYNCOBJ_WAIT, &args); ret < 0)
         return fail(-ret, "SYNCOBJ_WAIT");
      return all ? 0u : args.first_signaled;
   }

   drm_syncobj_timeline_wait args{};
   args.handles = reinterpret_cast<uintptr_t>(handles.data());
   args.points = reinterpret_cast<uintptr_t>(values.data());
   args.timeout_nsec = absTimeoutNs;
   args.count_handles = static_cast<uint32_t>(handles.size());
   args.flags = flags;
   if (const int ret = device.ioctl(DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, &args); ret < 0)
      return fail(-ret, "SYNCOBJ_TIMELINE_WAIT");
   return all ? 0u : args.first_signaled;
}

Result<void> Syncobj::signal(uint64_t point) {
   if (point == 0) {
      drm_syncobj_array args{};
      args.handles = reinterpret_cast<uintptr_t>(&handle_);
      args.count_handles = 1;
      if (const int ret = device_->ioctl(DRM_IOCTL_SYNCOBJ_SIGNAL, &args); ret < 0)
         return fail(-ret, "SYNCOBJ_SIGNAL");
      return success();
   }
   drm_syncobj_timeline_array args{};
   args.handles = reinterpret_cast<uintptr_t>(&handle_);
   args.points = reinterpret_cast<uintptr_t>(&point);
   args.count_handles = 1;
   if (const int ret = device_->ioctl(DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, &args); ret < 0)
      return fail(-ret, "SYNCOBJ_TIMELINE_SIGNAL");
   return success();
}

Result<void> Syncobj::reset() {
   drm_syncobj_array args{};
   args.handles = reinterpret_cast<uintptr_t>(&handle_);
   args.count_handles = 1;
   if (const int ret = device_->ioctl(DRM_IOCTL_SYNCOBJ_RESET, &args); ret < 0)
      return fail(-ret, "SYNCOBJ_RESET");
   return success();
}

Result<uint64_t> Syncobj::query() const {
   uint64_t point = 0;
   drm_syncobj_timeline_array args{};
   args.handles = reinterpret_cast<uintptr_t>(&handle_);
   args.points = reinterpret_cast<uintptr_t>(&point);
   args.count_handles = 1;
   if (const int ret = device_->ioctl(DRM_IOCTL_SYNCOBJ_QUERY, &args); ret < 0)
      return fail(-ret, "SYNCOBJ_QUERY");
   return point;
}

Result<void> Syncobj::transfer(uint64_t dstPoint, const Syncobj &src, uint64_t srcPoint) {
   drm_syncobj_transfer args{};
   args.src_handle = src.handle_;
   args.dst_handle = handle_;
   args.src_point = srcPoint;
   args.dst_point = dstPoint;
   if (const int ret = device_->ioctl(DRM_IOCTL_SYNCOBJ_TRANSFER, &args); ret < 0)
      return fail(-ret, "SYNCOBJ_TRANSFER");
   return success();
}

Result<int> Syncobj::exportFd() const {
   drm_syncobj_handle args{};
   args.handle = handle_;
   args.fd = -1;
   if (const int ret = device_->ioctl(DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &args); ret < 0)
      return fail(-ret, "SYNCOBJ_HANDLE_TO_FD");
   return args.fd;
}

} // namespace pan::kmod
