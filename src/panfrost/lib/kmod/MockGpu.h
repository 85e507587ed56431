// What only the mock backend offers: a window on the kernel's and the GPU's
// state that a real system shows through debugfs or not at all (a VM's mapping
// list and page-table use, a GPU-side page walk), and the GPU's own memory
// accesses through its MMU. Device::mockGpu() is null on hardware, so code
// that needs it says so by checking.
//
// This is the seam through which tools and, later, the CPU executor reach the
// hardware model without including anything of the mock.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "kmod/Result.h"

namespace pan::kmod {

class MockGpu {
public:
   virtual ~MockGpu() = default;

   // One entry of a VM's mapping tree, like a line of debugfs "gpuvas".
   struct Mapping {
      uint64_t va = 0;
      uint64_t size = 0;
      uint32_t boHandle = 0;  // 0: not a handle of this file (the sparse dummy)
      uint64_t boOffset = 0;
      uint32_t flags = 0;     // DRM_PANTHOR_VM_BIND_OP_MAP_*
      std::string boLabel;
   };
   struct PageTableUse {
      uint64_t tablePages = 0;     // page-table pages held now, root included
      uint64_t entriesWritten = 0; // leaf descriptors written, ever
   };
   struct Translation {
      uint64_t physical = 0; // host address of the byte
      unsigned level = 0;    // 2: 2 MiB block, 3: 4 KiB page
      bool readOnly = false;
      bool noExec = false;
   };

   // Kinds of GPU access; values are the hardware's FAULTSTATUS access type.
   enum class Access : uint8_t { Atomic = 0, Execute = 1, Read = 2, Write = 3 };
   // A GPU page fault as the address space latched it.
   struct Fault {
      uint64_t va = 0;      // FAULTADDRESS
      // FAULTSTATUS: bits 7:0 exception type (translation fault at level n =
      // 0xC0 + n, permission fault = 0xC8 + n), bits 9:8 access type.
      uint32_t status = 0;
      Access access = Access::Read;
      bool handled = false; // the kernel fixed it (alloc-on-fault) and the access went on
   };
   // What a GPU access did. An unhandled fault stops it: bytesDone bytes,
   // from the start, were transferred.
   struct AccessResult {
      uint64_t bytesDone = 0;
      std::optional<Fault> fault; // the last fault met
      // Stopped by another access's unhandled fault on the same VM (the
      // kernel kills every job on a faulted address space).
      bool aborted = false;
      bool ok() const { return !aborted && (!fault || fault->handled); }
   };
   struct Counters {
      uint64_t faultsHandled = 0;
      uint64_t faultsUnhandled = 0;
      uint64_t tlbInvalidations = 0;
      uint64_t tlbHits = 0;
      uint64_t tlbMisses = 0;
      uint64_t slotBinds = 0;
      uint64_t slotEvictions = 0;
   };
   // Called for each physically contiguous run of an access: `host` holds the
   // run's bytes, `offset` is where the run starts in the access. It must not
   // call back into the kernel (bind, destroy): a bind waits for the run.
   using RunVisitor = std::function<void(uint8_t *host, uint64_t length, uint64_t offset)>;

   virtual Result<std::vector<Mapping>> vmMappings(uint32_t vmId) const = 0;
   virtual Result<PageTableUse> vmPageTableUse(uint32_t vmId) const = 0;
   // nullopt: the GPU would fault at va.
   virtual Result<std::optional<Translation>> translate(uint32_t vmId, uint64_t va) const = 0;
   // The mock GPU's memory in use, by everyone, in bytes.
   virtual uint64_t memoryInUse() const = 0;
   // All the memory the mock GPU has (PANTHOR_MOCK_MEMORY_MB), in bytes.
   virtual uint64_t memoryBudget() const = 0;

   // GPU accesses through the MMU of VM `vmId`, as a GPU job would make them.
   // Error only for an unknown VM (EINVAL); faults are in the AccessResult.
   virtual Result<AccessResult> copyToGpu(uint32_t vmId, uint64_t va, const void *data,
                                          uint64_t size) = 0;
   virtual Result<AccessResult> copyFromGpu(uint32_t vmId, uint64_t va, void *data,
                                            uint64_t size) = 0;
   // The little-endian `pattern` repeated from va on (vkCmdFillBuffer's rule).
   virtual Result<AccessResult> fill(uint32_t vmId, uint64_t va, uint64_t size,
                                     uint32_t pattern) = 0;
   virtual Result<AccessResult> access(uint32_t vmId, uint64_t va, uint64_t size, Access kind,
                                       const RunVisitor &visit) = 0;
   // GPU to GPU within one VM (what a copy job does): one host copy per pair
   // of physically contiguous runs, never a bounce. Faults as for access().
   virtual Result<AccessResult> copyWithinGpu(uint32_t vmId, uint64_t dstVa, uint64_t srcVa,
                                              uint64_t size) = 0;

   // The GPU's MMU counters (the whole device, every file).
   virtual Counters counters() const = 0;
   // Bytes of memory a BO holds now (alloc-on-fault BOs: the populated chunks).
   virtual Result<uint64_t> residentBytes(uint32_t boHandle) const = 0;
   // The last unhandled fault of a VM, if it ever had one (what makes groups
   // on it FATAL_FAULT).
   virtual Result<std::optional<Fault>> vmUnhandledFault(uint32_t vmId) const = 0;
};

} // namespace pan::kmod
