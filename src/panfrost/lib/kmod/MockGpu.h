// What only the mock backend offers: a window on the kernel's and the GPU's
// state that a real system shows through debugfs or not at all (a VM's mapping
// list and page-table use, a GPU-side page walk). Device::mockGpu() is null on
// hardware, so code that needs it says so by checking.
//
// This is the seam through which tools and, later, the CPU executor reach the
// hardware model without including anything of the mock.
#pragma once

#include <cstdint>
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

   virtual Result<std::vector<Mapping>> vmMappings(uint32_t vmId) const = 0;
   virtual Result<PageTableUse> vmPageTableUse(uint32_t vmId) const = 0;
   // nullopt: the GPU would fault at va.
   virtual Result<std::optional<Translation>> translate(uint32_t vmId, uint64_t va) const = 0;
   // The mock GPU's memory in use, by everyone, in bytes.
   virtual uint64_t memoryInUse() const = 0;
};

} // namespace pan::kmod
