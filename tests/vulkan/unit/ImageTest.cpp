// VkImage and VkImageView: layouts from the layout library, memory
// requirements, subresource layouts, and agreement with the format
// properties the device reports.
#include <string>

#include "DeviceMemory.h"
#include "DirectDevice.h"
#include "Formats.h"
#include "Image.h"
#include "ImageView.h"
#include "layout/Format.h"

namespace panvk::test {
namespace {

VkImageCreateInfo
imageInfo(VkImageType type, VkFormat format, VkExtent3D extent, uint32_t mipLevels, uint32_t layers,
          VkImageTiling tiling)
{
   VkImageCreateInfo info{VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO};
   info.imageType = type;
   info.format = format;
   info.extent = extent;
   info.mipLevels = mipLevels;
   info.arrayLayers = layers;
   info.samples = VK_SAMPLE_COUNT_1_BIT;
   info.tiling = tiling;
   info.usage = VK_IMAGE_USAGE_TRANSFER_SRC_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT;
   return info;
}

uint32_t
fullMipChain(VkExtent3D e)
{
   uint32_t largest = std::max({e.width, e.height, e.depth}), levels = 0;
   for (; largest; largest >>= 1)
      levels++;
   return levels;
}

class ImageTest : public DirectDevice {
protected:
   VkImage create(const VkImageCreateInfo &info)
   {
      VkImage image = VK_NULL_HANDLE;
      EXPECT_EQ(VK_SUCCESS, panvk_CreateImage(device_, &info, nullptr, &image));
      return image;
   }
};

TEST_F(ImageTest, LinearImageRequirementsAndSubresourceLayout)
{
   // 100 RGBA8 texels = 400 bytes, rows padded to 448.
   VkImage image = create(imageInfo(VK_IMAGE_TYPE_2D, VK_FORMAT_R8G8B8A8_UNORM, {100, 50, 1}, 2, 3,
                                    VK_IMAGE_TILING_LINEAR));
   ASSERT_NE(VK_NULL_HANDLE, image);
   const uint64_t level0 = 448 * 50, level1 = 256 * 25, layer = level0 + level1;
   VkMemoryRequirements requirements;
   panvk_GetImageMemoryRequirements(device_, image, &requirements);
   EXPECT_EQ(3 * layer, requirements.size);
   EXPECT_EQ(4096u, requirements.alignment);
   EXPECT_EQ((1u << memoryProperties_.memoryTypeCount) - 1, requirements.memoryTypeBits);

   VkImageSubresource subresource{VK_IMAGE_ASPECT_COLOR_BIT, 1, 2};
   VkSubresourceLayout layout;
   panvk_GetImageSubresourceLayout(device_, image, &subresource, &layout);
   EXPECT_EQ(2 * layer + level0, layout.offset);
   EXPECT_EQ(level1, layout.size);
   EXPECT_EQ(256u, layout.rowPitch);
   EXPECT_EQ(layer, layout.arrayPitch);
   EXPECT_EQ(level1, layout.depthPitch);

   subresource.mipLevel = 2; // out of range: zeros, no crash
   panvk_GetImageSubresourceLayout(device_, image, &subresource, &layout);
   EXPECT_EQ(0u, layout.size);
   EXPECT_EQ(0u, layout.rowPitch);
   panvk_DestroyImage(device_, image, nullptr);
}

TEST_F(ImageTest, OptimalImagesAreTiledWithTileAlignment)
{
   // 4-byte texels: 128x128 per 64 KiB tile, so 300x200 is 3x2 tiles.
   VkImage image = create(imageInfo(VK_IMAGE_TYPE_2D, VK_FORMAT_R8G8B8A8_UNORM, {300, 200, 1}, 1, 2,
                                    VK_IMAGE_TILING_OPTIMAL));
   ASSERT_NE(VK_NULL_HANDLE, image);
   EXPECT_TRUE(Image::from(image)->layout().tiled());
   VkMemoryRequirements requirements;
   panvk_GetImageMemoryRequirements(device_, image, &requirements);
   EXPECT_EQ(2u * 6 * 65536, requirements.size);
   EXPECT_EQ(65536u, requirements.alignment);

   VkImageSubresource subresource{VK_IMAGE_ASPECT_COLOR_BIT, 0, 1};
   VkSubresourceLayout layout;
   panvk_GetImageSubresourceLayout(device_, image, &subresource, &layout);
   EXPECT_EQ(6u * 65536, layout.offset);
   EXPECT_EQ(6u * 65536, layout.size);
   EXPECT_EQ(3u * 65536, layout.rowPitch); // a row of tiles
   panvk_DestroyImage(device_, image, nullptr);
}

TEST_F(ImageTest, OptimalOneDimensionalImagesAreLinear)
{
   VkImage image = create(imageInfo(VK_IMAGE_TYPE_1D, VK_FORMAT_R16_UNORM, {1000, 1, 1}, 4, 2,
                                    VK_IMAGE_TILING_OPTIMAL));
   ASSERT_NE(VK_NULL_HANDLE, image);
   EXPECT_FALSE(Image::from(image)->layout().tiled());
   VkMemoryRequirements requirements;
   panvk_GetImageMemoryRequirements(device_, image, &requirements);
   EXPECT_EQ(4096u, requirements.alignment);
   panvk_DestroyImage(device_, image, nullptr);
}

TEST_F(ImageTest, BindingGivesTheMemoryAddressPlusOffset)
{
   VkImage image = create(imageInfo(VK_IMAGE_TYPE_2D, VK_FORMAT_R8_UNORM, {256, 256, 1}, 1, 1,
                                    VK_IMAGE_TILING_OPTIMAL));
   ASSERT_NE(VK_NULL_HANDLE, image);
   EXPECT_EQ(0u, Image::from(image)->va());
   VkDeviceMemory memory;
   ASSERT_EQ(VK_SUCCESS, allocate(4 * 65536, 0, &memory));
   VkBindImageMemoryInfo bind{VK_STRUCTURE_TYPE_BIND_IMAGE_MEMORY_INFO};
   bind.image = image;
   bind.memory = memory;
   bind.memoryOffset = 2 * 65536;
   EXPECT_EQ(VK_SUCCESS, panvk_BindImageMemory2(device_, 1, &bind));
   EXPECT_EQ(DeviceMemory::from(memory)->va() + 2 * 65536, Image::from(image)->va());
   EXPECT_EQ(DeviceMemory::from(memory), Image::from(image)->memory());
   panvk_DestroyImage(device_, image, nullptr);
   panvk_DestroyImage(device_, VK_NULL_HANDLE, nullptr);
   panvk_FreeMemory(device_, memory, nullptr);
}

TEST_F(ImageTest, Requirements2AndSparseRequirements)
{
   VkImage image = create(imageInfo(VK_IMAGE_TYPE_2D, VK_FORMAT_R8_UNORM, {16, 16, 1}, 1, 1,
                                    VK_IMAGE_TILING_OPTIMAL));
   ASSERT_NE(VK_NULL_HANDLE, image);
   VkMemoryDedicatedRequirements dedicated{VK_STRUCTURE_TYPE_MEMORY_DEDICATED_REQUIREMENTS};
   dedicated.prefersDedicatedAllocation = dedicated.requiresDedicatedAllocation = VK_TRUE;
   VkMemoryRequirements2 requirements{VK_STRUCTURE_TYPE_MEMORY_REQUIREMENTS_2, &dedicated};
   VkImageMemoryRequirementsInfo2 info{VK_STRUCTURE_TYPE_IMAGE_MEMORY_REQUIREMENTS_INFO_2};
   info.image = image;
   panvk_GetImageMemoryRequirements2(device_, &info, &requirements);
   EXPECT_EQ(65536u, requirements.memoryRequirements.size);
   EXPECT_EQ(VK_FALSE, dedicated.prefersDedicatedAllocation);
   EXPECT_EQ(VK_FALSE, dedicated.requiresDedicatedAllocation);

   uint32_t count = 7;
   panvk_GetImageSparseMemoryRequirements(device_, image, &count, nullptr);
   EXPECT_EQ(0u, count);
   count = 7;
   VkImageSparseMemoryRequirementsInfo2 sparseInfo{VK_STRUCTURE_TYPE_IMAGE_SPARSE_MEMORY_REQUIREMENTS_INFO_2};
   sparseInfo.image = image;
   panvk_GetImageSparseMemoryRequirements2(device_, &sparseInfo, &count, nullptr);
   EXPECT_EQ(0u, count);
   panvk_DestroyImage(device_, image, nullptr);
}

TEST_F(ImageTest, SparseBindingImagesOwnAVaRange)
{
   VkImageCreateInfo info = imageInfo(VK_IMAGE_TYPE_2D, VK_FORMAT_R8_UNORM, {16, 16, 1}, 1, 1,
                                      VK_IMAGE_TILING_OPTIMAL);
   info.flags = VK_IMAGE_CREATE_SPARSE_BINDING_BIT;
   VkImage image = VK_NULL_HANDLE;
   ASSERT_EQ(VK_SUCCESS, panvk_CreateImage(device_, &info, nullptr, &image));
   Image *sparse = Image::from(image);
   EXPECT_TRUE(sparse->sparse());
   EXPECT_NE(0u, sparse->va());
   EXPECT_EQ(64u * 1024, sparse->memoryRequirements().alignment);
   // Opaque binds go through the queue: vkBindImageMemory is not for it.
   panvk_DestroyImage(device_, image, nullptr);
}

TEST_F(ImageTest, InfoDropsTheCallersPointers)
{
   const uint32_t families[2] = {0, 2};
   VkImageCreateInfo info = imageInfo(VK_IMAGE_TYPE_2D, VK_FORMAT_R8_UNORM, {16, 16, 1}, 1, 1,
                                      VK_IMAGE_TILING_OPTIMAL);
   info.sharingMode = VK_SHARING_MODE_CONCURRENT;
   info.queueFamilyIndexCount = 2;
   info.pQueueFamilyIndices = families;
   VkImage image = create(info);
   ASSERT_NE(VK_NULL_HANDLE, image);
   EXPECT_EQ(nullptr, Image::from(image)->info().pQueueFamilyIndices);
   EXPECT_EQ(0u, Image::from(image)->info().queueFamilyIndexCount);
   EXPECT_EQ(VK_FORMAT_R8_UNORM, Image::from(image)->format());
   panvk_DestroyImage(device_, image, nullptr);
}

// Every image the format properties allow can be created: small ones with a
// full mip chain and several layers, and the largest extent.
TEST_F(ImageTest, EveryAllowedImageCanBeCreated)
{
   const VkImageType types[] = {VK_IMAGE_TYPE_1D, VK_IMAGE_TYPE_2D, VK_IMAGE_TYPE_3D};
   const VkImageTiling tilings[] = {VK_IMAGE_TILING_LINEAR, VK_IMAGE_TILING_OPTIMAL};
   const VkImageUsageFlags usage = VK_IMAGE_USAGE_TRANSFER_SRC_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT;
   int allowed = 0;
   for (const pan::layout::FormatInfo &format : pan::layout::allFormats()) {
      for (VkImageType type : types) {
         for (VkImageTiling tiling : tilings) {
            VkImageFormatProperties properties;
            if (imageFormatProperties(format.format, type, tiling, usage, 0, &properties) != VK_SUCCESS)
               continue;
            allowed++;
            SCOPED_TRACE("format " + std::to_string(format.format) + " type " + std::to_string(type) +
                         " tiling " + std::to_string(tiling));
            VkExtent3D small{37, type == VK_IMAGE_TYPE_1D ? 1u : 19u, type == VK_IMAGE_TYPE_3D ? 5u : 1u};
            const uint32_t layers = std::min(3u, properties.maxArrayLayers);
            VkImage image = create(imageInfo(type, format.format, small, fullMipChain(small), layers, tiling));
            ASSERT_NE(VK_NULL_HANDLE, image);
            EXPECT_EQ(tiling == VK_IMAGE_TILING_OPTIMAL && type != VK_IMAGE_TYPE_1D,
                      Image::from(image)->layout().tiled());
            panvk_DestroyImage(device_, image, nullptr);

            // The largest: created unless beyond maxResourceSize, where the
            // spec wants VK_ERROR_OUT_OF_DEVICE_MEMORY.
            const VkImageCreateInfo largest = imageInfo(type, format.format, properties.maxExtent,
                                                        properties.maxMipLevels, properties.maxArrayLayers, tiling);
            const auto layout = pan::layout::computeLayout(*Image::describe(largest));
            ASSERT_TRUE(layout.has_value());
            const bool fits = layout->totalSize <= properties.maxResourceSize;
            image = VK_NULL_HANDLE;
            EXPECT_EQ(fits ? VK_SUCCESS : VK_ERROR_OUT_OF_DEVICE_MEMORY,
                      panvk_CreateImage(device_, &largest, nullptr, &image));
            EXPECT_EQ(fits, image != VK_NULL_HANDLE);
            panvk_DestroyImage(device_, image, nullptr);
         }
      }
   }
   EXPECT_GT(allowed, 100);
}

TEST_F(ImageTest, ViewResolvesRemainingLevelsAndLayers)
{
   VkImage image = create(imageInfo(VK_IMAGE_TYPE_2D, VK_FORMAT_R8G8B8A8_UNORM, {64, 64, 1}, 5, 6,
                                    VK_IMAGE_TILING_OPTIMAL));
   ASSERT_NE(VK_NULL_HANDLE, image);
   VkImageViewCreateInfo info{VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO};
   info.image = image;
   info.viewType = VK_IMAGE_VIEW_TYPE_2D_ARRAY;
   info.format = VK_FORMAT_R8G8B8A8_UINT;
   info.components = {VK_COMPONENT_SWIZZLE_B, VK_COMPONENT_SWIZZLE_G, VK_COMPONENT_SWIZZLE_R,
                      VK_COMPONENT_SWIZZLE_ONE};
   info.subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 1, VK_REMAINING_MIP_LEVELS, 2, VK_REMAINING_ARRAY_LAYERS};
   VkImageView handle;
   ASSERT_EQ(VK_SUCCESS, panvk_CreateImageView(device_, &info, nullptr, &handle));
   ImageView &view = *ImageView::from(handle);
   EXPECT_EQ(Image::from(image), &view.image());
   EXPECT_EQ(VK_IMAGE_VIEW_TYPE_2D_ARRAY, view.viewType());
   EXPECT_EQ(VK_FORMAT_R8G8B8A8_UINT, view.format());
   EXPECT_EQ(VK_COMPONENT_SWIZZLE_B, view.components().r);
   EXPECT_EQ(VK_COMPONENT_SWIZZLE_ONE, view.components().a);
   EXPECT_EQ(1u, view.subresourceRange().baseMipLevel);
   EXPECT_EQ(4u, view.subresourceRange().levelCount);
   EXPECT_EQ(2u, view.subresourceRange().baseArrayLayer);
   EXPECT_EQ(4u, view.subresourceRange().layerCount);
   panvk_DestroyImageView(device_, handle, nullptr);

   info.subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 2, 2, 5, 1};
   ASSERT_EQ(VK_SUCCESS, panvk_CreateImageView(device_, &info, nullptr, &handle));
   EXPECT_EQ(2u, ImageView::from(handle)->subresourceRange().levelCount);
   EXPECT_EQ(1u, ImageView::from(handle)->subresourceRange().layerCount);
   panvk_DestroyImageView(device_, handle, nullptr);
   panvk_DestroyImageView(device_, VK_NULL_HANDLE, nullptr);
   panvk_DestroyImage(device_, image, nullptr);
}

} // namespace
} // namespace panvk::test
