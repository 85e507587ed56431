// pankmod-demo: a sparse resource on panthor through kmod.
//
// Opens the kernel (the mock unless PAN_KMOD says otherwise), creates a VM,
// maps a 100,000,000-byte sparse range with one sparse op, binds BOs over parts
// of it, and prints the VM's mapping list (what debugfs "gpuvas" shows on a
// real kernel), the VM_BIND ops sent and the page-table pages used. On the mock
// it then compares the same sparse map at driver 1.8 (emulated) and 1.9+.
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include "drm-uapi/panthor_drm.h"
#include "kmod/Bo.h"
#include "kmod/Device.h"
#include "kmod/MockGpu.h"
#include "kmod/Vm.h"

using namespace pan::kmod;

namespace {

constexpr uint64_t kSparseVa = 0x100000000ull; // 4 GiB, 2 MiB aligned
constexpr uint64_t kSparseSize = (100000000ull + 4095) & ~4095ull;

int
failed(const char *what, const Error &error)
{
   fprintf(stderr, "pankmod-demo: %s: %s (errno %d)\n", what, error.message.c_str(), error.errnum);
   return 1;
}

std::string
flagNames(uint32_t flags)
{
   std::string s;
   if (flags & DRM_PANTHOR_VM_BIND_OP_MAP_READONLY) s += "ro,";
   if (flags & DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC) s += "noexec,";
   if (flags & DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED) s += "uncached,";
   if (flags & DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE) s += "sparse,";
   if (!s.empty()) s.pop_back();
   return s.empty() ? "-" : s;
}

void
printMappings(const MockGpu &gpu, const Vm &vm)
{
   auto mappings = gpu.vmMappings(vm.id());
   if (!mappings) {
      failed("mapping list", mappings.error());
      return;
   }
   printf("\nVM %u mappings (%zu):\n", vm.id(), mappings.value().size());
   printf("  %-18s %-18s %12s  %-6s %-12s %s\n", "va start", "va end", "size", "bo", "bo offset",
          "flags / label");
   for (const MockGpu::Mapping &m : mappings.value()) {
      const std::string bo = m.boHandle ? std::to_string(m.boHandle) : "dummy";
      printf("  0x%016" PRIx64 " 0x%016" PRIx64 " %12" PRIu64 "  %-6s 0x%010" PRIx64 " %s%s%s\n",
             m.va, m.va + m.size, m.size, bo.c_str(), m.boOffset, flagNames(m.flags).c_str(),
             m.boLabel.empty() ? "" : " ", m.boLabel.c_str());
   }
}

// The same 100 MB sparse map on a fresh mock at each driver version.
void
compareVersions()
{
   printf("\nOne sparse map of %" PRIu64 " bytes at each mock driver version:\n", kSparseSize);
   printf("  %-8s %-10s %14s %16s %16s\n", "driver", "sparse", "VM_BIND ops", "leaf entries",
          "table pages");
   for (unsigned minor : {8u, 9u, 10u}) {
      OpenOptions options;
      options.backend = OpenOptions::Backend::Mock;
      options.mockMinorVersion = minor;
      options.mockMemoryBytes = 64ull << 20;
      auto device = Device::open(options);
      if (!device) {
         failed("mock device", device.error());
         continue;
      }
      auto vm = Vm::create(*device.value());
      if (!vm) {
         failed("VM_CREATE", vm.error());
         continue;
      }
      const VmOp op = VmOp::sparse(kSparseVa, kSparseSize);
      if (auto r = vm.value()->bind({&op, 1}, Vm::BindMode::Immediate); !r) {
         failed("sparse bind", r.error());
         continue;
      }
      const MockGpu *gpu = device.value()->mockGpu();
      auto use = gpu->vmPageTableUse(vm.value()->id());
      printf("  1.%-6u %-10s %14" PRIu64 " %16" PRIu64 " %16" PRIu64 "\n", minor,
             device.value()->features().nativeSparseMap ? "native" : "emulated",
             vm.value()->stats().kernelOps, use ? use.value().entriesWritten : 0,
             use ? use.value().tablePages : 0);
   }
}

} // namespace

int
main()
{
   auto opened = Device::open();
   if (!opened)
      return failed("opening the panthor device", opened.error());
   Device &device = *opened.value();
   const DriverVersion &v = device.driverVersion();
   printf("panthor %d.%d.%d (%s), GPU id 0x%08x, %u-bit VA, page sizes 0x%" PRIx64 "\n", v.major,
          v.minor, v.patch, device.isMock() ? "mock" : "hardware", device.gpuInfo().gpu_id,
          device.vaBits(), device.pageSizeBitmap());
   printf("sparse maps: %s; alloc-on-fault BOs: %s\n",
          device.features().nativeSparseMap ? "native (MAP_SPARSE)" : "emulated with a dummy BO",
          device.features().allocOnFault ? "yes" : "no");

   auto vm = Vm::create(device);
   if (!vm)
      return failed("VM_CREATE", vm.error());

   // 1. The whole resource: one sparse op.
   const VmOp sparse = VmOp::sparse(kSparseVa, kSparseSize);
   if (auto r = vm.value()->bind({&sparse, 1}, Vm::BindMode::Immediate); !r)
      return failed("sparse map", r.error());
   const uint64_t sparseOps = vm.value()->stats().kernelOps;

   // 2. Memory over parts of it: a 64 KiB tile, a 2 MiB-aligned 4 MiB block,
   //    and the same tile's BO again further on (aliasing).
   auto tile = Bo::create(device, {.size = 64 << 10});
   auto block = Bo::create(device, {.size = 4 << 20});
   if (!tile || !block)
      return failed("BO_CREATE", tile ? block.error() : tile.error());
   // Labels need 1.4; without them the dump just shows no names.
   (void)tile.value()->setLabel("tile");
   (void)block.value()->setLabel("block");
   const VmOp binds[] = {
      VmOp::map(*tile.value(), 0, kSparseVa + (1 << 20), 64 << 10, MapFlags::NoExec),
      VmOp::map(*block.value(), 0, kSparseVa + (8 << 20), 4 << 20, MapFlags::NoExec),
      VmOp::map(*tile.value(), 0, kSparseVa + (50 << 20), 64 << 10,
                MapFlags::NoExec | MapFlags::ReadOnly),
   };
   if (auto r = vm.value()->bind(binds, Vm::BindMode::Immediate); !r)
      return failed("BO maps", r.error());

   const BindStats stats = vm.value()->stats();
   printf("\nVM_BIND: %" PRIu64 " ioctls, %" PRIu64 " ops (%" PRIu64 " for the sparse range, %" PRIu64
          " for 3 BO maps)\n",
          stats.ioctls, stats.kernelOps, sparseOps, stats.kernelOps - sparseOps);

   const MockGpu *gpu = device.mockGpu();
   if (!gpu) {
      printf("(the mapping list and page-table use come from the mock; on hardware read debugfs "
             "gpuvas)\n");
      return 0;
   }
   printMappings(*gpu, *vm.value());
   if (auto use = gpu->vmPageTableUse(vm.value()->id()))
      printf("\npage tables: %" PRIu64 " pages (%" PRIu64 " KiB), %" PRIu64
             " leaf entries written\n",
             use.value().tablePages, use.value().tablePages * 4, use.value().entriesWritten);
   compareVersions();
   return 0;
}
