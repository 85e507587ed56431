// VM_BIND throughput through kmod on the in-process mock: map+unmap ops per
// second in Immediate mode (one op per ioctl and 64 per ioctl, 4 KiB and
// 64 KiB maps), and async bind jobs per second with a timeline syncobj.
// Rates are items_per_second (ops or jobs), medians of 5 repetitions.
// Immediate binds run wholly on the calling thread, so their rates are per
// CPU-second of that thread, which other load on the host barely moves. Async
// jobs run on the mock's bind-queue thread, so their rate is per wall-clock
// second, with the CPU time of the whole process per job next to it.
#include <benchmark/benchmark.h>
#include <cerrno>
#include <memory>
#include <span>
#include <string>
#include <time.h>
#include <vector>

#include "RatioReporter.h"
#include "kmod/Bo.h"
#include "kmod/Device.h"
#include "kmod/Syncobj.h"
#include "kmod/Vm.h"

namespace pan::bench {
namespace {

using kmod::Bo;
using kmod::Device;
using kmod::Result;
using kmod::Syncobj;
using kmod::Vm;
using kmod::VmOp;

constexpr uint64_t kKiB = 1024;
constexpr uint64_t kMiB = 1024 * kKiB;
constexpr uint64_t kBoSize = 2 * kMiB;
constexpr uint64_t kVaBase = 4ull << 30;
// VA slots the maps cycle through; a multiple of every batch size used.
constexpr size_t kVaSlots = 1024;
constexpr unsigned kMockMinor = 10;
constexpr uint64_t kMockMemory = 256 * kMiB;
// Async: jobs submitted before waiting for the last one's timeline point; a
// multiple of every jobs-per-ioctl count used.
constexpr size_t kJobsPerDrain = 256;

double processCpuSeconds() {
   timespec now{};
   clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
   return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

// A mock device with one VM and one BO whose pages every map reuses.
struct BindSetup {
   std::unique_ptr<Device> device;
   std::unique_ptr<Vm> vm;
   std::unique_ptr<Bo> bo;
};

Result<BindSetup> openSetup() {
   kmod::OpenOptions options;
   options.backend = kmod::OpenOptions::Backend::Mock;
   options.mockMinorVersion = kMockMinor;
   options.mockMemoryBytes = kMockMemory;
   BindSetup setup;
   Result<std::unique_ptr<Device>> device = Device::open(options);
   if (!device)
      return device.takeError();
   setup.device = std::move(device.value());
   Result<std::unique_ptr<Vm>> vm = Vm::create(*setup.device);
   if (!vm)
      return vm.takeError();
   setup.vm = std::move(vm.value());
   kmod::BoCreateInfo info;
   info.size = kBoSize;
   Result<std::unique_ptr<Bo>> bo = Bo::create(*setup.device, info);
   if (!bo)
      return bo.takeError();
   setup.bo = std::move(bo.value());
   return setup;
}

// Slot i: VA base + i * 2 * mapSize (a gap between neighbours), BO offset
// cycling through the BO.
uint64_t slotVa(size_t slot, uint64_t mapSize) {
   return kVaBase + slot * 2 * mapSize;
}
uint64_t slotBoOffset(size_t slot, uint64_t mapSize) {
   return slot * mapSize % kBoSize;
}

// Immediate mode: each iteration maps `opsPerIoctl` slots in one bind call and
// unmaps them in a second one. Items are ops (maps + unmaps).
void MapUnmap(benchmark::State &state) {
   const uint64_t mapSize = static_cast<uint64_t>(state.range(0));
   const size_t opsPerIoctl = static_cast<size_t>(state.range(1));
   Result<BindSetup> setup = openSetup();
   if (!setup) {
      state.SkipWithError(("mock setup: " + setup.error().message).c_str());
      return;
   }
   Vm &vm = *setup->vm;
   std::vector<VmOp> maps, unmaps;
   for (size_t slot = 0; slot < kVaSlots; slot++) {
      maps.push_back(VmOp::map(*setup->bo, slotBoOffset(slot, mapSize), slotVa(slot, mapSize),
                               mapSize));
      unmaps.push_back(VmOp::unmap(slotVa(slot, mapSize), mapSize));
   }

   const uint64_t ioctlsBefore = setup->device->ioctlStats().vmBind;
   size_t next = 0;
   for (auto _ : state) {
      const std::span<const VmOp> mapBatch(maps.data() + next, opsPerIoctl);
      const std::span<const VmOp> unmapBatch(unmaps.data() + next, opsPerIoctl);
      next = (next + opsPerIoctl) % kVaSlots;
      Result<void> mapped = vm.bind(mapBatch, Vm::BindMode::Immediate);
      Result<void> unmapped = vm.bind(unmapBatch, Vm::BindMode::Immediate);
      if (!mapped || !unmapped) {
         state.SkipWithError((mapped ? unmapped : mapped).error().message.c_str());
         break;
      }
   }
   const uint64_t ioctls = setup->device->ioctlStats().vmBind - ioctlsBefore;
   state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * 2 * opsPerIoctl));
   state.counters["ioctls_per_second"] =
      benchmark::Counter(static_cast<double>(ioctls), benchmark::Counter::kIsRate);
}

// Async mode: every op is a job on the VM's bind queue; the last op of each
// ioctl signals the next timeline point. One iteration submits kJobsPerDrain
// jobs (a map then an unmap per slot) and waits for the last point, so what is
// counted has run. Items are jobs.
void AsyncBindJobs(benchmark::State &state) {
   constexpr uint64_t kMapSize = 64 * kKiB;
   const size_t jobsPerIoctl = static_cast<size_t>(state.range(0));
   Result<BindSetup> setup = openSetup();
   if (!setup) {
      state.SkipWithError(("mock setup: " + setup.error().message).c_str());
      return;
   }
   Result<std::unique_ptr<Syncobj>> created = Syncobj::create(*setup->device);
   if (!created) {
      state.SkipWithError(("syncobj: " + created.error().message).c_str());
      return;
   }
   const Syncobj &timeline = *created.value();

   std::vector<VmOp> jobs;
   for (size_t job = 0; job < kJobsPerDrain; job++) {
      const size_t slot = job / 2;
      const uint64_t va = slotVa(slot, kMapSize);
      jobs.push_back(job % 2 == 0
                        ? VmOp::map(*setup->bo, slotBoOffset(slot, kMapSize), va, kMapSize)
                        : VmOp::unmap(va, kMapSize));
   }
   for (size_t last = jobsPerIoctl - 1; last < kJobsPerDrain; last += jobsPerIoctl)
      jobs[last].signals.push_back(kmod::SyncPoint{timeline.handle(), 0});

   uint64_t point = 0;
   const double cpuBefore = processCpuSeconds();
   for (auto _ : state) {
      Result<void> bound = kmod::success();
      for (size_t first = 0; first < kJobsPerDrain && bound; first += jobsPerIoctl) {
         VmOp &last = jobs[first + jobsPerIoctl - 1];
         last.signals[0].value = ++point;
         bound = setup->vm->bind(std::span<const VmOp>(jobs.data() + first, jobsPerIoctl),
                                 Vm::BindMode::Async);
      }
      if (!bound) {
         const kmod::Error &error = bound.error();
         const std::string message =
            error.errnum == EINVAL && point == 1
               ? "async VM_BIND refused with EINVAL on the first job: the mock's bind "
                 "queue is not available in this build (" + error.message + ")"
               : error.message;
         state.SkipWithError(message.c_str());
         break;
      }
      Result<void> waited = timeline.wait(point, kmod::absoluteTimeout(10'000'000'000), true);
      if (!waited) {
         state.SkipWithError(("waiting for the last job: " + waited.error().message).c_str());
         break;
      }
   }
   const double jobCount = static_cast<double>(state.iterations() * kJobsPerDrain);
   state.SetItemsProcessed(static_cast<int64_t>(jobCount));
   if (jobCount > 0)
      state.counters["process_cpu_ns_per_job"] = (processCpuSeconds() - cpuBefore) * 1e9 / jobCount;
}

BENCHMARK(MapUnmap)
   ->ArgNames({"bytes", "ops_per_ioctl"})
   ->Args({4 * kKiB, 1})
   ->Args({64 * kKiB, 1})
   ->Args({4 * kKiB, 64})
   ->Args({64 * kKiB, 64})
   ->Repetitions(5)
   ->ReportAggregatesOnly(true);

BENCHMARK(AsyncBindJobs)
   ->ArgName("jobs_per_ioctl")
   ->Arg(1)
   ->Arg(64)
   ->UseRealTime()
   ->Repetitions(5)
   ->ReportAggregatesOnly(true);

} // namespace
} // namespace pan::bench

int main(int argc, char **argv) {
   using pan::bench::Ratio;
   return pan::bench::runWithRatios(
      argc, argv,
      {
         Ratio{"4 KiB ops/s, 64 per ioctl vs 1 per ioctl",
               "MapUnmap/bytes:4096/ops_per_ioctl:64", "MapUnmap/bytes:4096/ops_per_ioctl:1"},
         Ratio{"64 KiB ops/s, 64 per ioctl vs 1 per ioctl",
               "MapUnmap/bytes:65536/ops_per_ioctl:64", "MapUnmap/bytes:65536/ops_per_ioctl:1"},
         Ratio{"ops/s, 64 KiB vs 4 KiB maps (1 per ioctl)",
               "MapUnmap/bytes:65536/ops_per_ioctl:1", "MapUnmap/bytes:4096/ops_per_ioctl:1"},
         Ratio{"async jobs/s, 64 per ioctl vs 1 per ioctl", "AsyncBindJobs/jobs_per_ioctl:64",
               "AsyncBindJobs/jobs_per_ioctl:1"},
      });
}
