// VkImageView creation, white-box: every view type the spec allows for an
// image's type and flags (CUBE and CUBE_ARRAY of cube-compatible images, 2D
// views of 2D-array-compatible 3D images), the "remaining" counts resolved,
// and invalid views refused with an error (never kept with a range outside
// the image, never a crash). Also the shapes a cube-compatible image must
// have.
#include <vector>

#include "DirectDevice.h"
#include "Image.h"
#include "ImageView.h"

namespace panvk::test {
namespace {

VkImageCreateInfo
imageInfo(VkImageType type, VkExtent3D extent, uint32_t levels, uint32_t layers, VkImageCreateFlags flags)
{
   VkImageCreateInfo info{VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO};
   info.flags = flags;
   info.imageType = type;
   info.format = VK_FORMAT_R8G8B8A8_UNORM;
   info.extent = extent;
   info.mipLevels = levels;
   info.arrayLayers = layers;
   info.samples = VK_SAMPLE_COUNT_1_BIT;
   info.tiling = VK_IMAGE_TILING_OPTIMAL;
   info.usage = VK_IMAGE_USAGE_TRANSFER_SRC_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT;
   return info;
}

class ImageViewTest : public DirectDevice {
protected:
   void TearDown() override
   {
      if (device_) {
         for (VkImage image : images_)
            panvk_DestroyImage(device_, image, nullptr);
      }
      DirectDevice::TearDown();
   }

   VkImage create(const VkImageCreateInfo &info)
   {
      VkImage image = VK_NULL_HANDLE;
      EXPECT_EQ(VK_SUCCESS, panvk_CreateImage(device_, &info, nullptr, &image));
      if (image)
         images_.push_back(image);
      return image;
   }

   // Creates a view and destroys it; on success its resolved range goes to
   // *resolved.
   VkResult view(VkImage image, VkImageViewType type, VkImageSubresourceRange range,
                 VkImageSubresourceRange *resolved = nullptr)
   {
      VkImageViewCreateInfo info{VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO};
      info.image = image;
      info.viewType = type;
      info.format = VK_FORMAT_R8G8B8A8_UNORM;
      info.subresourceRange = range;
      VkImageView handle = VK_NULL_HANDLE;
      const VkResult result = panvk_CreateImageView(device_, &info, nullptr, &handle);
      if (result == VK_SUCCESS) {
         EXPECT_NE(VK_NULL_HANDLE, handle);
         EXPECT_EQ(type, ImageView::from(handle)->viewType());
         if (resolved)
            *resolved = ImageView::from(handle)->subresourceRange();
         panvk_DestroyImageView(device_, handle, nullptr);
      }
      return result;
   }

   std::vector<VkImage> images_;
};

constexpr VkImageAspectFlags kColor = VK_IMAGE_ASPECT_COLOR_BIT;

TEST_F(ImageViewTest, CubeAndCubeArrayViewsOfCubeCompatibleImages)
{
   const VkImage cube =
      create(imageInfo(VK_IMAGE_TYPE_2D, {64, 64, 1}, 4, 18, VK_IMAGE_CREATE_CUBE_COMPATIBLE_BIT));
   ASSERT_NE(VK_NULL_HANDLE, cube);
   VkImageSubresourceRange resolved{};
   EXPECT_EQ(VK_SUCCESS, view(cube, VK_IMAGE_VIEW_TYPE_CUBE, {kColor, 0, VK_REMAINING_MIP_LEVELS, 6, 6}, &resolved));
   EXPECT_EQ(4u, resolved.levelCount);
   EXPECT_EQ(6u, resolved.layerCount);
   // The last six layers, "remaining".
   EXPECT_EQ(VK_SUCCESS, view(cube, VK_IMAGE_VIEW_TYPE_CUBE, {kColor, 1, 2, 12, VK_REMAINING_ARRAY_LAYERS},
                              &resolved));
   EXPECT_EQ(6u, resolved.layerCount);
   EXPECT_EQ(VK_SUCCESS, view(cube, VK_IMAGE_VIEW_TYPE_CUBE_ARRAY, {kColor, 0, 1, 0, VK_REMAINING_ARRAY_LAYERS},
                              &resolved));
   EXPECT_EQ(18u, resolved.layerCount);
   // Faces need not start at a multiple of six.
   EXPECT_EQ(VK_SUCCESS, view(cube, VK_IMAGE_VIEW_TYPE_CUBE_ARRAY, {kColor, 3, 1, 5, 12}, &resolved));
   EXPECT_EQ(VK_SUCCESS, view(cube, VK_IMAGE_VIEW_TYPE_2D_ARRAY, {kColor, 0, 1, 1, 17}));
   EXPECT_EQ(VK_SUCCESS, view(cube, VK_IMAGE_VIEW_TYPE_2D, {kColor, 0, 1, 17, 1}));

   // Not six, not a multiple of six, beyond the image.
   EXPECT_EQ(VK_ERROR_OUT_OF_HOST_MEMORY, view(cube, VK_IMAGE_VIEW_TYPE_CUBE, {kColor, 0, 1, 0, 5}));
   EXPECT_EQ(VK_ERROR_OUT_OF_HOST_MEMORY, view(cube, VK_IMAGE_VIEW_TYPE_CUBE, {kColor, 0, 1, 0, 12}));
   EXPECT_EQ(VK_ERROR_OUT_OF_HOST_MEMORY,
             view(cube, VK_IMAGE_VIEW_TYPE_CUBE, {kColor, 0, 1, 6, VK_REMAINING_ARRAY_LAYERS}));
   EXPECT_EQ(VK_ERROR_OUT_OF_HOST_MEMORY, view(cube, VK_IMAGE_VIEW_TYPE_CUBE_ARRAY, {kColor, 0, 1, 0, 7}));
   EXPECT_EQ(VK_ERROR_OUT_OF_HOST_MEMORY,
             view(cube, VK_IMAGE_VIEW_TYPE_CUBE_ARRAY, {kColor, 0, 1, 1, VK_REMAINING_ARRAY_LAYERS}));
   EXPECT_EQ(VK_ERROR_OUT_OF_HOST_MEMORY, view(cube, VK_IMAGE_VIEW_TYPE_CUBE, {kColor, 0, 1, 13, 6}));
   EXPECT_EQ(VK_ERROR_OUT_OF_HOST_MEMORY, view(cube, VK_IMAGE_VIEW_TYPE_CUBE_ARRAY, {kColor, 0, 1, 18, 6}));
   EXPECT_EQ(VK_ERROR_OUT_OF_HOST_MEMORY, view(cube, VK_IMAGE_VIEW_TYPE_CUBE, {kColor, 4, 1, 0, 6}));
   EXPECT_EQ(VK_ERROR_OUT_OF_HOST_MEMORY, view(cube, VK_IMAGE_VIEW_TYPE_CUBE_ARRAY, {kColor, 0, 1, 0, 0}));
}

TEST_F(ImageViewTest, CubeViewsNeedACubeCompatibleImage)
{
   const VkImage layered = create(imageInfo(VK_IMAGE_TYPE_2D, {64, 64, 1}, 1, 12, 0));
   ASSERT_NE(VK_NULL_HANDLE, layered);
   EXPECT_EQ(VK_ERROR_OUT_OF_HOST_MEMORY, view(layered, VK_IMAGE_VIEW_TYPE_CUBE, {kColor, 0, 1, 0, 6}));
   EXPECT_EQ(VK_ERROR_OUT_OF_HOST_MEMORY, view(layered, VK_IMAGE_VIEW_TYPE_CUBE_ARRAY, {kColor, 0, 1, 0, 12}));
   EXPECT_EQ(VK_SUCCESS, view(layered, VK_IMAGE_VIEW_TYPE_2D_ARRAY, {kColor, 0, 1, 0, 12}));
}

TEST_F(ImageViewTest, ViewTypesFollowTheImageType)
{
   const VkImage line = create(imageInfo(VK_IMAGE_TYPE_1D, {64, 1, 1}, 1, 4, 0));
   const VkImage flat = create(imageInfo(VK_IMAGE_TYPE_2D, {64, 32, 1}, 2, 3, 0));
   const VkImage volume = create(imageInfo(VK_IMAGE_TYPE_3D, {32, 32, 8}, 2, 1, 0));
   const VkImage slices =
      create(imageInfo(VK_IMAGE_TYPE_3D, {32, 32, 8}, 2, 1, VK_IMAGE_CREATE_2D_ARRAY_COMPATIBLE_BIT));
   ASSERT_NE(VK_NULL_HANDLE, line);
   ASSERT_NE(VK_NULL_HANDLE, flat);
   ASSERT_NE(VK_NULL_HANDLE, volume);
   ASSERT_NE(VK_NULL_HANDLE, slices);
   constexpr uint32_t kAll = VK_REMAINING_ARRAY_LAYERS;

   EXPECT_EQ(VK_SUCCESS, view(line, VK_IMAGE_VIEW_TYPE_1D, {kColor, 0, 1, 3, 1}));
   EXPECT_EQ(VK_SUCCESS, view(line, VK_IMAGE_VIEW_TYPE_1D_ARRAY, {kColor, 0, 1, 0, kAll}));
   EXPECT_EQ(VK_ERROR_OUT_OF_HOST_MEMORY, view(line, VK_IMAGE_VIEW_TYPE_2D, {kColor, 0, 1, 0, 1}));
   EXPECT_EQ(VK_ERROR_OUT_OF_HOST_MEMORY, view(flat, VK_IMAGE_VIEW_TYPE_1D, {kColor, 0, 1, 0, 1}));
   EXPECT_EQ(VK_ERROR_OUT_OF_HOST_MEMORY, view(flat, VK_IMAGE_VIEW_TYPE_3D, {kColor, 0, 1, 0, 1}));
   EXPECT_EQ(VK_ERROR_OUT_OF_HOST_MEMORY, view(flat, VK_IMAGE_VIEW_TYPE_2D, {kColor, 0, 1, 0, 2}))
      << "a non-array view takes one layer";
   EXPECT_EQ(VK_ERROR_OUT_OF_HOST_MEMORY, view(flat, VK_IMAGE_VIEW_TYPE_2D, {kColor, 0, 1, 0, kAll}));
   EXPECT_EQ(VK_ERROR_OUT_OF_HOST_MEMORY, view(flat, VK_IMAGE_VIEW_TYPE_2D, {kColor, 2, 1, 0, 1}))
      << "no level 2";
   EXPECT_EQ(VK_ERROR_OUT_OF_HOST_MEMORY, view(flat, VK_IMAGE_VIEW_TYPE_2D_ARRAY, {kColor, 1, 2, 0, 1}));
   EXPECT_EQ(VK_ERROR_OUT_OF_HOST_MEMORY, view(flat, VK_IMAGE_VIEW_TYPE_2D_ARRAY, {kColor, 0, 0, 0, 1}));
   EXPECT_EQ(VK_ERROR_OUT_OF_HOST_MEMORY, view(flat, VkImageViewType(42), {kColor, 0, 1, 0, 1}));

   EXPECT_EQ(VK_SUCCESS, view(volume, VK_IMAGE_VIEW_TYPE_3D, {kColor, 0, VK_REMAINING_MIP_LEVELS, 0, kAll}));
   EXPECT_EQ(VK_ERROR_OUT_OF_HOST_MEMORY, view(volume, VK_IMAGE_VIEW_TYPE_2D, {kColor, 0, 1, 0, 1}))
      << "2D views of a 3D image need 2D_ARRAY_COMPATIBLE";

   // 2D views of a 2D-array-compatible 3D image: a level's slices are the
   // layers (8 at level 0, 4 at level 1).
   VkImageSubresourceRange resolved{};
   EXPECT_EQ(VK_SUCCESS, view(slices, VK_IMAGE_VIEW_TYPE_2D_ARRAY, {kColor, 0, 1, 2, kAll}, &resolved));
   EXPECT_EQ(6u, resolved.layerCount);
   EXPECT_EQ(VK_SUCCESS, view(slices, VK_IMAGE_VIEW_TYPE_2D, {kColor, 1, 1, 3, 1}));
   EXPECT_EQ(VK_ERROR_OUT_OF_HOST_MEMORY, view(slices, VK_IMAGE_VIEW_TYPE_2D, {kColor, 1, 1, 4, 1}));
   EXPECT_EQ(VK_ERROR_OUT_OF_HOST_MEMORY, view(slices, VK_IMAGE_VIEW_TYPE_2D_ARRAY, {kColor, 0, 2, 0, 4}))
      << "one level";
   EXPECT_EQ(VK_ERROR_OUT_OF_HOST_MEMORY, view(slices, VK_IMAGE_VIEW_TYPE_CUBE, {kColor, 0, 1, 0, 6}));
}

TEST_F(ImageViewTest, NoImageIsRefused)
{
   EXPECT_EQ(VK_ERROR_OUT_OF_HOST_MEMORY, view(VK_NULL_HANDLE, VK_IMAGE_VIEW_TYPE_2D, {kColor, 0, 1, 0, 1}));
}

TEST_F(ImageViewTest, CubeCompatibleImagesAreSquareWithSixLayersOrMore)
{
   constexpr VkImageCreateFlags kCube = VK_IMAGE_CREATE_CUBE_COMPATIBLE_BIT;
   EXPECT_NE(VK_NULL_HANDLE, create(imageInfo(VK_IMAGE_TYPE_2D, {33, 33, 1}, 6, 6, kCube)));
   EXPECT_NE(VK_NULL_HANDLE, create(imageInfo(VK_IMAGE_TYPE_2D, {33, 33, 1}, 1, 7, kCube)))
      << "the image needs six layers or more; views take them by six";
   VkImageCreateInfo linear = imageInfo(VK_IMAGE_TYPE_2D, {16, 16, 1}, 1, 6, kCube);
   linear.tiling = VK_IMAGE_TILING_LINEAR;
   EXPECT_NE(VK_NULL_HANDLE, create(linear));
   const VkImageCreateInfo sparse =
      imageInfo(VK_IMAGE_TYPE_2D, {300, 300, 1}, 3, 12,
                kCube | VK_IMAGE_CREATE_SPARSE_BINDING_BIT | VK_IMAGE_CREATE_SPARSE_RESIDENCY_BIT);
   const VkImage residency = create(sparse);
   ASSERT_NE(VK_NULL_HANDLE, residency);
   EXPECT_TRUE(Image::from(residency)->sparse());
   EXPECT_EQ(12u, Image::from(residency)->layout().layerCount);

   // Invalid usage, refused: not square, too few layers, not 2D.
   const VkImageCreateInfo bad[] = {
      imageInfo(VK_IMAGE_TYPE_2D, {32, 16, 1}, 1, 6, kCube),
      imageInfo(VK_IMAGE_TYPE_2D, {32, 32, 1}, 1, 5, kCube),
      imageInfo(VK_IMAGE_TYPE_3D, {32, 32, 6}, 1, 1, kCube),
   };
   for (const VkImageCreateInfo &info : bad) {
      VkImage image = VK_NULL_HANDLE;
      EXPECT_EQ(VK_ERROR_OUT_OF_DEVICE_MEMORY, panvk_CreateImage(device_, &info, nullptr, &image));
      EXPECT_EQ(VK_NULL_HANDLE, image);
   }
}

} // namespace
} // namespace panvk::test
