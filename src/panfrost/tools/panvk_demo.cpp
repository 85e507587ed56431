// panvk-demo: the driver through the Khronos loader, on whatever device it
// enumerates (the mock with PAN_KMOD=mock). Creates a device, allocates
// memory, copies buffers and a tiled image through the transfer queue, checks
// every byte, and at device destruction the driver prints what the kernel side
// saw (PANVK_DEBUG=stats: VM_BIND ops, GPU faults, resident memory).
#include <vulkan/vulkan.h>

#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

#define CHECK(call)                                                                               \
   do {                                                                                           \
      VkResult r_ = (call);                                                                       \
      if (r_ != VK_SUCCESS) {                                                                     \
         fprintf(stderr, "panvk-demo: %s failed: %d\n", #call, int(r_));                          \
         exit(1);                                                                                 \
      }                                                                                           \
   } while (0)

struct Context {
   VkInstance instance = VK_NULL_HANDLE;
   VkPhysicalDevice physical = VK_NULL_HANDLE;
   VkDevice device = VK_NULL_HANDLE;
   VkQueue queue = VK_NULL_HANDLE;
   VkCommandPool pool = VK_NULL_HANDLE;
   VkPhysicalDeviceMemoryProperties memory{};
};

uint32_t
memoryType(const Context &ctx, uint32_t bits, VkMemoryPropertyFlags want)
{
   for (uint32_t i = 0; i < ctx.memory.memoryTypeCount; i++) {
      if ((bits & (1u << i)) && (ctx.memory.memoryTypes[i].propertyFlags & want) == want)
         return i;
   }
   fprintf(stderr, "panvk-demo: no memory type with flags 0x%x\n", want);
   exit(1);
}

struct Allocation {
   VkDeviceMemory memory = VK_NULL_HANDLE;
   void *mapped = nullptr;
};

Allocation
allocate(const Context &ctx, const VkMemoryRequirements &req, VkMemoryPropertyFlags flags)
{
   VkMemoryAllocateInfo info{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
   info.allocationSize = req.size;
   info.memoryTypeIndex = memoryType(ctx, req.memoryTypeBits, flags);
   Allocation a;
   CHECK(vkAllocateMemory(ctx.device, &info, nullptr, &a.memory));
   if (flags & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT)
      CHECK(vkMapMemory(ctx.device, a.memory, 0, VK_WHOLE_SIZE, 0, &a.mapped));
   return a;
}

VkBuffer
makeBuffer(const Context &ctx, VkDeviceSize size, VkMemoryPropertyFlags flags, Allocation *out)
{
   VkBufferCreateInfo info{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
   info.size = size;
   info.usage = VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT;
   VkBuffer buffer;
   CHECK(vkCreateBuffer(ctx.device, &info, nullptr, &buffer));
   VkMemoryRequirements req;
   vkGetBufferMemoryRequirements(ctx.device, buffer, &req);
   *out = allocate(ctx, req, flags);
   CHECK(vkBindBufferMemory(ctx.device, buffer, out->memory, 0));
   return buffer;
}

template <typename Record>
double
submitAndWait(const Context &ctx, Record record)
{
   VkCommandBufferAllocateInfo alloc{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
   alloc.commandPool = ctx.pool;
   alloc.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
   alloc.commandBufferCount = 1;
   VkCommandBuffer cmd;
   CHECK(vkAllocateCommandBuffers(ctx.device, &alloc, &cmd));
   VkCommandBufferBeginInfo begin{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
   begin.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
   CHECK(vkBeginCommandBuffer(cmd, &begin));
   record(cmd);
   CHECK(vkEndCommandBuffer(cmd));
   VkFenceCreateInfo fenceInfo{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
   VkFence fence;
   CHECK(vkCreateFence(ctx.device, &fenceInfo, nullptr, &fence));
   VkSubmitInfo submit{VK_STRUCTURE_TYPE_SUBMIT_INFO};
   submit.commandBufferCount = 1;
   submit.pCommandBuffers = &cmd;
   const auto start = std::chrono::steady_clock::now();
   CHECK(vkQueueSubmit(ctx.queue, 1, &submit, fence));
   CHECK(vkWaitForFences(ctx.device, 1, &fence, VK_TRUE, UINT64_MAX));
   const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
   vkDestroyFence(ctx.device, fence, nullptr);
   vkFreeCommandBuffers(ctx.device, ctx.pool, 1, &cmd);
   return seconds;
}

void
fillPattern(uint8_t *data, size_t size, uint32_t seed)
{
   uint32_t x = seed;
   for (size_t i = 0; i < size; i++) {
      x = x * 1664525u + 1013904223u;
      data[i] = uint8_t(x >> 24);
   }
}

bool
report(const char *what, const void *got, const void *want, size_t size)
{
   const bool same = memcmp(got, want, size) == 0;
   printf("  %-44s %s\n", what, same ? "ok" : "MISMATCH");
   return same;
}

} // namespace

int
main()
{
   // Ask the driver for its kernel-side statistics when the device goes.
   setenv("PANVK_DEBUG", "stats", 0);

   Context ctx;
   VkApplicationInfo app{VK_STRUCTURE_TYPE_APPLICATION_INFO};
   app.pApplicationName = "panvk-demo";
   app.apiVersion = VK_API_VERSION_1_1;
   VkInstanceCreateInfo instanceInfo{VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO};
   instanceInfo.pApplicationInfo = &app;
   CHECK(vkCreateInstance(&instanceInfo, nullptr, &ctx.instance));
   uint32_t count = 1;
   const VkResult enumerated = vkEnumeratePhysicalDevices(ctx.instance, &count, &ctx.physical);
   if ((enumerated != VK_SUCCESS && enumerated != VK_INCOMPLETE) || count == 0) {
      fprintf(stderr, "panvk-demo: no Vulkan device (run with PAN_KMOD=mock for the mock)\n");
      return 1;
   }
   VkPhysicalDeviceProperties props;
   vkGetPhysicalDeviceProperties(ctx.physical, &props);
   vkGetPhysicalDeviceMemoryProperties(ctx.physical, &ctx.memory);
   printf("device: %s, Vulkan %u.%u, %u memory types\n", props.deviceName,
          VK_API_VERSION_MAJOR(props.apiVersion), VK_API_VERSION_MINOR(props.apiVersion),
          ctx.memory.memoryTypeCount);

   const float priority = 1.0f;
   VkDeviceQueueCreateInfo queueInfo{VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO};
   queueInfo.queueFamilyIndex = 0;
   queueInfo.queueCount = 1;
   queueInfo.pQueuePriorities = &priority;
   VkDeviceCreateInfo deviceInfo{VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO};
   deviceInfo.queueCreateInfoCount = 1;
   deviceInfo.pQueueCreateInfos = &queueInfo;
   CHECK(vkCreateDevice(ctx.physical, &deviceInfo, nullptr, &ctx.device));
   vkGetDeviceQueue(ctx.device, 0, 0, &ctx.queue);
   VkCommandPoolCreateInfo poolInfo{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
   poolInfo.queueFamilyIndex = 0;
   CHECK(vkCreateCommandPool(ctx.device, &poolInfo, nullptr, &ctx.pool));

   // 1. A 64 MiB buffer copy: host-visible -> device-local -> host-visible.
   constexpr VkDeviceSize kSize = 64ull << 20;
   const VkMemoryPropertyFlags host =
      VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
   Allocation srcMem, midMem, dstMem;
   VkBuffer src = makeBuffer(ctx, kSize, host, &srcMem);
   VkBuffer mid = makeBuffer(ctx, kSize, VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT, &midMem);
   VkBuffer dst = makeBuffer(ctx, kSize, host, &dstMem);
   std::vector<uint8_t> expected(kSize);
   fillPattern(expected.data(), kSize, 1);
   memcpy(srcMem.mapped, expected.data(), kSize);
   const VkBufferCopy whole{0, 0, kSize};
   const double copySeconds = submitAndWait(ctx, [&](VkCommandBuffer cmd) {
      vkCmdCopyBuffer(cmd, src, mid, 1, &whole);
      VkMemoryBarrier barrier{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
      barrier.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
      barrier.dstAccessMask = VK_ACCESS_TRANSFER_READ_BIT;
      vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 1,
                           &barrier, 0, nullptr, 0, nullptr);
      vkCmdCopyBuffer(cmd, mid, dst, 1, &whole);
   });
   printf("\nchecks:\n");
   bool ok = report("64 MiB buffer copy through device memory", dstMem.mapped, expected.data(), kSize);
   // Fresh memory: the host's first touch of every page is in this time.
   // tests/bench/vk_copy_bench measures the copy bandwidth on warm memory.
   printf("  (two 64 MiB copies of fresh memory in %.1f ms, first touch included)\n", copySeconds * 1e3);

   // 2. Fill and update.
   submitAndWait(ctx, [&](VkCommandBuffer cmd) {
      vkCmdFillBuffer(cmd, dst, 0, 4096, 0xdeadbeef);
      const uint32_t words[4] = {1, 2, 3, 4};
      vkCmdUpdateBuffer(cmd, dst, 4096, sizeof(words), words);
   });
   std::vector<uint32_t> fillWant(1024, 0xdeadbeef);
   ok &= report("vkCmdFillBuffer", dstMem.mapped, fillWant.data(), 4096);
   const uint32_t updateWant[4] = {1, 2, 3, 4};
   ok &= report("vkCmdUpdateBuffer", static_cast<uint8_t *>(dstMem.mapped) + 4096, updateWant, 16);

   // 3. A tiled (64 KiB interleaved) RGBA8 image: buffer -> image -> buffer.
   VkImageCreateInfo imageInfo{VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO};
   imageInfo.imageType = VK_IMAGE_TYPE_2D;
   imageInfo.format = VK_FORMAT_R8G8B8A8_UNORM;
   imageInfo.extent = {300, 200, 1};
   imageInfo.mipLevels = 1;
   imageInfo.arrayLayers = 1;
   imageInfo.samples = VK_SAMPLE_COUNT_1_BIT;
   imageInfo.tiling = VK_IMAGE_TILING_OPTIMAL;
   imageInfo.usage = VK_IMAGE_USAGE_TRANSFER_SRC_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT;
   imageInfo.initialLayout = VK_IMAGE_LAYOUT_UNDEFINED;
   VkImage image;
   CHECK(vkCreateImage(ctx.device, &imageInfo, nullptr, &image));
   VkMemoryRequirements imageReq;
   vkGetImageMemoryRequirements(ctx.device, image, &imageReq);
   Allocation imageMem = allocate(ctx, imageReq, VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT);
   CHECK(vkBindImageMemory(ctx.device, image, imageMem.memory, 0));
   const VkDeviceSize imageBytes = 300 * 200 * 4;
   VkBufferImageCopy region{};
   region.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
   region.imageExtent = {300, 200, 1};
   memset(dstMem.mapped, 0, imageBytes);
   submitAndWait(ctx, [&](VkCommandBuffer cmd) {
      VkImageMemoryBarrier toDst{VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER};
      toDst.dstAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
      toDst.oldLayout = VK_IMAGE_LAYOUT_UNDEFINED;
      toDst.newLayout = VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL;
      toDst.srcQueueFamilyIndex = toDst.dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
      toDst.image = image;
      toDst.subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1};
      vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 0,
                           nullptr, 0, nullptr, 1, &toDst);
      vkCmdCopyBufferToImage(cmd, src, image, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1, &region);
      VkImageMemoryBarrier toSrc = toDst;
      toSrc.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
      toSrc.dstAccessMask = VK_ACCESS_TRANSFER_READ_BIT;
      toSrc.oldLayout = VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL;
      toSrc.newLayout = VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL;
      vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 0,
                           nullptr, 0, nullptr, 1, &toSrc);
      vkCmdCopyImageToBuffer(cmd, image, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, dst, 1, &region);
   });
   ok &= report("300x200 RGBA8 tiled image round trip", dstMem.mapped, expected.data(), imageBytes);
   printf("  (the image takes %" PRIu64 " KiB: whole 64 KiB tiles)\n", uint64_t(imageReq.size >> 10));

   vkDestroyImage(ctx.device, image, nullptr);
   for (VkBuffer b : {src, mid, dst})
      vkDestroyBuffer(ctx.device, b, nullptr);
   for (Allocation *a : {&srcMem, &midMem, &dstMem, &imageMem})
      vkFreeMemory(ctx.device, a->memory, nullptr);
   vkDestroyCommandPool(ctx.device, ctx.pool, nullptr);
   printf("\nkernel side (from the driver at vkDestroyDevice):\n");
   fflush(stdout);
   vkDestroyDevice(ctx.device, nullptr);
   vkDestroyInstance(ctx.instance, nullptr);
   printf("\n%s\n", ok ? "all checks passed" : "SOME CHECKS FAILED");
   return ok ? 0 : 1;
}
