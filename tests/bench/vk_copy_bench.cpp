// The executor's transfer bandwidth, through the driver in process (its
// objects linked in, entry points called directly) on the mock:
// vkCmdCopyBuffer of 256 MiB against a plain memcpy of the same bytes in the
// same run, and a 4096x4096 RGBA8 buffer -> tiled image copy. Every number is
// submit-to-fence: what an application sees.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include "RatioReporter.h"
#include "panvk_entrypoints.h"

namespace {

constexpr VkDeviceSize kCopyBytes = 256ull << 20;
constexpr uint32_t kImageSide = 4096;

// One device on the mock, with the buffers and the image the benchmarks use.
struct Rig {
   VkInstance instance = VK_NULL_HANDLE;
   VkPhysicalDevice physical = VK_NULL_HANDLE;
   VkDevice device = VK_NULL_HANDLE;
   VkQueue queue = VK_NULL_HANDLE;
   VkCommandPool pool = VK_NULL_HANDLE;
   VkFence fence = VK_NULL_HANDLE;
   VkBuffer src = VK_NULL_HANDLE, dst = VK_NULL_HANDLE;
   VkImage image = VK_NULL_HANDLE;
   std::vector<VkDeviceMemory> memories;
   bool ok = false;

   static Rig &get()
   {
      static std::unique_ptr<Rig> rig = [] {
         auto r = std::make_unique<Rig>();
         r->ok = r->init();
         return r;
      }();
      return *rig;
   }

   VkDeviceMemory allocate(const VkMemoryRequirements &req)
   {
      VkMemoryAllocateInfo info{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
      info.allocationSize = req.size;
      info.memoryTypeIndex = 0; // device-local, not host-visible
      VkDeviceMemory memory = VK_NULL_HANDLE;
      if (panvk_AllocateMemory(device, &info, nullptr, &memory) == VK_SUCCESS)
         memories.push_back(memory);
      return memory;
   }

   bool makeBuffer(VkBuffer *out)
   {
      VkBufferCreateInfo info{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
      info.size = kCopyBytes;
      info.usage = VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT;
      if (panvk_CreateBuffer(device, &info, nullptr, out) != VK_SUCCESS)
         return false;
      VkMemoryRequirements req;
      panvk_GetBufferMemoryRequirements(device, *out, &req);
      VkDeviceMemory memory = allocate(req);
      return memory && panvk_BindBufferMemory(device, *out, memory, 0) == VK_SUCCESS;
   }

   bool init()
   {
      setenv("PAN_KMOD", "mock", 1);
      setenv("PANTHOR_MOCK_MEMORY_MB", "2048", 0);
      VkApplicationInfo app{VK_STRUCTURE_TYPE_APPLICATION_INFO};
      app.apiVersion = VK_API_VERSION_1_1;
      VkInstanceCreateInfo instanceInfo{VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO};
      instanceInfo.pApplicationInfo = &app;
      uint32_t count = 1;
      if (panvk_CreateInstance(&instanceInfo, nullptr, &instance) != VK_SUCCESS ||
          panvk_EnumeratePhysicalDevices(instance, &count, &physical) != VK_SUCCESS || !count)
         return false;
      const float priority = 1.0f;
      VkDeviceQueueCreateInfo queueInfo{VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO};
      queueInfo.queueCount = 1;
      queueInfo.pQueuePriorities = &priority;
      VkDeviceCreateInfo deviceInfo{VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO};
      deviceInfo.queueCreateInfoCount = 1;
      deviceInfo.pQueueCreateInfos = &queueInfo;
      if (panvk_CreateDevice(physical, &deviceInfo, nullptr, &device) != VK_SUCCESS)
         return false;
      panvk_GetDeviceQueue(device, 0, 0, &queue);
      VkCommandPoolCreateInfo poolInfo{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
      VkFenceCreateInfo fenceInfo{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
      if (panvk_CreateCommandPool(device, &poolInfo, nullptr, &pool) != VK_SUCCESS ||
          panvk_CreateFence(device, &fenceInfo, nullptr, &fence) != VK_SUCCESS || !makeBuffer(&src) ||
          !makeBuffer(&dst))
         return false;

      VkImageCreateInfo imageInfo{VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO};
      imageInfo.imageType = VK_IMAGE_TYPE_2D;
      imageInfo.format = VK_FORMAT_R8G8B8A8_UNORM;
      imageInfo.extent = {kImageSide, kImageSide, 1};
      imageInfo.mipLevels = imageInfo.arrayLayers = 1;
      imageInfo.samples = VK_SAMPLE_COUNT_1_BIT;
      imageInfo.tiling = VK_IMAGE_TILING_OPTIMAL;
      imageInfo.usage = VK_IMAGE_USAGE_TRANSFER_DST_BIT;
      if (panvk_CreateImage(device, &imageInfo, nullptr, &image) != VK_SUCCESS)
         return false;
      VkMemoryRequirements req;
      panvk_GetImageMemoryRequirements(device, image, &req);
      VkDeviceMemory memory = allocate(req);
      if (!memory || panvk_BindImageMemory(device, image, memory, 0) != VK_SUCCESS)
         return false;
      // Touch everything once, so the host's first-touch page faults on the
      // mock's memory are not what gets measured.
      return run([&](VkCommandBuffer cmd) {
         panvk_CmdFillBuffer(cmd, src, 0, VK_WHOLE_SIZE, 0x01020304);
         panvk_CmdFillBuffer(cmd, dst, 0, VK_WHOLE_SIZE, 0);
         recordImageCopy(cmd);
      });
   }

   void recordImageCopy(VkCommandBuffer cmd)
   {
      VkBufferImageCopy region{};
      region.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
      region.imageExtent = {kImageSide, kImageSide, 1};
      panvk_CmdCopyBufferToImage(cmd, src, image, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1, &region);
   }

   // Records, submits and waits; true when the work completed.
   template <typename Record> bool run(Record record)
   {
      VkCommandBufferAllocateInfo alloc{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
      alloc.commandPool = pool;
      alloc.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
      alloc.commandBufferCount = 1;
      VkCommandBuffer cmd;
      if (panvk_AllocateCommandBuffers(device, &alloc, &cmd) != VK_SUCCESS)
         return false;
      VkCommandBufferBeginInfo begin{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
      panvk_BeginCommandBuffer(cmd, &begin);
      record(cmd);
      panvk_EndCommandBuffer(cmd);
      VkSubmitInfo submit{VK_STRUCTURE_TYPE_SUBMIT_INFO};
      submit.commandBufferCount = 1;
      submit.pCommandBuffers = &cmd;
      const bool done = panvk_ResetFences(device, 1, &fence) == VK_SUCCESS &&
                        panvk_QueueSubmit(queue, 1, &submit, fence) == VK_SUCCESS &&
                        panvk_WaitForFences(device, 1, &fence, VK_TRUE, UINT64_MAX) == VK_SUCCESS;
      panvk_FreeCommandBuffers(device, pool, 1, &cmd);
      return done;
   }
};

void
BM_VkCmdCopyBuffer(benchmark::State &state)
{
   Rig &rig = Rig::get();
   if (!rig.ok) {
      state.SkipWithError("the driver could not set the benchmark up on the mock");
      return;
   }
   const VkBufferCopy region{0, 0, kCopyBytes};
   for (auto _ : state) {
      if (!rig.run([&](VkCommandBuffer cmd) { panvk_CmdCopyBuffer(cmd, rig.src, rig.dst, 1, &region); })) {
         state.SkipWithError("the copy failed");
         return;
      }
   }
   state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(kCopyBytes));
}
BENCHMARK(BM_VkCmdCopyBuffer)->Name("Copy/vkCmdCopyBuffer")->Unit(benchmark::kMillisecond)->UseRealTime()
   ->Repetitions(5)->ReportAggregatesOnly(true);

void
BM_Memcpy(benchmark::State &state)
{
   std::vector<uint8_t> from(kCopyBytes, 1), to(kCopyBytes, 0);
   for (auto _ : state) {
      memcpy(to.data(), from.data(), kCopyBytes);
      benchmark::DoNotOptimize(to.data());
      benchmark::ClobberMemory();
   }
   state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(kCopyBytes));
}
BENCHMARK(BM_Memcpy)->Name("Copy/memcpy")->Unit(benchmark::kMillisecond)->UseRealTime()
   ->Repetitions(5)->ReportAggregatesOnly(true);

void
BM_BufferToTiledImage(benchmark::State &state)
{
   Rig &rig = Rig::get();
   if (!rig.ok) {
      state.SkipWithError("the driver could not set the benchmark up on the mock");
      return;
   }
   for (auto _ : state) {
      if (!rig.run([&](VkCommandBuffer cmd) { rig.recordImageCopy(cmd); })) {
         state.SkipWithError("the copy failed");
         return;
      }
   }
   state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(kImageSide) * kImageSide * 4);
}
BENCHMARK(BM_BufferToTiledImage)->Name("Copy/bufferToTiledImage4096")->Unit(benchmark::kMillisecond)
   ->UseRealTime()->Repetitions(5)->ReportAggregatesOnly(true);

} // namespace

int
main(int argc, char **argv)
{
   return pan::bench::runWithRatios(argc, argv,
                                    {{"vkCmdCopyBuffer / memcpy", "Copy/vkCmdCopyBuffer", "Copy/memcpy",
                                      "bytes_per_second"},
                                     {"buffer->tiled image / memcpy", "Copy/bufferToTiledImage4096",
                                      "Copy/memcpy", "bytes_per_second"}});
}
