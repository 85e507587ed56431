// The fixture of the residency image tests: VkTestFixture's instance,
// validation layer and message checks, plus a device with residency images
// enabled (sparseBinding, sparseResidencyImage2D/3D, sparseResidencyAliased,
// and imageCubeArray for cube-compatible residency images' views)
// and queues of families 0 (transfer) and 1 (sparse binding only), with
// helpers to create residency images, bind them, copy and compare.
//
// Where a test reads an allocation from the host it relies on the tile's
// inner layout the driver documents (src/panfrost/lib/layout/README.md: texel
// blocks row-major inside a 64 KiB tile).
#pragma once

#include <cstring>
#include <functional>
#include <vector>

#include "VkTestFixture.h"

namespace panvk::test {

// A host-visible buffer of the residency device, mapped.
struct StagingBuffer {
   VkBuffer buffer = VK_NULL_HANDLE;
   VkDeviceMemory memory = VK_NULL_HANDLE;
   uint8_t *mapped = nullptr;
};

class SparseImageResidencyFixture : public VkTestFixture {
protected:
   static constexpr VkDeviceSize kTile = 64 * 1024;
   static constexpr uint32_t kBindFamily = kSparseOnlyFamily;

   void SetUp() override
   {
      ASSERT_NO_FATAL_FAILURE(VkTestFixture::SetUp());
      VkPhysicalDeviceFeatures offered{};
      vkGetPhysicalDeviceFeatures(physicalDevice_, &offered);
      ASSERT_TRUE(offered.sparseResidencyImage2D);
      ASSERT_TRUE(offered.sparseResidencyImage3D);
      ASSERT_TRUE(offered.sparseResidencyAliased);

      VkPhysicalDeviceFeatures enabled{};
      enabled.sparseBinding = VK_TRUE;
      enabled.sparseResidencyImage2D = VK_TRUE;
      enabled.sparseResidencyImage3D = VK_TRUE;
      enabled.sparseResidencyAliased = VK_TRUE;
      enabled.imageCubeArray = VK_TRUE;
      ASSERT_NO_FATAL_FAILURE(createTransferAndBindDevice(enabled, &device2_, &transfer_, &bind_, &pool_));
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

   StagingBuffer createStagingBuffer(VkDeviceSize size)
   {
      StagingBuffer out;
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
      const StagingBuffer copy = out;
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
      VK_ASSERT_SUCCESS(recordSubmitAndWait(device2_, pool_, transfer_, record));
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
   void roundTrip(VkImage image, const StagingBuffer &upload, const StagingBuffer &download,
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

} // namespace panvk::test
