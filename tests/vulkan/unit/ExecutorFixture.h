// White-box tests of command recording and the mock executor: resources are
// made through the driver's entry points on a DirectDevice, command buffers
// are recorded with the vkCmd* entry points and run by calling the device's
// executor directly (no queue), and results are read from host-visible memory
// (images too: their bytes are checked where the layout library puts them).
#pragma once

#include <cstring>
#include <random>
#include <vector>

#include "CommandBuffer.h"
#include "DirectDevice.h"
#include "Executor.h"
#include "Image.h"
#include "layout/ImageLayout.h"

namespace panvk::test {

class ExecutorFixture : public DirectDevice {
protected:
   struct HostBuffer {
      VkBuffer buffer = VK_NULL_HANDLE;
      VkDeviceMemory memory = VK_NULL_HANDLE;
      uint8_t *data = nullptr;
   };
   struct HostImage {
      VkImage image = VK_NULL_HANDLE;
      VkDeviceMemory memory = VK_NULL_HANDLE;
      uint8_t *data = nullptr;
      const pan::layout::ImageLayout *layout = nullptr;
   };

   void SetUp() override
   {
      DirectDevice::SetUp();
      if (HasFatalFailure())
         return;
      hostType_ = memoryType(VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT);
      ASSERT_NE(UINT32_MAX, hostType_);
      VkCommandPoolCreateInfo info{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
      info.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT;
      ASSERT_EQ(VK_SUCCESS, panvk_CreateCommandPool(device_, &info, nullptr, &pool_));
   }

   void TearDown() override
   {
      if (pool_)
         panvk_DestroyCommandPool(device_, pool_, nullptr);
      for (VkBuffer buffer : buffers_)
         panvk_DestroyBuffer(device_, buffer, nullptr);
      for (VkImage image : images_)
         panvk_DestroyImage(device_, image, nullptr);
      for (VkDeviceMemory memory : memories_)
         panvk_FreeMemory(device_, memory, nullptr);
      DirectDevice::TearDown();
   }

   // A host-visible buffer of `size` bytes, filled with `fill`.
   HostBuffer hostBuffer(VkDeviceSize size, uint8_t fill = 0)
   {
      HostBuffer out;
      VkBufferCreateInfo info{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
      info.size = size;
      info.usage = VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT;
      EXPECT_EQ(VK_SUCCESS, panvk_CreateBuffer(device_, &info, nullptr, &out.buffer));
      buffers_.push_back(out.buffer);
      VkMemoryRequirements requirements;
      panvk_GetBufferMemoryRequirements(device_, out.buffer, &requirements);
      out.memory = hostMemory(requirements.size, &out.data);
      EXPECT_EQ(VK_SUCCESS, panvk_BindBufferMemory(device_, out.buffer, out.memory, 0));
      if (out.data)
         memset(out.data, fill, size);
      return out;
   }

   HostImage hostImage(VkImageType type, VkFormat format, VkExtent3D extent, uint32_t mipLevels,
                       uint32_t layers, VkImageTiling tiling)
   {
      HostImage out;
      VkImageCreateInfo info{VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO};
      info.imageType = type;
      info.format = format;
      info.extent = extent;
      info.mipLevels = mipLevels;
      info.arrayLayers = layers;
      info.samples = VK_SAMPLE_COUNT_1_BIT;
      info.tiling = tiling;
      info.usage = VK_IMAGE_USAGE_TRANSFER_SRC_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT;
      EXPECT_EQ(VK_SUCCESS, panvk_CreateImage(device_, &info, nullptr, &out.image));
      if (!out.image)
         return out;
      images_.push_back(out.image);
      VkMemoryRequirements requirements;
      panvk_GetImageMemoryRequirements(device_, out.image, &requirements);
      out.memory = hostMemory(requirements.size, &out.data);
      EXPECT_EQ(VK_SUCCESS, panvk_BindImageMemory(device_, out.image, out.memory, 0));
      out.layout = &Image::from(out.image)->layout();
      return out;
   }

   VkDeviceMemory hostMemory(VkDeviceSize size, uint8_t **data)
   {
      VkDeviceMemory memory = VK_NULL_HANDLE;
      EXPECT_EQ(VK_SUCCESS, allocate(size, hostType_, &memory));
      memories_.push_back(memory);
      void *mapped = nullptr;
      EXPECT_EQ(VK_SUCCESS, panvk_MapMemory(device_, memory, 0, VK_WHOLE_SIZE, 0, &mapped));
      *data = static_cast<uint8_t *>(mapped);
      return memory;
   }

   // The test frees `memory` itself.
   void forgetMemory(VkDeviceMemory memory) { std::erase(memories_, memory); }

   VkCommandBuffer begin(VkCommandBufferLevel level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
                         VkCommandBufferUsageFlags flags = 0)
   {
      VkCommandBufferAllocateInfo info{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
      info.commandPool = pool_;
      info.level = level;
      info.commandBufferCount = 1;
      VkCommandBuffer commandBuffer = VK_NULL_HANDLE;
      EXPECT_EQ(VK_SUCCESS, panvk_AllocateCommandBuffers(device_, &info, &commandBuffer));
      VkCommandBufferInheritanceInfo inheritance{VK_STRUCTURE_TYPE_COMMAND_BUFFER_INHERITANCE_INFO};
      VkCommandBufferBeginInfo begin{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
      begin.flags = flags;
      begin.pInheritanceInfo = level == VK_COMMAND_BUFFER_LEVEL_SECONDARY ? &inheritance : nullptr;
      EXPECT_EQ(VK_SUCCESS, panvk_BeginCommandBuffer(commandBuffer, &begin));
      return commandBuffer;
   }

   // Ends and executes `commandBuffer` as a queue would (without one).
   VkResult run(VkCommandBuffer commandBuffer)
   {
      EXPECT_EQ(VK_SUCCESS, panvk_EndCommandBuffer(commandBuffer));
      CommandBuffer &recorded = *CommandBuffer::from(commandBuffer);
      recorded.markSubmitted();
      const VkResult result = device().executor().execute(recorded);
      recorded.markCompleted();
      return result;
   }

   static std::vector<uint8_t> randomBytes(size_t size, uint32_t seed)
   {
      std::mt19937 random(seed);
      std::vector<uint8_t> bytes(size);
      for (uint8_t &b : bytes)
         b = uint8_t(random());
      return bytes;
   }

   VkCommandPool pool_ = VK_NULL_HANDLE;

private:
   uint32_t hostType_ = UINT32_MAX;
   std::vector<VkBuffer> buffers_;
   std::vector<VkImage> images_;
   std::vector<VkDeviceMemory> memories_;
};

} // namespace panvk::test
