#include "kmod/Device.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "kmod/panthor/DrmVersion.h"
#include "kmod/panthor/MockTransport.h"
#include "kmod/panthor/RenderNode.h"

namespace pan::kmod {

namespace {

// Page sizes every panthor GPU supports; what kernels before MMU_INFO imply.
constexpr uint64_t kDefaultPageSizeBitmap = (1ull << 12) | (1ull << 21);

using Backend = OpenOptions::Backend;

Result<Backend> backendFromEnvironment() {
   const char *value = std::getenv("PAN_KMOD");
   if (!value || !*value)
      return Backend::Auto;
   const std::string_view name(value);
   if (name == "mock")
      return Backend::Mock;
   if (name == "panthor" || name == "hw")
      return Backend::Hardware;
   return fail(EINVAL, "PAN_KMOD=" + std::string(name) + " (expected mock, panthor or hw)");
}

} // namespace

Result<std::unique_ptr<Device>> Device::open(const OpenOptions &options) {
   Backend backend = options.backend;
   if (backend == Backend::Auto) {
      Result<Backend> fromEnvironment = backendFromEnvironment();
      if (!fromEnvironment)
         return fromEnvironment.takeError();
      backend = fromEnvironment.value();
   }

   if (backend == Backend::Auto && options.path.empty()) {
      Result<std::unique_ptr<Transport>> node = openPanthorRenderNode("");
      if (node)
         return fromTransport(std::move(node.value()));
      backend = Backend::Mock;
   }

   if (backend == Backend::Mock) {
      Result<std::unique_ptr<MockTransport>> mock =
         MockTransport::create(options.mockMinorVersion, options.mockMemoryBytes);
      if (!mock)
         return mock.takeError();
      return fromTransport(std::move(mock.value()));
   }

   Result<std::unique_ptr<Transport>> node = openPanthorRenderNode(options.path);
   if (!node)
      return node.takeError();
   return fromTransport(std::move(node.value()));
}

Result<std::unique_ptr<Device>> Device::fromTransport(std::unique_ptr<Transport> transport) {
   if (!transport)
      return fail(EINVAL, "no transport");
   Result<DrmVersion> drm = queryDrmVersion(*transport);
   if (!drm)
      return drm.takeError();
   if (drm->name != "panthor")
      return fail(ENODEV, "driver \"" + drm->name + "\" is not panthor");
   if (drm->version.major != 1)
      return fail(ENODEV, "panthor " + std::to_string(drm->version.major) + ".x is not supported");

   std::unique_ptr<Device> device(new Device(std::move(transport), drm->version));
   if (Result<void> properties = device->queryProperties(); !properties)
      return properties.takeError();
   return device;
}

Device::Device(std::unique_ptr<Transport> transport, const DriverVersion &version)
   : transport_(std::move(transport)), version_(version),
     features_(Features::forVersion(version)) {}

Device::~Device() = default;

Result<void> Device::queryObject(uint32_t type, const char *what, void *object,
                                 size_t objectSize) {
   // First ask the kernel how big its struct is, then fetch what both sides
   // know: a newer kernel's extra fields are dropped, an older kernel's
   // missing ones stay zero.
   drm_panthor_dev_query query{};
   query.type = type;
   if (const int ret = ioctl(DRM_IOCTL_PANTHOR_DEV_QUERY, &query); ret < 0)
      return fail(-ret, std::string("DEV_QUERY ") + what + " size");

   std::memset(object, 0, objectSize);
   query.size = static_cast<uint32_t>(std::min<size_t>(query.size, objectSize));
   query.pointer = reinterpret_cast<uintptr_t>(object);
   if (const int ret = ioctl(DRM_IOCTL_PANTHOR_DEV_QUERY, &query); ret < 0)
      return fail(-ret, std::string("DEV_QUERY ") + what);
   return success();
}

Result<void> Device::queryProperties() {
   if (Result<void> r = queryObject(DRM_PANTHOR_DEV_QUERY_GPU_INFO, "GPU_INFO", &gpuInfo_,
                                    sizeof(gpuInfo_));
       !r)
      return r;
   if (Result<void> r = queryObject(DRM_PANTHOR_DEV_QUERY_CSIF_INFO, "CSIF_INFO", &csifInfo_,
                                    sizeof(csifInfo_));
       !r)
      return r;

   pageSizeBitmap_ = kDefaultPageSizeBitmap;
   if (features_.mmuInfo) {
      drm_panthor_mmu_info mmuInfo{};
      if (Result<void> r = queryObject(DRM_PANTHOR_DEV_QUERY_MMU_INFO, "MMU_INFO", &mmuInfo,
                                       sizeof(mmuInfo));
          !r)
         return r;
      pageSizeBitmap_ = mmuInfo.page_size_bitmap;
   }
   return success();
}

int Device::ioctl(unsigned long request, void *arg) {
   totalIoctls_.fetch_add(1, std::memory_order_relaxed);
   countByNumber_[_IOC_NR(request)].fetch_add(1, std::memory_order_relaxed);
   // Read before the call: a failing synchronous VM_BIND overwrites ops.count.
   if (request == DRM_IOCTL_PANTHOR_VM_BIND && arg) {
      const auto *bind = static_cast<const drm_panthor_vm_bind *>(arg);
      vmBindOps_.fetch_add(bind->ops.count, std::memory_order_relaxed);
   }
   return transport_->ioctl(request, arg);
}

IoctlStats Device::ioctlStats() const {
   IoctlStats stats;
   stats.total = totalIoctls_.load(std::memory_order_relaxed);
   stats.vmBind = ioctlCount(DRM_IOCTL_PANTHOR_VM_BIND);
   stats.vmBindOps = vmBindOps_.load(std::memory_order_relaxed);
   return stats;
}

uint64_t Device::ioctlCount(unsigned long request) const {
   return countByNumber_[_IOC_NR(request)].load(std::memory_order_relaxed);
}

void Device::resetIoctlStats() {
   totalIoctls_.store(0, std::memory_order_relaxed);
   vmBindOps_.store(0, std::memory_order_relaxed);
   for (std::atomic<uint64_t> &count : countByNumber_)
      count.store(0, std::memory_order_relaxed);
}

} // namespace pan::kmod
