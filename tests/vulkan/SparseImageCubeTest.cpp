// Cube-compatible images through the loader, with the validation layer: the
// flag in the image format properties (2D only, both tilings, with sparse
// residency), the mip tails of cube-compatible residency images of odd sizes
// (one tail per face: each face is a layer), the sparse queries agreeing with
// each other, data through tiles bound on two faces, and CUBE / CUBE_ARRAY
// image views.
#include <cstring>
#include <vector>

#include "SparseImageResidencyFixture.h"

namespace panvk::test {
namespace {

constexpr VkImageUsageFlags kUsage = VK_IMAGE_USAGE_TRANSFER_SRC_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT;
constexpr VkImageCreateFlags kResidency = VK_IMAGE_CREATE_SPARSE_BINDING_BIT | VK_IMAGE_CREATE_SPARSE_RESIDENCY_BIT;
constexpr VkImageCreateFlags kCube = VK_IMAGE_CREATE_CUBE_COMPATIBLE_BIT;

class SparseImageCubeTest : public SparseImageResidencyFixture {
protected:
   VkImageCreateInfo cubeInfo(VkFormat format, uint32_t size, uint32_t levels, uint32_t layers,
                              VkImageCreateFlags flags, VkImageTiling tiling = VK_IMAGE_TILING_OPTIMAL)
   {
      VkImageCreateInfo info{VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO};
      info.flags = kCube | flags;
      info.imageType = VK_IMAGE_TYPE_2D;
      info.format = format;
      info.extent = {size, size, 1};
      info.mipLevels = levels;
      info.arrayLayers = layers;
      info.samples = VK_SAMPLE_COUNT_1_BIT;
      info.tiling = tiling;
      info.usage = kUsage;
      return info;
   }

   VkImage create(const VkImageCreateInfo &info)
   {
      VkImage image = VK_NULL_HANDLE;
      EXPECT_EQ(VK_SUCCESS, vkCreateImage(device2_, &info, nullptr, &image));
      if (image)
         cleanups2_.push_back([this, image] { vkDestroyImage(device2_, image, nullptr); });
      return image;
   }

   VkResult formatProperties(VkFormat format, VkImageType type, VkImageTiling tiling, VkImageCreateFlags flags,
                             VkImageFormatProperties *out)
   {
      *out = VkImageFormatProperties{};
      return vkGetPhysicalDeviceImageFormatProperties(physicalDevice_, format, type, tiling, kUsage, flags, out);
   }

   // Every layer and level, transfer to transfer.
   static void wholeBarrier(VkCommandBuffer cmd, VkImage image, VkImageLayout from, VkImageLayout to)
   {
      VkImageMemoryBarrier b{VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER};
      b.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
      b.dstAccessMask = VK_ACCESS_TRANSFER_READ_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
      b.oldLayout = from;
      b.newLayout = to;
      b.srcQueueFamilyIndex = b.dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
      b.image = image;
      b.subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, VK_REMAINING_MIP_LEVELS, 0, VK_REMAINING_ARRAY_LAYERS};
      vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 0, nullptr, 0,
                           nullptr, 1, &b);
   }
};

TEST_F(SparseImageCubeTest, FormatPropertiesOfferCubesAs2DImages)
{
   VkImageFormatProperties cube{}, flat{};
   for (VkImageTiling tiling : {VK_IMAGE_TILING_OPTIMAL, VK_IMAGE_TILING_LINEAR}) {
      SCOPED_TRACE(tiling);
      ASSERT_EQ(VK_SUCCESS, formatProperties(VK_FORMAT_R8G8B8A8_UNORM, VK_IMAGE_TYPE_2D, tiling, kCube, &cube));
      ASSERT_EQ(VK_SUCCESS, formatProperties(VK_FORMAT_R8G8B8A8_UNORM, VK_IMAGE_TYPE_2D, tiling, 0, &flat));
      EXPECT_EQ(flat.maxExtent.width, cube.maxExtent.width);
      EXPECT_EQ(cube.maxExtent.width, cube.maxExtent.height);
      EXPECT_GE(cube.maxExtent.width, properties_.limits.maxImageDimensionCube);
      EXPECT_GE(cube.maxArrayLayers, 6u);
      EXPECT_EQ(flat.maxMipLevels, cube.maxMipLevels);
   }
   // Depth/stencil and compressed cubes where their 2D images exist (optimal).
   for (VkFormat format : {VK_FORMAT_D32_SFLOAT, VK_FORMAT_D24_UNORM_S8_UINT, VK_FORMAT_BC1_RGBA_UNORM_BLOCK})
      EXPECT_EQ(VK_SUCCESS, formatProperties(format, VK_IMAGE_TYPE_2D, VK_IMAGE_TILING_OPTIMAL, kCube, &cube))
         << format;
   // Sparse binding and residency: tiled cubes only, as any sparse image.
   EXPECT_EQ(VK_SUCCESS, formatProperties(VK_FORMAT_R8G8B8A8_UNORM, VK_IMAGE_TYPE_2D, VK_IMAGE_TILING_OPTIMAL,
                                          kCube | kResidency, &cube));
   EXPECT_EQ(VK_SUCCESS, formatProperties(VK_FORMAT_D32_SFLOAT_S8_UINT, VK_IMAGE_TYPE_2D, VK_IMAGE_TILING_OPTIMAL,
                                          kCube | kResidency, &cube));
   EXPECT_EQ(VK_ERROR_FORMAT_NOT_SUPPORTED,
             formatProperties(VK_FORMAT_R8G8B8A8_UNORM, VK_IMAGE_TYPE_2D, VK_IMAGE_TILING_LINEAR, kCube | kResidency,
                              &cube));
   // Only 2D images are cubes.
   EXPECT_EQ(VK_ERROR_FORMAT_NOT_SUPPORTED,
             formatProperties(VK_FORMAT_R8G8B8A8_UNORM, VK_IMAGE_TYPE_3D, VK_IMAGE_TILING_OPTIMAL, kCube, &cube));
   EXPECT_EQ(VK_ERROR_FORMAT_NOT_SUPPORTED,
             formatProperties(VK_FORMAT_R8G8B8A8_UNORM, VK_IMAGE_TYPE_1D, VK_IMAGE_TILING_OPTIMAL, kCube, &cube));

   VkPhysicalDeviceFeatures features{};
   vkGetPhysicalDeviceFeatures(physicalDevice_, &features);
   EXPECT_TRUE(features.imageCubeArray);
}

TEST_F(SparseImageCubeTest, MipTailsOfOddSizedCubesArePerFace)
{
   struct Case {
      VkFormat format;
      uint32_t size, levels, layers;
      uint32_t firstLod;
      VkDeviceSize tailOffset, tailSize, layerStride; // in tiles
      VkImageAspectFlags aspects;
   };
   constexpr VkImageAspectFlags kColor = VK_IMAGE_ASPECT_COLOR_BIT;
   const Case cases[] = {
      // 16-byte texels, blocks 64x64: 129 is 3x3 tiles, 64 one, then the tail
      // (levels 2..7, a tile each).
      {VK_FORMAT_R32G32B32A32_SFLOAT, 129, 8, 6, 2, 10, 6, 16, kColor},
      // R8, blocks 256x256, a cube array of two: 333 is 2x2 tiles, 166 is
      // already smaller than a block; levels 1..8 are the tail.
      {VK_FORMAT_R8_UNORM, 333, 9, 12, 1, 4, 8, 12, kColor},
      // BC1, blocks 512x256 texels: 1000 is 2x4 tiles, 500 the tail's start
      // (2 tiles), then 250 and 125 (a tile each).
      {VK_FORMAT_BC1_RGBA_UNORM_BLOCK, 1000, 4, 6, 1, 8, 4, 12, kColor},
      // Depth/stencil (8-byte texels, blocks 128x64), one entry for both
      // aspects: 200 is 2x4 tiles, 100 (1x2) and 50 (1x1) the tail.
      {VK_FORMAT_D32_SFLOAT_S8_UINT, 200, 3, 6, 1, 8, 3, 11, VK_IMAGE_ASPECT_DEPTH_BIT | VK_IMAGE_ASPECT_STENCIL_BIT},
      // Smaller than a block: all tail, a tile per face.
      {VK_FORMAT_R8G8B8A8_UNORM, 33, 1, 6, 0, 0, 1, 1, kColor},
   };
   for (const Case &c : cases) {
      SCOPED_TRACE(::testing::Message() << "format " << c.format << " size " << c.size << " layers " << c.layers);
      const VkImageCreateInfo info = cubeInfo(c.format, c.size, c.levels, c.layers, kResidency);
      VkImageFormatProperties limits{};
      ASSERT_EQ(VK_SUCCESS, formatProperties(c.format, VK_IMAGE_TYPE_2D, VK_IMAGE_TILING_OPTIMAL, info.flags, &limits));
      const VkImage image = create(info);
      ASSERT_NE(VK_NULL_HANDLE, image);

      const VkSparseImageMemoryRequirements requirements = sparseRequirements(image);
      EXPECT_EQ(c.aspects, requirements.formatProperties.aspectMask);
      EXPECT_EQ(0u, requirements.formatProperties.flags) << "standard 2D blocks, a tail per face";
      EXPECT_EQ(c.firstLod, requirements.imageMipTailFirstLod);
      EXPECT_EQ(c.tailOffset * kTile, requirements.imageMipTailOffset);
      EXPECT_EQ(c.tailSize * kTile, requirements.imageMipTailSize);
      EXPECT_EQ(c.layerStride * kTile, requirements.imageMipTailStride);
      VkMemoryRequirements memory{};
      vkGetImageMemoryRequirements(device2_, image, &memory);
      EXPECT_EQ(c.layerStride * c.layers * kTile, memory.size);
      EXPECT_EQ(kTile, memory.alignment);

      // The "2" query says the same.
      VkImageSparseMemoryRequirementsInfo2 info2{VK_STRUCTURE_TYPE_IMAGE_SPARSE_MEMORY_REQUIREMENTS_INFO_2};
      info2.image = image;
      uint32_t count = 0;
      vkGetImageSparseMemoryRequirements2(device2_, &info2, &count, nullptr);
      ASSERT_EQ(1u, count);
      VkSparseImageMemoryRequirements2 requirements2{VK_STRUCTURE_TYPE_SPARSE_IMAGE_MEMORY_REQUIREMENTS_2};
      vkGetImageSparseMemoryRequirements2(device2_, &info2, &count, &requirements2);
      ASSERT_EQ(1u, count);
      EXPECT_EQ(0, memcmp(&requirements, &requirements2.memoryRequirements, sizeof(requirements)));

      // The format's sparse properties (1 and 2) are the image's.
      uint32_t formatCount = 0;
      vkGetPhysicalDeviceSparseImageFormatProperties(physicalDevice_, c.format, VK_IMAGE_TYPE_2D,
                                                     VK_SAMPLE_COUNT_1_BIT, kUsage, VK_IMAGE_TILING_OPTIMAL,
                                                     &formatCount, nullptr);
      ASSERT_EQ(1u, formatCount);
      VkSparseImageFormatProperties format{};
      vkGetPhysicalDeviceSparseImageFormatProperties(physicalDevice_, c.format, VK_IMAGE_TYPE_2D,
                                                     VK_SAMPLE_COUNT_1_BIT, kUsage, VK_IMAGE_TILING_OPTIMAL,
                                                     &formatCount, &format);
      EXPECT_EQ(0, memcmp(&format, &requirements.formatProperties, sizeof(format)));
      VkPhysicalDeviceSparseImageFormatInfo2 formatInfo{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SPARSE_IMAGE_FORMAT_INFO_2};
      formatInfo.format = c.format;
      formatInfo.type = VK_IMAGE_TYPE_2D;
      formatInfo.samples = VK_SAMPLE_COUNT_1_BIT;
      formatInfo.usage = kUsage;
      formatInfo.tiling = VK_IMAGE_TILING_OPTIMAL;
      VkSparseImageFormatProperties2 format2{VK_STRUCTURE_TYPE_SPARSE_IMAGE_FORMAT_PROPERTIES_2};
      formatCount = 1;
      vkGetPhysicalDeviceSparseImageFormatProperties2(physicalDevice_, &formatInfo, &formatCount, &format2);
      ASSERT_EQ(1u, formatCount);
      EXPECT_EQ(0, memcmp(&format, &format2.properties, sizeof(format)));
   }
}

TEST_F(SparseImageCubeTest, TilesBoundOnTwoFacesKeepTheirData)
{
   // 256x256 RGBA8 faces: 2x2 tiles of 128x128 each. Tile (0, 0) of face 1
   // and tile (1, 1) of face 4 bound, each from its own allocation.
   constexpr uint32_t kSize = 256, kBlock = 128, kTexel = 4;
   const uint32_t families[] = {kTransferFamily, kBindFamily};
   VkImageCreateInfo info = cubeInfo(VK_FORMAT_R8G8B8A8_UNORM, kSize, 1, 6, kResidency);
   info.sharingMode = VK_SHARING_MODE_CONCURRENT;
   info.queueFamilyIndexCount = 2;
   info.pQueueFamilyIndices = families;
   const VkImage image = create(info);
   ASSERT_NE(VK_NULL_HANDLE, image);
   ASSERT_EQ(1u, sparseRequirements(image).imageMipTailFirstLod) << "one level, all of it blocks";

   struct Bound {
      uint32_t face, x, y;
      uint8_t *mapped;
   };
   std::vector<Bound> bound = {{1, 0, 0, nullptr}, {4, 1, 1, nullptr}};
   std::vector<VkSparseImageMemoryBind> binds;
   for (Bound &b : bound) {
      const VkDeviceMemory memory = allocate(image, kTile, &b.mapped);
      ASSERT_NE(VK_NULL_HANDLE, memory);
      binds.push_back({{VK_IMAGE_ASPECT_COLOR_BIT, 0, b.face},
                       {int32_t(b.x * kBlock), int32_t(b.y * kBlock), 0},
                       {kBlock, kBlock, 1},
                       memory,
                       0,
                       0});
   }
   ASSERT_NO_FATAL_FAILURE(bindAndWait(image, binds));

   // Upload a pattern to both tiles and to an unbound tile of face 0, then
   // read back all three.
   constexpr VkDeviceSize kRegionBytes = kBlock * kBlock * kTexel;
   const StagingBuffer upload = createStagingBuffer(3 * kRegionBytes);
   const StagingBuffer download = createStagingBuffer(3 * kRegionBytes);
   ASSERT_NE(nullptr, upload.mapped);
   ASSERT_NE(nullptr, download.mapped);
   const std::vector<uint8_t> pattern = patternBytes(3 * kRegionBytes, 41);
   memcpy(upload.mapped, pattern.data(), pattern.size());
   memset(download.mapped, 0, 3 * kRegionBytes);
   std::vector<VkBufferImageCopy> regions;
   const Bound unbound{0, 1, 0, nullptr};
   for (const Bound &b : {bound[0], bound[1], unbound}) {
      VkBufferImageCopy region{};
      region.bufferOffset = regions.size() * kRegionBytes;
      region.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, b.face, 1};
      region.imageOffset = {int32_t(b.x * kBlock), int32_t(b.y * kBlock), 0};
      region.imageExtent = {kBlock, kBlock, 1};
      regions.push_back(region);
   }
   transferAndWait([&](VkCommandBuffer cmd) {
      wholeBarrier(cmd, image, VK_IMAGE_LAYOUT_UNDEFINED, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL);
      vkCmdCopyBufferToImage(cmd, upload.buffer, image, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
                             uint32_t(regions.size()), regions.data());
      wholeBarrier(cmd, image, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL);
      vkCmdCopyImageToBuffer(cmd, image, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, download.buffer,
                             uint32_t(regions.size()), regions.data());
      VkMemoryBarrier host{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
      host.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
      host.dstAccessMask = VK_ACCESS_HOST_READ_BIT;
      vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_HOST_BIT, 0, 1, &host, 0,
                           nullptr, 0, nullptr);
   });
   for (uint32_t i = 0; i < bound.size(); i++) {
      SCOPED_TRACE(::testing::Message() << "face " << bound[i].face);
      const uint8_t *expected = pattern.data() + i * kRegionBytes;
      EXPECT_EQ(0, memcmp(expected, download.mapped + i * kRegionBytes, kRegionBytes)) << "round trip";
      // The tile's own allocation holds it: texels row-major in the tile.
      EXPECT_EQ(0, memcmp(expected, bound[i].mapped, kRegionBytes)) << "the bound memory of this face";
   }
   // The unbound tile read the dummy without faulting: the device lives on
   // (its contents are undefined: no residencyNonResidentStrict).
   EXPECT_EQ(VK_SUCCESS, vkDeviceWaitIdle(device2_));
}

TEST_F(SparseImageCubeTest, CubeAndCubeArrayViews)
{
   // Views need a usage views have: sampled.
   VkImageCreateInfo imageInfo = cubeInfo(VK_FORMAT_R8G8B8A8_UNORM, 64, 3, 12, 0);
   imageInfo.usage |= VK_IMAGE_USAGE_SAMPLED_BIT;
   const VkImage image = create(imageInfo);
   ASSERT_NE(VK_NULL_HANDLE, image);
   VkMemoryRequirements requirements{};
   vkGetImageMemoryRequirements(device2_, image, &requirements);
   const VkDeviceMemory memory = allocate(image, requirements.size);
   ASSERT_NE(VK_NULL_HANDLE, memory);
   VK_ASSERT_SUCCESS(vkBindImageMemory(device2_, image, memory, 0));

   struct Case {
      VkImageViewType type;
      VkImageSubresourceRange range;
   };
   const Case cases[] = {
      {VK_IMAGE_VIEW_TYPE_CUBE, {VK_IMAGE_ASPECT_COLOR_BIT, 0, VK_REMAINING_MIP_LEVELS, 0, 6}},
      {VK_IMAGE_VIEW_TYPE_CUBE, {VK_IMAGE_ASPECT_COLOR_BIT, 1, 2, 6, VK_REMAINING_ARRAY_LAYERS}},
      {VK_IMAGE_VIEW_TYPE_CUBE_ARRAY, {VK_IMAGE_ASPECT_COLOR_BIT, 0, 3, 0, 12}},
      {VK_IMAGE_VIEW_TYPE_CUBE_ARRAY, {VK_IMAGE_ASPECT_COLOR_BIT, 2, 1, 3, 6}},
      {VK_IMAGE_VIEW_TYPE_2D_ARRAY, {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 5, 7}},
      {VK_IMAGE_VIEW_TYPE_2D, {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 11, 1}},
   };
   for (const Case &c : cases) {
      SCOPED_TRACE(::testing::Message() << "view type " << c.type << " layer " << c.range.baseArrayLayer);
      VkImageViewCreateInfo info{VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO};
      info.image = image;
      info.viewType = c.type;
      info.format = VK_FORMAT_R8G8B8A8_UNORM;
      info.subresourceRange = c.range;
      VkImageView view = VK_NULL_HANDLE;
      EXPECT_EQ(VK_SUCCESS, vkCreateImageView(device2_, &info, nullptr, &view));
      EXPECT_NE(VK_NULL_HANDLE, view);
      vkDestroyImageView(device2_, view, nullptr);
   }
}

} // namespace
} // namespace panvk::test
