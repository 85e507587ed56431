// vkQueueBindSparse through the driver, in process (its entry points called
// directly, as tests/vulkan/unit/DirectDevice.h does), on the mock kernel:
//   Contiguous   1,024 binds of 64 KiB, contiguous in VA and in one allocation;
//   Separate     1,024 binds of 64 KiB, each to its own allocation;
//   Checkerboard 4,096 binds of 64 KiB on every other block of the buffer,
//                alternating between two allocations.
// Each iteration is one vkQueueBindSparse call with all of the scenario's
// binds and a fence, and the wait for that fence: binds per second end to
// end (wall clock, since the binds run on the queue's worker and the mock's
// bind queue). Kernel ops and VM_BIND ioctls per call come from the VM's
// counters. Upstream PanVK's way (one op per bind, a VM_BIND pushed every 16
// ops) is counted next to it, not run: ops = binds, ioctls = ceil(binds / 16).
// Medians of 5 repetitions; a table of them follows the library's output.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <unistd.h>
#include <vector>

#include "Device.h"
#include "kmod/Device.h"
#include "InProcessDevice.h"
#include "panvk_entrypoints.h"

namespace {

constexpr VkDeviceSize kBlock = 64 * 1024;
constexpr uint64_t kTimeoutNs = 60'000'000'000ull;
constexpr uint32_t kUpstreamOpsPerIoctl = 16;
constexpr const char *kScenarios[] = {"contiguous", "separate", "checkerboard"};

// The driver's device with a queue of the sparse-binding family, and the
// scenarios' buffers and memory, made once for the whole run.
class BindDevice : public pan::bench::InProcessDevice {
public:
   bool open()
   {
      VkPhysicalDeviceFeatures features{};
      features.sparseBinding = VK_TRUE;
      features.sparseResidencyBuffer = VK_TRUE;
      return InProcessDevice::open(1, features);
   }

   ~BindDevice() override
   {
      if (device_) {
         panvk_DeviceWaitIdle(device_);
         for (VkBuffer buffer : buffers_)
            panvk_DestroyBuffer(device_, buffer, nullptr);
      }
   }

   VkBuffer sparseBuffer(VkDeviceSize size)
   {
      VkBufferCreateInfo info{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
      info.flags = VK_BUFFER_CREATE_SPARSE_BINDING_BIT | VK_BUFFER_CREATE_SPARSE_RESIDENCY_BIT;
      info.size = size;
      info.usage = VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT;
      VkBuffer buffer = VK_NULL_HANDLE;
      if (panvk_CreateBuffer(device_, &info, nullptr, &buffer) != VK_SUCCESS)
         return VK_NULL_HANDLE;
      buffers_.push_back(buffer);
      return buffer;
   }

   // One call with all of `binds`, then the wait for its fence.
   bool bindAndWait(VkBuffer buffer, const std::vector<VkSparseMemoryBind> &binds)
   {
      const VkSparseBufferMemoryBindInfo bufferBinds{buffer, uint32_t(binds.size()), binds.data()};
      VkBindSparseInfo info{VK_STRUCTURE_TYPE_BIND_SPARSE_INFO};
      info.bufferBindCount = 1;
      info.pBufferBinds = &bufferBinds;
      return panvk_QueueBindSparse(queue_, 1, &info, fence_) == VK_SUCCESS &&
             panvk_WaitForFences(device_, 1, &fence_, VK_TRUE, kTimeoutNs) == VK_SUCCESS &&
             panvk_ResetFences(device_, 1, &fence_) == VK_SUCCESS;
   }

   pan::kmod::BindStats stats() { return panvk::Device::from(device_)->vm().stats(); }
   unsigned driverMinor() { return unsigned(panvk::Device::from(device_)->kmod().driverVersion().minor); }

private:
   std::vector<VkBuffer> buffers_;
};

BindDevice *gDevice = nullptr;

struct Scenario {
   VkBuffer buffer = VK_NULL_HANDLE;
   std::vector<VkSparseMemoryBind> binds;
};

Scenario
contiguous()
{
   constexpr uint32_t kBinds = 1024;
   Scenario s;
   s.buffer = gDevice->sparseBuffer(kBinds * kBlock);
   const VkDeviceMemory memory = gDevice->allocate(kBinds * kBlock);
   if (!s.buffer || !memory)
      return {};
   for (uint32_t i = 0; i < kBinds; i++)
      s.binds.push_back({i * kBlock, kBlock, memory, i * kBlock, 0});
   return s;
}

Scenario
separate()
{
   constexpr uint32_t kBinds = 1024;
   Scenario s;
   s.buffer = gDevice->sparseBuffer(kBinds * kBlock);
   if (!s.buffer)
      return {};
   for (uint32_t i = 0; i < kBinds; i++) {
      const VkDeviceMemory memory = gDevice->allocate(kBlock);
      if (!memory)
         return {};
      s.binds.push_back({i * kBlock, kBlock, memory, 0, 0});
   }
   return s;
}

Scenario
checkerboard()
{
   constexpr uint32_t kBinds = 4096;
   Scenario s;
   s.buffer = gDevice->sparseBuffer(2 * kBinds * kBlock);
   const VkDeviceMemory memories[2] = {gDevice->allocate(kBinds / 2 * kBlock),
                                       gDevice->allocate(kBinds / 2 * kBlock)};
   if (!s.buffer || !memories[0] || !memories[1])
      return {};
   for (uint32_t i = 0; i < kBinds; i++)
      s.binds.push_back({2 * i * kBlock, kBlock, memories[i % 2], (i / 2) * kBlock, 0});
   return s;
}

const Scenario &
scenario(const std::string &name)
{
   static std::map<std::string, Scenario> made;
   auto it = made.find(name);
   if (it == made.end()) {
      Scenario s = name == "contiguous" ? contiguous() : name == "separate" ? separate() : checkerboard();
      it = made.emplace(name, std::move(s)).first;
   }
   return it->second;
}

void
QueueBindSparse(benchmark::State &state, const std::string &name)
{
   const Scenario &s = scenario(name);
   if (s.binds.empty()) {
      state.SkipWithError("could not make the scenario's buffer and memory");
      return;
   }
   const pan::kmod::BindStats before = gDevice->stats();
   for (auto _ : state) {
      if (!gDevice->bindAndWait(s.buffer, s.binds)) {
         state.SkipWithError("vkQueueBindSparse or its fence failed");
         return;
      }
   }
   const pan::kmod::BindStats after = gDevice->stats();
   const double calls = double(state.iterations());
   const double binds = double(s.binds.size());
   state.SetItemsProcessed(int64_t(state.iterations() * s.binds.size()));
   state.counters["binds"] = binds;
   state.counters["ops_per_call"] = double(after.kernelOps - before.kernelOps) / calls;
   state.counters["ioctls_per_call"] = double(after.ioctls - before.ioctls) / calls;
   state.counters["upstream_ops_per_call"] = binds;
   state.counters["upstream_ioctls_per_call"] =
      double((s.binds.size() + kUpstreamOpsPerIoctl - 1) / kUpstreamOpsPerIoctl);
}

// The console output, keeping every median's counters for the table.
class MedianTable : public benchmark::ConsoleReporter {
public:
   MedianTable() : ConsoleReporter(isatty(STDOUT_FILENO) ? OO_Color : OO_None) {}

   void ReportRuns(const std::vector<Run> &runs) override
   {
      ConsoleReporter::ReportRuns(runs);
      for (const Run &run : runs) {
         if (run.run_type != Run::RT_Aggregate || run.aggregate_name != "median" || run.error_occurred)
            continue;
         std::map<std::string, double> &row = rows_[run.run_name.function_name];
         for (const auto &[counter, value] : run.counters)
            row[counter] = value.value;
      }
   }

   void print(unsigned driverMinor) const
   {
      std::printf("\nvkQueueBindSparse on panthor 1.%u (mock), medians of 5 repetitions;\n"
                  "upstream = one op per bind, a VM_BIND every %u ops (counted, not run):\n",
                  driverMinor, kUpstreamOpsPerIoctl);
      std::printf("%-13s %6s | %9s %12s | %13s %16s | %12s\n", "scenario", "binds", "ops/call", "ioctls/call",
                  "upstream ops", "upstream ioctls", "binds/s");
      for (const char *name : kScenarios) {
         const auto found = rows_.find(std::string("QueueBindSparse/") + name);
         if (found == rows_.end())
            continue;
         auto get = [&row = found->second](const char *counter) {
            const auto it = row.find(counter);
            return it == row.end() ? 0.0 : it->second;
         };
         std::printf("%-13s %6.0f | %9.0f %12.0f | %13.0f %16.0f | %12.0f\n", name, get("binds"),
                     get("ops_per_call"), get("ioctls_per_call"), get("upstream_ops_per_call"),
                     get("upstream_ioctls_per_call"), get("items_per_second"));
      }
   }

private:
   std::map<std::string, std::map<std::string, double>> rows_;
};

} // namespace

int
main(int argc, char **argv)
{
   // 1.9 (native sparse maps) unless the caller chose a version.
   setenv("PANTHOR_MOCK_VERSION", "1.9", 0);
   benchmark::Initialize(&argc, argv);
   if (benchmark::ReportUnrecognizedArguments(argc, argv))
      return 1;
   auto device = std::make_unique<BindDevice>();
   if (!device->open()) {
      std::fprintf(stderr, "sparse_bind_bench: could not create the device on the mock\n");
      return 1;
   }
   gDevice = device.get();
   for (const char *name : kScenarios) {
      benchmark::RegisterBenchmark((std::string("QueueBindSparse/") + name).c_str(), QueueBindSparse, name)
         ->UseRealTime()
         ->Unit(benchmark::kMicrosecond)
         ->Repetitions(5)
         ->ReportAggregatesOnly(true);
   }
   MedianTable table;
   benchmark::RunSpecifiedBenchmarks(&table);
   table.print(device->driverMinor());
   gDevice = nullptr;
   device.reset();
   benchmark::Shutdown();
   return 0;
}
