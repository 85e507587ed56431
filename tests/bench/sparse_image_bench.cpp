// Image binds of a residency image through the driver, in process (entry
// points called directly, as tests/vulkan/unit/DirectDevice.h does), on the
// mock kernel: every tile of a 16384x16384 RGBA8 image (128x128 texels per
// 64 KiB tile, 128x128 = 16,384 tiles, 1 GiB) bound in one vkQueueBindSparse
// with one VkSparseImageMemoryBind per tile, in row-major order:
//   OneAllocation     tile i from offset i * 64 KiB of one 1 GiB allocation;
//   SeparateAllocations  tile i from its own 64 KiB allocation.
// An iteration is the call plus the wait for its fence (wall clock: the binds
// run on the queue's worker and the mock's bind queue). Kernel ops and
// VM_BIND ioctls per call come from the VM's counters. A table of the
// medians follows the library's output.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "Device.h"
#include "kmod/Device.h"
#include "InProcessDevice.h"
#include "panvk_entrypoints.h"

namespace {

constexpr uint32_t kExtent = 16384, kTileTexels = 128, kTilesPerRow = kExtent / kTileTexels;
constexpr uint32_t kTiles = kTilesPerRow * kTilesPerRow;
constexpr VkDeviceSize kTile = 64 * 1024;
constexpr uint64_t kTimeoutNs = 120'000'000'000ull;

class ImageBindDevice : public pan::bench::InProcessDevice {
public:
   bool open()
   {
      VkPhysicalDeviceFeatures features{};
      features.sparseBinding = VK_TRUE;
      features.sparseResidencyImage2D = VK_TRUE;
      if (!InProcessDevice::open(1, features))
         return false;

      VkImageCreateInfo info{VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO};
      info.flags = VK_IMAGE_CREATE_SPARSE_BINDING_BIT | VK_IMAGE_CREATE_SPARSE_RESIDENCY_BIT;
      info.imageType = VK_IMAGE_TYPE_2D;
      info.format = VK_FORMAT_R8G8B8A8_UNORM;
      info.extent = {kExtent, kExtent, 1};
      info.mipLevels = 1;
      info.arrayLayers = 1;
      info.samples = VK_SAMPLE_COUNT_1_BIT;
      info.tiling = VK_IMAGE_TILING_OPTIMAL;
      info.usage = VK_IMAGE_USAGE_TRANSFER_SRC_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT;
      return panvk_CreateImage(device_, &info, nullptr, &image_) == VK_SUCCESS;
   }

   ~ImageBindDevice() override
   {
      if (device_) {
         panvk_DeviceWaitIdle(device_);
         panvk_DestroyImage(device_, image_, nullptr);
      }
   }

   bool bindAndWait(const std::vector<VkSparseImageMemoryBind> &binds)
   {
      const VkSparseImageMemoryBindInfo imageBinds{image_, uint32_t(binds.size()), binds.data()};
      VkBindSparseInfo info{VK_STRUCTURE_TYPE_BIND_SPARSE_INFO};
      info.imageBindCount = 1;
      info.pImageBinds = &imageBinds;
      return panvk_QueueBindSparse(queue_, 1, &info, fence_) == VK_SUCCESS &&
             panvk_WaitForFences(device_, 1, &fence_, VK_TRUE, kTimeoutNs) == VK_SUCCESS &&
             panvk_ResetFences(device_, 1, &fence_) == VK_SUCCESS;
   }

   pan::kmod::BindStats stats() { return panvk::Device::from(device_)->vm().stats(); }
   unsigned driverMinor() { return unsigned(panvk::Device::from(device_)->kmod().driverVersion().minor); }

private:
   VkImage image_ = VK_NULL_HANDLE;
};

// One bind per tile, row-major; tile i takes memory[i] at offsets[i].
std::vector<VkSparseImageMemoryBind> tileBinds(const std::vector<VkDeviceMemory> &memory,
                                               const std::vector<VkDeviceSize> &offsets)
{
   std::vector<VkSparseImageMemoryBind> binds(kTiles);
   for (uint32_t i = 0; i < kTiles; i++) {
      const int32_t x = int32_t(i % kTilesPerRow * kTileTexels), y = int32_t(i / kTilesPerRow * kTileTexels);
      binds[i] = {{VK_IMAGE_ASPECT_COLOR_BIT, 0, 0}, {x, y, 0}, {kTileTexels, kTileTexels, 1},
                  memory[i], offsets[i], 0};
   }
   return binds;
}

struct Row {
   double opsPerCall = 0, ioctlsPerCall = 0, nsPerTile = 0;
};
std::map<std::string, Row> results;

void run(benchmark::State &state, const char *name, bool separate)
{
   ImageBindDevice device;
   if (!device.open()) {
      state.SkipWithError("no device with residency images");
      return;
   }
   std::vector<VkDeviceMemory> memory(kTiles);
   std::vector<VkDeviceSize> offsets(kTiles);
   const VkDeviceMemory whole = separate ? VK_NULL_HANDLE : device.allocate(kTiles * kTile);
   for (uint32_t i = 0; i < kTiles; i++) {
      memory[i] = separate ? device.allocate(kTile) : whole;
      offsets[i] = separate ? 0 : i * kTile;
      if (!memory[i]) {
         state.SkipWithError("out of memory");
         return;
      }
   }
   const std::vector<VkSparseImageMemoryBind> binds = tileBinds(memory, offsets);
   const pan::kmod::BindStats before = device.stats();
   for (auto _ : state) {
      if (!device.bindAndWait(binds)) {
         state.SkipWithError("vkQueueBindSparse failed");
         return;
      }
   }
   const pan::kmod::BindStats after = device.stats();
   const double calls = double(state.iterations());
   state.counters["ops/call"] = double(after.kernelOps - before.kernelOps) / calls;
   state.counters["ioctls/call"] = double(after.ioctls - before.ioctls) / calls;
   state.counters["tiles/s"] = benchmark::Counter(calls * kTiles, benchmark::Counter::kIsRate);
   state.SetLabel("panthor 1." + std::to_string(device.driverMinor()));
   Row &row = results[name];
   row.opsPerCall = state.counters["ops/call"];
   row.ioctlsPerCall = state.counters["ioctls/call"];
}

void BM_OneAllocation(benchmark::State &state) { run(state, "OneAllocation", false); }
void BM_SeparateAllocations(benchmark::State &state) { run(state, "SeparateAllocations", true); }

BENCHMARK(BM_OneAllocation)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);
BENCHMARK(BM_SeparateAllocations)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);

// The wall time per tile, from the library's own measurement.
class TableReporter : public benchmark::ConsoleReporter {
public:
   void ReportRuns(const std::vector<Run> &runs) override
   {
      for (const Run &run : runs) {
         if (run.error_occurred || run.iterations == 0)
            continue;
         // "BM_<scenario>/min_time:.../real_time" -> "<scenario>"
         const std::string full = run.benchmark_name();
         const std::string name = full.substr(3, full.find('/') - 3);
         auto it = results.find(name);
         if (it != results.end())
            it->second.nsPerTile = run.GetAdjustedRealTime() * 1e6 / kTiles; // ms -> ns
      }
      ConsoleReporter::ReportRuns(runs);
   }
};

} // namespace

int main(int argc, char **argv)
{
   benchmark::Initialize(&argc, argv);
   TableReporter reporter;
   benchmark::RunSpecifiedBenchmarks(&reporter);
   benchmark::Shutdown();
   printf("\n16384x16384 RGBA8 residency image, %u tiles bound in one vkQueueBindSparse:\n", kTiles);
   printf("%-22s %12s %12s %14s\n", "scenario", "ops/call", "ioctls/call", "ns per tile");
   for (const auto &[name, row] : results)
      printf("%-22s %12.0f %12.0f %14.1f\n", name.c_str(), row.opsPerCall, row.ioctlsPerCall, row.nsPerTile);
   return 0;
}
