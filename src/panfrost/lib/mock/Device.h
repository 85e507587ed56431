// The mock panthor driver instance: one "GPU" with its system memory, the
// driver-version knob and the open files. Everything a real kernel keeps per
// device lives here; everything it keeps per open file lives in File.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <set>

#include "drm-uapi/panthor_drm.h"
#include "mock/Mmu.h"
#include "mock/PhysicalMemory.h"

namespace pan::mock {

class File;

struct DeviceOptions {
   // Driver minor version (major is 1): 8 = no sparse flag, 9 = MAP_SPARSE,
   // 10 = MAP_SPARSE + alloc-on-fault. Others in 0..10 behave as the nearest
   // real version below them would; outside that range create() fails.
   unsigned minorVersion = 10;
   // 0 = a quarter of the host's memory.
   uint64_t memoryBytes = 0;
   // A hardware fault for tests of what sits above the kernel: the n-th GPU
   // access (1 = the first) takes a translation fault no handler can fix, as
   // after a corrupted page-table entry. 0 = never.
   uint64_t injectGpuFaultAt = 0;
   // The n-th async VM_BIND job queued on the device (1 = the first) fails
   // when it runs, as when its page tables cannot be allocated then: -ENOMEM
   // on its fence, nothing applied, the VM unusable. 0 = never.
   uint64_t injectBindJobFailureAt = 0;

   // Defaults overridden by PANTHOR_MOCK_VERSION ("1.9" or "9"),
   // PANTHOR_MOCK_MEMORY_MB, PANTHOR_MOCK_INJECT_GPU_FAULT (n) and
   // PANTHOR_MOCK_INJECT_BIND_JOB_FAILURE (n).
   static DeviceOptions fromEnvironment();
};

class Device : public std::enable_shared_from_this<Device> {
public:
   // nullptr if the options are out of range or the memory arena cannot be set up.
   static std::shared_ptr<Device> create(const DeviceOptions &options);
   ~Device();

   // Like open() of the render node: a new file with its own handle tables.
   std::shared_ptr<File> open();

   unsigned minorVersion() const { return minorVersion_; }
   bool hasSparseMap() const { return minorVersion_ >= 9; }
   bool hasAllocOnFault() const { return minorVersion_ >= 10; }
   const drm_panthor_gpu_info &gpuInfo() const { return gpuInfo_; }
   const drm_panthor_csif_info &csifInfo() const { return csifInfo_; }
   unsigned vaBits() const { return gpuInfo_.mmu_features & 0xff; }

   PhysicalMemory &memory() { return *memory_; }
   // The GPU's MMU: address-space slots, TLBs, faults. Every VM of the
   // device reports its page-table changes to it.
   Mmu &mmu() { return *mmu_; }
   size_t openFiles() const;
   // A range of fake offsets for BO_MMAP_OFFSET, unique on the device.
   uint64_t allocateMmapOffset(uint64_t size);
   // Counts a queued async VM_BIND job; true for the one chosen by
   // DeviceOptions::injectBindJobFailureAt.
   bool bindJobFailureFires();

private:
   Device(const DeviceOptions &options, std::unique_ptr<PhysicalMemory> memory);
   friend class File;
   void fileClosed(File *file);

   unsigned minorVersion_;
   std::unique_ptr<PhysicalMemory> memory_;
   std::unique_ptr<Mmu> mmu_;
   drm_panthor_gpu_info gpuInfo_{};
   drm_panthor_csif_info csifInfo_{};
   mutable std::mutex mutex_;
   std::set<File *> files_;
   // Where the kernel's DRM vma offsets start (4 GiB), so 0 is never valid.
   uint64_t nextMmapOffset_ = 1ull << 32;
   uint64_t bindJobFailureCountdown_ = 0; // guarded by mutex_; 0 = off
};

} // namespace pan::mock
