// What the device says about residency images, through the loader with the
// validation layer: the features and sparse properties, the sparse image
// format properties of every format (agreeing with the image format
// properties for VK_IMAGE_CREATE_SPARSE_RESIDENCY_BIT, both ways, and between
// the 1 and 2 queries), the block shapes, and the sparse memory requirements
// (mip tails) of images of odd sizes.
//
// Multisampled queries are not made here: the device has no multisampling,
// and asking with a sample count the image format properties do not list is
// invalid usage (the unit tests check the driver answers none).
#include <vector>

#include "VkTestFixture.h"

namespace panvk::test {
namespace {

constexpr VkDeviceSize kTile = 64 * 1024;
constexpr VkImageUsageFlags kUsage = VK_IMAGE_USAGE_TRANSFER_SRC_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT;
constexpr VkImageCreateFlags kResidency = VK_IMAGE_CREATE_SPARSE_BINDING_BIT | VK_IMAGE_CREATE_SPARSE_RESIDENCY_BIT;

class SparseImageQueryTest : public VkTestFixture {
protected:
   std::vector<VkSparseImageFormatProperties> sparseProperties(VkFormat format, VkImageType type,
                                                               VkImageTiling tiling)
   {
      uint32_t count = 0;
      vkGetPhysicalDeviceSparseImageFormatProperties(physicalDevice_, format, type, VK_SAMPLE_COUNT_1_BIT, kUsage,
                                                     tiling, &count, nullptr);
      std::vector<VkSparseImageFormatProperties> properties(count);
      vkGetPhysicalDeviceSparseImageFormatProperties(physicalDevice_, format, type, VK_SAMPLE_COUNT_1_BIT, kUsage,
                                                     tiling, &count, properties.data());
      properties.resize(count);

      VkPhysicalDeviceSparseImageFormatInfo2 info{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SPARSE_IMAGE_FORMAT_INFO_2};
      info.format = format;
      info.type = type;
      info.samples = VK_SAMPLE_COUNT_1_BIT;
      info.usage = kUsage;
      info.tiling = tiling;
      uint32_t count2 = 0;
      vkGetPhysicalDeviceSparseImageFormatProperties2(physicalDevice_, &info, &count2, nullptr);
      std::vector<VkSparseImageFormatProperties2> properties2(count2, {VK_STRUCTURE_TYPE_SPARSE_IMAGE_FORMAT_PROPERTIES_2});
      vkGetPhysicalDeviceSparseImageFormatProperties2(physicalDevice_, &info, &count2, properties2.data());
      EXPECT_EQ(count, count2);
      for (uint32_t i = 0; i < count && i < count2; i++) {
         EXPECT_EQ(VK_STRUCTURE_TYPE_SPARSE_IMAGE_FORMAT_PROPERTIES_2, properties2[i].sType);
         EXPECT_EQ(properties[i].aspectMask, properties2[i].properties.aspectMask);
         EXPECT_EQ(properties[i].flags, properties2[i].properties.flags);
         EXPECT_EQ(properties[i].imageGranularity.width, properties2[i].properties.imageGranularity.width);
         EXPECT_EQ(properties[i].imageGranularity.height, properties2[i].properties.imageGranularity.height);
         EXPECT_EQ(properties[i].imageGranularity.depth, properties2[i].properties.imageGranularity.depth);
      }
      return properties;
   }

   bool imageSupported(VkFormat format, VkImageType type, VkImageTiling tiling, VkImageCreateFlags flags)
   {
      VkImageFormatProperties properties{};
      return vkGetPhysicalDeviceImageFormatProperties(physicalDevice_, format, type, tiling, kUsage, flags,
                                                      &properties) == VK_SUCCESS;
   }

   // A device with residency images enabled, for sparse memory requirements.
   VkDevice residencyDevice()
   {
      const float priority = 1.0f;
      VkDeviceQueueCreateInfo queue{VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO};
      queue.queueFamilyIndex = kSparseOnlyFamily;
      queue.queueCount = 1;
      queue.pQueuePriorities = &priority;
      VkPhysicalDeviceFeatures enabled{};
      enabled.sparseBinding = VK_TRUE;
      enabled.sparseResidencyImage2D = VK_TRUE;
      enabled.sparseResidencyImage3D = VK_TRUE;
      VkDeviceCreateInfo info{VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO};
      info.queueCreateInfoCount = 1;
      info.pQueueCreateInfos = &queue;
      info.pEnabledFeatures = &enabled;
      VkDevice device = VK_NULL_HANDLE;
      EXPECT_EQ(VK_SUCCESS, vkCreateDevice(physicalDevice_, &info, nullptr, &device));
      return device;
   }
};

TEST_F(SparseImageQueryTest, FeaturesAndSparseProperties)
{
   VkPhysicalDeviceFeatures features{};
   vkGetPhysicalDeviceFeatures(physicalDevice_, &features);
   EXPECT_TRUE(features.sparseResidencyImage2D);
   EXPECT_TRUE(features.sparseResidencyImage3D);
   EXPECT_TRUE(features.sparseResidencyAliased);
   EXPECT_FALSE(features.sparseResidency2Samples);
   EXPECT_FALSE(features.sparseResidency4Samples);
   const VkPhysicalDeviceSparseProperties &sparse = properties_.sparseProperties;
   EXPECT_TRUE(sparse.residencyStandard2DBlockShape);
   EXPECT_FALSE(sparse.residencyStandard2DMultisampleBlockShape);
   EXPECT_FALSE(sparse.residencyStandard3DBlockShape);
   EXPECT_FALSE(sparse.residencyAlignedMipSize) << "levels are whole tiles: edge blocks bind like others";
   EXPECT_FALSE(sparse.residencyNonResidentStrict);
}

TEST_F(SparseImageQueryTest, SparseFormatPropertiesAgreeWithImageFormatProperties)
{
   std::vector<VkFormat> formats;
   for (int f = VK_FORMAT_R4G4_UNORM_PACK8; f <= VK_FORMAT_ASTC_12x12_SRGB_BLOCK; f++)
      formats.push_back(VkFormat(f));
   formats.push_back(VK_FORMAT_G8_B8R8_2PLANE_420_UNORM);
   formats.push_back(VK_FORMAT_G8B8G8R8_422_UNORM);
   uint32_t offered2D = 0, offered3D = 0;
   for (VkFormat format : formats) {
      for (VkImageType type : {VK_IMAGE_TYPE_1D, VK_IMAGE_TYPE_2D, VK_IMAGE_TYPE_3D}) {
         for (VkImageTiling tiling : {VK_IMAGE_TILING_OPTIMAL, VK_IMAGE_TILING_LINEAR}) {
            // Asking about a format/type/tiling with no images at all is invalid usage.
            if (!imageSupported(format, type, tiling, 0))
               continue;
            SCOPED_TRACE(::testing::Message() << "format " << format << " type " << type << " tiling " << tiling);
            const bool residency = imageSupported(format, type, tiling, kResidency);
            const auto properties = sparseProperties(format, type, tiling);
            EXPECT_EQ(residency ? 1u : 0u, properties.size());
            if (residency) {
               EXPECT_EQ(VK_IMAGE_TILING_OPTIMAL, tiling);
               EXPECT_NE(VK_IMAGE_TYPE_1D, type);
               (type == VK_IMAGE_TYPE_2D ? offered2D : offered3D)++;
            }
         }
      }
   }
   // Every format the device tiles, depth/stencil included (2D only: no 3D
   // depth images); nothing else.
   EXPECT_GT(offered2D, 60u);
   EXPECT_GT(offered3D, 50u);
   EXPECT_TRUE(imageSupported(VK_FORMAT_R8G8B8A8_UNORM, VK_IMAGE_TYPE_2D, VK_IMAGE_TILING_OPTIMAL,
                              kResidency | VK_IMAGE_CREATE_CUBE_COMPATIBLE_BIT))
      << "cube-compatible residency images: 2D arrays, a tail per face (SparseImageCubeTest)";
}

TEST_F(SparseImageQueryTest, BlockShapesOfEveryFormatClass)
{
   struct Case {
      VkFormat format;
      VkExtent2D texels;
      VkImageAspectFlags aspects;
   };
   constexpr VkImageAspectFlags kColor = VK_IMAGE_ASPECT_COLOR_BIT;
   const Case cases[] = {
      {VK_FORMAT_R8_UNORM, {256, 256}, kColor},
      {VK_FORMAT_R8G8_UINT, {256, 128}, kColor},
      {VK_FORMAT_R16_SFLOAT, {256, 128}, kColor},
      {VK_FORMAT_R5G6B5_UNORM_PACK16, {256, 128}, kColor},
      {VK_FORMAT_R8G8B8A8_SRGB, {128, 128}, kColor},
      {VK_FORMAT_B8G8R8A8_UNORM, {128, 128}, kColor},
      {VK_FORMAT_A2B10G10R10_UNORM_PACK32, {128, 128}, kColor},
      {VK_FORMAT_B10G11R11_UFLOAT_PACK32, {128, 128}, kColor},
      {VK_FORMAT_R32_SFLOAT, {128, 128}, kColor},
      {VK_FORMAT_R16G16B16A16_SFLOAT, {128, 64}, kColor},
      {VK_FORMAT_R32G32_UINT, {128, 64}, kColor},
      {VK_FORMAT_R32G32B32A32_SFLOAT, {64, 64}, kColor},
      {VK_FORMAT_BC1_RGB_UNORM_BLOCK, {512, 256}, kColor},
      {VK_FORMAT_BC4_UNORM_BLOCK, {512, 256}, kColor},
      {VK_FORMAT_ETC2_R8G8B8_UNORM_BLOCK, {512, 256}, kColor},
      {VK_FORMAT_BC7_SRGB_BLOCK, {256, 256}, kColor},
      {VK_FORMAT_BC3_UNORM_BLOCK, {256, 256}, kColor},
      {VK_FORMAT_ASTC_4x4_UNORM_BLOCK, {256, 256}, kColor},
      {VK_FORMAT_D16_UNORM, {256, 128}, VK_IMAGE_ASPECT_DEPTH_BIT},
      {VK_FORMAT_X8_D24_UNORM_PACK32, {128, 128}, VK_IMAGE_ASPECT_DEPTH_BIT},
      {VK_FORMAT_D32_SFLOAT, {128, 128}, VK_IMAGE_ASPECT_DEPTH_BIT},
      {VK_FORMAT_S8_UINT, {256, 256}, VK_IMAGE_ASPECT_STENCIL_BIT},
      {VK_FORMAT_D24_UNORM_S8_UINT, {128, 128}, VK_IMAGE_ASPECT_DEPTH_BIT | VK_IMAGE_ASPECT_STENCIL_BIT},
      {VK_FORMAT_D32_SFLOAT_S8_UINT, {128, 64}, VK_IMAGE_ASPECT_DEPTH_BIT | VK_IMAGE_ASPECT_STENCIL_BIT},
   };
   for (const Case &c : cases) {
      SCOPED_TRACE(c.format);
      const auto flat = sparseProperties(c.format, VK_IMAGE_TYPE_2D, VK_IMAGE_TILING_OPTIMAL);
      ASSERT_EQ(1u, flat.size());
      EXPECT_EQ(c.aspects, flat[0].aspectMask);
      EXPECT_EQ(c.texels.width, flat[0].imageGranularity.width);
      EXPECT_EQ(c.texels.height, flat[0].imageGranularity.height);
      EXPECT_EQ(1u, flat[0].imageGranularity.depth);
      EXPECT_EQ(0u, flat[0].flags) << "standard shape, per-layer tails, no aligned mip size";
      if (!(c.aspects & VK_IMAGE_ASPECT_COLOR_BIT)) {
         EXPECT_TRUE(sparseProperties(c.format, VK_IMAGE_TYPE_3D, VK_IMAGE_TILING_OPTIMAL).empty());
         continue;
      }
      const auto deep = sparseProperties(c.format, VK_IMAGE_TYPE_3D, VK_IMAGE_TILING_OPTIMAL);
      ASSERT_EQ(1u, deep.size());
      EXPECT_EQ(c.texels.width, deep[0].imageGranularity.width);
      EXPECT_EQ(c.texels.height, deep[0].imageGranularity.height);
      EXPECT_EQ(1u, deep[0].imageGranularity.depth);
      EXPECT_EQ(VkSparseImageFormatFlags(VK_SPARSE_IMAGE_FORMAT_NONSTANDARD_BLOCK_SIZE_BIT), deep[0].flags);
   }
}

TEST_F(SparseImageQueryTest, MipTailsOfOddSizedImages)
{
   const VkDevice device = residencyDevice();
   ASSERT_NE(VK_NULL_HANDLE, device);
   struct Case {
      VkImageType type;
      VkFormat format;
      VkExtent3D extent;
      uint32_t levels, layers;
      uint32_t firstLod;
      VkDeviceSize tailOffset, tailSize, layerStride; // in tiles
   };
   const Case cases[] = {
      // 2D full chain: 4096 .. 128 are blocks, 64 and below the tail.
      {VK_IMAGE_TYPE_2D, VK_FORMAT_R8G8B8A8_UNORM, {4096, 4096, 1}, 13, 1, 6, 1365, 7, 1372},
      // 2D array, odd: R16 blocks 256x128; 700x333 (3x3), 350x166 (2x2), then 175x83.
      {VK_IMAGE_TYPE_2D, VK_FORMAT_R16_UNORM, {700, 333, 1}, 4, 5, 2, 13, 2, 15},
      // Six square layers, the shape of a cube (cube-compatible ones: SparseImageCubeTest).
      {VK_IMAGE_TYPE_2D, VK_FORMAT_R32G32B32A32_SFLOAT, {129, 129, 1}, 8, 6, 2, 10, 6, 16},
      // 3D, odd: 300x260x5 (3x3x5), 150x130x2 (2x2x2), then 75x65x1, 37x32x1.
      {VK_IMAGE_TYPE_3D, VK_FORMAT_R8G8B8A8_UNORM, {300, 260, 5}, 4, 1, 2, 53, 2, 55},
      // Compressed: BC1 blocks are 512x256 texels.
      {VK_IMAGE_TYPE_2D, VK_FORMAT_BC1_RGBA_UNORM_BLOCK, {1000, 1000, 1}, 3, 1, 1, 8, 3, 11},
      // Smaller than a block: all tail.
      {VK_IMAGE_TYPE_2D, VK_FORMAT_D32_SFLOAT, {100, 50, 1}, 1, 3, 0, 0, 1, 1},
   };
   for (const Case &c : cases) {
      SCOPED_TRACE(::testing::Message() << "format " << c.format << " " << c.extent.width << "x" << c.extent.height
                                        << "x" << c.extent.depth << " layers " << c.layers);
      VkImageCreateInfo info{VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO};
      info.flags = kResidency;
      info.imageType = c.type;
      info.format = c.format;
      info.extent = c.extent;
      info.mipLevels = c.levels;
      info.arrayLayers = c.layers;
      info.samples = VK_SAMPLE_COUNT_1_BIT;
      info.tiling = VK_IMAGE_TILING_OPTIMAL;
      info.usage = kUsage;
      VkImage image = VK_NULL_HANDLE;
      ASSERT_EQ(VK_SUCCESS, vkCreateImage(device, &info, nullptr, &image));
      uint32_t count = 0;
      vkGetImageSparseMemoryRequirements(device, image, &count, nullptr);
      ASSERT_EQ(1u, count);
      VkSparseImageMemoryRequirements requirements{};
      vkGetImageSparseMemoryRequirements(device, image, &count, &requirements);
      EXPECT_EQ(0u, requirements.formatProperties.flags & VK_SPARSE_IMAGE_FORMAT_SINGLE_MIPTAIL_BIT);
      EXPECT_EQ(c.firstLod, requirements.imageMipTailFirstLod);
      EXPECT_EQ(c.tailOffset * kTile, requirements.imageMipTailOffset);
      EXPECT_EQ(c.tailSize * kTile, requirements.imageMipTailSize);
      EXPECT_EQ(c.layerStride * kTile, requirements.imageMipTailStride);
      VkMemoryRequirements memory{};
      vkGetImageMemoryRequirements(device, image, &memory);
      EXPECT_EQ(c.layerStride * c.layers * kTile, memory.size);
      EXPECT_EQ(kTile, memory.alignment);

      VkImageSparseMemoryRequirementsInfo2 info2{VK_STRUCTURE_TYPE_IMAGE_SPARSE_MEMORY_REQUIREMENTS_INFO_2};
      info2.image = image;
      VkSparseImageMemoryRequirements2 requirements2{VK_STRUCTURE_TYPE_SPARSE_IMAGE_MEMORY_REQUIREMENTS_2};
      count = 1;
      vkGetImageSparseMemoryRequirements2(device, &info2, &count, &requirements2);
      ASSERT_EQ(1u, count);
      EXPECT_EQ(0, memcmp(&requirements, &requirements2.memoryRequirements, sizeof(requirements)));
      vkDestroyImage(device, image, nullptr);
   }

   // A sparse image that is not a residency image has no sparse requirements.
   VkImageCreateInfo info{VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO};
   info.flags = VK_IMAGE_CREATE_SPARSE_BINDING_BIT;
   info.imageType = VK_IMAGE_TYPE_2D;
   info.format = VK_FORMAT_R8G8B8A8_UNORM;
   info.extent = {256, 256, 1};
   info.mipLevels = info.arrayLayers = 1;
   info.samples = VK_SAMPLE_COUNT_1_BIT;
   info.usage = kUsage;
   VkImage image = VK_NULL_HANDLE;
   ASSERT_EQ(VK_SUCCESS, vkCreateImage(device, &info, nullptr, &image));
   uint32_t count = 5;
   vkGetImageSparseMemoryRequirements(device, image, &count, nullptr);
   EXPECT_EQ(0u, count);
   vkDestroyImage(device, image, nullptr);
   vkDestroyDevice(device, nullptr);
}

} // namespace
} // namespace panvk::test
