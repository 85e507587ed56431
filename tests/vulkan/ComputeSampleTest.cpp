// Sampled images in compute shaders, through the loader with the validation
// layer: textureLod and texelFetch through a separate texture + sampler and
// through a combined image sampler, NEAREST and LINEAR filtering, address
// modes (repeat, mirrored repeat, clamp to edge, clamp to border), a mip
// chain with mipmapMode LINEAR and NEAREST (and a view from level 1), an
// immutable sampler, a swizzled view, and a depth image read as a float. Expected values come from a CPU
// reference written here from the spec's texel filtering rules; coordinates
// fall on eighths of a texel, so the device's sub-texel precision does not
// matter.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>

#include "ComputeImageFixture.h"

namespace panvk::test {
namespace {

using Rgba = std::array<float, 4>;

struct RefLevel {
   uint32_t width = 0, height = 0;
   std::vector<Rgba> texels; // row-major
};

struct Query {
   float sampleAt[4]; // u, v, lod, unused
   int32_t fetchAt[4]; // x, y, level, unused
};

Rgba
border(VkBorderColor color)
{
   switch (color) {
   case VK_BORDER_COLOR_FLOAT_OPAQUE_BLACK: return {0, 0, 0, 1};
   case VK_BORDER_COLOR_FLOAT_OPAQUE_WHITE: return {1, 1, 1, 1};
   default: return {0, 0, 0, 0};
   }
}

// Integer texel coordinate i of a level `size` wide after the address mode;
// -1 when it falls on the border.
int
wrap(int i, int size, VkSamplerAddressMode mode)
{
   switch (mode) {
   case VK_SAMPLER_ADDRESS_MODE_REPEAT: return ((i % size) + size) % size;
   case VK_SAMPLER_ADDRESS_MODE_MIRRORED_REPEAT: {
      const int t = ((i % (2 * size)) + 2 * size) % (2 * size);
      return t < size ? t : 2 * size - 1 - t;
   }
   case VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_EDGE: return std::clamp(i, 0, size - 1);
   default: return i < 0 || i >= size ? -1 : i;
   }
}

Rgba
texel(const RefLevel &level, const VkSamplerCreateInfo &s, int i, int j)
{
   const int x = wrap(i, int(level.width), s.addressModeU);
   const int y = wrap(j, int(level.height), s.addressModeV);
   if (x < 0 || y < 0)
      return border(s.borderColor);
   return level.texels[size_t(y) * level.width + x];
}

Rgba
sampleLevel(const RefLevel &level, const VkSamplerCreateInfo &s, VkFilter filter, float u, float v)
{
   const float x = u * float(level.width), y = v * float(level.height);
   if (filter == VK_FILTER_NEAREST)
      return texel(level, s, int(std::floor(x)), int(std::floor(y)));
   const float fx = x - 0.5f, fy = y - 0.5f;
   const int i0 = int(std::floor(fx)), j0 = int(std::floor(fy));
   const float a = fx - std::floor(fx), b = fy - std::floor(fy);
   const Rgba t00 = texel(level, s, i0, j0), t10 = texel(level, s, i0 + 1, j0);
   const Rgba t01 = texel(level, s, i0, j0 + 1), t11 = texel(level, s, i0 + 1, j0 + 1);
   Rgba out;
   for (int c = 0; c < 4; ++c)
      out[c] = (1 - a) * (1 - b) * t00[c] + a * (1 - b) * t10[c] + (1 - a) * b * t01[c] + a * b * t11[c];
   return out;
}

// textureLod with an explicit lod (no bias in these samplers).
Rgba
sampleLod(const std::vector<RefLevel> &levels, const VkSamplerCreateInfo &s, float u, float v, float lod)
{
   const float lambda = std::clamp(lod, s.minLod, s.maxLod);
   const VkFilter filter = lambda <= 0.0f ? s.magFilter : s.minFilter;
   const float q = float(levels.size() - 1);
   const float d = std::clamp(lambda, 0.0f, q);
   if (s.mipmapMode == VK_SAMPLER_MIPMAP_MODE_NEAREST || lambda <= 0.0f) {
      const int level = lambda <= 0.0f ? 0 : int(std::ceil(d + 0.5f)) - 1;
      return sampleLevel(levels[std::clamp(level, 0, int(q))], s, filter, u, v);
   }
   const int hi = int(std::floor(d));
   const int lo = std::min(hi + 1, int(q));
   const float delta = d - float(hi);
   const Rgba a = sampleLevel(levels[hi], s, filter, u, v), b = sampleLevel(levels[lo], s, filter, u, v);
   Rgba out;
   for (int c = 0; c < 4; ++c)
      out[c] = (1 - delta) * a[c] + delta * b[c];
   return out;
}

Rgba
swizzled(const Rgba &t, const VkComponentMapping &m)
{
   auto pick = [&](VkComponentSwizzle s, int lane) {
      switch (s) {
      case VK_COMPONENT_SWIZZLE_ZERO: return 0.0f;
      case VK_COMPONENT_SWIZZLE_ONE: return 1.0f;
      case VK_COMPONENT_SWIZZLE_R: return t[0];
      case VK_COMPONENT_SWIZZLE_G: return t[1];
      case VK_COMPONENT_SWIZZLE_B: return t[2];
      case VK_COMPONENT_SWIZZLE_A: return t[3];
      default: return t[lane];
      }
   };
   return {pick(m.r, 0), pick(m.g, 1), pick(m.b, 2), pick(m.a, 3)};
}

VkSamplerCreateInfo
samplerInfo(VkFilter filter, VkSamplerAddressMode u, VkSamplerAddressMode v,
            VkSamplerMipmapMode mipmap = VK_SAMPLER_MIPMAP_MODE_NEAREST, float maxLod = 0.0f,
            VkBorderColor color = VK_BORDER_COLOR_FLOAT_TRANSPARENT_BLACK)
{
   VkSamplerCreateInfo info{VK_STRUCTURE_TYPE_SAMPLER_CREATE_INFO};
   info.magFilter = info.minFilter = filter;
   info.mipmapMode = mipmap;
   info.addressModeU = u;
   info.addressModeV = v;
   info.addressModeW = VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_EDGE;
   info.maxLod = maxLod;
   info.borderColor = color;
   return info;
}

class ComputeSampleTest : public ComputeImageFixture {
protected:
   // An RGBA8 UNORM image whose levels hold `levels`' texels (which must be
   // multiples of 1/255), uploaded by copy.
   ImageResource rgbaImage(const std::vector<RefLevel> &levels)
   {
      const ImageResource image =
         createImage(VK_IMAGE_TYPE_2D, VK_FORMAT_R8G8B8A8_UNORM, {levels[0].width, levels[0].height, 1},
                     uint32_t(levels.size()), 1, VK_IMAGE_TILING_OPTIMAL, kSampledUsage);
      for (uint32_t l = 0; l < levels.size(); ++l) {
         MappedBuffer staging = createBuffer(levels[l].texels.size() * 4, 0);
         for (size_t i = 0; i < levels[l].texels.size(); ++i)
            for (int c = 0; c < 4; ++c)
               staging.mapped[i * 4 + c] = uint8_t(std::lround(levels[l].texels[i][c] * 255.0f));
         upload(image, staging, wholeLevel(image.info.extent, l, 1));
      }
      return image;
   }

   // Runs vk_sample.comp over `queries` with (tex, smp) and `combined`; the
   // four results of each query.
   std::vector<Rgba> sample(VkImageView tex, VkSampler smp, VkImageView combinedView, VkSampler combinedSampler,
                            const std::vector<Query> &queries, VkSampler immutable = VK_NULL_HANDLE)
   {
      std::vector<std::pair<uint32_t, VkSampler>> immutables;
      if (immutable)
         immutables.push_back({2, immutable});
      const ComputePipeline p = pipeline("vk_sample.comp",
                                         {{0, VK_DESCRIPTOR_TYPE_SAMPLED_IMAGE},
                                          {1, VK_DESCRIPTOR_TYPE_SAMPLER},
                                          {2, VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER},
                                          {3, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER},
                                          {4, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER}},
                                         0, immutables);
      EXPECT_NE(VK_NULL_HANDLE, p.pipeline);
      if (!p.pipeline)
         return {};
      MappedBuffer in = createBuffer(queries.size() * sizeof(Query), VK_BUFFER_USAGE_STORAGE_BUFFER_BIT);
      MappedBuffer out = createBuffer(queries.size() * 4 * sizeof(Rgba), VK_BUFFER_USAGE_STORAGE_BUFFER_BIT);
      memcpy(in.mapped, queries.data(), queries.size() * sizeof(Query));
      const VkDescriptorSet set = allocateSet(p.setLayout);
      writeImage(set, 0, VK_DESCRIPTOR_TYPE_SAMPLED_IMAGE, tex);
      writeSampler(set, 1, smp);
      writeImage(set, 2, VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, combinedView, immutable ? VK_NULL_HANDLE : combinedSampler);
      writeBuffer(set, 3, in);
      writeBuffer(set, 4, out);
      run([&](VkCommandBuffer cmd) { dispatch(cmd, p, set, uint32_t(queries.size())); });
      std::vector<Rgba> results(queries.size() * 4);
      memcpy(results.data(), out.mapped, results.size() * sizeof(Rgba));
      return results;
   }

   static ::testing::AssertionResult near(const Rgba &expected, const Rgba &actual, float tolerance = 2e-3f)
   {
      for (int c = 0; c < 4; ++c) {
         if (!(std::fabs(expected[c] - actual[c]) <= tolerance))
            return ::testing::AssertionFailure()
                   << "expected (" << expected[0] << ", " << expected[1] << ", " << expected[2] << ", "
                   << expected[3] << "), got (" << actual[0] << ", " << actual[1] << ", " << actual[2] << ", "
                   << actual[3] << ")";
      }
      return ::testing::AssertionSuccess();
   }

   // 4x4 texels of bytes that differ in every channel.
   static RefLevel pattern4x4()
   {
      RefLevel level{4, 4, {}};
      for (uint32_t y = 0; y < 4; ++y)
         for (uint32_t x = 0; x < 4; ++x)
            level.texels.push_back({float((x * 60 + y * 7) % 256) / 255.0f, float(y * 50 + x * 3) / 255.0f,
                                    float(x * y * 17) / 255.0f, float(255 - x * 20 - y) / 255.0f});
      return level;
   }

   // u, v on a grid of eighths of a texel of a 4-texel level, inside and outside [0, 1].
   static std::vector<Query> grid(float lod)
   {
      std::vector<Query> queries;
      const float steps[] = {-1.28125f, -0.40625f, 0.0f, 0.0625f, 0.125f, 0.21875f, 0.5f, 0.59375f, 0.84375f,
                             1.0f,      1.15625f,  2.46875f};
      int n = 0;
      for (float v : steps)
         for (float u : steps) {
            Query q{{u, v, lod, 0}, {n % 4, (n / 4) % 4, 0, 0}};
            queries.push_back(q);
            ++n;
         }
      return queries;
   }

   void expectSamples(const std::vector<Query> &queries, const std::vector<Rgba> &results,
                      const std::vector<RefLevel> &levels, const VkSamplerCreateInfo &separate,
                      const VkSamplerCreateInfo &combined, const VkComponentMapping &combinedSwizzle = {},
                      const std::vector<RefLevel> *combinedLevels = nullptr)
   {
      ASSERT_EQ(queries.size() * 4, results.size());
      const std::vector<RefLevel> &viewLevels = combinedLevels ? *combinedLevels : levels;
      for (size_t i = 0; i < queries.size(); ++i) {
         const Query &q = queries[i];
         SCOPED_TRACE("query " + std::to_string(i) + " u=" + std::to_string(q.sampleAt[0]) +
                      " v=" + std::to_string(q.sampleAt[1]) + " lod=" + std::to_string(q.sampleAt[2]));
         auto fetch = [&](const std::vector<RefLevel> &from) {
            const RefLevel &level = from[q.fetchAt[2]];
            return level.texels[size_t(q.fetchAt[1]) * level.width + q.fetchAt[0]];
         };
         EXPECT_TRUE(near(sampleLod(levels, separate, q.sampleAt[0], q.sampleAt[1], q.sampleAt[2]), results[4 * i]));
         EXPECT_TRUE(near(swizzled(sampleLod(viewLevels, combined, q.sampleAt[0], q.sampleAt[1], q.sampleAt[2]),
                                   combinedSwizzle),
                          results[4 * i + 1]));
         EXPECT_TRUE(near(fetch(levels), results[4 * i + 2]));
         EXPECT_TRUE(near(swizzled(fetch(viewLevels), combinedSwizzle), results[4 * i + 3]));
      }
   }

   // The 4x4 pattern through one 2D view, sampled on grid(0) with `separate`
   // and `combined`, checked against the model.
   void expectPattern4x4Samples(const VkSamplerCreateInfo &separate, const VkSamplerCreateInfo &combined)
   {
      const std::vector<RefLevel> levels{pattern4x4()};
      const ImageResource image = rgbaImage(levels);
      const VkImageView view = createView(image, VK_IMAGE_VIEW_TYPE_2D, VK_FORMAT_R8G8B8A8_UNORM,
                                          {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1});
      const std::vector<Query> queries = grid(0.0f);
      const std::vector<Rgba> results =
         sample(view, createSampler(separate), view, createSampler(combined), queries);
      expectSamples(queries, results, levels, separate, combined);
   }
};

TEST_F(ComputeSampleTest, NearestWithAddressModes)
{
   const VkSamplerCreateInfo separate =
      samplerInfo(VK_FILTER_NEAREST, VK_SAMPLER_ADDRESS_MODE_REPEAT, VK_SAMPLER_ADDRESS_MODE_MIRRORED_REPEAT);
   const VkSamplerCreateInfo combined =
      samplerInfo(VK_FILTER_NEAREST, VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_EDGE, VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_BORDER,
                  VK_SAMPLER_MIPMAP_MODE_NEAREST, 0.0f, VK_BORDER_COLOR_FLOAT_OPAQUE_WHITE);
   expectPattern4x4Samples(separate, combined);
}

TEST_F(ComputeSampleTest, LinearFiltering)
{
   const VkSamplerCreateInfo separate =
      samplerInfo(VK_FILTER_LINEAR, VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_EDGE, VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_EDGE);
   const VkSamplerCreateInfo combined =
      samplerInfo(VK_FILTER_LINEAR, VK_SAMPLER_ADDRESS_MODE_REPEAT, VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_BORDER,
                  VK_SAMPLER_MIPMAP_MODE_NEAREST, 0.0f, VK_BORDER_COLOR_FLOAT_TRANSPARENT_BLACK);
   expectPattern4x4Samples(separate, combined);
}

TEST_F(ComputeSampleTest, MipChainWithLinearAndNearestMipmaps)
{
   std::vector<RefLevel> levels;
   for (uint32_t l = 0; l < 5; ++l) {
      const uint32_t size = 16u >> l;
      // A level is one colour, so filtering inside it changes nothing.
      RefLevel level{size, size, std::vector<Rgba>(size_t(size) * size,
                                                   Rgba{float(l * 50) / 255.0f, float(200 - l * 40) / 255.0f,
                                                        float(l * l * 10) / 255.0f, 1.0f})};
      levels.push_back(level);
   }
   const ImageResource image = rgbaImage(levels);
   const VkImageView view = createView(image, VK_IMAGE_VIEW_TYPE_2D, VK_FORMAT_R8G8B8A8_UNORM,
                                       {VK_IMAGE_ASPECT_COLOR_BIT, 0, VK_REMAINING_MIP_LEVELS, 0, 1});
   // The combined image sampler sees levels 1.. only: its level 0 is the image's 1.
   const VkImageView fromLevelOne = createView(image, VK_IMAGE_VIEW_TYPE_2D, VK_FORMAT_R8G8B8A8_UNORM,
                                               {VK_IMAGE_ASPECT_COLOR_BIT, 1, VK_REMAINING_MIP_LEVELS, 0, 1});
   const std::vector<RefLevel> viewLevels(levels.begin() + 1, levels.end());
   const VkSamplerCreateInfo separate =
      samplerInfo(VK_FILTER_LINEAR, VK_SAMPLER_ADDRESS_MODE_REPEAT, VK_SAMPLER_ADDRESS_MODE_REPEAT,
                  VK_SAMPLER_MIPMAP_MODE_LINEAR, 4.0f);
   const VkSamplerCreateInfo combined =
      samplerInfo(VK_FILTER_NEAREST, VK_SAMPLER_ADDRESS_MODE_REPEAT, VK_SAMPLER_ADDRESS_MODE_REPEAT,
                  VK_SAMPLER_MIPMAP_MODE_NEAREST, 2.25f);
   std::vector<Query> queries;
   const float lods[] = {0.0f, 0.25f, 0.75f, 1.625f, 2.75f, 3.375f, 4.0f, 6.0f};
   for (uint32_t i = 0; i < std::size(lods); ++i)
      queries.push_back(Query{{0.28125f, 0.65625f, lods[i], 0}, {0, 0, int(i % 4), 0}});
   const std::vector<Rgba> results =
      sample(view, createSampler(separate), fromLevelOne, createSampler(combined), queries);
   expectSamples(queries, results, levels, separate, combined, {}, &viewLevels);
}

TEST_F(ComputeSampleTest, ImmutableSamplerAndSwizzledView)
{
   const std::vector<RefLevel> levels{pattern4x4()};
   const ImageResource image = rgbaImage(levels);
   const VkImageSubresourceRange range{VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1};
   const VkImageView view = createView(image, VK_IMAGE_VIEW_TYPE_2D, VK_FORMAT_R8G8B8A8_UNORM, range);
   const VkComponentMapping swizzle{VK_COMPONENT_SWIZZLE_B, VK_COMPONENT_SWIZZLE_IDENTITY, VK_COMPONENT_SWIZZLE_R,
                                    VK_COMPONENT_SWIZZLE_ONE};
   const VkImageView swizzledView = createView(image, VK_IMAGE_VIEW_TYPE_2D, VK_FORMAT_R8G8B8A8_UNORM, range, swizzle);
   const VkSamplerCreateInfo separate =
      samplerInfo(VK_FILTER_NEAREST, VK_SAMPLER_ADDRESS_MODE_MIRRORED_REPEAT, VK_SAMPLER_ADDRESS_MODE_REPEAT);
   // No border: what the spec says of swizzled border colours is left aside.
   const VkSamplerCreateInfo immutable =
      samplerInfo(VK_FILTER_LINEAR, VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_EDGE, VK_SAMPLER_ADDRESS_MODE_REPEAT);
   const std::vector<Query> queries = grid(0.0f);
   const std::vector<Rgba> results = sample(view, createSampler(separate), swizzledView, VK_NULL_HANDLE, queries,
                                            createSampler(immutable));
   expectSamples(queries, results, levels, separate, immutable, swizzle);
}

// Queues without graphics may not copy into depth, so the host writes the
// texels where the driver's tiled layout keeps them (layout/README.md: a 4x4
// four-byte image is one 64 KiB tile of 128x128 texels, row-major) and the
// image keeps them through its PREINITIALIZED layout.
TEST_F(ComputeSampleTest, DepthImageReadsAsFloat)
{
   VkImageCreateInfo info{VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO};
   info.imageType = VK_IMAGE_TYPE_2D;
   info.format = VK_FORMAT_D32_SFLOAT;
   info.extent = {4, 4, 1};
   info.mipLevels = 1;
   info.arrayLayers = 1;
   info.samples = VK_SAMPLE_COUNT_1_BIT;
   info.tiling = VK_IMAGE_TILING_OPTIMAL;
   info.usage = VK_IMAGE_USAGE_SAMPLED_BIT;
   info.initialLayout = VK_IMAGE_LAYOUT_PREINITIALIZED;
   VkImage image = VK_NULL_HANDLE;
   ASSERT_EQ(VK_SUCCESS, vkCreateImage(dev_, &info, nullptr, &image));
   atImageTearDown([this, image] { vkDestroyImage(dev_, image, nullptr); });
   VkMemoryRequirements requirements{};
   vkGetImageMemoryRequirements(dev_, image, &requirements);
   VkMemoryAllocateInfo alloc{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
   alloc.allocationSize = requirements.size;
   alloc.memoryTypeIndex = findMemoryType(requirements.memoryTypeBits, VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT |
                                                                          VK_MEMORY_PROPERTY_HOST_COHERENT_BIT);
   VkDeviceMemory memory = VK_NULL_HANDLE;
   ASSERT_EQ(VK_SUCCESS, vkAllocateMemory(dev_, &alloc, nullptr, &memory));
   atImageTearDown([this, memory] { vkFreeMemory(dev_, memory, nullptr); });
   void *mapped = nullptr;
   ASSERT_EQ(VK_SUCCESS, vkMapMemory(dev_, memory, 0, VK_WHOLE_SIZE, 0, &mapped));
   RefLevel level{4, 4, {}};
   for (uint32_t i = 0; i < 16; ++i) {
      const float depth = float(i) / 16.0f + 0.03125f;
      memcpy(static_cast<uint8_t *>(mapped) + ((i / 4) * 128 + i % 4) * 4, &depth, 4);
      level.texels.push_back({depth, 0.0f, 0.0f, 1.0f});
   }
   ASSERT_EQ(VK_SUCCESS, vkBindImageMemory(dev_, image, memory, 0));
   run([&](VkCommandBuffer cmd) {
      VkImageMemoryBarrier b{VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER};
      b.srcAccessMask = VK_ACCESS_HOST_WRITE_BIT;
      b.dstAccessMask = VK_ACCESS_SHADER_READ_BIT;
      b.oldLayout = VK_IMAGE_LAYOUT_PREINITIALIZED;
      b.newLayout = VK_IMAGE_LAYOUT_GENERAL;
      b.srcQueueFamilyIndex = b.dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
      b.image = image;
      b.subresourceRange = {VK_IMAGE_ASPECT_DEPTH_BIT, 0, 1, 0, 1};
      vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_HOST_BIT, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, 0, 0, nullptr, 0,
                           nullptr, 1, &b);
   });
   ImageResource resource;
   resource.image = image;
   resource.info = info;
   resource.aspect = VK_IMAGE_ASPECT_DEPTH_BIT;
   const VkImageView view =
      createView(resource, VK_IMAGE_VIEW_TYPE_2D, VK_FORMAT_D32_SFLOAT, {VK_IMAGE_ASPECT_DEPTH_BIT, 0, 1, 0, 1});
   const VkSamplerCreateInfo nearest =
      samplerInfo(VK_FILTER_NEAREST, VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_EDGE, VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_EDGE);
   const VkSampler sampler = createSampler(nearest);
   std::vector<Query> queries;
   for (int i = 0; i < 16; ++i)
      queries.push_back(Query{{(float(i % 4) + 0.5f) / 4.0f, (float(i / 4) + 0.5f) / 4.0f, 0, 0}, {i % 4, i / 4, 0, 0}});
   const std::vector<Rgba> results = sample(view, sampler, view, sampler, queries);
   expectSamples(queries, results, {level}, nearest, nearest);
}

} // namespace
} // namespace panvk::test
