#include "ComputeImageFixture.h"

#include <algorithm>
#include <cstring>

namespace panvk::test {

VkBufferImageCopy
wholeLevel(VkExtent3D extent, uint32_t level, uint32_t layers, VkImageAspectFlags aspect)
{
   VkBufferImageCopy region{};
   region.imageSubresource = {aspect, level, 0, layers};
   region.imageExtent = {std::max(extent.width >> level, 1u), std::max(extent.height >> level, 1u),
                         std::max(extent.depth >> level, 1u)};
   return region;
}

void
ComputeImageFixture::SetUp()
{
   ASSERT_NO_FATAL_FAILURE(VkTestFixture::SetUp());
   VkPhysicalDeviceFeatures offered{};
   vkGetPhysicalDeviceFeatures(physicalDevice_, &offered);
   ASSERT_TRUE(offered.shaderStorageImageExtendedFormats);
   ASSERT_TRUE(offered.shaderStorageImageReadWithoutFormat);
   ASSERT_TRUE(offered.shaderStorageImageWriteWithoutFormat);
   ASSERT_TRUE(offered.sparseResidencyImage2D);

   VkPhysicalDeviceFeatures enabled{};
   enabled.shaderStorageImageExtendedFormats = VK_TRUE;
   enabled.shaderStorageImageReadWithoutFormat = VK_TRUE;
   enabled.shaderStorageImageWriteWithoutFormat = VK_TRUE;
   enabled.sparseBinding = VK_TRUE;
   enabled.sparseResidencyImage2D = VK_TRUE;
   ASSERT_NO_FATAL_FAILURE(createTransferAndBindDevice(enabled, &dev_, &queue_, &bindQueue_, &pool_));

   // Room for a set per format of the format loops.
   const VkDescriptorPoolSize sizes[] = {
      {VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 256},        {VK_DESCRIPTOR_TYPE_STORAGE_IMAGE, 256},
      {VK_DESCRIPTOR_TYPE_SAMPLED_IMAGE, 32},          {VK_DESCRIPTOR_TYPE_SAMPLER, 32},
      {VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, 32}, {VK_DESCRIPTOR_TYPE_UNIFORM_TEXEL_BUFFER, 128},
      {VK_DESCRIPTOR_TYPE_STORAGE_TEXEL_BUFFER, 128},
   };
   VkDescriptorPoolCreateInfo descriptorInfo{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
   descriptorInfo.maxSets = 256;
   descriptorInfo.poolSizeCount = uint32_t(std::size(sizes));
   descriptorInfo.pPoolSizes = sizes;
   VK_ASSERT_SUCCESS(vkCreateDescriptorPool(dev_, &descriptorInfo, nullptr, &descriptorPool_));
   kit_ = std::make_unique<ComputeKit>(dev_);
}

void
ComputeImageFixture::TearDown()
{
   if (dev_) {
      EXPECT_EQ(VK_SUCCESS, vkDeviceWaitIdle(dev_));
      for (auto it = cleanups_.rbegin(); it != cleanups_.rend(); ++it)
         (*it)();
      kit_.reset();
      vkDestroyDescriptorPool(dev_, descriptorPool_, nullptr);
      vkDestroyCommandPool(dev_, pool_, nullptr);
      vkDestroyDevice(dev_, nullptr);
   }
   VkTestFixture::TearDown();
}

ImageResource
ComputeImageFixture::createImage(VkImageType type, VkFormat format, VkExtent3D extent, uint32_t levels,
                                 uint32_t layers, VkImageTiling tiling, VkImageUsageFlags usage,
                                 VkImageCreateFlags flags)
{
   ImageResource out;
   out.info = {VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO};
   out.info.flags = flags;
   out.info.imageType = type;
   out.info.format = format;
   out.info.extent = extent;
   out.info.mipLevels = levels;
   out.info.arrayLayers = layers;
   out.info.samples = VK_SAMPLE_COUNT_1_BIT;
   out.info.tiling = tiling;
   out.info.usage = usage;
   out.info.initialLayout = VK_IMAGE_LAYOUT_UNDEFINED;
   EXPECT_EQ(VK_SUCCESS, vkCreateImage(dev_, &out.info, nullptr, &out.image));
   if (!out.image)
      return out;
   const VkImage image = out.image;
   atImageTearDown([this, image] { vkDestroyImage(dev_, image, nullptr); });
   VkMemoryRequirements requirements{};
   vkGetImageMemoryRequirements(dev_, out.image, &requirements);
   out.memory = allocateMemory(requirements.size, requirements.memoryTypeBits);
   EXPECT_EQ(VK_SUCCESS, vkBindImageMemory(dev_, out.image, out.memory, 0));
   if (format == VK_FORMAT_D32_SFLOAT || format == VK_FORMAT_D16_UNORM)
      out.aspect = VK_IMAGE_ASPECT_DEPTH_BIT;
   toGeneral(out.image, levels, layers, out.aspect);
   return out;
}

ImageResource
ComputeImageFixture::createResidencyImage(VkFormat format, VkExtent3D extent, VkImageUsageFlags usage)
{
   ImageResource out;
   const uint32_t families[] = {kComputeFamily, kBindFamily};
   out.info = {VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO};
   out.info.flags = VK_IMAGE_CREATE_SPARSE_BINDING_BIT | VK_IMAGE_CREATE_SPARSE_RESIDENCY_BIT;
   out.info.imageType = VK_IMAGE_TYPE_2D;
   out.info.format = format;
   out.info.extent = extent;
   out.info.mipLevels = 1;
   out.info.arrayLayers = 1;
   out.info.samples = VK_SAMPLE_COUNT_1_BIT;
   out.info.tiling = VK_IMAGE_TILING_OPTIMAL;
   out.info.usage = usage;
   out.info.sharingMode = VK_SHARING_MODE_CONCURRENT;
   out.info.queueFamilyIndexCount = 2;
   out.info.pQueueFamilyIndices = families;
   EXPECT_EQ(VK_SUCCESS, vkCreateImage(dev_, &out.info, nullptr, &out.image));
   out.info.pQueueFamilyIndices = nullptr;
   if (!out.image)
      return out;
   const VkImage image = out.image;
   atImageTearDown([this, image] { vkDestroyImage(dev_, image, nullptr); });
   toGeneral(out.image, 1, 1, VK_IMAGE_ASPECT_COLOR_BIT);
   return out;
}

void
ComputeImageFixture::toGeneral(VkImage image, uint32_t levels, uint32_t layers, VkImageAspectFlags aspects)
{
   run([&](VkCommandBuffer cmd) {
      VkImageMemoryBarrier b{VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER};
      b.srcAccessMask = 0;
      b.dstAccessMask = VK_ACCESS_TRANSFER_READ_BIT | VK_ACCESS_TRANSFER_WRITE_BIT | VK_ACCESS_SHADER_READ_BIT |
                        VK_ACCESS_SHADER_WRITE_BIT;
      b.oldLayout = VK_IMAGE_LAYOUT_UNDEFINED;
      b.newLayout = VK_IMAGE_LAYOUT_GENERAL;
      b.srcQueueFamilyIndex = b.dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
      b.image = image;
      b.subresourceRange = {aspects, 0, levels, 0, layers};
      vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT,
                           VK_PIPELINE_STAGE_TRANSFER_BIT | VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, 0, 0, nullptr, 0,
                           nullptr, 1, &b);
   });
}

VkImageView
ComputeImageFixture::createView(const ImageResource &image, VkImageViewType type, VkFormat format,
                                VkImageSubresourceRange range, VkComponentMapping components)
{
   VkImageViewCreateInfo info{VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO};
   info.image = image.image;
   info.viewType = type;
   info.format = format;
   info.components = components;
   info.subresourceRange = range;
   VkImageView view = VK_NULL_HANDLE;
   EXPECT_EQ(VK_SUCCESS, vkCreateImageView(dev_, &info, nullptr, &view));
   if (view)
      atImageTearDown([this, view] { vkDestroyImageView(dev_, view, nullptr); });
   return view;
}

VkSampler
ComputeImageFixture::createSampler(const VkSamplerCreateInfo &info)
{
   VkSampler sampler = VK_NULL_HANDLE;
   EXPECT_EQ(VK_SUCCESS, vkCreateSampler(dev_, &info, nullptr, &sampler));
   if (sampler)
      atImageTearDown([this, sampler] { vkDestroySampler(dev_, sampler, nullptr); });
   return sampler;
}

VkDeviceMemory
ComputeImageFixture::allocateMemory(VkDeviceSize size, uint32_t typeBits)
{
   VkMemoryAllocateInfo info{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
   info.allocationSize = size;
   info.memoryTypeIndex = findMemoryType(typeBits, VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT);
   VkDeviceMemory memory = VK_NULL_HANDLE;
   EXPECT_EQ(VK_SUCCESS, vkAllocateMemory(dev_, &info, nullptr, &memory));
   if (memory)
      atImageTearDown([this, memory] { vkFreeMemory(dev_, memory, nullptr); });
   return memory;
}

MappedBuffer
ComputeImageFixture::createBuffer(VkDeviceSize size, VkBufferUsageFlags usage)
{
   MappedBuffer out;
   out.size = size;
   VkBufferCreateInfo info{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
   info.size = size;
   info.usage = usage | VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT;
   EXPECT_EQ(VK_SUCCESS, vkCreateBuffer(dev_, &info, nullptr, &out.buffer));
   if (!out.buffer)
      return out;
   const VkBuffer buffer = out.buffer;
   atImageTearDown([this, buffer] { vkDestroyBuffer(dev_, buffer, nullptr); });
   VkMemoryRequirements requirements{};
   vkGetBufferMemoryRequirements(dev_, out.buffer, &requirements);
   VkMemoryAllocateInfo alloc{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
   alloc.allocationSize = requirements.size;
   alloc.memoryTypeIndex = findMemoryType(requirements.memoryTypeBits, VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT |
                                                                          VK_MEMORY_PROPERTY_HOST_COHERENT_BIT);
   EXPECT_EQ(VK_SUCCESS, vkAllocateMemory(dev_, &alloc, nullptr, &out.memory));
   if (!out.memory)
      return out;
   const VkDeviceMemory memory = out.memory;
   atImageTearDown([this, memory] { vkFreeMemory(dev_, memory, nullptr); });
   EXPECT_EQ(VK_SUCCESS, vkBindBufferMemory(dev_, out.buffer, out.memory, 0));
   void *mapped = nullptr;
   EXPECT_EQ(VK_SUCCESS, vkMapMemory(dev_, out.memory, 0, VK_WHOLE_SIZE, 0, &mapped));
   out.mapped = static_cast<uint8_t *>(mapped);
   if (out.mapped)
      memset(out.mapped, 0, size);
   return out;
}

VkBufferView
ComputeImageFixture::createBufferView(const MappedBuffer &buffer, VkFormat format, VkDeviceSize offset,
                                      VkDeviceSize range)
{
   VkBufferViewCreateInfo info{VK_STRUCTURE_TYPE_BUFFER_VIEW_CREATE_INFO};
   info.buffer = buffer.buffer;
   info.format = format;
   info.offset = offset;
   info.range = range;
   VkBufferView view = VK_NULL_HANDLE;
   EXPECT_EQ(VK_SUCCESS, vkCreateBufferView(dev_, &info, nullptr, &view));
   if (view)
      atImageTearDown([this, view] { vkDestroyBufferView(dev_, view, nullptr); });
   return view;
}

ComputePipeline
ComputeImageFixture::pipeline(const std::string &shader, const BindingList &bindings, uint32_t pushBytes,
                              const std::vector<std::pair<uint32_t, VkSampler>> &immutableSamplers)
{
   ComputePipeline out;
   std::vector<VkDescriptorSetLayoutBinding> list;
   for (const auto &[binding, type] : bindings) {
      VkDescriptorSetLayoutBinding b{binding, type, 1, VK_SHADER_STAGE_COMPUTE_BIT, nullptr};
      for (const auto &immutable : immutableSamplers) {
         if (immutable.first == binding)
            b.pImmutableSamplers = &immutable.second;
      }
      list.push_back(b);
   }
   VkDescriptorSetLayoutCreateInfo info{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO};
   info.bindingCount = uint32_t(list.size());
   info.pBindings = list.data();
   EXPECT_EQ(VK_SUCCESS, vkCreateDescriptorSetLayout(dev_, &info, nullptr, &out.setLayout));
   if (out.setLayout) {
      const VkDescriptorSetLayout layout = out.setLayout;
      atImageTearDown([this, layout] { vkDestroyDescriptorSetLayout(dev_, layout, nullptr); });
   }
   out.layout = kit_->pipelineLayout({out.setLayout}, pushBytes);
   EXPECT_EQ(VK_SUCCESS, kit_->pipeline(shader, out.layout, &out.pipeline)) << shader;
   return out;
}

VkDescriptorSet
ComputeImageFixture::allocateSet(VkDescriptorSetLayout layout)
{
   return allocateDescriptorSet(dev_, descriptorPool_, layout);
}

void
ComputeImageFixture::writeImage(VkDescriptorSet set, uint32_t binding, VkDescriptorType type, VkImageView view,
                                VkSampler sampler)
{
   const VkDescriptorImageInfo image{sampler, view, VK_IMAGE_LAYOUT_GENERAL};
   VkWriteDescriptorSet write = oneDescriptorWrite(set, binding, type);
   write.pImageInfo = &image;
   vkUpdateDescriptorSets(dev_, 1, &write, 0, nullptr);
}

void
ComputeImageFixture::writeSampler(VkDescriptorSet set, uint32_t binding, VkSampler sampler)
{
   writeImage(set, binding, VK_DESCRIPTOR_TYPE_SAMPLER, VK_NULL_HANDLE, sampler);
}

void
ComputeImageFixture::writeTexelBuffer(VkDescriptorSet set, uint32_t binding, VkDescriptorType type,
                                      VkBufferView view)
{
   VkWriteDescriptorSet write = oneDescriptorWrite(set, binding, type);
   write.pTexelBufferView = &view;
   vkUpdateDescriptorSets(dev_, 1, &write, 0, nullptr);
}

void
ComputeImageFixture::writeBuffer(VkDescriptorSet set, uint32_t binding, const MappedBuffer &buffer)
{
   kit_->writeBuffer(set, binding, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, buffer.buffer);
}

void
ComputeImageFixture::run(const std::function<void(VkCommandBuffer)> &record)
{
   VK_ASSERT_SUCCESS(recordSubmitAndWait(dev_, pool_, queue_, record));
}

void
ComputeImageFixture::dispatch(VkCommandBuffer cmd, const ComputePipeline &pipeline, VkDescriptorSet set,
                              uint32_t x, uint32_t y, uint32_t z, std::span<const uint8_t> push)
{
   vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline.pipeline);
   vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline.layout, 0, 1, &set, 0, nullptr);
   if (!push.empty())
      vkCmdPushConstants(cmd, pipeline.layout, VK_SHADER_STAGE_COMPUTE_BIT, 0, uint32_t(push.size()), push.data());
   vkCmdDispatch(cmd, x, y, z);
   VkMemoryBarrier barrier{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
   barrier.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT;
   barrier.dstAccessMask = VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_READ_BIT |
                           VK_ACCESS_TRANSFER_WRITE_BIT | VK_ACCESS_HOST_READ_BIT;
   vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT,
                        VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT |
                           VK_PIPELINE_STAGE_HOST_BIT,
                        0, 1, &barrier, 0, nullptr, 0, nullptr);
}

void
ComputeImageFixture::afterTransfer(VkCommandBuffer cmd)
{
   VkMemoryBarrier barrier{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
   barrier.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
   barrier.dstAccessMask = VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_READ_BIT |
                           VK_ACCESS_TRANSFER_WRITE_BIT | VK_ACCESS_HOST_READ_BIT;
   vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT,
                        VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT |
                           VK_PIPELINE_STAGE_HOST_BIT,
                        0, 1, &barrier, 0, nullptr, 0, nullptr);
}

void
ComputeImageFixture::copy(const ImageResource &image, const MappedBuffer &staging, const VkBufferImageCopy &region,
                          VkImageLayout transferLayout)
{
   const bool toImage = transferLayout == VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL;
   run([&](VkCommandBuffer cmd) {
      VkImageMemoryBarrier b{VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER};
      b.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
      b.dstAccessMask = toImage ? VK_ACCESS_TRANSFER_WRITE_BIT : VK_ACCESS_TRANSFER_READ_BIT;
      b.oldLayout = VK_IMAGE_LAYOUT_GENERAL;
      b.newLayout = transferLayout;
      b.srcQueueFamilyIndex = b.dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
      b.image = image.image;
      b.subresourceRange = {image.aspect, 0, image.info.mipLevels, 0, image.info.arrayLayers};
      vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT,
                           VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 0, nullptr, 0, nullptr, 1, &b);
      if (toImage)
         vkCmdCopyBufferToImage(cmd, staging.buffer, image.image, transferLayout, 1, &region);
      else
         vkCmdCopyImageToBuffer(cmd, image.image, transferLayout, staging.buffer, 1, &region);
      b.srcAccessMask = toImage ? VK_ACCESS_TRANSFER_WRITE_BIT : VK_ACCESS_TRANSFER_READ_BIT;
      b.dstAccessMask = VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_READ_BIT |
                        VK_ACCESS_TRANSFER_WRITE_BIT;
      b.oldLayout = transferLayout;
      b.newLayout = VK_IMAGE_LAYOUT_GENERAL;
      vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT,
                           VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 0, nullptr, 0,
                           nullptr, 1, &b);
      afterTransfer(cmd);
   });
}

void
ComputeImageFixture::upload(const ImageResource &image, const MappedBuffer &staging, const VkBufferImageCopy &region)
{
   copy(image, staging, region, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL);
}

void
ComputeImageFixture::download(const ImageResource &image, const MappedBuffer &staging,
                              const VkBufferImageCopy &region)
{
   copy(image, staging, region, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL);
}

} // namespace panvk::test
