// The mock GPU's memory path, through kmod::MockGpu: alloc-on-fault faults per
// second (64 KiB and 2 MiB chunks), and MMU copy bandwidth over a 256 MiB
// mapped BO with 4 KiB pages and with 2 MiB blocks, next to a plain memcpy of
// the same size in the same run. Everything runs on the benchmark thread
// (faults are handled synchronously inside the access), so rates are per
// CPU-second of that thread; medians of 5 repetitions.
#include <benchmark/benchmark.h>
#include <cerrno>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "RatioReporter.h"
#include "kmod/Bo.h"
#include "kmod/Device.h"
#include "kmod/MockGpu.h"
#include "kmod/Vm.h"

namespace pan::bench {
namespace {

using kmod::Bo;
using kmod::Device;
using kmod::MockGpu;
using kmod::Result;
using kmod::Vm;
using kmod::VmOp;

constexpr uint64_t kKiB = 1024;
constexpr uint64_t kMiB = 1024 * kKiB;
constexpr uint64_t k2M = 2 * kMiB;
constexpr uint64_t kCopySize = 256 * kMiB;
constexpr uint64_t kVaBase = 4ull << 30; // 2 MiB aligned
// Alloc-on-fault BOs: enough chunks per iteration to dwarf the set-up.
constexpr uint64_t kFaultBoSize64K = 64 * kMiB;  // 1024 faults
constexpr uint64_t kFaultBoSize2M = 256 * kMiB;  // 128 faults
// A modest share of the 24 GiB host: one 256 MiB BO at a time, plus tables.
constexpr uint64_t kMockMemory = 1536 * kMiB;

struct GpuSetup {
   std::unique_ptr<Device> device;
   std::unique_ptr<Vm> vm;
   MockGpu *gpu = nullptr;
};

Result<GpuSetup> openSetup() {
   kmod::OpenOptions options;
   options.backend = kmod::OpenOptions::Backend::Mock;
   options.mockMinorVersion = 10; // alloc-on-fault
   options.mockMemoryBytes = kMockMemory;
   GpuSetup setup;
   Result<std::unique_ptr<Device>> device = Device::open(options);
   if (!device)
      return device.takeError();
   setup.device = std::move(device.value());
   setup.gpu = setup.device->mockGpu();
   if (!setup.gpu)
      return kmod::fail(ENODEV, "mock GPU view");
   Result<std::unique_ptr<Vm>> vm = Vm::create(*setup.device);
   if (!vm)
      return vm.takeError();
   setup.vm = std::move(vm.value());
   return setup;
}

Result<void> mapWhole(Vm &vm, const Bo &bo, uint64_t va) {
   const VmOp op = VmOp::map(bo, 0, va, bo.size());
   return vm.bind(std::span(&op, 1), Vm::BindMode::Immediate);
}

Result<void> unmapWhole(Vm &vm, const Bo &bo, uint64_t va) {
   const VmOp op = VmOp::unmap(va, bo.size());
   return vm.bind(std::span(&op, 1), Vm::BindMode::Immediate);
}

// Each iteration maps a fresh alloc-on-fault BO (untimed) and touches one byte
// per chunk through the GPU's MMU: one fault per chunk, each allocating,
// zeroing and mapping a chunk. Items are faults; bytes are bytes populated.
void AllocOnFault(benchmark::State &state) {
   const uint64_t granularity = static_cast<uint64_t>(state.range(0));
   const uint64_t boSize = granularity >= k2M ? kFaultBoSize2M : kFaultBoSize64K;
   const uint64_t chunks = boSize / granularity;
   Result<GpuSetup> setup = openSetup();
   if (!setup) {
      state.SkipWithError(("mock setup: " + setup.error().message).c_str());
      return;
   }
   Vm &vm = *setup->vm;
   MockGpu &gpu = *setup->gpu;

   kmod::BoCreateInfo info;
   info.size = boSize;
   info.flags = kmod::BoFlags::AllocOnFault | kmod::BoFlags::NoMmap;
   info.allocOnFaultGranularity = static_cast<uint32_t>(granularity);
   const uint8_t byte = 0x5a;
   uint64_t faults = 0;
   for (auto _ : state) {
      state.PauseTiming();
      Result<std::unique_ptr<Bo>> bo = Bo::create(*setup->device, info);
      Result<void> mapped = bo ? mapWhole(vm, *bo.value(), kVaBase) : bo.error();
      if (!mapped) {
         state.SkipWithError(("alloc-on-fault BO: " + mapped.error().message).c_str());
         break;
      }
      const uint64_t faultsBefore = gpu.counters().faultsHandled;
      state.ResumeTiming();

      bool touched = true;
      for (uint64_t chunk = 0; chunk < chunks && touched; chunk++) {
         Result<MockGpu::AccessResult> access =
            gpu.copyToGpu(vm.id(), kVaBase + chunk * granularity, &byte, 1);
         touched = access && access->ok() && access->bytesDone == 1;
      }

      state.PauseTiming();
      const uint64_t faulted = gpu.counters().faultsHandled - faultsBefore;
      Result<void> unmapped = unmapWhole(vm, *bo.value(), kVaBase);
      bo.value().reset();
      if (!touched || faulted != chunks || !unmapped) {
         state.SkipWithError(!touched ? "a GPU write to an alloc-on-fault chunk failed"
                             : !unmapped ? "unmapping the alloc-on-fault BO failed"
                                         : "not one handled fault per chunk");
         break;
      }
      faults += faulted;
      state.ResumeTiming();
   }
   state.SetItemsProcessed(static_cast<int64_t>(faults));
   state.SetBytesProcessed(static_cast<int64_t>(faults * granularity));
}

enum class Direction { ToGpu, FromGpu };
enum class Leaves { Pages4K, Blocks2M };

// Checks every 2 MiB stretch of the mapping uses the leaf size asked for.
bool leavesAre(const MockGpu &gpu, uint32_t vmId, uint64_t va, uint64_t size, unsigned level) {
   for (uint64_t offset = 0; offset < size; offset += k2M) {
      Result<std::optional<MockGpu::Translation>> t = gpu.translate(vmId, va + offset);
      if (!t || !t.value() || t.value()->level != level)
         return false;
   }
   return true;
}

// A 256 MiB BO mapped at a 2 MiB-aligned VA (2 MiB blocks, if the mock backs
// it with 2 MiB-contiguous memory, which is checked) or 4 KiB past one (VA and
// physical addresses then differ mod 2 MiB: 4 KiB pages only). Each iteration
// copies all of it between host memory and the BO through the MMU.
void MmuCopy(benchmark::State &state, Direction direction, Leaves leaves) {
   Result<GpuSetup> setup = openSetup();
   if (!setup) {
      state.SkipWithError(("mock setup: " + setup.error().message).c_str());
      return;
   }
   Vm &vm = *setup->vm;
   MockGpu &gpu = *setup->gpu;
   kmod::BoCreateInfo info;
   info.size = kCopySize;
   info.flags = kmod::BoFlags::NoMmap;
   Result<std::unique_ptr<Bo>> bo = Bo::create(*setup->device, info);
   if (!bo) {
      state.SkipWithError(("256 MiB BO: " + bo.error().message).c_str());
      return;
   }
   const uint64_t va = kVaBase + (leaves == Leaves::Pages4K ? 4 * kKiB : 0);
   if (Result<void> mapped = mapWhole(vm, *bo.value(), va); !mapped) {
      state.SkipWithError(("map: " + mapped.error().message).c_str());
      return;
   }
   if (!leavesAre(gpu, vm.id(), va, kCopySize, leaves == Leaves::Pages4K ? 3 : 2)) {
      state.SkipWithError(leaves == Leaves::Pages4K
                             ? "the misaligned mapping is not made of 4 KiB pages"
                             : "the BO is not mapped with 2 MiB blocks");
      return;
   }

   // Both sides written once before timing: the host buffer, and the BO's
   // pages in the mock's memfd, which the host kernel only backs on first touch.
   std::vector<uint8_t> host(kCopySize, 0x3c);
   Result<MockGpu::AccessResult> warmed = gpu.copyToGpu(vm.id(), va, host.data(), kCopySize);
   if (!warmed || !warmed->ok() || warmed->bytesDone != kCopySize) {
      state.SkipWithError("the warm-up copy to the BO stopped early");
      return;
   }
   for (auto _ : state) {
      Result<MockGpu::AccessResult> copied =
         direction == Direction::ToGpu ? gpu.copyToGpu(vm.id(), va, host.data(), kCopySize)
                                       : gpu.copyFromGpu(vm.id(), va, host.data(), kCopySize);
      if (!copied || !copied->ok() || copied->bytesDone != kCopySize) {
         state.SkipWithError("the MMU copy stopped early");
         break;
      }
      benchmark::ClobberMemory();
   }
   state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kCopySize));
}

// The baseline: the same 256 MiB between two host buffers.
void Memcpy(benchmark::State &state) {
   std::vector<uint8_t> source(kCopySize, 0x3c);
   std::vector<uint8_t> destination(kCopySize, 0);
   for (auto _ : state) {
      std::memcpy(destination.data(), source.data(), kCopySize);
      benchmark::DoNotOptimize(destination.data());
      benchmark::ClobberMemory();
   }
   state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kCopySize));
}

BENCHMARK(AllocOnFault)
   ->ArgName("granularity")
   ->Arg(64 * kKiB)
   ->Arg(2 * kMiB)
   ->Unit(benchmark::kMicrosecond)
   ->Repetitions(5)
   ->ReportAggregatesOnly(true);

BENCHMARK_CAPTURE(MmuCopy, to_gpu_4k_pages, Direction::ToGpu, Leaves::Pages4K)
   ->Unit(benchmark::kMillisecond)
   ->Repetitions(5)
   ->ReportAggregatesOnly(true);
BENCHMARK_CAPTURE(MmuCopy, to_gpu_2m_blocks, Direction::ToGpu, Leaves::Blocks2M)
   ->Unit(benchmark::kMillisecond)
   ->Repetitions(5)
   ->ReportAggregatesOnly(true);
BENCHMARK_CAPTURE(MmuCopy, from_gpu_4k_pages, Direction::FromGpu, Leaves::Pages4K)
   ->Unit(benchmark::kMillisecond)
   ->Repetitions(5)
   ->ReportAggregatesOnly(true);
BENCHMARK_CAPTURE(MmuCopy, from_gpu_2m_blocks, Direction::FromGpu, Leaves::Blocks2M)
   ->Unit(benchmark::kMillisecond)
   ->Repetitions(5)
   ->ReportAggregatesOnly(true);
BENCHMARK(Memcpy)
   ->Unit(benchmark::kMillisecond)
   ->Repetitions(5)
   ->ReportAggregatesOnly(true);

} // namespace
} // namespace pan::bench

int main(int argc, char **argv) {
   using pan::bench::Ratio;
   const std::string bytes = "bytes_per_second";
   return pan::bench::runWithRatios(
      argc, argv,
      {
         Ratio{"faults/s, 2 MiB vs 64 KiB chunks", "AllocOnFault/granularity:2097152",
               "AllocOnFault/granularity:65536"},
         Ratio{"populated bytes/s, 2 MiB vs 64 KiB chunks", "AllocOnFault/granularity:2097152",
               "AllocOnFault/granularity:65536", bytes},
         Ratio{"MMU copy to GPU, 4 KiB pages vs memcpy", "MmuCopy/to_gpu_4k_pages", "Memcpy",
               bytes},
         Ratio{"MMU copy to GPU, 2 MiB blocks vs memcpy", "MmuCopy/to_gpu_2m_blocks", "Memcpy",
               bytes},
         Ratio{"MMU copy from GPU, 4 KiB pages vs memcpy", "MmuCopy/from_gpu_4k_pages", "Memcpy",
               bytes},
         Ratio{"MMU copy from GPU, 2 MiB blocks vs memcpy", "MmuCopy/from_gpu_2m_blocks",
               "Memcpy", bytes},
         Ratio{"MMU copy to GPU, 2 MiB blocks vs 4 KiB pages", "MmuCopy/to_gpu_2m_blocks",
               "MmuCopy/to_gpu_4k_pages", bytes},
      });
}
