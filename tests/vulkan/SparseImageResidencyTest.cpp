// Residency images through the loader, with the validation layer: images
// bound tile by tile (VkSparseImageMemoryBind) on the sparse-binding queue,
// then copied on the transfer queue. Bound tiles must keep their data; the
// unbound ones read the sparse dummy without faulting (the device is not lost,
// no submission fails). The contents of unbound tiles are not checked: the
// device does not offer residencyNonResidentStrict.
//
// Where a test reads an allocation from the host it relies on the tile's
// inner layout the driver documents (src/panfrost/lib/layout/README.md: texel
// blocks row-major inside a 64 KiB tile).
#include <cstring>
#include <vector>

#include "VkTestFixture.h"

namespace panvk::test {
namespace {

constexpr VkDeviceSize kTile = 64 * 1024;
constexpr uint32_t kBindFamily = kSparseOnlyFamily;

struct HostBuffer {
   VkBuffer buffer = VK_NULL_HANDLE;
   VkDeviceMemory memory = VK_NULL_HANDLE;
   uint8_t *mapped = nullptr;
};

class SparseImageResidencyTest : public VkTestFixture {
protected:
   void SetUp() override
   {
      ASSERT_NO_FATAL_FAILURE(VkTestFixture::SetUp());
      VkPhysicalDeviceFeatures offered{};
      vkGetPhysicalDeviceFeatures(physicalDevice_, &offered);
      ASSERT_TRUE(offered.sparseResidencyImage2D);
      ASSERT_TRUE(offered.sparseResidencyImage3D);
      ASSERT_TRUE(offered.sparseResidencyAliased);

      const float priority = 1.0f;
      VkDeviceQueueCreateInfo queues[2] = {};
      for (uint32_t family = 0; family < 2; family++) {
         queues[family].sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO;
         queues[family].queueFamilyIndex = family;
         queues[family].queueCount = 1;
         queues[family].pQueuePriorities = &priority;
      }
      VkPhysicalDeviceFeatures enabled{};
      enabled.sparseBinding = VK_TRUE;
      enabled.sparseResidencyImage2D = VK_TRUE;
      enabled.sparseResidencyImage3D = VK_TRUE;
      enabled.sparseResidencyAliased = VK_TRUE;
      VkDeviceCreateInfo info{VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO};
      info.queueCreateInfoCount = 2;
      info.pQueueCreateInfos = queues;
      info.pEnabledFeatures = &enabled;
      VK_ASSERT_SUCCESS(vkCreateDevice(physicalDevice_, &info, nullptr, &device2_));
      vkGetDeviceQueue(device2_, kTransferFamily, 0, &transfer_);
      vkGetDeviceQueue(device2_, kBindFamily, 0, &bind_);
      VkCommandPoolCreateInfo poolInfo{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
      poolInfo.queueFamilyIndex = kTransferFamily;
      VK_ASSERT_SUCCESS(vkCreateCommandPool(device2_, &poolInfo, nullptr, &pool_));
   }

   void TearDown() override
   {
      if (device2_) {
         EXPECT_EQ(VK_SUCCESS, vkDeviceWaitIdle(device2_));
         for (auto it = cleanups2_.rbegin(); it != cleanups2_.rend(); ++it)
            (*it)();
         vkDestroyCommandPool(device2_, pool_, nullptr);
         vkDestroyDevice(device2_, nullptr);
      }
      VkTestFixture::TearDown();
   }

   // PREINITIALIZED images keep what the memory holds through their first
   // layout transition (memory written by the host or through an alias).
   VkImage createResidencyImage(VkImageType type, VkFormat format, VkExtent3D extent, uint32_t levels,
                                VkImageCreateFlags extraFlags = 0,
                                VkImageLayout initialLayout = VK_IMAGE_LAYOUT_UNDEFINED)
   {
      const uint32_t families[] = {kTransferFamily, kBindFamily};
      VkImageCreateInfo info{VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO};
      info.flags = VK_IMAGE_CREATE_SPARSE_BINDING_BIT | VK_IMAGE_CREATE_SPARSE_RESIDENCY_BIT | extraFlags;
      info.imageType = type;
      info.format = format;
      info.extent = extent;
      info.mipLevels = levels;
      info.arrayLayers = 1;
      info.samples = VK_SAMPLE_COUNT_1_BIT;
      info.tiling = VK_IMAGE_TILING_OPTIMAL;
      info.usage = VK_IMAGE_USAGE_TRANSFER_SRC_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT;
      info.sharingMode = VK_SHARING_MODE_CONCURRENT;
      info.queueFamilyIndexCount = 2;
      info.pQueueFamilyIndices = families;
      info.initialLayout = initialLayout;
      VkImage image = VK_NULL_HANDLE;
      EXPECT_EQ(VK_SUCCESS, vkCreateImage(device2_, &info, nullptr, &image));
      if (image)
         cleanups2_.push_back([this, image] { vkDestroyImage(device2_, image, nullptr); });
      return image;
   }

   VkSparseImageMemoryRequirements sparseRequirements(VkImage image)
   {
      uint32_t count = 0;
      vkGetImageSparseMemoryRequirements(device2_, image, &count, nullptr);
      EXPECT_EQ(1u, count);
      VkSparseImageMemoryRequirements requirements{};
      count = 1;
      vkGetImageSparseMemoryRequirements(device2_, image, &count, &requirements);
      return requirements;
   }

   // Host-visible memory of the image's types, mapped.
   VkDeviceMemory allocate(VkImage image, VkDeviceSize size, uint8_t **mapped = nullptr)
   {
      VkMemoryRequirements requirements{};
      vkGetImageMemoryRequirements(device2_, image, &requirements);
      VkMemoryAllocateInfo info{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
      info.allocationSize = size;
      info.memoryTypeIndex = findMemoryType(requirements.memoryTypeBits,
                                            VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT);
      VkDeviceMemory memory = VK_NULL_HANDLE;
      EXPECT_EQ(VK_SUCCESS, vkAllocateMemory(device2_, &info, nullptr, &memory));
      if (!memory)
         return VK_NULL_HANDLE;
      cleanups2_.push_back([this, memory] { vkFreeMemory(device2_, memory, nullptr); });
      if (mapped) {
         void *pointer = nullptr;
         EXPECT_EQ(VK_SUCCESS, vkMapMemory(device2_, memory, 0, VK_WHOLE_SIZE, 0, &pointer));
         *mapped = static_cast<uint8_t *>(pointer);
      }
      return memory;
   }

   HostBuffer createHostBuffer(VkDeviceSize size)
   {
      HostBuffer out;
      VkBufferCreateInfo info{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
      info.size = size;
      info.usage = VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT;
      EXPECT_EQ(VK_SUCCESS, vkCreateBuffer(device2_, &info, nullptr, &out.buffer));
      VkMemoryRequirements requirements{};
      vkGetBufferMemoryRequirements(device2_, out.buffer, &requirements);
      VkMemoryAllocateInfo alloc{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
      alloc.allocationSize = requirements.size;
      alloc.memoryTypeIndex = findMemoryType(requirements.memoryTypeBits, VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT |
                                                                              VK_MEMORY_PROPERTY_HOST_COHERENT_BIT);
      EXPECT_EQ(VK_SUCCESS, vkAllocateMemory(device2_, &alloc, nullptr, &out.memory));
      EXPECT_EQ(VK_SUCCESS, vkBindBufferMemory(device2_, out.buffer, out.memory, 0));
      void *pointer = nullptr;
      EXPECT_EQ(VK_SUCCESS, vkMapMemory(device2_, out.memory, 0, VK_WHOLE_SIZE, 0, &pointer));
      out.mapped = static_cast<uint8_t *>(pointer);
      const HostBuffer copy = out;
      cleanups2_.push_back([this, copy] {
         vkDestroyBuffer(device2_, copy.buffer, nullptr);
         vkFreeMemory(device2_, copy.memory, nullptr);
      });
      return out;
   }

   // One vkQueueBindSparse on the bind queue; waits for its fence.
   void bindAndWait(VkImage image, const std::vector<VkSparseImageMemoryBind> &binds,
                    const std::vector<VkSparseMemoryBind> &opaque = {})
   {
      VkSparseImageMemoryBindInfo imageBinds{image, uint32_t(binds.size()), binds.data()};
      VkSparseImageOpaqueMemoryBindInfo opaqueBinds{image, uint32_t(opaque.size()), opaque.data()};
      VkBindSparseInfo info{VK_STRUCTURE_TYPE_BIND_SPARSE_INFO};
      info.imageBindCount = binds.empty() ? 0 : 1;
      info.pImageBinds = &imageBinds;
      info.imageOpaqueBindCount = opaque.empty() ? 0 : 1;
      info.pImageOpaqueBinds = &opaqueBinds;
      VkFenceCreateInfo fenceInfo{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
      VkFence fence = VK_NULL_HANDLE;
      VK_ASSERT_SUCCESS(vkCreateFence(device2_, &fenceInfo, nullptr, &fence));
      VK_ASSERT_SUCCESS(vkQueueBindSparse(bind_, 1, &info, fence));
      VK_ASSERT_SUCCESS(vkWaitForFences(device2_, 1, &fence, VK_TRUE, kGpuTimeoutNs));
      vkDestroyFence(device2_, fence, nullptr);
   }

   // Records `record` on the transfer queue and waits for it.
   void transferAndWait(const std::function<void(VkCommandBuffer)> &record)
   {
      VkCommandBufferAllocateInfo alloc{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
      alloc.commandPool = pool_;
      alloc.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
      alloc.commandBufferCount = 1;
      VkCommandBuffer cmd = VK_NULL_HANDLE;
      VK_ASSERT_SUCCESS(vkAllocateCommandBuffers(device2_, &alloc, &cmd));
      VkCommandBufferBeginInfo begin{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
      begin.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
      VK_ASSERT_SUCCESS(vkBeginCommandBuffer(cmd, &begin));
      record(cmd);
      VK_ASSERT_SUCCESS(vkEndCommandBuffer(cmd));
      VkFenceCreateInfo fenceInfo{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
      VkFence fence = VK_NULL_HANDLE;
      VK_ASSERT_SUCCESS(vkCreateFence(device2_, &fenceInfo, nullptr, &fence));
      VkSubmitInfo submit{VK_STRUCTURE_TYPE_SUBMIT_INFO};
      submit.commandBufferCount = 1;
      submit.pCommandBuffers = &cmd;
      VK_ASSERT_SUCCESS(vkQueueSubmit(transfer_, 1, &submit, fence));
      VK_ASSERT_SUCCESS(vkWaitForFences(device2_, 1, &fence, VK_TRUE, kGpuTimeoutNs));
      vkDestroyFence(device2_, fence, nullptr);
      vkFreeCommandBuffers(device2_, pool_, 1, &cmd);
   }

   static void barrier(VkCommandBuffer cmd, VkImage image, VkImageAspectFlags aspects, VkImageLayout from,
                       VkImageLayout to)
   {
      VkImageMemoryBarrier b{VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER};
      b.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
      b.dstAccessMask = VK_ACCESS_TRANSFER_READ_BIT | VK_ACCESS_TRANSFER_WRITE_BIT | VK_ACCESS_HOST_READ_BIT;
      b.oldLayout = from;
      b.newLayout = to;
      b.srcQueueFamilyIndex = b.dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
      b.image = image;
      b.subresourceRange = {aspects, 0, VK_REMAINING_MIP_LEVELS, 0, 1};
      vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT,
                           VK_PIPELINE_STAGE_TRANSFER_BIT | VK_PIPELINE_STAGE_HOST_BIT, 0, 0, nullptr, 0, nullptr,
                           1, &b);
   }

   // Buffer -> image -> buffer of the given regions (colour, tightly packed
   // at their bufferOffset), in one submission.
   void roundTrip(VkImage image, const HostBuffer &upload, const HostBuffer &download,
                  const std::vector<VkBufferImageCopy> &regions)
   {
      transferAndWait([&](VkCommandBuffer cmd) {
         barrier(cmd, image, VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_UNDEFINED,
                 VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL);
         vkCmdCopyBufferToImage(cmd, upload.buffer, image, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
                                uint32_t(regions.size()), regions.data());
         barrier(cmd, image, VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
                 VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL);
         vkCmdCopyImageToBuffer(cmd, image, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, download.buffer,
                                uint32_t(regions.size()), regions.data());
         VkMemoryBarrier host{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
         host.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
         host.dstAccessMask = VK_ACCESS_HOST_READ_BIT;
         vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_HOST_BIT, 0, 1, &host, 0,
                              nullptr, 0, nullptr);
      });
   }

   static VkSparseImageMemoryBind tileBind(uint32_t level, VkOffset3D offset, VkExtent3D extent,
                                           VkDeviceMemory memory, VkDeviceSize memoryOffset,
                                           VkImageAspectFlags aspect = VK_IMAGE_ASPECT_COLOR_BIT)
   {
      return {{aspect, level, 0}, offset, extent, memory, memoryOffset, 0};
   }

   // Compares the texels of box [x0, x1) x [y0, y1) x [z0, z1) of two
   // tightly packed RGBA8 level images of width x height.
   static ::testing::AssertionResult boxEqual(const uint8_t *expected, const uint8_t *actual, uint32_t width,
                                              uint32_t height, uint32_t x0, uint32_t x1, uint32_t y0,
                                              uint32_t y1, uint32_t z0 = 0, uint32_t z1 = 1)
   {
      for (uint32_t z = z0; z < z1; z++) {
         for (uint32_t y = y0; y < y1; y++) {
            const size_t at = ((size_t(z) * height + y) * width + x0) * 4;
            if (memcmp(expected + at, actual + at, size_t(x1 - x0) * 4) != 0)
               return ::testing::AssertionFailure() << "row y=" << y << " z=" << z << " of box x " << x0
                                                    << ".." << x1 << " differs";
         }
      }
      return ::testing::AssertionSuccess();
   }

   VkDevice device2_ = VK_NULL_HANDLE;
   VkQueue transfer_ = VK_NULL_HANDLE;
   VkQueue bind_ = VK_NULL_HANDLE;
   VkCommandPool pool_ = VK_NULL_HANDLE;
   std::vector<std::function<void()>> cleanups2_;
};

TEST_F(SparseImageResidencyTest, CheckerboardOf4096SquareRgba8FromOneAllocationPerTile)
{
   constexpr uint32_t kSize = 4096, kBlock = 128, kTiles = kSize / kBlock;
   const VkImage image = createResidencyImage(VK_IMAGE_TYPE_2D, VK_FORMAT_R8G8B8A8_UNORM, {kSize, kSize, 1}, 1);
   ASSERT_NE(VK_NULL_HANDLE, image);
   const VkSparseImageMemoryRequirements requirements = sparseRequirements(image);
   ASSERT_EQ(kBlock, requirements.formatProperties.imageGranularity.width);
   ASSERT_EQ(kBlock, requirements.formatProperties.imageGranularity.height);
   EXPECT_EQ(1u, requirements.imageMipTailFirstLod) << "every level is at least a block: no tail";

   struct Tile {
      uint32_t x, y;
      uint8_t *mapped;
   };
   std::vector<Tile> tiles;
   std::vector<VkSparseImageMemoryBind> binds;
   for (uint32_t y = 0; y < kTiles; y++) {
      for (uint32_t x = (y & 1); x < kTiles; x += 2) {
         uint8_t *mapped = nullptr;
         const VkDeviceMemory memory = allocate(image, kTile, &mapped);
         ASSERT_NE(VK_NULL_HANDLE, memory);
         tiles.push_back({x, y, mapped});
         binds.push_back(tileBind(0, {int32_t(x * kBlock), int32_t(y * kBlock), 0}, {kBlock, kBlock, 1}, memory, 0));
      }
   }
   ASSERT_NO_FATAL_FAILURE(bindAndWait(image, binds));

   const VkDeviceSize bytes = VkDeviceSize(kSize) * kSize * 4;
   const HostBuffer upload = createHostBuffer(bytes);
   const HostBuffer download = createHostBuffer(bytes);
   ASSERT_TRUE(upload.mapped && download.mapped);
   const std::vector<uint8_t> texels = patternBytes(bytes, 4096);
   memcpy(upload.mapped, texels.data(), bytes);
   VkBufferImageCopy region{};
   region.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
   region.imageExtent = {kSize, kSize, 1};
   ASSERT_NO_FATAL_FAILURE(roundTrip(image, upload, download, {region}));

   for (const Tile &tile : tiles) {
      EXPECT_TRUE(boxEqual(texels.data(), download.mapped, kSize, kSize, tile.x * kBlock, (tile.x + 1) * kBlock,
                           tile.y * kBlock, (tile.y + 1) * kBlock))
         << "tile " << tile.x << "," << tile.y;
   }
   // Each tile's texels are in its own allocation, row-major inside it.
   for (const Tile &tile : {tiles.front(), tiles[tiles.size() / 2], tiles.back()}) {
      for (uint32_t row : {0u, 57u, kBlock - 1}) {
         const size_t image = ((size_t(tile.y) * kBlock + row) * kSize + tile.x * kBlock) * 4;
         EXPECT_EQ(0, memcmp(texels.data() + image, tile.mapped + row * kBlock * 4, kBlock * 4))
            << "tile " << tile.x << "," << tile.y << " row " << row;
      }
   }
}

TEST_F(SparseImageResidencyTest, ThreeDimensionalImageWithMipTail)
{
   // 300x260x3: level 0 is 3x3 tiles x 3 slices, level 1 (150x130x1) 2x2
   // tiles, level 2 (75x65x1) the mip tail.
   const VkImage image = createResidencyImage(VK_IMAGE_TYPE_3D, VK_FORMAT_R8G8B8A8_UNORM, {300, 260, 3}, 3);
   ASSERT_NE(VK_NULL_HANDLE, image);
   const VkSparseImageMemoryRequirements requirements = sparseRequirements(image);
   EXPECT_EQ(VK_SPARSE_IMAGE_FORMAT_NONSTANDARD_BLOCK_SIZE_BIT, requirements.formatProperties.flags);
   EXPECT_EQ(1u, requirements.formatProperties.imageGranularity.depth);
   ASSERT_EQ(2u, requirements.imageMipTailFirstLod);
   EXPECT_EQ(kTile, requirements.imageMipTailSize);
   EXPECT_EQ((27 + 4) * kTile, requirements.imageMipTailOffset);

   // Level 0: a 3D checkerboard, one allocation per tile; the last tiles of
   // each row and column are partial (the extent reaches the edge).
   std::vector<VkSparseImageMemoryBind> binds;
   struct Box {
      uint32_t x, y, z;
   };
   std::vector<Box> bound;
   for (uint32_t z = 0; z < 3; z++) {
      for (uint32_t y = 0; y < 3; y++) {
         for (uint32_t x = 0; x < 3; x++) {
            if ((x + y + z) % 2)
               continue;
            const VkExtent3D extent{std::min(128u, 300 - x * 128), std::min(128u, 260 - y * 128), 1};
            binds.push_back(tileBind(0, {int32_t(x * 128), int32_t(y * 128), int32_t(z)}, extent,
                                     allocate(image, kTile), 0));
            bound.push_back({x, y, z});
         }
      }
   }
   // Level 1 whole from one allocation, and the tail through an opaque bind.
   binds.push_back(tileBind(1, {0, 0, 0}, {150, 130, 1}, allocate(image, 4 * kTile), 0));
   const VkSparseMemoryBind tail{requirements.imageMipTailOffset, requirements.imageMipTailSize,
                                 allocate(image, requirements.imageMipTailSize), 0, 0};
   ASSERT_NO_FATAL_FAILURE(bindAndWait(image, binds, {tail}));

   const VkDeviceSize level0 = 300 * 260 * 3 * 4, level1 = 150 * 130 * 4, level2 = 75 * 65 * 4;
   const HostBuffer upload = createHostBuffer(level0 + level1 + level2);
   const HostBuffer download = createHostBuffer(level0 + level1 + level2);
   const std::vector<uint8_t> texels = patternBytes(level0 + level1 + level2, 3);
   memcpy(upload.mapped, texels.data(), texels.size());
   std::vector<VkBufferImageCopy> regions(3);
   regions[0].imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
   regions[0].imageExtent = {300, 260, 3};
   regions[1].bufferOffset = level0;
   regions[1].imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 1, 0, 1};
   regions[1].imageExtent = {150, 130, 1};
   regions[2].bufferOffset = level0 + level1;
   regions[2].imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 2, 0, 1};
   regions[2].imageExtent = {75, 65, 1};
   ASSERT_NO_FATAL_FAILURE(roundTrip(image, upload, download, regions));

   for (const Box &box : bound) {
      EXPECT_TRUE(boxEqual(texels.data(), download.mapped, 300, 260, box.x * 128, std::min(300u, box.x * 128 + 128),
                           box.y * 128, std::min(260u, box.y * 128 + 128), box.z, box.z + 1))
         << "tile " << box.x << "," << box.y << "," << box.z;
   }
   EXPECT_EQ(0, memcmp(texels.data() + level0, download.mapped + level0, level1 + level2))
      << "level 1 and the mip tail are fully bound";
}

TEST_F(SparseImageResidencyTest, DepthStencilTilesHoldBothAspects)
{
   // D24_UNORM_S8_UINT: one sparse entry for depth and stencil together
   // (they share each texel). 256x256 is 2x2 tiles of 128x128; bind tiles 0
   // and 3, write them from the host, read both aspects on the device.
   const VkFormat format = VK_FORMAT_D24_UNORM_S8_UINT;
   const VkImage image =
      createResidencyImage(VK_IMAGE_TYPE_2D, format, {256, 256, 1}, 1, 0, VK_IMAGE_LAYOUT_PREINITIALIZED);
   ASSERT_NE(VK_NULL_HANDLE, image);
   const VkSparseImageMemoryRequirements requirements = sparseRequirements(image);
   EXPECT_EQ(VkImageAspectFlags(VK_IMAGE_ASPECT_DEPTH_BIT | VK_IMAGE_ASPECT_STENCIL_BIT),
             requirements.formatProperties.aspectMask);
   uint8_t *tile0 = nullptr, *tile3 = nullptr;
   const VkDeviceMemory memory0 = allocate(image, kTile, &tile0);
   const VkDeviceMemory memory3 = allocate(image, kTile, &tile3);
   ASSERT_TRUE(tile0 && tile3);
   const VkImageAspectFlags both = VK_IMAGE_ASPECT_DEPTH_BIT | VK_IMAGE_ASPECT_STENCIL_BIT;
   ASSERT_NO_FATAL_FAILURE(bindAndWait(image, {tileBind(0, {0, 0, 0}, {128, 128, 1}, memory0, 0, both),
                                               tileBind(0, {128, 128, 0}, {128, 128, 1}, memory3, 0, both)}));
   const std::vector<uint8_t> bytes0 = patternBytes(kTile, 10), bytes3 = patternBytes(kTile, 13);
   memcpy(tile0, bytes0.data(), kTile);
   memcpy(tile3, bytes3.data(), kTile);

   // A second residency image, fully bound, receives a device copy.
   const VkImage copy = createResidencyImage(VK_IMAGE_TYPE_2D, format, {256, 256, 1}, 1);
   uint8_t *copyMapped = nullptr;
   const VkDeviceMemory copyMemory = allocate(copy, 4 * kTile, &copyMapped);
   ASSERT_TRUE(copyMapped);
   ASSERT_NO_FATAL_FAILURE(bindAndWait(copy, {tileBind(0, {0, 0, 0}, {256, 256, 1}, copyMemory, 0, both)}));

   const HostBuffer depth = createHostBuffer(256 * 256 * 4);
   const HostBuffer stencil = createHostBuffer(256 * 256);
   transferAndWait([&](VkCommandBuffer cmd) {
      barrier(cmd, image, both, VK_IMAGE_LAYOUT_PREINITIALIZED, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL);
      barrier(cmd, copy, both, VK_IMAGE_LAYOUT_UNDEFINED, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL);
      VkImageCopy whole{};
      whole.srcSubresource = whole.dstSubresource = {both, 0, 0, 1};
      whole.extent = {256, 256, 1};
      vkCmdCopyImage(cmd, image, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, copy, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1, &whole);
      VkBufferImageCopy region{};
      region.imageSubresource = {VK_IMAGE_ASPECT_DEPTH_BIT, 0, 0, 1};
      region.imageExtent = {256, 256, 1};
      vkCmdCopyImageToBuffer(cmd, image, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, depth.buffer, 1, &region);
      region.imageSubresource.aspectMask = VK_IMAGE_ASPECT_STENCIL_BIT;
      vkCmdCopyImageToBuffer(cmd, image, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, stencil.buffer, 1, &region);
      VkMemoryBarrier host{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
      host.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
      host.dstAccessMask = VK_ACCESS_HOST_READ_BIT;
      vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_HOST_BIT, 0, 1, &host, 0,
                           nullptr, 0, nullptr);
   });

   // Texel (x, y) of a tile is the 4 bytes at (y * 128 + x) * 4: depth in
   // bits 0..23, stencil in 24..31.
   for (uint32_t y = 0; y < 128; y += 7) {
      for (uint32_t x = 0; x < 128; x += 5) {
         const size_t inTile = (size_t(y) * 128 + x) * 4;
         for (const auto &[tileX, tileY, bytes] :
              {std::tuple{0u, 0u, &bytes0}, std::tuple{128u, 128u, &bytes3}}) {
            const size_t texel = size_t(tileY + y) * 256 + tileX + x;
            uint32_t expected = 0, actual = 0;
            memcpy(&expected, bytes->data() + inTile, 4);
            memcpy(&actual, depth.mapped + texel * 4, 4);
            ASSERT_EQ(expected & 0xffffff, actual & 0xffffff) << "depth at " << tileX + x << "," << tileY + y;
            ASSERT_EQ(expected >> 24, stencil.mapped[texel]) << "stencil at " << tileX + x << "," << tileY + y;
         }
      }
   }
   // The copy's memory holds the bound tiles at the same places.
   EXPECT_EQ(0, memcmp(bytes0.data(), copyMapped, kTile));
   EXPECT_EQ(0, memcmp(bytes3.data(), copyMapped + 3 * kTile, kTile));
}

TEST_F(SparseImageResidencyTest, AliasedImagesShareTheirTiles)
{
   // Two aliased residency images on one 4-tile allocation: A binds tile i
   // to memory tile i, B to memory tile 3 - i. What A's tile i holds, B
   // reads in its tile 3 - i.
   const VkImage a = createResidencyImage(VK_IMAGE_TYPE_2D, VK_FORMAT_R8G8B8A8_UNORM, {256, 256, 1}, 1,
                                          VK_IMAGE_CREATE_SPARSE_ALIASED_BIT);
   const VkImage b = createResidencyImage(VK_IMAGE_TYPE_2D, VK_FORMAT_R8G8B8A8_UNORM, {256, 256, 1}, 1,
                                          VK_IMAGE_CREATE_SPARSE_ALIASED_BIT, VK_IMAGE_LAYOUT_PREINITIALIZED);
   ASSERT_TRUE(a && b);
   const VkDeviceMemory memory = allocate(a, 4 * kTile);
   std::vector<VkSparseImageMemoryBind> bindsA, bindsB;
   for (uint32_t i = 0; i < 4; i++) {
      const VkOffset3D offset{int32_t(i % 2) * 128, int32_t(i / 2) * 128, 0};
      bindsA.push_back(tileBind(0, offset, {128, 128, 1}, memory, i * kTile));
      bindsB.push_back(tileBind(0, offset, {128, 128, 1}, memory, (3 - i) * kTile));
   }
   ASSERT_NO_FATAL_FAILURE(bindAndWait(a, bindsA));
   ASSERT_NO_FATAL_FAILURE(bindAndWait(b, bindsB));

   const VkDeviceSize bytes = 256 * 256 * 4;
   const HostBuffer upload = createHostBuffer(bytes);
   const HostBuffer download = createHostBuffer(bytes);
   const std::vector<uint8_t> texels = patternBytes(bytes, 256);
   memcpy(upload.mapped, texels.data(), bytes);
   VkBufferImageCopy region{};
   region.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
   region.imageExtent = {256, 256, 1};
   transferAndWait([&](VkCommandBuffer cmd) {
      barrier(cmd, a, VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_UNDEFINED, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL);
      vkCmdCopyBufferToImage(cmd, upload.buffer, a, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1, &region);
   });
   transferAndWait([&](VkCommandBuffer cmd) {
      barrier(cmd, b, VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_PREINITIALIZED,
              VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL);
      vkCmdCopyImageToBuffer(cmd, b, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, download.buffer, 1, &region);
      VkMemoryBarrier host{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
      host.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
      host.dstAccessMask = VK_ACCESS_HOST_READ_BIT;
      vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_HOST_BIT, 0, 1, &host, 0,
                           nullptr, 0, nullptr);
   });
   for (uint32_t i = 0; i < 4; i++) {
      const uint32_t j = 3 - i;
      for (uint32_t y = 0; y < 128; y++) {
         const size_t from = ((size_t(i / 2) * 128 + y) * 256 + (i % 2) * 128) * 4;
         const size_t to = ((size_t(j / 2) * 128 + y) * 256 + (j % 2) * 128) * 4;
         ASSERT_EQ(0, memcmp(texels.data() + from, download.mapped + to, 128 * 4))
            << "A's tile " << i << " row " << y << " read through B's tile " << j;
      }
   }
}

} // namespace
} // namespace panvk::test
