// A compute shader over a sparse residency storage image (what the CTS's
// image_sparse_residency does: STORAGE | TRANSFER images), through the loader
// with the validation layer: an R32_UINT image of 2x2 tiles with two tiles
// bound and two not. The shader reads and writes every texel: the bound
// tiles give back what was uploaded and keep what the shader wrote; the
// unbound ones read from the sparse dummy and never fault, so the device
// stays usable.
#include <cstring>
#include <vector>

#include "ComputeImageFixture.h"

namespace panvk::test {
namespace {

constexpr uint32_t kSize = 256;  // 2x2 tiles of 128x128 four-byte texels
constexpr uint32_t kTile = 128;
constexpr VkDeviceSize kTileBytes = 64 * 1024;

class ComputeSparseImageTest : public ComputeImageFixture {
protected:
   void bindTiles(const ImageResource &image, VkDeviceMemory memory, const std::vector<VkOffset3D> &tiles)
   {
      std::vector<VkSparseImageMemoryBind> binds;
      for (size_t i = 0; i < tiles.size(); ++i)
         binds.push_back({{VK_IMAGE_ASPECT_COLOR_BIT, 0, 0}, tiles[i], {kTile, kTile, 1}, memory, i * kTileBytes, 0});
      const VkSparseImageMemoryBindInfo imageBinds{image.image, uint32_t(binds.size()), binds.data()};
      VkBindSparseInfo info{VK_STRUCTURE_TYPE_BIND_SPARSE_INFO};
      info.imageBindCount = 1;
      info.pImageBinds = &imageBinds;
      VkFenceCreateInfo fenceInfo{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
      VkFence fence = VK_NULL_HANDLE;
      VK_ASSERT_SUCCESS(vkCreateFence(dev_, &fenceInfo, nullptr, &fence));
      VK_ASSERT_SUCCESS(vkQueueBindSparse(bindQueue_, 1, &info, fence));
      VK_ASSERT_SUCCESS(vkWaitForFences(dev_, 1, &fence, VK_TRUE, kGpuTimeoutNs));
      vkDestroyFence(dev_, fence, nullptr);
   }

   static bool bound(uint32_t x, uint32_t y) { return (x / kTile) == (y / kTile); } // tiles (0,0) and (1,1)
};

TEST_F(ComputeSparseImageTest, ShaderOverPartlyResidentImage)
{
   VkSparseImageFormatProperties sparseProps{};
   uint32_t count = 1;
   vkGetPhysicalDeviceSparseImageFormatProperties(physicalDevice_, VK_FORMAT_R32_UINT, VK_IMAGE_TYPE_2D,
                                                  VK_SAMPLE_COUNT_1_BIT, kStorageUsage, VK_IMAGE_TILING_OPTIMAL,
                                                  &count, &sparseProps);
   ASSERT_EQ(1u, count) << "no residency for R32_UINT storage images";
   EXPECT_EQ(kTile, sparseProps.imageGranularity.width);

   const ImageResource image = createResidencyImage(VK_FORMAT_R32_UINT, {kSize, kSize, 1}, kStorageUsage);
   ASSERT_NE(VK_NULL_HANDLE, image.image);
   VkMemoryRequirements requirements{};
   vkGetImageMemoryRequirements(dev_, image.image, &requirements);
   const VkDeviceMemory memory = allocateMemory(2 * kTileBytes, requirements.memoryTypeBits);
   ASSERT_NO_FATAL_FAILURE(bindTiles(image, memory, {{0, 0, 0}, {int32_t(kTile), int32_t(kTile), 0}}));

   // Upload a pattern everywhere (what lands on unbound tiles goes to the dummy).
   const VkBufferImageCopy region = wholeLevel({kSize, kSize, 1}, 0, 1);
   MappedBuffer staging = createBuffer(kSize * kSize * 4, 0);
   std::vector<uint32_t> uploaded(kSize * kSize);
   for (uint32_t i = 0; i < uploaded.size(); ++i)
      uploaded[i] = i * 7 + 3;
   memcpy(staging.mapped, uploaded.data(), uploaded.size() * 4);
   ASSERT_NO_FATAL_FAILURE(upload(image, staging, region));

   const ComputePipeline p = pipeline("vk_sparse_image.comp",
                                      {{0, VK_DESCRIPTOR_TYPE_STORAGE_IMAGE}, {1, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER}}, 4);
   ASSERT_NE(VK_NULL_HANDLE, p.pipeline);
   MappedBuffer before = createBuffer(kSize * kSize * 4, VK_BUFFER_USAGE_STORAGE_BUFFER_BIT);
   const VkDescriptorSet set = allocateSet(p.setLayout);
   writeImage(set, 0, VK_DESCRIPTOR_TYPE_STORAGE_IMAGE,
              createView(image, VK_IMAGE_VIEW_TYPE_2D, VK_FORMAT_R32_UINT, {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1}));
   writeBuffer(set, 1, before);
   const uint32_t seed = 0x5eed;
   ASSERT_NO_FATAL_FAILURE(run([&](VkCommandBuffer cmd) {
      dispatch(cmd, p, set, kSize / 8, kSize / 8, 1,
               std::span<const uint8_t>(reinterpret_cast<const uint8_t *>(&seed), 4));
   }));

   const uint32_t *seen = reinterpret_cast<const uint32_t *>(before.mapped);
   for (uint32_t y = 0; y < kSize; ++y)
      for (uint32_t x = 0; x < kSize; ++x) {
         if (bound(x, y)) {
            ASSERT_EQ(uploaded[y * kSize + x], seen[y * kSize + x]) << "texel " << x << "," << y;
         }
      }
   memset(staging.mapped, 0, staging.size);
   ASSERT_NO_FATAL_FAILURE(download(image, staging, region));
   const uint32_t *after = reinterpret_cast<const uint32_t *>(staging.mapped);
   for (uint32_t y = 0; y < kSize; ++y)
      for (uint32_t x = 0; x < kSize; ++x) {
         const uint32_t index = y * kSize + x;
         if (bound(x, y)) {
            ASSERT_EQ(index * 2654435761u + seed, after[index]) << "texel " << x << "," << y;
         }
      }
   // Nothing faulted: the device goes on.
   EXPECT_EQ(VK_SUCCESS, vkDeviceWaitIdle(dev_));
   ASSERT_NO_FATAL_FAILURE(download(image, staging, region));
   EXPECT_EQ(seed, reinterpret_cast<const uint32_t *>(staging.mapped)[0]);
}

TEST_F(ComputeSparseImageTest, FullyUnboundImageNeverFaults)
{
   const ImageResource image = createResidencyImage(VK_FORMAT_R32_UINT, {kSize, 64, 1}, kStorageUsage);
   ASSERT_NE(VK_NULL_HANDLE, image.image);
   const ComputePipeline p = pipeline("vk_sparse_image.comp",
                                      {{0, VK_DESCRIPTOR_TYPE_STORAGE_IMAGE}, {1, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER}}, 4);
   ASSERT_NE(VK_NULL_HANDLE, p.pipeline);
   MappedBuffer before = createBuffer(kSize * 64 * 4, VK_BUFFER_USAGE_STORAGE_BUFFER_BIT);
   const VkDescriptorSet set = allocateSet(p.setLayout);
   writeImage(set, 0, VK_DESCRIPTOR_TYPE_STORAGE_IMAGE,
              createView(image, VK_IMAGE_VIEW_TYPE_2D, VK_FORMAT_R32_UINT, {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1}));
   writeBuffer(set, 1, before);
   const uint32_t seed = 1;
   for (int round = 0; round < 2; ++round) {
      ASSERT_NO_FATAL_FAILURE(run([&](VkCommandBuffer cmd) {
         dispatch(cmd, p, set, kSize / 8, 64 / 8, 1, std::span<const uint8_t>(reinterpret_cast<const uint8_t *>(&seed), 4));
      }));
   }
   EXPECT_EQ(VK_SUCCESS, vkDeviceWaitIdle(dev_));
}

} // namespace
} // namespace panvk::test
