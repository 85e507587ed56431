// An open panthor device: the transport (render node or in-process mock), the
// driver version and the GPU properties read once at open, and ioctl counters.
//
// Thread-safety: every method may be called from any thread. The Device must
// outlive every Bo, Vm and Syncobj created on it.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "drm-uapi/panthor_drm.h"
#include "kmod/Features.h"
#include "kmod/Result.h"
#include "kmod/Transport.h"

namespace pan::kmod {

struct OpenOptions {
   // Auto: PAN_KMOD=mock selects Mock, PAN_KMOD=panthor or hw selects Hardware;
   // with PAN_KMOD unset, Hardware if `path` is set or a panthor render node
   // exists, else Mock.
   enum class Backend { Auto, Hardware, Mock };
   Backend backend = Backend::Auto;
   // Hardware: the render node; empty = scan /dev/dri/renderD128..191 for panthor.
   std::string path;
   // Mock: driver minor version; 0 = the mock's default (PANTHOR_MOCK_VERSION).
   unsigned mockMinorVersion = 0;
   // Mock: system memory of the mock GPU; 0 = the mock's default.
   uint64_t mockMemoryBytes = 0;
};

// Cumulative counts of what this Device sent to the kernel (failed ioctls included).
struct IoctlStats {
   uint64_t total = 0;
   uint64_t vmBind = 0;    // VM_BIND ioctls
   uint64_t vmBindOps = 0; // drm_panthor_vm_bind_op entries in them
};

class Device {
public:
   static Result<std::unique_ptr<Device>> open(const OpenOptions &options = {});
   // Probes an already open transport (for tests that wrap one): ENODEV unless
   // its driver is panthor 1.x.
   static Result<std::unique_ptr<Device>> fromTransport(std::unique_ptr<Transport> transport);

   Device(const Device &) = delete;
   Device &operator=(const Device &) = delete;
   ~Device();

   const DriverVersion &driverVersion() const { return version_; }
   const Features &features() const { return features_; }
   const drm_panthor_gpu_info &gpuInfo() const { return gpuInfo_; }
   const drm_panthor_csif_info &csifInfo() const { return csifInfo_; }
   unsigned vaBits() const { return gpuInfo_.mmu_features & 0xff; }
   // Bit N set = pages of 2^N bytes. Before 1.9 (no MMU_INFO): 4 KiB | 2 MiB.
   uint64_t pageSizeBitmap() const { return pageSizeBitmap_; }

   bool isMock() const { return transport_->isMock(); }
   Transport &transport() { return *transport_; }
   // Null on hardware; see kmod/MockGpu.h.
   MockGpu *mockGpu() { return transport_->mockGpu(); }

   // Every kmod ioctl goes through here so that it is counted. 0 or -errno.
   int ioctl(unsigned long request, void *arg);

   IoctlStats ioctlStats() const;
   // Ioctls sent with this request's command number (DRM core or panthor).
   uint64_t ioctlCount(unsigned long request) const;
   void resetIoctlStats();

private:
   Device(std::unique_ptr<Transport> transport, const DriverVersion &version);
   Result<void> queryProperties();
   Result<void> queryObject(uint32_t type, const char *what, void *object, size_t objectSize);

   std::unique_ptr<Transport> transport_;
   DriverVersion version_;
   Features features_;
   drm_panthor_gpu_info gpuInfo_{};
   drm_panthor_csif_info csifInfo_{};
   uint64_t pageSizeBitmap_ = 0;

   std::array<std::atomic<uint64_t>, 256> countByNumber_{};
   std::atomic<uint64_t> totalIoctls_{0};
   std::atomic<uint64_t> vmBindOps_{0};
};

} // namespace pan::kmod
