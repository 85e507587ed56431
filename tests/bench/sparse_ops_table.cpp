// What one sparse map costs the kernel, through kmod on the mock: for a 100 MB
// and a 1 GiB range, at a 2 MiB-aligned VA and at a VA that is only 64 KiB
// aligned, on panthor 1.8 (sparse emulated with a 2 MiB dummy BO) and 1.9
// (native MAP_SPARSE). Prints VM_BIND ioctls, kernel ops, leaf page-table
// entries written and page-table pages held; no timing.
//
// The expected op count is worked out here from the VA and size alone (1.9:
// one op; 1.8: one op per 2 MiB VA piece the range touches). The program exits
// with status 1 if any measured count differs, so it doubles as a check.
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <span>
#include <string>

#include "kmod/Device.h"
#include "kmod/MockGpu.h"
#include "kmod/Vm.h"

namespace pan::bench {
namespace {

using kmod::Device;
using kmod::Result;
using kmod::Vm;
using kmod::VmOp;

constexpr uint64_t kPage = 4096;
constexpr uint64_t k64K = 64 * 1024;
constexpr uint64_t k2M = 2ull << 20;
constexpr uint64_t k1G = 1ull << 30;
constexpr uint64_t kHundredMb = (100'000'000 + kPage - 1) / kPage * kPage;
constexpr uint64_t kAlignedVa = 8ull << 30;
constexpr uint64_t kMisalignedVa = kAlignedVa + k64K;
static_assert(kMisalignedVa % k64K == 0 && kMisalignedVa % k2M != 0);
// Page tables for a 1 GiB range take a few MiB at most.
constexpr uint64_t kMockMemory = 256ull << 20;

struct Case {
   unsigned minor;
   uint64_t size;
   const char *sizeName;
   uint64_t va;
   const char *vaName;
};

struct Measured {
   uint64_t bindIoctls = 0;
   uint64_t kernelOps = 0;
   uint64_t leafEntries = 0;
   uint64_t tablePages = 0;
};

// Independent of kmod's lowering: 2 MiB VA pieces the range touches.
uint64_t twoMegPieces(uint64_t va, uint64_t size) {
   const uint64_t firstPiece = va / k2M;
   const uint64_t endPiece = (va + size + k2M - 1) / k2M;
   return endPiece - firstPiece;
}

uint64_t expectedOps(const Case &c) {
   return c.minor >= 9 ? 1 : twoMegPieces(c.va, c.size);
}

// A fresh device per case, so the counters hold only this sparse map.
Result<Measured> measure(const Case &c) {
   kmod::OpenOptions options;
   options.backend = kmod::OpenOptions::Backend::Mock;
   options.mockMinorVersion = c.minor;
   options.mockMemoryBytes = kMockMemory;
   Result<std::unique_ptr<Device>> device = Device::open(options);
   if (!device)
      return device.takeError();
   kmod::MockGpu *gpu = device.value()->mockGpu();
   if (!gpu)
      return kmod::fail(ENODEV, "mock GPU view");
   Result<std::unique_ptr<Vm>> vm = Vm::create(*device.value());
   if (!vm)
      return vm.takeError();
   if (vm.value()->userVaRange() < c.va + c.size)
      return kmod::fail(ERANGE, "VM user VA range");

   device.value()->resetIoctlStats();
   const VmOp op = VmOp::sparse(c.va, c.size);
   Result<void> bound = vm.value()->bind(std::span(&op, 1), Vm::BindMode::Immediate);
   if (!bound)
      return bound.takeError();

   Result<kmod::MockGpu::PageTableUse> tables = gpu->vmPageTableUse(vm.value()->id());
   if (!tables)
      return tables.takeError();
   Measured m;
   m.bindIoctls = device.value()->ioctlStats().vmBind;
   m.kernelOps = vm.value()->stats().kernelOps;
   m.leafEntries = tables->entriesWritten;
   m.tablePages = tables->tablePages;
   return m;
}

} // namespace
} // namespace pan::bench

int main() {
   using namespace pan::bench;
   const Case cases[] = {
      {8, kHundredMb, "100 MB", kAlignedVa, "2M-aligned"},
      {9, kHundredMb, "100 MB", kAlignedVa, "2M-aligned"},
      {8, kHundredMb, "100 MB", kMisalignedVa, "64K-aligned"},
      {9, kHundredMb, "100 MB", kMisalignedVa, "64K-aligned"},
      {8, k1G, "1 GiB", kAlignedVa, "2M-aligned"},
      {9, k1G, "1 GiB", kAlignedVa, "2M-aligned"},
      {8, k1G, "1 GiB", kMisalignedVa, "64K-aligned"},
      {9, k1G, "1 GiB", kMisalignedVa, "64K-aligned"},
   };

   std::printf("Sparse map of one range through kmod on the mock (100 MB = %llu bytes, "
               "4 KiB rounded)\n",
               static_cast<unsigned long long>(kHundredMb));
   std::printf("2M-aligned VA = 0x%llx, 64K-aligned VA = 0x%llx\n\n",
               static_cast<unsigned long long>(kAlignedVa),
               static_cast<unsigned long long>(kMisalignedVa));
   std::printf("%-7s %-7s %-12s %8s %10s %10s %12s %10s  %s\n", "driver", "size", "VA",
               "VM_BIND", "ops", "expected", "leaf PTEs", "PT pages", "check");

   int failures = 0;
   for (const Case &c : cases) {
      const std::string driver = "1." + std::to_string(c.minor);
      Result<Measured> m = measure(c);
      if (!m) {
         std::printf("%-7s %-7s %-12s  error: %s\n", driver.c_str(), c.sizeName, c.vaName,
                     m.error().message.c_str());
         failures++;
         continue;
      }
      const uint64_t expected = expectedOps(c);
      const bool ok = m->kernelOps == expected && m->bindIoctls == 1;
      failures += ok ? 0 : 1;
      std::printf("%-7s %-7s %-12s %8llu %10llu %10llu %12llu %10llu  %s\n", driver.c_str(),
                  c.sizeName, c.vaName, static_cast<unsigned long long>(m->bindIoctls),
                  static_cast<unsigned long long>(m->kernelOps),
                  static_cast<unsigned long long>(expected),
                  static_cast<unsigned long long>(m->leafEntries),
                  static_cast<unsigned long long>(m->tablePages), ok ? "ok" : "MISMATCH");
   }

   std::printf("\nops: drm_panthor_vm_bind_op entries sent; expected: 1 on 1.9, on 1.8 the "
               "2 MiB VA pieces the range touches.\nleaf PTEs: leaf descriptors written "
               "(2 MiB blocks + 4 KiB pages); PT pages: page-table pages held after the "
               "bind, root included.\n");
   if (failures) {
      std::printf("%d case(s) differ from the expected op count\n", failures);
      return 1;
   }
   return 0;
}
