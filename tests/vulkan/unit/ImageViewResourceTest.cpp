// ImageViewResource and TexelBufferResource white-box: texels written and
// read through the resources (every access through the mock GPU's MMU) land
// where the layout library says, in host-visible memory the test reads
// directly; views' base level and layer, 2D arrays, 3D, both tilings, atomics,
// texel buffers, and the per-dispatch lookup over a descriptor set.
#include <chrono>
#include <cstring>
#include <vector>

#include "BufferView.h"
#include "ComputeState.h"
#include "DescriptorSet.h"
#include "DispatchImages.h"
#include "ExecutorFixture.h"
#include "GpuTransfer.h"
#include "ImageView.h"
#include "ImageViewResource.h"
#include "Sampler.h"
#include "TexelBufferResource.h"
#include "layout/ImageLayout.h"

namespace panvk::test {
namespace {

// The interpreter's memory as the driver gives it: the device VM through the MMU.
class MmuMemory final : public spirv::GlobalMemory {
public:
   MmuMemory(pan::kmod::MockGpu &gpu, uint32_t vmId) : transfer_(gpu, vmId), gpu_(gpu), vmId_(vmId) {}
   bool read(uint64_t va, void *data, uint64_t size) override { return transfer_.read(va, data, size); }
   bool write(uint64_t va, const void *data, uint64_t size) override { return transfer_.write(va, data, size); }
   bool atomic(uint64_t va, const std::function<void(uint32_t &)> &update) override
   {
      auto result = gpu_.access(vmId_, va, 4, pan::kmod::MockGpu::Access::Atomic,
                                [&](uint8_t *host, uint64_t length, uint64_t) {
                                   if (length == 4)
                                      update(*reinterpret_cast<uint32_t *>(host));
                                });
      return result && result->ok();
   }

private:
   GpuTransfer transfer_;
   pan::kmod::MockGpu &gpu_;
   uint32_t vmId_;
};

spirv::Texel
uints(uint32_t r, uint32_t g = 0, uint32_t b = 0, uint32_t a = 0)
{
   spirv::Texel texel;
   texel.lanes = {r, g, b, a};
   return texel;
}

class ImageViewResourceTest : public ExecutorFixture {
protected:
   void SetUp() override
   {
      ExecutorFixture::SetUp();
      if (HasFatalFailure())
         return;
      memory_ = std::make_unique<MmuMemory>(gpu(), vmId());
   }
   void TearDown() override
   {
      for (VkImageView view : views_)
         panvk_DestroyImageView(device_, view, nullptr);
      for (VkBufferView view : bufferViews_)
         panvk_DestroyBufferView(device_, view, nullptr);
      ExecutorFixture::TearDown();
   }

   ImageView &view(VkImage image, VkImageViewType type, VkFormat format, VkImageSubresourceRange range,
                   VkComponentMapping components = {})
   {
      VkImageViewCreateInfo info{VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO};
      info.image = image;
      info.viewType = type;
      info.format = format;
      info.components = components;
      info.subresourceRange = range;
      VkImageView handle = VK_NULL_HANDLE;
      EXPECT_EQ(VK_SUCCESS, panvk_CreateImageView(device_, &info, nullptr, &handle));
      views_.push_back(handle);
      return *ImageView::from(handle);
   }

   // One level, one layer, optimal tiling, storage usage, no memory bound.
   void createStorageImage(VkImageType type, VkFormat format, VkExtent3D extent, VkImageCreateFlags flags,
                           VkImage *out)
   {
      VkImageCreateInfo info{VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO};
      info.flags = flags;
      info.imageType = type;
      info.format = format;
      info.extent = extent;
      info.mipLevels = 1;
      info.arrayLayers = 1;
      info.samples = VK_SAMPLE_COUNT_1_BIT;
      info.tiling = VK_IMAGE_TILING_OPTIMAL;
      info.usage = VK_IMAGE_USAGE_STORAGE_BIT;
      ASSERT_EQ(VK_SUCCESS, panvk_CreateImage(device_, &info, nullptr, out));
   }

   // For an image the test made itself: its views must go first.
   void destroyViewsAndImage(VkImage image)
   {
      for (VkImageView created : views_)
         panvk_DestroyImageView(device_, created, nullptr);
      views_.clear();
      panvk_DestroyImage(device_, image, nullptr);
   }

   BufferView &bufferView(VkBuffer buffer, VkFormat format, VkDeviceSize offset, VkDeviceSize range)
   {
      VkBufferViewCreateInfo info{VK_STRUCTURE_TYPE_BUFFER_VIEW_CREATE_INFO};
      info.buffer = buffer;
      info.format = format;
      info.offset = offset;
      info.range = range;
      VkBufferView handle = VK_NULL_HANDLE;
      EXPECT_EQ(VK_SUCCESS, panvk_CreateBufferView(device_, &info, nullptr, &handle));
      bufferViews_.push_back(handle);
      return *BufferView::from(handle);
   }

   // Every texel of every level and layer of the view gets a value of its
   // own through the resource, then is found at the layout's offset.
   void writeAllAndCheck(const HostImage &image, ImageViewResource &resource, uint32_t baseLevel,
                         uint32_t baseLayer)
   {
      auto value = [](uint32_t x, uint32_t y, uint32_t z, uint32_t layer, uint32_t level) {
         return (level << 28) ^ (layer << 24) ^ (z << 16) ^ (y << 8) ^ x ^ 0x5a000000u;
      };
      for (uint32_t level = 0; level < resource.levels(); ++level) {
         const auto extent = resource.extent(level);
         for (uint32_t layer = 0; layer < resource.layers(); ++layer)
            for (uint32_t z = 0; z < extent[2]; ++z)
               for (uint32_t y = 0; y < extent[1]; ++y)
                  for (uint32_t x = 0; x < extent[0]; ++x)
                     ASSERT_TRUE(resource.write(x, y, z, layer, level, uints(value(x, y, z, layer, level))));
      }
      for (uint32_t level = 0; level < resource.levels(); ++level) {
         const auto extent = resource.extent(level);
         for (uint32_t layer = 0; layer < resource.layers(); ++layer)
            for (uint32_t z = 0; z < extent[2]; ++z)
               for (uint32_t y = 0; y < extent[1]; ++y)
                  for (uint32_t x = 0; x < extent[0]; ++x) {
                     const uint64_t offset = pan::layout::texelOffset(*image.layout, baseLevel + level,
                                                                      baseLayer + layer, x, y, z);
                     ASSERT_NE(pan::layout::kInvalidOffset, offset);
                     uint32_t stored = 0;
                     memcpy(&stored, image.data + offset, 4);
                     ASSERT_EQ(value(x, y, z, layer, level), stored)
                        << "texel " << x << "," << y << "," << z << " layer " << layer << " level " << level;
                     spirv::Texel back;
                     ASSERT_TRUE(resource.read(x, y, z, layer, level, back));
                     ASSERT_EQ(value(x, y, z, layer, level), back.lanes[0]);
                  }
      }
   }

   std::unique_ptr<MmuMemory> memory_;
   std::vector<VkImageView> views_;
   std::vector<VkBufferView> bufferViews_;
};

class TilingTest : public ImageViewResourceTest, public ::testing::WithParamInterface<VkImageTiling> {};

TEST_P(TilingTest, ArrayViewFromLevelOneAndLayerOne)
{
   const HostImage image = hostImage(VK_IMAGE_TYPE_2D, VK_FORMAT_R32_UINT, {300, 70, 1}, 4, 3, GetParam());
   ASSERT_NE(nullptr, image.data);
   ImageView &v = view(image.image, VK_IMAGE_VIEW_TYPE_2D_ARRAY, VK_FORMAT_R32_UINT,
                       {VK_IMAGE_ASPECT_COLOR_BIT, 1, VK_REMAINING_MIP_LEVELS, 1, 2});
   auto resource = ImageViewResource::create(*memory_, v, false);
   ASSERT_NE(nullptr, resource);
   EXPECT_EQ(3u, resource->levels());
   EXPECT_EQ(2u, resource->layers());
   EXPECT_EQ((std::array<uint32_t, 3>{150, 35, 1}), resource->extent(0));
   EXPECT_EQ((std::array<uint32_t, 3>{37, 8, 1}), resource->extent(2));
   ASSERT_NO_FATAL_FAILURE(writeAllAndCheck(image, *resource, 1, 1));
   // Layer 0 and level 0 were not the view's: untouched.
   EXPECT_EQ(0u, image.data[pan::layout::texelOffset(*image.layout, 0, 0, 5, 5, 0)]);
   EXPECT_EQ(0u, image.data[pan::layout::texelOffset(*image.layout, 0, 1, 5, 5, 0)]);
   EXPECT_EQ(0u, image.data[pan::layout::texelOffset(*image.layout, 1, 0, 5, 5, 0)]);
}

TEST_P(TilingTest, ThreeDimensionalImage)
{
   const HostImage image = hostImage(VK_IMAGE_TYPE_3D, VK_FORMAT_R32_UINT, {130, 20, 5}, 2, 1, GetParam());
   ASSERT_NE(nullptr, image.data);
   ImageView &v = view(image.image, VK_IMAGE_VIEW_TYPE_3D, VK_FORMAT_R32_UINT,
                       {VK_IMAGE_ASPECT_COLOR_BIT, 0, 2, 0, 1});
   auto resource = ImageViewResource::create(*memory_, v, false);
   ASSERT_NE(nullptr, resource);
   EXPECT_EQ(1u, resource->layers());
   EXPECT_EQ((std::array<uint32_t, 3>{130, 20, 5}), resource->extent(0));
   EXPECT_EQ((std::array<uint32_t, 3>{65, 10, 2}), resource->extent(1));
   ASSERT_NO_FATAL_FAILURE(writeAllAndCheck(image, *resource, 0, 0));
}

INSTANTIATE_TEST_SUITE_P(Tilings, TilingTest, ::testing::Values(VK_IMAGE_TILING_OPTIMAL, VK_IMAGE_TILING_LINEAR),
                         [](const auto &info) {
                            return std::string(info.param == VK_IMAGE_TILING_LINEAR ? "Linear" : "Optimal");
                         });

TEST_F(ImageViewResourceTest, FormatAndSwizzleAreTheViews)
{
   const HostImage image =
      hostImage(VK_IMAGE_TYPE_2D, VK_FORMAT_R8G8B8A8_UNORM, {4, 4, 1}, 1, 1, VK_IMAGE_TILING_OPTIMAL);
   ASSERT_NE(nullptr, image.data);
   const uint64_t offset = pan::layout::texelOffset(*image.layout, 0, 0, 2, 1, 0);
   const uint8_t bytes[4] = {10, 20, 30, 40};
   memcpy(image.data + offset, bytes, 4);
   const VkImageSubresourceRange all{VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1};
   const VkComponentMapping swapped{VK_COMPONENT_SWIZZLE_A, VK_COMPONENT_SWIZZLE_B, VK_COMPONENT_SWIZZLE_G,
                                    VK_COMPONENT_SWIZZLE_R};
   ImageView &asUint = view(image.image, VK_IMAGE_VIEW_TYPE_2D, VK_FORMAT_R8G8B8A8_UINT, all, swapped);
   auto sampled = ImageViewResource::create(*memory_, asUint, true);
   auto storage = ImageViewResource::create(*memory_, asUint, false);
   ASSERT_TRUE(sampled && storage);
   EXPECT_EQ(spirv::TexelKind::Uint, sampled->kind());
   spirv::Texel texel;
   ASSERT_TRUE(sampled->read(2, 1, 0, 0, 0, texel));
   EXPECT_EQ((std::array<uint32_t, 4>{40, 30, 20, 10}), texel.lanes);
   ASSERT_TRUE(storage->read(2, 1, 0, 0, 0, texel));
   EXPECT_EQ((std::array<uint32_t, 4>{10, 20, 30, 40}), texel.lanes);
}

TEST_F(ImageViewResourceTest, TwoDimensionalViewOfThreeDimensionalImageSeesSlicesAsLayers)
{
   VkImage image = VK_NULL_HANDLE;
   ASSERT_NO_FATAL_FAILURE(createStorageImage(VK_IMAGE_TYPE_3D, VK_FORMAT_R32_UINT, {16, 8, 6},
                                              VK_IMAGE_CREATE_2D_ARRAY_COMPATIBLE_BIT, &image));
   VkMemoryRequirements requirements;
   panvk_GetImageMemoryRequirements(device_, image, &requirements);
   uint8_t *data = nullptr;
   ASSERT_EQ(VK_SUCCESS, panvk_BindImageMemory(device_, image, hostMemory(requirements.size, &data), 0));
   ASSERT_NE(nullptr, data);
   ImageView &v = view(image, VK_IMAGE_VIEW_TYPE_2D_ARRAY, VK_FORMAT_R32_UINT, {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 2, 3});
   auto resource = ImageViewResource::create(*memory_, v, false);
   ASSERT_NE(nullptr, resource);
   EXPECT_EQ(3u, resource->layers());
   EXPECT_EQ((std::array<uint32_t, 3>{16, 8, 1}), resource->extent(0));
   ASSERT_TRUE(resource->write(3, 4, 0, 1, 0, uints(0xabcdef)));
   uint32_t stored = 0;
   memcpy(&stored, data + pan::layout::texelOffset(Image::from(image)->layout(), 0, 0, 3, 4, 3), 4);
   EXPECT_EQ(0xabcdefu, stored);
   resource.reset();
   destroyViewsAndImage(image);
}

TEST_F(ImageViewResourceTest, OutsideTheViewTouchesNothing)
{
   const HostImage image = hostImage(VK_IMAGE_TYPE_2D, VK_FORMAT_R32_UINT, {8, 8, 1}, 1, 2, VK_IMAGE_TILING_LINEAR);
   ASSERT_NE(nullptr, image.data);
   memset(image.data, 0x11, image.layout->totalSize);
   ImageView &v = view(image.image, VK_IMAGE_VIEW_TYPE_2D, VK_FORMAT_R32_UINT, {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1});
   auto resource = ImageViewResource::create(*memory_, v, false);
   ASSERT_NE(nullptr, resource);
   EXPECT_TRUE(resource->write(8, 0, 0, 0, 0, uints(7)));
   EXPECT_TRUE(resource->write(0, 0, 0, 1, 0, uints(7)));
   EXPECT_TRUE(resource->write(0, 0, 1, 0, 0, uints(7)));
   EXPECT_TRUE(resource->write(0, 0, 0, 0, 1, uints(7)));
   for (uint64_t i = 0; i < image.layout->totalSize; ++i)
      ASSERT_EQ(0x11, image.data[i]) << "byte " << i;
   spirv::Texel texel = uints(9, 9, 9, 9);
   EXPECT_TRUE(resource->read(0, 8, 0, 0, 0, texel));
   EXPECT_EQ((std::array<uint32_t, 4>{0, 0, 0, 0}), texel.lanes);
   EXPECT_EQ((std::array<uint32_t, 3>{0, 0, 0}), resource->extent(1));
}

TEST_F(ImageViewResourceTest, NoResourceForWhatShadersCannotReach)
{
   // Not bound yet.
   VkImage unbound = VK_NULL_HANDLE;
   ASSERT_NO_FATAL_FAILURE(createStorageImage(VK_IMAGE_TYPE_2D, VK_FORMAT_R8G8B8A8_UNORM, {8, 8, 1}, 0, &unbound));
   const VkImageSubresourceRange all{VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1};
   EXPECT_EQ(nullptr, ImageViewResource::create(
                         *memory_, view(unbound, VK_IMAGE_VIEW_TYPE_2D, VK_FORMAT_R8G8B8A8_UNORM, all), false));
   // A view format of another texel size (invalid usage), and a compressed one.
   const HostImage image =
      hostImage(VK_IMAGE_TYPE_2D, VK_FORMAT_R8G8B8A8_UNORM, {8, 8, 1}, 1, 1, VK_IMAGE_TILING_OPTIMAL);
   EXPECT_EQ(nullptr, ImageViewResource::create(
                         *memory_, view(image.image, VK_IMAGE_VIEW_TYPE_2D, VK_FORMAT_R16G16B16A16_UINT, all), false));
   const HostImage bc = hostImage(VK_IMAGE_TYPE_2D, VK_FORMAT_BC1_RGBA_UNORM_BLOCK, {8, 8, 1}, 1, 1,
                                  VK_IMAGE_TILING_OPTIMAL);
   EXPECT_EQ(nullptr, ImageViewResource::create(
                         *memory_, view(bc.image, VK_IMAGE_VIEW_TYPE_2D, VK_FORMAT_BC1_RGBA_UNORM_BLOCK, all), false));
   destroyViewsAndImage(unbound);
}

TEST_F(ImageViewResourceTest, UncompressedViewOfCompressedImageSeesBlocks)
{
   const HostImage bc = hostImage(VK_IMAGE_TYPE_2D, VK_FORMAT_BC1_RGBA_UNORM_BLOCK, {16, 8, 1}, 1, 1,
                                  VK_IMAGE_TILING_OPTIMAL);
   ASSERT_NE(nullptr, bc.data);
   ImageView &v = view(bc.image, VK_IMAGE_VIEW_TYPE_2D, VK_FORMAT_R32G32_UINT, {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1});
   auto resource = ImageViewResource::create(*memory_, v, false);
   ASSERT_NE(nullptr, resource);
   EXPECT_EQ((std::array<uint32_t, 3>{4, 2, 1}), resource->extent(0));
   ASSERT_TRUE(resource->write(3, 1, 0, 0, 0, uints(0x01020304, 0x05060708)));
   uint32_t stored[2] = {};
   memcpy(stored, bc.data + pan::layout::texelOffset(*bc.layout, 0, 0, 3, 1, 0), 8);
   EXPECT_EQ(0x01020304u, stored[0]);
   EXPECT_EQ(0x05060708u, stored[1]);
}

TEST_F(ImageViewResourceTest, AtomicsOnR32UintOnly)
{
   const HostImage image = hostImage(VK_IMAGE_TYPE_2D, VK_FORMAT_R32_UINT, {8, 8, 1}, 1, 1, VK_IMAGE_TILING_OPTIMAL);
   ASSERT_NE(nullptr, image.data);
   const VkImageSubresourceRange all{VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1};
   auto resource = ImageViewResource::create(*memory_, view(image.image, VK_IMAGE_VIEW_TYPE_2D, VK_FORMAT_R32_UINT, all),
                                             false);
   ASSERT_NE(nullptr, resource);
   for (int i = 0; i < 5; ++i)
      ASSERT_TRUE(resource->atomic(6, 7, 0, 0, 0, [](uint32_t &word) { word += 3; }));
   uint32_t stored = 0;
   memcpy(&stored, image.data + pan::layout::texelOffset(*image.layout, 0, 0, 6, 7, 0), 4);
   EXPECT_EQ(15u, stored);

   auto floats = ImageViewResource::create(
      *memory_, view(image.image, VK_IMAGE_VIEW_TYPE_2D, VK_FORMAT_R32_SFLOAT, all), false);
   ASSERT_NE(nullptr, floats);
   bool called = false;
   EXPECT_FALSE(floats->atomic(0, 0, 0, 0, 0, [&](uint32_t &) { called = true; }));
   EXPECT_FALSE(called);
}

TEST_F(ImageViewResourceTest, TexelBufferElementsFromTheViewOffset)
{
   const HostBuffer buffer = hostBuffer(1024, 0xee);
   BufferView &v = bufferView(buffer.buffer, VK_FORMAT_R16G16_SINT, 64, 100);
   auto resource = TexelBufferResource::create(*memory_, v);
   ASSERT_NE(nullptr, resource);
   EXPECT_EQ(spirv::TexelKind::Sint, resource->kind());
   EXPECT_EQ(1u, resource->levels());
   EXPECT_EQ(1u, resource->layers());
   EXPECT_EQ((std::array<uint32_t, 3>{25, 1, 1}), resource->extent(0));
   ASSERT_TRUE(resource->write(24, 0, 0, 0, 0, uints(uint32_t(-2), 1000)));
   int16_t stored[2] = {};
   memcpy(stored, buffer.data + 64 + 24 * 4, 4);
   EXPECT_EQ(-2, stored[0]);
   EXPECT_EQ(1000, stored[1]);
   EXPECT_EQ(0xee, buffer.data[64 + 25 * 4]);
   spirv::Texel texel;
   ASSERT_TRUE(resource->read(24, 0, 0, 0, 0, texel));
   EXPECT_EQ(uint32_t(-2), texel.lanes[0]);
   EXPECT_EQ(1u, texel.lanes[3]);
   // Past the view: nothing written.
   EXPECT_TRUE(resource->write(25, 0, 0, 0, 0, uints(1, 1)));
   EXPECT_EQ(0xee, buffer.data[64 + 25 * 4]);

   BufferView &whole = bufferView(buffer.buffer, VK_FORMAT_R32_UINT, 1000, VK_WHOLE_SIZE);
   auto tail = TexelBufferResource::create(*memory_, whole);
   ASSERT_NE(nullptr, tail);
   EXPECT_EQ((std::array<uint32_t, 3>{6, 1, 1}), tail->extent(0));
   ASSERT_TRUE(tail->atomic(5, 0, 0, 0, 0, [](uint32_t &word) { word = 0x01020304; }));
   EXPECT_EQ(0x04, buffer.data[1020]);
   EXPECT_EQ(nullptr, TexelBufferResource::create(*memory_, bufferView(buffer.buffer, VK_FORMAT_D32_SFLOAT, 0, 64)));
}

// A 256x256 image written and read texel by texel, as a shader storing every
// texel would: well within a second (one MMU access per texel).
TEST_F(ImageViewResourceTest, WholeImageTexelByTexelIsFast)
{
   const HostImage image =
      hostImage(VK_IMAGE_TYPE_2D, VK_FORMAT_R8G8B8A8_UNORM, {256, 256, 1}, 1, 1, VK_IMAGE_TILING_OPTIMAL);
   ASSERT_NE(nullptr, image.data);
   auto resource = ImageViewResource::create(
      *memory_,
      view(image.image, VK_IMAGE_VIEW_TYPE_2D, VK_FORMAT_R8G8B8A8_UNORM, {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1}),
      false);
   ASSERT_NE(nullptr, resource);
   const auto start = std::chrono::steady_clock::now();
   spirv::Texel texel;
   texel.lanes = {0x3f000000, 0, 0, 0x3f800000};
   for (uint32_t y = 0; y < 256; ++y)
      for (uint32_t x = 0; x < 256; ++x) {
         ASSERT_TRUE(resource->write(x, y, 0, 0, 0, texel));
         spirv::Texel back;
         ASSERT_TRUE(resource->read(x, y, 0, 0, 0, back));
      }
   const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
   EXPECT_LT(seconds, 1.0);
   EXPECT_EQ(128, image.data[pan::layout::texelOffset(*image.layout, 0, 0, 255, 255, 0)]);
}

TEST_F(ImageViewResourceTest, DispatchLookupsFollowTheBoundSet)
{
   const HostImage image = hostImage(VK_IMAGE_TYPE_2D, VK_FORMAT_R32_UINT, {8, 8, 1}, 1, 1, VK_IMAGE_TILING_OPTIMAL);
   const HostBuffer buffer = hostBuffer(256);
   ImageView &v = view(image.image, VK_IMAGE_VIEW_TYPE_2D, VK_FORMAT_R32_UINT, {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1});
   BufferView &texels = bufferView(buffer.buffer, VK_FORMAT_R32_UINT, 0, VK_WHOLE_SIZE);

   VkSamplerCreateInfo samplerInfo{VK_STRUCTURE_TYPE_SAMPLER_CREATE_INFO};
   samplerInfo.magFilter = VK_FILTER_LINEAR;
   samplerInfo.addressModeU = VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_BORDER;
   samplerInfo.borderColor = VK_BORDER_COLOR_INT_OPAQUE_WHITE;
   samplerInfo.maxLod = 3.0f;
   VkSampler immutable = VK_NULL_HANDLE, written = VK_NULL_HANDLE;
   ASSERT_EQ(VK_SUCCESS, panvk_CreateSampler(device_, &samplerInfo, nullptr, &immutable));
   samplerInfo.magFilter = VK_FILTER_NEAREST;
   samplerInfo.mipmapMode = VK_SAMPLER_MIPMAP_MODE_LINEAR;
   ASSERT_EQ(VK_SUCCESS, panvk_CreateSampler(device_, &samplerInfo, nullptr, &written));

   const VkDescriptorSetLayoutBinding bindings[] = {
      {0, VK_DESCRIPTOR_TYPE_STORAGE_IMAGE, 1, VK_SHADER_STAGE_COMPUTE_BIT, nullptr},
      {1, VK_DESCRIPTOR_TYPE_STORAGE_TEXEL_BUFFER, 1, VK_SHADER_STAGE_COMPUTE_BIT, nullptr},
      {2, VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, 1, VK_SHADER_STAGE_COMPUTE_BIT, &immutable},
      {3, VK_DESCRIPTOR_TYPE_SAMPLER, 1, VK_SHADER_STAGE_COMPUTE_BIT, nullptr},
      {4, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 1, VK_SHADER_STAGE_COMPUTE_BIT, nullptr},
   };
   VkDescriptorSetLayoutCreateInfo layoutInfo{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO};
   layoutInfo.bindingCount = 5;
   layoutInfo.pBindings = bindings;
   VkDescriptorSetLayout setLayout = VK_NULL_HANDLE;
   ASSERT_EQ(VK_SUCCESS, panvk_CreateDescriptorSetLayout(device_, &layoutInfo, nullptr, &setLayout));
   // The layout copied the immutable sampler: it may go now.
   panvk_DestroySampler(device_, immutable, nullptr);
   const VkDescriptorPoolSize sizes[] = {{VK_DESCRIPTOR_TYPE_STORAGE_IMAGE, 1},
                                         {VK_DESCRIPTOR_TYPE_STORAGE_TEXEL_BUFFER, 1},
                                         {VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, 1},
                                         {VK_DESCRIPTOR_TYPE_SAMPLER, 1},
                                         {VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 1}};
   VkDescriptorPoolCreateInfo poolInfo{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
   poolInfo.maxSets = 1;
   poolInfo.poolSizeCount = 5;
   poolInfo.pPoolSizes = sizes;
   VkDescriptorPool pool = VK_NULL_HANDLE;
   ASSERT_EQ(VK_SUCCESS, panvk_CreateDescriptorPool(device_, &poolInfo, nullptr, &pool));
   VkDescriptorSetAllocateInfo allocInfo{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
   allocInfo.descriptorPool = pool;
   allocInfo.descriptorSetCount = 1;
   allocInfo.pSetLayouts = &setLayout;
   VkDescriptorSet set = VK_NULL_HANDLE;
   ASSERT_EQ(VK_SUCCESS, panvk_AllocateDescriptorSets(device_, &allocInfo, &set));

   const VkDescriptorImageInfo storageInfo{VK_NULL_HANDLE, v.handle(), VK_IMAGE_LAYOUT_GENERAL};
   const VkDescriptorImageInfo combinedInfo{written, v.handle(), VK_IMAGE_LAYOUT_GENERAL};
   const VkDescriptorImageInfo samplerOnly{written, VK_NULL_HANDLE, VK_IMAGE_LAYOUT_UNDEFINED};
   const VkBufferView texelHandle = texels.handle();
   VkWriteDescriptorSet writes[4] = {};
   for (uint32_t i = 0; i < 4; ++i) {
      writes[i] = {VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET};
      writes[i].dstSet = set;
      writes[i].dstBinding = i;
      writes[i].descriptorCount = 1;
      writes[i].descriptorType = bindings[i].descriptorType;
   }
   writes[0].pImageInfo = &storageInfo;
   writes[1].pTexelBufferView = &texelHandle;
   writes[2].pImageInfo = &combinedInfo;
   writes[3].pImageInfo = &samplerOnly;
   panvk_UpdateDescriptorSets(device_, 4, writes, 0, nullptr);

   ComputeState state(device());
   state.sets[1].set = DescriptorSet::from(set);
   DispatchImages images(state, *memory_);
   spirv::ImageResource *storage = images.image(1, 0, 0);
   ASSERT_NE(nullptr, storage);
   EXPECT_EQ(storage, images.image(1, 0, 0)); // made once per dispatch
   EXPECT_EQ((std::array<uint32_t, 3>{8, 8, 1}), storage->extent(0));
   spirv::ImageResource *texelBuffer = images.image(1, 1, 0);
   ASSERT_NE(nullptr, texelBuffer);
   EXPECT_EQ((std::array<uint32_t, 3>{64, 1, 1}), texelBuffer->extent(0));
   EXPECT_NE(nullptr, images.image(1, 2, 0));
   EXPECT_EQ(storage, images.image(1, 0, 0));
   EXPECT_EQ(nullptr, images.image(1, 3, 0)); // a sampler holds no image
   EXPECT_EQ(nullptr, images.image(1, 4, 0)); // nor does a storage buffer
   EXPECT_EQ(nullptr, images.image(1, 0, 1));
   EXPECT_EQ(nullptr, images.image(0, 0, 0)); // no set bound there
   EXPECT_EQ(nullptr, images.image(7, 0, 0));

   const spirv::SamplerState *combined = images.sampler(1, 2, 0);
   ASSERT_NE(nullptr, combined);
   EXPECT_EQ(spirv::Filter::Linear, combined->magFilter); // the immutable one, not the one written
   EXPECT_EQ(spirv::AddressMode::ClampToBorder, combined->address[0]);
   EXPECT_EQ(spirv::BorderColor::OpaqueWhite, combined->border);
   EXPECT_EQ(3.0f, combined->maxLod);
   const spirv::SamplerState *plain = images.sampler(1, 3, 0);
   ASSERT_NE(nullptr, plain);
   EXPECT_EQ(spirv::Filter::Nearest, plain->magFilter);
   EXPECT_EQ(spirv::Filter::Linear, plain->mipmapMode);
   EXPECT_EQ(nullptr, images.sampler(1, 0, 0));
   EXPECT_EQ(nullptr, images.sampler(2, 3, 0));

   // Through the lookups the interpreter gets.
   const spirv::ImageLookup lookup = images.imageLookup();
   EXPECT_EQ(storage, lookup(1, 0, 0));
   EXPECT_EQ(plain, images.samplerLookup()(1, 3, 0));

   panvk_DestroyDescriptorPool(device_, pool, nullptr);
   panvk_DestroyDescriptorSetLayout(device_, setLayout, nullptr);
   panvk_DestroySampler(device_, written, nullptr);
}

} // namespace
} // namespace panvk::test
