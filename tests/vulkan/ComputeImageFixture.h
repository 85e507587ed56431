// The fixture of the compute image tests: VkTestFixture's instance,
// validation layer and message checks, plus a device of its own with what
// image shaders need enabled (shaderStorageImageExtendedFormats,
// shaderStorageImageReadWithoutFormat, shaderStorageImageWriteWithoutFormat)
// and sparse residency images, with one queue of family 0 (compute and
// transfer) and one of family 1 (sparse binding). Helpers make images, views,
// samplers, texel buffer views, descriptor sets of any type, pipelines (a
// ComputeKit on this device), and run one-shot submissions.
//
// Images live in the GENERAL layout (transitioned once when made), which
// shaders use; copies move them to the transfer layouts and back.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "ComputeKit.h"
#include "VkTestFixture.h"

namespace panvk::test {

struct ImageResource {
   VkImage image = VK_NULL_HANDLE;
   VkDeviceMemory memory = VK_NULL_HANDLE;
   VkImageCreateInfo info{};
   VkImageAspectFlags aspect = VK_IMAGE_ASPECT_COLOR_BIT;
};

struct MappedBuffer {
   VkBuffer buffer = VK_NULL_HANDLE;
   VkDeviceMemory memory = VK_NULL_HANDLE;
   uint8_t *mapped = nullptr;
   VkDeviceSize size = 0;
};

struct ComputePipeline {
   VkPipeline pipeline = VK_NULL_HANDLE;
   VkPipelineLayout layout = VK_NULL_HANDLE;
   VkDescriptorSetLayout setLayout = VK_NULL_HANDLE;
};

using BindingList = std::vector<std::pair<uint32_t, VkDescriptorType>>;

class ComputeImageFixture : public VkTestFixture {
protected:
   // The families of createTransferAndBindDevice's queues: family 0 does
   // compute as well as transfers.
   static constexpr uint32_t kComputeFamily = kTransferFamily;
   static constexpr uint32_t kBindFamily = kSparseOnlyFamily;
   static constexpr VkImageUsageFlags kStorageUsage =
      VK_IMAGE_USAGE_STORAGE_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT;
   static constexpr VkImageUsageFlags kSampledUsage =
      VK_IMAGE_USAGE_SAMPLED_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT;

   void SetUp() override;
   void TearDown() override;

   // Runs `destroy` at TearDown, before this fixture's device goes.
   void atImageTearDown(std::function<void()> destroy) { cleanups_.push_back(std::move(destroy)); }

   // Bound to device-local memory (unless sparse) and moved to GENERAL.
   ImageResource createImage(VkImageType type, VkFormat format, VkExtent3D extent, uint32_t levels,
                             uint32_t layers, VkImageTiling tiling, VkImageUsageFlags usage,
                             VkImageCreateFlags flags = 0);
   // A sparse residency image (optimal, no memory) shared by families 0 and 1,
   // in GENERAL layout; its tiles are bound with bindTiles.
   ImageResource createResidencyImage(VkFormat format, VkExtent3D extent, VkImageUsageFlags usage);
   VkImageView createView(const ImageResource &image, VkImageViewType type, VkFormat format,
                          VkImageSubresourceRange range,
                          VkComponentMapping components = {VK_COMPONENT_SWIZZLE_IDENTITY, VK_COMPONENT_SWIZZLE_IDENTITY,
                                                           VK_COMPONENT_SWIZZLE_IDENTITY,
                                                           VK_COMPONENT_SWIZZLE_IDENTITY});
   VkSampler createSampler(const VkSamplerCreateInfo &info);
   // Host-visible coherent, mapped, zero-filled; `usage` plus transfer src/dst.
   MappedBuffer createBuffer(VkDeviceSize size, VkBufferUsageFlags usage);
   VkBufferView createBufferView(const MappedBuffer &buffer, VkFormat format, VkDeviceSize offset,
                                 VkDeviceSize range);
   VkDeviceMemory allocateMemory(VkDeviceSize size, uint32_t typeBits);

   // A set layout of `bindings` (one descriptor each, or with immutable
   // samplers where given), a pipeline layout with `pushBytes` of push
   // constants, and the pipeline of `shader` (e.g. "vk_image_store_float.comp").
   ComputePipeline pipeline(const std::string &shader, const BindingList &bindings, uint32_t pushBytes = 0,
                            const std::vector<std::pair<uint32_t, VkSampler>> &immutableSamplers = {});
   VkDescriptorSet allocateSet(VkDescriptorSetLayout layout);
   void writeImage(VkDescriptorSet set, uint32_t binding, VkDescriptorType type, VkImageView view,
                   VkSampler sampler = VK_NULL_HANDLE);
   void writeSampler(VkDescriptorSet set, uint32_t binding, VkSampler sampler);
   void writeTexelBuffer(VkDescriptorSet set, uint32_t binding, VkDescriptorType type, VkBufferView view);
   void writeBuffer(VkDescriptorSet set, uint32_t binding, const MappedBuffer &buffer);

   // One submission on the compute queue, waited for.
   void run(const std::function<void(VkCommandBuffer)> &record);
   // Binds, pushes, dispatches, then makes the shader's writes visible to
   // transfers, shaders and the host.
   static void dispatch(VkCommandBuffer cmd, const ComputePipeline &pipeline, VkDescriptorSet set,
                        uint32_t x, uint32_t y = 1, uint32_t z = 1, std::span<const uint8_t> push = {});
   // Transfer writes -> shader and transfer accesses and host reads.
   static void afterTransfer(VkCommandBuffer cmd);

   // Buffer <-> image copies of tightly packed texels (one region each), in
   // the transfer layouts, the image back in GENERAL afterwards.
   void upload(const ImageResource &image, const MappedBuffer &staging, const VkBufferImageCopy &region);
   void download(const ImageResource &image, const MappedBuffer &staging, const VkBufferImageCopy &region);

   VkDevice dev_ = VK_NULL_HANDLE;
   VkQueue queue_ = VK_NULL_HANDLE;
   VkQueue bindQueue_ = VK_NULL_HANDLE;
   std::unique_ptr<ComputeKit> kit_;

private:
   void toGeneral(VkImage image, uint32_t levels, uint32_t layers, VkImageAspectFlags aspects);
   // A copy between `image` in `transferLayout` and `staging`, with the
   // layout changes and barriers around it.
   void copy(const ImageResource &image, const MappedBuffer &staging, const VkBufferImageCopy &region,
             VkImageLayout transferLayout);

   VkCommandPool pool_ = VK_NULL_HANDLE;
   VkDescriptorPool descriptorPool_ = VK_NULL_HANDLE;
   std::vector<std::function<void()>> cleanups_;
};

// Tightly packed copy of the whole of `level` (all `layers`).
VkBufferImageCopy wholeLevel(VkExtent3D extent, uint32_t level, uint32_t layers,
                             VkImageAspectFlags aspect = VK_IMAGE_ASPECT_COLOR_BIT);

} // namespace panvk::test
