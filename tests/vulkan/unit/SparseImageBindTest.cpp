// Image binds of residency images, white-box: how a VkSparseImageMemoryBind
// becomes tile binds (SparseBinder's ops: VA, size, BO offset) and what one
// vkQueueBindSparse of image binds costs the kernel (the VM's counters), and
// where the GPU then reads (the mock's page walk).
//
// Runs at whatever PANTHOR_MOCK_VERSION says (meson: 1.9 and 1.8).
#include <cstdlib>
#include <vector>

#include "DeviceMemory.h"
#include "SparseBinder.h"
#include "SparseDirectDevice.h"
#include "SparseImage.h"

namespace panvk::test {
namespace {

constexpr uint64_t kTile = 64 * 1024;

class SparseImageBindTest : public SparseDirectDevice {
protected:
   // The sparse-binding queue family (1) alone and the residency image
   // features.
   void SetUp() override
   {
      VkPhysicalDeviceFeatures features{};
      features.sparseBinding = VK_TRUE;
      features.sparseResidencyImage2D = VK_TRUE;
      features.sparseResidencyImage3D = VK_TRUE;
      features.sparseResidencyAliased = VK_TRUE;
      openSparseDevice({1}, features);
   }

   static VkSparseImageMemoryBind imageBind(uint32_t level, uint32_t layer, VkOffset3D offset, VkExtent3D extent,
                                            VkDeviceMemory memory, VkDeviceSize memoryOffset)
   {
      return {{VK_IMAGE_ASPECT_COLOR_BIT, level, layer}, offset, extent, memory, memoryOffset, 0};
   }

   // The ops SparseBinder makes of `binds`.
   std::vector<pan::kmod::VmOp> opsOf(Image &image, const std::vector<VkSparseImageMemoryBind> &binds)
   {
      SparseBinder binder;
      for (const VkSparseImageMemoryBind &bind : binds)
         EXPECT_TRUE(addImageBind(binder, image, bind));
      return binder.finish();
   }

   VkResult bindAndWait(Image &image, const std::vector<VkSparseImageMemoryBind> &binds)
   {
      const VkFence fence = createFence();
      VkSparseImageMemoryBindInfo imageBinds{image.handle(), uint32_t(binds.size()), binds.data()};
      VkBindSparseInfo info{VK_STRUCTURE_TYPE_BIND_SPARSE_INFO};
      info.imageBindCount = 1;
      info.pImageBinds = &imageBinds;
      if (VkResult result = panvk_QueueBindSparse(bindQueue_, 1, &info, fence); result != VK_SUCCESS)
         return result;
      return waitFence(fence);
   }

   const pan::kmod::Bo *bo(VkDeviceMemory memory) { return &DeviceMemory::from(memory)->bo(); }
};

TEST_F(SparseImageBindTest, WholeLevelFromOneAllocationIsOneOp)
{
   // 4096x4096 RGBA8: 32x32 tiles of 128x128.
   Image *image = createResidencyImage(VK_IMAGE_TYPE_2D, VK_FORMAT_R8G8B8A8_UNORM, {4096, 4096, 1});
   ASSERT_NE(nullptr, image);
   const VkDeviceMemory memory = allocateMemory(1024 * kTile);
   ASSERT_NE(VK_NULL_HANDLE, memory);
   const auto ops = opsOf(*image, {imageBind(0, 0, {0, 0, 0}, {4096, 4096, 1}, memory, 0)});
   ASSERT_EQ(1u, ops.size());
   EXPECT_EQ(image->va(), ops[0].va);
   EXPECT_EQ(1024 * kTile, ops[0].size);
   EXPECT_EQ(bo(memory), ops[0].bo);
   EXPECT_EQ(0u, ops[0].boOffset);

   // The same level bound tile by tile, row-major, from consecutive memory:
   // still one op.
   std::vector<VkSparseImageMemoryBind> binds;
   for (int32_t y = 0; y < 32; y++) {
      for (int32_t x = 0; x < 32; x++)
         binds.push_back(imageBind(0, 0, {x * 128, y * 128, 0}, {128, 128, 1}, memory, (y * 32 + x) * kTile));
   }
   EXPECT_EQ(1u, opsOf(*image, binds).size());
}

TEST_F(SparseImageBindTest, SubRectangleIsOneOpPerRowWithMemoryInRowMajorOrder)
{
   Image *image = createResidencyImage(VK_IMAGE_TYPE_2D, VK_FORMAT_R8G8B8A8_UNORM, {1024, 1024, 1});
   ASSERT_NE(nullptr, image);
   const VkDeviceMemory memory = allocateMemory(16 * kTile);
   // Tiles x 1..3, y 2..3 of an 8x8 grid: two rows of three.
   const auto ops = opsOf(*image, {imageBind(0, 0, {128, 256, 0}, {384, 256, 1}, memory, 4 * kTile)});
   ASSERT_EQ(2u, ops.size());
   EXPECT_EQ(image->va() + (2 * 8 + 1) * kTile, ops[0].va);
   EXPECT_EQ(3 * kTile, ops[0].size);
   EXPECT_EQ(4 * kTile, ops[0].boOffset);
   EXPECT_EQ(image->va() + (3 * 8 + 1) * kTile, ops[1].va);
   EXPECT_EQ(3 * kTile, ops[1].size);
   EXPECT_EQ(7 * kTile, ops[1].boOffset);
}

TEST_F(SparseImageBindTest, CheckerboardOfSeparateAllocationsIsOneOpPerTile)
{
   Image *image = createResidencyImage(VK_IMAGE_TYPE_2D, VK_FORMAT_R8G8B8A8_UNORM, {1024, 1024, 1});
   ASSERT_NE(nullptr, image);
   std::vector<VkSparseImageMemoryBind> binds;
   for (int32_t y = 0; y < 8; y++) {
      for (int32_t x = (y & 1); x < 8; x += 2)
         binds.push_back(imageBind(0, 0, {x * 128, y * 128, 0}, {128, 128, 1}, allocateMemory(kTile), 0));
   }
   const auto ops = opsOf(*image, binds);
   ASSERT_EQ(32u, ops.size());
   for (const pan::kmod::VmOp &op : ops) {
      EXPECT_EQ(kTile, op.size);
      const uint64_t tile = (op.va - image->va()) / kTile;
      EXPECT_EQ(0u, ((tile / 8) + (tile % 8)) % 2) << "tile " << tile;
   }
}

TEST_F(SparseImageBindTest, EdgeBlocksMayBePartial)
{
   // 300x200: 3x2 tiles; the last column and row are partly outside.
   Image *image = createResidencyImage(VK_IMAGE_TYPE_2D, VK_FORMAT_R8G8B8A8_UNORM, {300, 200, 1});
   ASSERT_NE(nullptr, image);
   const VkDeviceMemory memory = allocateMemory(kTile);
   const auto ops = opsOf(*image, {imageBind(0, 0, {256, 128, 0}, {44, 72, 1}, memory, 0)});
   ASSERT_EQ(1u, ops.size());
   EXPECT_EQ(image->va() + 5 * kTile, ops[0].va);
   EXPECT_EQ(kTile, ops[0].size);
}

TEST_F(SparseImageBindTest, LevelsAndLayersAreFoundInTheLayout)
{
   // 512x512 RGBA8, 3 levels (4x4, 2x2, 1x1 tiles: level 2 is 128x128, not
   // yet the tail), 2 layers of 21 tiles.
   Image *image = createResidencyImage(VK_IMAGE_TYPE_2D, VK_FORMAT_R8G8B8A8_UNORM, {512, 512, 1}, 3, 2);
   ASSERT_NE(nullptr, image);
   const VkDeviceMemory memory = allocateMemory(kTile);
   const auto ops = opsOf(*image, {imageBind(1, 1, {128, 128, 0}, {128, 128, 1}, memory, 0),
                                   imageBind(2, 0, {0, 0, 0}, {128, 128, 1}, VK_NULL_HANDLE, 0)});
   ASSERT_EQ(2u, ops.size());
   // Ops come out in VA order: layer 0's level 2 first.
   EXPECT_EQ(image->va() + 20 * kTile, ops[0].va);
   EXPECT_EQ(nullptr, ops[0].bo) << "no memory: the sparse dummy";
   EXPECT_EQ(image->va() + (21 + 16 + 3) * kTile, ops[1].va);
   EXPECT_EQ(bo(memory), ops[1].bo);
}

TEST_F(SparseImageBindTest, ThreeDimensionalBindsTakeMemoryXThenYThenZ)
{
   // 300x260x4 RGBA8: 3x3 tiles per slice, 4 slices.
   Image *image = createResidencyImage(VK_IMAGE_TYPE_3D, VK_FORMAT_R8G8B8A8_UNORM, {300, 260, 4});
   ASSERT_NE(nullptr, image);
   const VkDeviceMemory memory = allocateMemory(36 * kTile);
   const auto whole = opsOf(*image, {imageBind(0, 0, {0, 0, 0}, {300, 260, 4}, memory, 0)});
   ASSERT_EQ(1u, whole.size()) << "every slice of a level from one allocation: one op";
   EXPECT_EQ(36 * kTile, whole[0].size);

   // Column x = 1, slices 1 and 2: six tiles, none adjacent in VA.
   const auto column = opsOf(*image, {imageBind(0, 0, {128, 0, 1}, {128, 260, 2}, memory, 0)});
   ASSERT_EQ(6u, column.size());
   for (uint32_t i = 0; i < 6; i++) {
      const uint32_t y = i % 3, z = 1 + i / 3;
      EXPECT_EQ(image->va() + ((z * 3 + y) * 3 + 1) * kTile, column[i].va);
      EXPECT_EQ(i * kTile, column[i].boOffset) << "block " << i;
   }
}

TEST_F(SparseImageBindTest, CompressedBlocksAreTiles)
{
   // BC1: a block is 512x256 texels; 1024x1024 is 2x4 tiles.
   Image *image = createResidencyImage(VK_IMAGE_TYPE_2D, VK_FORMAT_BC1_RGBA_UNORM_BLOCK, {1024, 1024, 1});
   ASSERT_NE(nullptr, image);
   const VkDeviceMemory memory = allocateMemory(kTile);
   const auto ops = opsOf(*image, {imageBind(0, 0, {512, 768, 0}, {512, 256, 1}, memory, 0)});
   ASSERT_EQ(1u, ops.size());
   EXPECT_EQ(image->va() + 7 * kTile, ops[0].va);
}

TEST_F(SparseImageBindTest, BindsThatCannotApplyAreRefused)
{
   Image *image = createResidencyImage(VK_IMAGE_TYPE_2D, VK_FORMAT_R8G8B8A8_UNORM, {512, 512, 1}, 2);
   ASSERT_NE(nullptr, image);
   const VkDeviceMemory memory = allocateMemory(kTile);
   const VkSparseImageMemoryBind bad[] = {
      imageBind(2, 0, {0, 0, 0}, {128, 128, 1}, memory, 0),     // no level 2
      imageBind(0, 1, {0, 0, 0}, {128, 128, 1}, memory, 0),     // no layer 1
      imageBind(0, 0, {64, 0, 0}, {128, 128, 1}, memory, 0),    // not block aligned
      imageBind(0, 0, {0, -128, 0}, {128, 128, 1}, memory, 0),  // negative
      imageBind(0, 0, {512, 0, 0}, {128, 128, 1}, memory, 0),   // outside the level
      imageBind(1, 0, {0, 0, 1}, {128, 128, 1}, memory, 0),     // no slice 1
   };
   SparseBinder binder;
   for (const VkSparseImageMemoryBind &bind : bad)
      EXPECT_FALSE(addImageBind(binder, *image, bind));
   EXPECT_TRUE(binder.finish().empty());
}

TEST_F(SparseImageBindTest, QueueBindCostsOneIoctlAndTheGpuReadsTheMemory)
{
   const pan::kmod::BindStats beforeCreate = device().vm().stats();
   Image *image = createResidencyImage(VK_IMAGE_TYPE_2D, VK_FORMAT_R8G8B8A8_UNORM, {4096, 4096, 1});
   ASSERT_NE(nullptr, image);
   const pan::kmod::BindStats created = device().vm().stats();
   EXPECT_EQ(1u, created.ioctls - beforeCreate.ioctls) << "a residency image starts with one sparse map";

   // A checkerboard from one allocation per tile: 512 ops, one ioctl.
   std::vector<VkSparseImageMemoryBind> binds;
   for (int32_t y = 0; y < 32; y++) {
      for (int32_t x = (y & 1); x < 32; x += 2)
         binds.push_back(imageBind(0, 0, {x * 128, y * 128, 0}, {128, 128, 1}, allocateMemory(kTile), 0));
   }
   const pan::kmod::BindStats before = device().vm().stats();
   ASSERT_EQ(VK_SUCCESS, bindAndWait(*image, binds));
   const pan::kmod::BindStats after = device().vm().stats();
   EXPECT_EQ(1u, after.ioctls - before.ioctls);
   EXPECT_EQ(512u, after.kernelOps - before.kernelOps);

   for (const VkSparseImageMemoryBind &bind : {binds.front(), binds[77], binds.back()}) {
      const uint64_t tile = (bind.offset.y / 128) * 32 + bind.offset.x / 128;
      const uint64_t va = image->va() + tile * kTile;
      EXPECT_NE(0u, physical(va + 100));
      EXPECT_EQ(physical(DeviceMemory::from(bind.memory)->va() + 100), physical(va + 100));
   }
   // Unbound tiles stay on the sparse dummy: readable, not the memory.
   EXPECT_NE(0u, physical(image->va() + kTile + 100));

   // Now the whole level from one allocation: one op.
   const VkDeviceMemory memory = allocateMemory(1024 * kTile);
   const pan::kmod::BindStats beforeWhole = device().vm().stats();
   ASSERT_EQ(VK_SUCCESS, bindAndWait(*image, {imageBind(0, 0, {0, 0, 0}, {4096, 4096, 1}, memory, 0)}));
   const pan::kmod::BindStats afterWhole = device().vm().stats();
   EXPECT_EQ(1u, afterWhole.ioctls - beforeWhole.ioctls);
   EXPECT_EQ(1u, afterWhole.kernelOps - beforeWhole.kernelOps);
   EXPECT_EQ(physical(DeviceMemory::from(memory)->va() + 999 * kTile + 8), physical(image->va() + 999 * kTile + 8));
}

TEST_F(SparseImageBindTest, SparseRequirementsDescribeThePerLayerTail)
{
   Image *image = createResidencyImage(VK_IMAGE_TYPE_2D, VK_FORMAT_R16_UNORM, {700, 333, 1}, 4, 5);
   ASSERT_NE(nullptr, image);
   VkSparseImageMemoryRequirements requirements{};
   ASSERT_EQ(1u, sparseImageRequirements(*image, &requirements));
   EXPECT_EQ(VK_IMAGE_ASPECT_COLOR_BIT, requirements.formatProperties.aspectMask);
   EXPECT_EQ(256u, requirements.formatProperties.imageGranularity.width);
   EXPECT_EQ(128u, requirements.formatProperties.imageGranularity.height);
   EXPECT_EQ(0u, requirements.formatProperties.flags);
   EXPECT_EQ(2u, requirements.imageMipTailFirstLod);
   EXPECT_EQ(2 * kTile, requirements.imageMipTailSize);
   EXPECT_EQ(13 * kTile, requirements.imageMipTailOffset);
   EXPECT_EQ(image->layout().layerStride, requirements.imageMipTailStride);
   EXPECT_EQ(pan::layout::subresourceOffset(image->layout(), 2, 3),
             requirements.imageMipTailOffset + 3 * requirements.imageMipTailStride);
}

TEST_F(SparseImageBindTest, FormatPropertiesOnlyForSingleSampledTiledImages)
{
   constexpr VkImageUsageFlags kUsage = VK_IMAGE_USAGE_TRANSFER_SRC_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT;
   VkSparseImageFormatProperties properties{};
   ASSERT_EQ(1u, sparseImageFormatProperties(VK_FORMAT_R8G8B8A8_UNORM, VK_IMAGE_TYPE_2D, VK_SAMPLE_COUNT_1_BIT,
                                             kUsage, VK_IMAGE_TILING_OPTIMAL, &properties));
   EXPECT_EQ(128u, properties.imageGranularity.width);
   for (VkSampleCountFlagBits samples : {VK_SAMPLE_COUNT_2_BIT, VK_SAMPLE_COUNT_4_BIT, VK_SAMPLE_COUNT_16_BIT})
      EXPECT_EQ(0u, sparseImageFormatProperties(VK_FORMAT_R8G8B8A8_UNORM, VK_IMAGE_TYPE_2D, samples, kUsage,
                                                VK_IMAGE_TILING_OPTIMAL, &properties));
   EXPECT_EQ(0u, sparseImageFormatProperties(VK_FORMAT_R8G8B8A8_UNORM, VK_IMAGE_TYPE_1D, VK_SAMPLE_COUNT_1_BIT,
                                             kUsage, VK_IMAGE_TILING_OPTIMAL, &properties));
   EXPECT_EQ(0u, sparseImageFormatProperties(VK_FORMAT_R8G8B8A8_UNORM, VK_IMAGE_TYPE_2D, VK_SAMPLE_COUNT_1_BIT,
                                             kUsage, VK_IMAGE_TILING_LINEAR, &properties));
   EXPECT_EQ(0u, sparseImageFormatProperties(VK_FORMAT_R8G8B8_UNORM, VK_IMAGE_TYPE_2D, VK_SAMPLE_COUNT_1_BIT,
                                             kUsage, VK_IMAGE_TILING_OPTIMAL, &properties));
   EXPECT_EQ(0u, sparseImageFormatProperties(VK_FORMAT_G8_B8R8_2PLANE_420_UNORM, VK_IMAGE_TYPE_2D,
                                             VK_SAMPLE_COUNT_1_BIT, kUsage, VK_IMAGE_TILING_OPTIMAL, &properties));
   EXPECT_EQ(0u, sparseImageFormatProperties(VK_FORMAT_D16_UNORM, VK_IMAGE_TYPE_3D, VK_SAMPLE_COUNT_1_BIT, kUsage,
                                             VK_IMAGE_TILING_OPTIMAL, &properties))
      << "no 3D depth images";
   EXPECT_EQ(0u, sparseImageFormatProperties(VK_FORMAT_R8G8B8A8_UNORM, VK_IMAGE_TYPE_2D, VK_SAMPLE_COUNT_1_BIT,
                                             VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT, VK_IMAGE_TILING_OPTIMAL,
                                             &properties))
      << "a usage no image has (no rendering)";
}

} // namespace
} // namespace panvk::test
