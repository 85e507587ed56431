#include "DeviceStats.h"

#include <cinttypes>
#include <cstdio>

#include "Device.h"
#include "kmod/MockGpu.h"

namespace panvk {

void
printKernelStats(Device &device)
{
   pan::kmod::Device &kmod = device.kmod();
   const pan::kmod::IoctlStats ioctls = kmod.ioctlStats();
   const pan::kmod::BindStats binds = device.vm().stats();
   printf("  ioctls: %" PRIu64 " in all, %" PRIu64 " VM_BIND carrying %" PRIu64 " ops\n",
          ioctls.total, ioctls.vmBind, ioctls.vmBindOps);
   printf("  this device's VM %u: %" PRIu64 " VM_BIND ioctls, %" PRIu64 " ops\n", device.vm().id(),
          binds.ioctls, binds.kernelOps);
   const pan::kmod::MockGpu *gpu = kmod.mockGpu();
   if (!gpu) {
      printf("  (GPU counters come from the mock only)\n");
      return;
   }
   const pan::kmod::MockGpu::Counters c = gpu->counters();
   printf("  GPU faults: %" PRIu64 " handled, %" PRIu64 " unhandled; TLB: %" PRIu64 " hits, %" PRIu64
          " misses, %" PRIu64 " invalidations\n",
          c.faultsHandled, c.faultsUnhandled, c.tlbHits, c.tlbMisses, c.tlbInvalidations);
   if (auto tables = gpu->vmPageTableUse(device.vm().id()))
      printf("  page tables: %" PRIu64 " pages, %" PRIu64 " leaf entries written\n",
             tables.value().tablePages, tables.value().entriesWritten);
   printf("  GPU memory in use: %.1f MiB of %.1f MiB\n", gpu->memoryInUse() / 1048576.0,
          gpu->memoryBudget() / 1048576.0);
   fflush(stdout);
}

} // namespace panvk
