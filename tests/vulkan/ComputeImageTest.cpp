// Storage images in compute shaders, through the loader with the validation
// layer: what the device offers for them, every offered storage format in
// both tilings (a shader stores known values, the image is copied out and
// compared with bytes packed by the test's own TexelModel; texels uploaded by
// copy are loaded by the shader and compared with the model's unpacking),
// 2D views of a mip level, 3D images, images spanning several tiles, image
// atomics, and what the device refuses.
#include <algorithm>
#include <cstring>
#include <map>
#include <numeric>

#include "ComputeImageFixture.h"
#include "TexelModel.h"

namespace panvk::test {
namespace {

constexpr VkImageSubresourceRange kColorLevel0{VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1};

const char *
roundTripShader(const TexelModelFormat &format)
{
   switch (format.cls) {
   case TexelClass::Uint: return "vk_image_roundtrip_uint.comp";
   case TexelClass::Sint: return "vk_image_roundtrip_sint.comp";
   default: return "vk_image_roundtrip_float.comp";
   }
}

class ComputeImageTest : public ComputeImageFixture {
protected:
   struct RoundTrip {
      const char *shader = nullptr;
      VkImageType type = VK_IMAGE_TYPE_2D;
      VkImageViewType viewType = VK_IMAGE_VIEW_TYPE_2D_ARRAY;
      VkExtent3D extent{1, 1, 1};
      uint32_t levels = 1;
      uint32_t layers = 1;
      uint32_t viewLevel = 0; // the level the views see
   };

   // Stores model values into image A and loads model texels uploaded into
   // image B, through views of `shape.viewLevel`, in one dispatch; checks
   // A's copied-out bytes and the loaded values against the model, and that
   // the levels the views do not see stay zero.
   void roundTrip(const TexelModelFormat &format, VkImageTiling tiling, const RoundTrip &shape)
   {
      SCOPED_TRACE(format.name + (tiling == VK_IMAGE_TILING_LINEAR ? " linear" : " optimal"));
      const VkBufferImageCopy region = wholeLevel(shape.extent, shape.viewLevel, shape.layers);
      const VkExtent3D level = region.imageExtent;
      const uint32_t texels = level.width * level.height * level.depth * shape.layers;
      const ImageResource stored = createImage(shape.type, format.format, shape.extent, shape.levels, shape.layers,
                                               tiling, kStorageUsage);
      const ImageResource loadedFrom = createImage(shape.type, format.format, shape.extent, shape.levels,
                                                   shape.layers, tiling, kStorageUsage);
      ASSERT_TRUE(stored.image && loadedFrom.image);

      MappedBuffer values = createBuffer(texels * 16, VK_BUFFER_USAGE_STORAGE_BUFFER_BIT);
      MappedBuffer loaded = createBuffer(texels * 16, VK_BUFFER_USAGE_STORAGE_BUFFER_BIT);
      MappedBuffer staging = createBuffer(texels * format.bytes, 0);
      std::vector<uint8_t> expectedStored, uploaded;
      for (uint32_t i = 0; i < texels; ++i) {
         const Lanes value = texelValue(format, i);
         memcpy(values.mapped + i * 16, value.data(), 16);
         const std::vector<uint8_t> packed = packTexel(format, value);
         expectedStored.insert(expectedStored.end(), packed.begin(), packed.end());
         const std::vector<uint8_t> other = packTexel(format, texelValue(format, i + 7919));
         uploaded.insert(uploaded.end(), other.begin(), other.end());
      }
      memcpy(staging.mapped, uploaded.data(), uploaded.size());
      ASSERT_NO_FATAL_FAILURE(upload(loadedFrom, staging, region));

      ComputePipeline &p = pipelines_[shape.shader];
      if (!p.pipeline) {
         p = pipeline(shape.shader, {{0, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER},
                                     {1, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER},
                                     {2, VK_DESCRIPTOR_TYPE_STORAGE_IMAGE},
                                     {3, VK_DESCRIPTOR_TYPE_STORAGE_IMAGE}});
      }
      ASSERT_NE(VK_NULL_HANDLE, p.pipeline);
      const VkImageSubresourceRange range{VK_IMAGE_ASPECT_COLOR_BIT, shape.viewLevel, 1, 0,
                                          shape.type == VK_IMAGE_TYPE_3D ? 1 : shape.layers};
      const VkDescriptorSet set = allocateSet(p.setLayout);
      writeBuffer(set, 0, values);
      writeBuffer(set, 1, loaded);
      writeImage(set, 2, VK_DESCRIPTOR_TYPE_STORAGE_IMAGE, createView(stored, shape.viewType, format.format, range));
      writeImage(set, 3, VK_DESCRIPTOR_TYPE_STORAGE_IMAGE,
                 createView(loadedFrom, shape.viewType, format.format, range));
      const uint32_t groupsZ = shape.type == VK_IMAGE_TYPE_3D ? level.depth : shape.layers;
      ASSERT_NO_FATAL_FAILURE(run([&](VkCommandBuffer cmd) {
         dispatch(cmd, p, set, (level.width + 7) / 8, (level.height + 7) / 8, groupsZ);
      }));

      memset(staging.mapped, 0xcd, staging.size);
      ASSERT_NO_FATAL_FAILURE(download(stored, staging, region));
      for (uint32_t i = 0; i < texels; ++i) {
         ASSERT_EQ(0, memcmp(expectedStored.data() + i * format.bytes, staging.mapped + i * format.bytes,
                             format.bytes))
            << "stored texel " << i << " of " << texels << ": shader wrote "
            << describeLanes(format, texelValue(format, i));
      }
      for (uint32_t i = 0; i < texels; ++i) {
         Lanes got;
         memcpy(got.data(), loaded.mapped + i * 16, 16);
         const Lanes expected = unpackTexel(format, uploaded.data() + i * format.bytes);
         ASSERT_TRUE(lanesMatch(format, expected, got))
            << "loaded texel " << i << ": expected " << describeLanes(format, expected) << ", got "
            << describeLanes(format, got);
      }
      // The other levels of the stored image are as they were: zero.
      for (uint32_t other = 0; other < shape.levels; ++other) {
         if (other == shape.viewLevel)
            continue;
         const VkBufferImageCopy otherRegion = wholeLevel(shape.extent, other, shape.layers);
         const size_t bytes = size_t(otherRegion.imageExtent.width) * otherRegion.imageExtent.height *
                              otherRegion.imageExtent.depth * shape.layers * format.bytes;
         MappedBuffer otherStaging = createBuffer(bytes, 0);
         memset(otherStaging.mapped, 0xcd, bytes);
         ASSERT_NO_FATAL_FAILURE(download(stored, otherStaging, otherRegion));
         EXPECT_TRUE(std::all_of(otherStaging.mapped, otherStaging.mapped + bytes, [](uint8_t b) { return b == 0; }))
            << "level " << other << " was written";
      }
   }

   std::map<std::string, ComputePipeline> pipelines_; // by shader

   bool offersStorage(VkFormat format, VkImageTiling tiling)
   {
      VkFormatProperties props{};
      vkGetPhysicalDeviceFormatProperties(physicalDevice_, format, &props);
      const VkFormatFeatureFlags features =
         tiling == VK_IMAGE_TILING_LINEAR ? props.linearTilingFeatures : props.optimalTilingFeatures;
      return features & VK_FORMAT_FEATURE_STORAGE_IMAGE_BIT;
   }
};

TEST_F(ComputeImageTest, OffersStorageAndSampledImagesForColourFormats)
{
   for (const TexelModelFormat &format : texelModelFormats()) {
      SCOPED_TRACE(format.name);
      VkFormatProperties props{};
      vkGetPhysicalDeviceFormatProperties(physicalDevice_, format.format, &props);
      for (VkFormatFeatureFlags features : {props.linearTilingFeatures, props.optimalTilingFeatures}) {
         EXPECT_TRUE(features & VK_FORMAT_FEATURE_STORAGE_IMAGE_BIT);
         EXPECT_TRUE(features & VK_FORMAT_FEATURE_SAMPLED_IMAGE_BIT);
         EXPECT_EQ(format.isFloat(), bool(features & VK_FORMAT_FEATURE_SAMPLED_IMAGE_FILTER_LINEAR_BIT));
         const bool r32Int = format.format == VK_FORMAT_R32_UINT || format.format == VK_FORMAT_R32_SINT;
         EXPECT_EQ(r32Int, bool(features & VK_FORMAT_FEATURE_STORAGE_IMAGE_ATOMIC_BIT));
         EXPECT_EQ(r32Int, bool(props.bufferFeatures & VK_FORMAT_FEATURE_STORAGE_TEXEL_BUFFER_ATOMIC_BIT));
      }
      EXPECT_TRUE(props.bufferFeatures & VK_FORMAT_FEATURE_UNIFORM_TEXEL_BUFFER_BIT);
      EXPECT_TRUE(props.bufferFeatures & VK_FORMAT_FEATURE_STORAGE_TEXEL_BUFFER_BIT);
      VkImageFormatProperties limits{};
      EXPECT_EQ(VK_SUCCESS, vkGetPhysicalDeviceImageFormatProperties(physicalDevice_, format.format, VK_IMAGE_TYPE_2D,
                                                                     VK_IMAGE_TILING_OPTIMAL, kStorageUsage | kSampledUsage,
                                                                     0, &limits));
   }
   // Every core format offered for storage is one the tests here cover.
   for (int f = VK_FORMAT_R4G4_UNORM_PACK8; f <= VK_FORMAT_ASTC_12x12_SRGB_BLOCK; ++f) {
      VkFormatProperties props{};
      vkGetPhysicalDeviceFormatProperties(physicalDevice_, VkFormat(f), &props);
      const VkFormatFeatureFlags all = props.linearTilingFeatures | props.optimalTilingFeatures | props.bufferFeatures;
      if (all & (VK_FORMAT_FEATURE_STORAGE_IMAGE_BIT | VK_FORMAT_FEATURE_STORAGE_TEXEL_BUFFER_BIT)) {
         EXPECT_NE(nullptr, findTexelModelFormat(VkFormat(f))) << "format " << f << " is offered for storage";
      }
   }
}

TEST_F(ComputeImageTest, CompressedAndDepthFormatsAreNotStorage)
{
   for (VkFormat format : {VK_FORMAT_BC1_RGBA_UNORM_BLOCK, VK_FORMAT_BC3_UNORM_BLOCK, VK_FORMAT_BC7_SRGB_BLOCK}) {
      VkFormatProperties props{};
      vkGetPhysicalDeviceFormatProperties(physicalDevice_, format, &props);
      const VkFormatFeatureFlags shaderFeatures = VK_FORMAT_FEATURE_STORAGE_IMAGE_BIT |
                                                  VK_FORMAT_FEATURE_SAMPLED_IMAGE_BIT;
      EXPECT_EQ(0u, props.optimalTilingFeatures & shaderFeatures) << format;
      EXPECT_EQ(0u, props.bufferFeatures) << format;
      VkImageFormatProperties limits{};
      EXPECT_EQ(VK_ERROR_FORMAT_NOT_SUPPORTED,
                vkGetPhysicalDeviceImageFormatProperties(physicalDevice_, format, VK_IMAGE_TYPE_2D, VK_IMAGE_TILING_OPTIMAL,
                                                         VK_IMAGE_USAGE_STORAGE_BIT, 0, &limits));
      EXPECT_EQ(VK_ERROR_FORMAT_NOT_SUPPORTED,
                vkGetPhysicalDeviceImageFormatProperties(physicalDevice_, format, VK_IMAGE_TYPE_2D, VK_IMAGE_TILING_OPTIMAL,
                                                         VK_IMAGE_USAGE_SAMPLED_BIT, 0, &limits));
   }
   // Depth is sampled (read as a float), never stored.
   VkFormatProperties depth{};
   vkGetPhysicalDeviceFormatProperties(physicalDevice_, VK_FORMAT_D32_SFLOAT, &depth);
   EXPECT_TRUE(depth.optimalTilingFeatures & VK_FORMAT_FEATURE_SAMPLED_IMAGE_BIT);
   EXPECT_FALSE(depth.optimalTilingFeatures & VK_FORMAT_FEATURE_STORAGE_IMAGE_BIT);
   EXPECT_FALSE(depth.optimalTilingFeatures & VK_FORMAT_FEATURE_SAMPLED_IMAGE_FILTER_LINEAR_BIT);
   EXPECT_EQ(0u, depth.bufferFeatures);
   VkImageFormatProperties limits{};
   EXPECT_EQ(VK_ERROR_FORMAT_NOT_SUPPORTED,
             vkGetPhysicalDeviceImageFormatProperties(physicalDevice_, VK_FORMAT_D32_SFLOAT, VK_IMAGE_TYPE_2D,
                                                      VK_IMAGE_TILING_OPTIMAL, VK_IMAGE_USAGE_STORAGE_BIT, 0, &limits));
   EXPECT_EQ(VK_SUCCESS,
             vkGetPhysicalDeviceImageFormatProperties(physicalDevice_, VK_FORMAT_D32_SFLOAT, VK_IMAGE_TYPE_2D,
                                                      VK_IMAGE_TILING_OPTIMAL, VK_IMAGE_USAGE_SAMPLED_BIT, 0, &limits));
}

class ComputeImageFormatTest : public ComputeImageTest, public ::testing::WithParamInterface<VkImageTiling> {};

TEST_P(ComputeImageFormatTest, EveryStorageFormatStoresAndLoads)
{
   uint32_t tested = 0;
   for (const TexelModelFormat &format : texelModelFormats()) {
      if (!offersStorage(format.format, GetParam()))
         continue;
      RoundTrip shape;
      shape.shader = roundTripShader(format);
      shape.extent = {11, 7, 1};
      shape.layers = 2;
      ASSERT_NO_FATAL_FAILURE(roundTrip(format, GetParam(), shape));
      ++tested;
   }
   EXPECT_EQ(texelModelFormats().size(), tested);
}

INSTANTIATE_TEST_SUITE_P(Tilings, ComputeImageFormatTest,
                         ::testing::Values(VK_IMAGE_TILING_OPTIMAL, VK_IMAGE_TILING_LINEAR),
                         [](const auto &info) {
                            return std::string(info.param == VK_IMAGE_TILING_LINEAR ? "Linear" : "Optimal");
                         });

TEST_F(ComputeImageTest, TwoDimensionalViewOfAMipLevel)
{
   for (VkImageTiling tiling : {VK_IMAGE_TILING_OPTIMAL, VK_IMAGE_TILING_LINEAR}) {
      RoundTrip shape;
      shape.shader = "vk_image_roundtrip_2d.comp";
      shape.viewType = VK_IMAGE_VIEW_TYPE_2D;
      shape.extent = {40, 24, 1};
      shape.levels = 4;
      shape.viewLevel = 2;
      ASSERT_NO_FATAL_FAILURE(roundTrip(*findTexelModelFormat(VK_FORMAT_R8G8B8A8_UNORM), tiling, shape));
   }
}

TEST_F(ComputeImageTest, ThreeDimensionalImages)
{
   for (VkImageTiling tiling : {VK_IMAGE_TILING_OPTIMAL, VK_IMAGE_TILING_LINEAR}) {
      RoundTrip shape;
      shape.shader = "vk_image_roundtrip_3d.comp";
      shape.type = VK_IMAGE_TYPE_3D;
      shape.viewType = VK_IMAGE_VIEW_TYPE_3D;
      shape.extent = {20, 9, 5};
      shape.levels = 2;
      shape.viewLevel = 0;
      ASSERT_NO_FATAL_FAILURE(roundTrip(*findTexelModelFormat(VK_FORMAT_R16G16B16A16_UINT), tiling, shape));
      shape.viewLevel = 1;
      ASSERT_NO_FATAL_FAILURE(roundTrip(*findTexelModelFormat(VK_FORMAT_R16G16B16A16_UINT), tiling, shape));
   }
}

// 256 one-byte texels and 64 sixteen-byte texels make a tile row: these
// images cross tile edges both ways.
TEST_F(ComputeImageTest, ImagesSpanningSeveralTiles)
{
   RoundTrip bytes;
   bytes.shader = "vk_image_roundtrip_uint.comp";
   bytes.extent = {300, 20, 1};
   ASSERT_NO_FATAL_FAILURE(roundTrip(*findTexelModelFormat(VK_FORMAT_R8_UINT), VK_IMAGE_TILING_OPTIMAL, bytes));
   RoundTrip wide;
   wide.shader = "vk_image_roundtrip_float.comp";
   wide.extent = {70, 70, 1};
   ASSERT_NO_FATAL_FAILURE(
      roundTrip(*findTexelModelFormat(VK_FORMAT_R32G32B32A32_SFLOAT), VK_IMAGE_TILING_OPTIMAL, wide));
}

TEST_F(ComputeImageTest, AtomicsOnR32UintImagesAndTexelBuffers)
{
   constexpr uint32_t kInvocations = 256;
   const ImageResource counters =
      createImage(VK_IMAGE_TYPE_2D, VK_FORMAT_R32_UINT, {4, 2, 1}, 1, 1, VK_IMAGE_TILING_OPTIMAL, kStorageUsage);
   MappedBuffer staging = createBuffer(8 * 4, 0);
   const uint32_t initial[8] = {0, 0, ~0u, 0, 0, 0, 0, 0};
   memcpy(staging.mapped, initial, sizeof(initial));
   ASSERT_NO_FATAL_FAILURE(upload(counters, staging, wholeLevel({4, 2, 1}, 0, 1)));
   MappedBuffer elements = createBuffer(8 * 4, VK_BUFFER_USAGE_STORAGE_TEXEL_BUFFER_BIT);
   MappedBuffer old = createBuffer(kInvocations * 4, VK_BUFFER_USAGE_STORAGE_BUFFER_BIT);

   const ComputePipeline p = pipeline("vk_image_atomics.comp", {{0, VK_DESCRIPTOR_TYPE_STORAGE_IMAGE},
                                                                {1, VK_DESCRIPTOR_TYPE_STORAGE_TEXEL_BUFFER},
                                                                {2, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER}});
   ASSERT_NE(VK_NULL_HANDLE, p.pipeline);
   const VkDescriptorSet set = allocateSet(p.setLayout);
   writeImage(set, 0, VK_DESCRIPTOR_TYPE_STORAGE_IMAGE,
              createView(counters, VK_IMAGE_VIEW_TYPE_2D, VK_FORMAT_R32_UINT, kColorLevel0));
   writeTexelBuffer(set, 1, VK_DESCRIPTOR_TYPE_STORAGE_TEXEL_BUFFER,
                    createBufferView(elements, VK_FORMAT_R32_UINT, 0, VK_WHOLE_SIZE));
   writeBuffer(set, 2, old);
   ASSERT_NO_FATAL_FAILURE(run([&](VkCommandBuffer cmd) { dispatch(cmd, p, set, kInvocations / 64); }));
   ASSERT_NO_FATAL_FAILURE(download(counters, staging, wholeLevel({4, 2, 1}, 0, 1)));

   uint32_t got[8];
   memcpy(got, staging.mapped, sizeof(got));
   EXPECT_EQ(kInvocations, got[0]);
   EXPECT_EQ((kInvocations - 1) * 7, got[1]);
   EXPECT_EQ(5u, got[2]);
   EXPECT_EQ(~0u, got[3]);
   for (uint32_t column = 0; column < 4; ++column) {
      uint32_t sum = 0;
      for (uint32_t i = column; i < kInvocations; i += 4)
         sum += i;
      EXPECT_EQ(sum, got[4 + column]) << "column " << column;
   }
   // Every invocation saw a different old value of the shared counter.
   std::vector<uint32_t> olds(kInvocations);
   memcpy(olds.data(), old.mapped, kInvocations * 4);
   std::sort(olds.begin(), olds.end());
   std::vector<uint32_t> all(kInvocations);
   std::iota(all.begin(), all.end(), 0u);
   EXPECT_EQ(all, olds);
   for (uint32_t e = 0; e < 8; ++e)
      EXPECT_EQ(kInvocations / 8, reinterpret_cast<const uint32_t *>(elements.mapped)[e]) << "element " << e;
}

TEST_F(ComputeImageTest, RefusalsAreResultsNotCrashes)
{
   // A shader using an image instruction the device does not run (gather).
   const ComputePipeline layoutOnly = [&] {
      ComputePipeline out;
      VkDescriptorSetLayoutBinding bindings[] = {
         {0, VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, 1, VK_SHADER_STAGE_COMPUTE_BIT, nullptr},
         {1, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 1, VK_SHADER_STAGE_COMPUTE_BIT, nullptr}};
      VkDescriptorSetLayoutCreateInfo info{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO};
      info.bindingCount = 2;
      info.pBindings = bindings;
      EXPECT_EQ(VK_SUCCESS, vkCreateDescriptorSetLayout(dev_, &info, nullptr, &out.setLayout));
      const VkDescriptorSetLayout setLayout = out.setLayout;
      atImageTearDown([this, setLayout] { vkDestroyDescriptorSetLayout(dev_, setLayout, nullptr); });
      out.layout = kit_->pipelineLayout({out.setLayout});
      return out;
   }();
   VkPipeline refused = VK_NULL_HANDLE;
   EXPECT_EQ(VK_ERROR_OUT_OF_DEVICE_MEMORY, kit_->pipeline("vk_image_gather.comp", layoutOnly.layout, &refused));
   EXPECT_EQ(VK_NULL_HANDLE, refused);

   // A pool without room for another storage image.
   const VkDescriptorPoolSize size{VK_DESCRIPTOR_TYPE_STORAGE_IMAGE, 1};
   VkDescriptorPoolCreateInfo poolInfo{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
   poolInfo.maxSets = 4;
   poolInfo.poolSizeCount = 1;
   poolInfo.pPoolSizes = &size;
   VkDescriptorPool pool = VK_NULL_HANDLE;
   ASSERT_EQ(VK_SUCCESS, vkCreateDescriptorPool(dev_, &poolInfo, nullptr, &pool));
   atImageTearDown([this, pool] { vkDestroyDescriptorPool(dev_, pool, nullptr); });
   VkDescriptorSetLayoutBinding one{0, VK_DESCRIPTOR_TYPE_STORAGE_IMAGE, 1, VK_SHADER_STAGE_COMPUTE_BIT, nullptr};
   VkDescriptorSetLayoutCreateInfo oneInfo{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO};
   oneInfo.bindingCount = 1;
   oneInfo.pBindings = &one;
   VkDescriptorSetLayout oneImage = VK_NULL_HANDLE;
   ASSERT_EQ(VK_SUCCESS, vkCreateDescriptorSetLayout(dev_, &oneInfo, nullptr, &oneImage));
   atImageTearDown([this, oneImage] { vkDestroyDescriptorSetLayout(dev_, oneImage, nullptr); });
   const VkDescriptorSetLayout twice[2] = {oneImage, oneImage};
   VkDescriptorSetAllocateInfo alloc{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
   alloc.descriptorPool = pool;
   alloc.descriptorSetCount = 2;
   alloc.pSetLayouts = twice;
   VkDescriptorSet sets[2] = {};
   EXPECT_EQ(VK_ERROR_OUT_OF_POOL_MEMORY, vkAllocateDescriptorSets(dev_, &alloc, sets));
   EXPECT_EQ(VK_NULL_HANDLE, sets[0]);

   // More sampled images than a set may hold.
   VkDescriptorSetLayoutBinding many{0, VK_DESCRIPTOR_TYPE_SAMPLED_IMAGE, 2000, VK_SHADER_STAGE_COMPUTE_BIT, nullptr};
   VkDescriptorSetLayoutCreateInfo manyInfo{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO};
   manyInfo.bindingCount = 1;
   manyInfo.pBindings = &many;
   VkDescriptorSetLayoutSupport support{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_SUPPORT};
   vkGetDescriptorSetLayoutSupport(dev_, &manyInfo, &support);
   EXPECT_FALSE(support.supported);
}

} // namespace
} // namespace panvk::test
