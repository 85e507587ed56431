// The mock executor's clears and blits: packed clear values on exactly the
// ranges asked for, depth-only clears that keep stencil, and blits with
// scaling, mirroring, format conversion and linear filtering.
#include <cmath>

#include "ExecutorFixture.h"
#include "layout/Pack.h"

namespace panvk::test {
namespace {

class ExecutorClearBlitTest : public ExecutorFixture {
protected:
   static uint8_t *texel(const HostImage &image, uint32_t level, uint32_t layer, uint32_t x,
                         uint32_t y, uint32_t z = 0)
   {
      return image.data + pan::layout::texelOffset(*image.layout, level, layer, x, y, z);
   }

   static uint32_t rgba8(const HostImage &image, uint32_t level, uint32_t layer, uint32_t x, uint32_t y)
   {
      uint32_t value;
      memcpy(&value, texel(image, level, layer, x, y), 4);
      return value;
   }

   static void setRgba8(const HostImage &image, uint32_t x, uint32_t y, uint32_t value)
   {
      memcpy(texel(image, 0, 0, x, y), &value, 4);
   }

   void blit(const HostImage &src, const HostImage &dst, VkOffset3D s0, VkOffset3D s1, VkOffset3D d0,
             VkOffset3D d1, VkFilter filter = VK_FILTER_NEAREST)
   {
      VkImageBlit region{};
      region.srcSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
      region.srcOffsets[0] = s0;
      region.srcOffsets[1] = s1;
      region.dstSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
      region.dstOffsets[0] = d0;
      region.dstOffsets[1] = d1;
      VkCommandBuffer cb = begin();
      panvk_CmdBlitImage(cb, src.image, VK_IMAGE_LAYOUT_GENERAL, dst.image, VK_IMAGE_LAYOUT_GENERAL, 1,
                         &region, filter);
      ASSERT_EQ(VK_SUCCESS, run(cb));
   }
};

TEST_F(ExecutorClearBlitTest, ClearColorTouchesOnlyTheRange)
{
   HostImage image = hostImage(VK_IMAGE_TYPE_2D, VK_FORMAT_R8G8B8A8_UNORM, {300, 200, 1}, 3, 3,
                               VK_IMAGE_TILING_OPTIMAL);
   memset(image.data, 0, image.layout->totalSize);
   VkClearColorValue color{};
   color.float32[0] = 1.0f;
   color.float32[1] = 0.5f;
   color.float32[3] = 1.0f;
   const VkImageSubresourceRange range{VK_IMAGE_ASPECT_COLOR_BIT, 1, VK_REMAINING_MIP_LEVELS, 1,
                                       VK_REMAINING_ARRAY_LAYERS};
   VkCommandBuffer cb = begin();
   panvk_CmdClearColorImage(cb, image.image, VK_IMAGE_LAYOUT_GENERAL, &color, 1, &range);
   ASSERT_EQ(VK_SUCCESS, run(cb));
   uint8_t expected[4];
   ASSERT_TRUE(pan::layout::packClearColor(VK_FORMAT_R8G8B8A8_UNORM, color, expected));
   uint32_t packed;
   memcpy(&packed, expected, 4);
   EXPECT_EQ(0xff0080ffu, packed);
   for (uint32_t layer = 0; layer < 3; layer++) {
      for (uint32_t level = 0; level < 3; level++) {
         const pan::layout::LevelLayout &l = image.layout->levels[level];
         const uint32_t want = layer >= 1 && level >= 1 ? packed : 0;
         for (uint32_t y = 0; y < l.height; y++) {
            for (uint32_t x = 0; x < l.width; x++)
               ASSERT_EQ(want, rgba8(image, level, layer, x, y)) << layer << "/" << level;
         }
      }
   }
}

TEST_F(ExecutorClearBlitTest, DepthOnlyClearKeepsStencil)
{
   HostImage image = hostImage(VK_IMAGE_TYPE_2D, VK_FORMAT_D24_UNORM_S8_UINT, {100, 60, 1}, 1, 2,
                               VK_IMAGE_TILING_OPTIMAL);
   for (uint32_t layer = 0; layer < 2; layer++) {
      for (uint32_t y = 0; y < 60; y++) {
         for (uint32_t x = 0; x < 100; x++) {
            const uint32_t value = uint32_t(x + y) << 24 | 0x123456;
            memcpy(texel(image, 0, layer, x, y), &value, 4);
         }
      }
   }
   const VkClearDepthStencilValue value{1.0f, 0};
   const VkImageSubresourceRange depthOnly{VK_IMAGE_ASPECT_DEPTH_BIT, 0, 1, 1, 1};
   const VkImageSubresourceRange both{VK_IMAGE_ASPECT_DEPTH_BIT | VK_IMAGE_ASPECT_STENCIL_BIT, 0, 1, 0, 1};
   const VkClearDepthStencilValue bothValue{0.0f, 0xab};
   VkCommandBuffer cb = begin();
   panvk_CmdClearDepthStencilImage(cb, image.image, VK_IMAGE_LAYOUT_GENERAL, &value, 1, &depthOnly);
   panvk_CmdClearDepthStencilImage(cb, image.image, VK_IMAGE_LAYOUT_GENERAL, &bothValue, 1, &both);
   ASSERT_EQ(VK_SUCCESS, run(cb));
   for (uint32_t y = 0; y < 60; y++) {
      for (uint32_t x = 0; x < 100; x++) {
         uint32_t layer0, layer1;
         memcpy(&layer0, texel(image, 0, 0, x, y), 4);
         memcpy(&layer1, texel(image, 0, 1, x, y), 4);
         ASSERT_EQ(0xab000000u, layer0);
         ASSERT_EQ(uint32_t(x + y) << 24 | 0xffffff, layer1);
      }
   }
}

TEST_F(ExecutorClearBlitTest, NearestBlitScalesAndMirrors)
{
   HostImage src = hostImage(VK_IMAGE_TYPE_2D, VK_FORMAT_R8G8B8A8_UINT, {64, 32, 1}, 1, 1,
                             VK_IMAGE_TILING_OPTIMAL);
   HostImage dst = hostImage(VK_IMAGE_TYPE_2D, VK_FORMAT_R8G8B8A8_UINT, {64, 64, 1}, 1, 1,
                             VK_IMAGE_TILING_LINEAR);
   for (uint32_t y = 0; y < 32; y++) {
      for (uint32_t x = 0; x < 64; x++)
         setRgba8(src, x, y, x | y << 8);
   }
   memset(dst.data, 0, dst.layout->totalSize);
   // Source 64 x 32 halved in x, doubled in y, mirrored in x, into (10, 0)-(42, 64).
   blit(src, dst, {0, 0, 0}, {64, 32, 1}, {42, 0, 0}, {10, 64, 1});
   for (uint32_t y = 0; y < 64; y++) {
      for (uint32_t x = 0; x < 64; x++) {
         const bool inside = x >= 10 && x < 42;
         // Destination x = 41 - i reads source 2i + 1 (the centre of 2 texels, floored).
         const uint32_t want = inside ? (2 * (41 - x) + 1) | (y / 2) << 8 : 0;
         ASSERT_EQ(want, rgba8(dst, 0, 0, x, y)) << x << ", " << y;
      }
   }
}

TEST_F(ExecutorClearBlitTest, BlitConvertsFormats)
{
   HostImage src = hostImage(VK_IMAGE_TYPE_2D, VK_FORMAT_R8G8B8A8_UNORM, {4, 4, 1}, 1, 1,
                             VK_IMAGE_TILING_OPTIMAL);
   HostImage dst = hostImage(VK_IMAGE_TYPE_2D, VK_FORMAT_R32G32B32A32_SFLOAT, {4, 4, 1}, 1, 1,
                             VK_IMAGE_TILING_OPTIMAL);
   for (uint32_t y = 0; y < 4; y++) {
      for (uint32_t x = 0; x < 4; x++)
         setRgba8(src, x, y, 0xff000000u | (x * 85) | (y * 85) << 8);
   }
   blit(src, dst, {0, 0, 0}, {4, 4, 1}, {0, 0, 0}, {4, 4, 1});
   for (uint32_t y = 0; y < 4; y++) {
      for (uint32_t x = 0; x < 4; x++) {
         float rgba[4];
         memcpy(rgba, texel(dst, 0, 0, x, y), 16);
         EXPECT_FLOAT_EQ(x * 85 / 255.0f, rgba[0]);
         EXPECT_FLOAT_EQ(y * 85 / 255.0f, rgba[1]);
         EXPECT_FLOAT_EQ(0.0f, rgba[2]);
         EXPECT_FLOAT_EQ(1.0f, rgba[3]);
      }
   }
}

TEST_F(ExecutorClearBlitTest, LinearBlitInterpolates)
{
   HostImage src = hostImage(VK_IMAGE_TYPE_2D, VK_FORMAT_R32_SFLOAT, {2, 1, 1}, 1, 1,
                             VK_IMAGE_TILING_LINEAR);
   HostImage dst = hostImage(VK_IMAGE_TYPE_2D, VK_FORMAT_R32_SFLOAT, {8, 1, 1}, 1, 1,
                             VK_IMAGE_TILING_LINEAR);
   const float values[2] = {0.0f, 1.0f};
   memcpy(texel(src, 0, 0, 0, 0), &values[0], 4);
   memcpy(texel(src, 0, 0, 1, 0), &values[1], 4);
   blit(src, dst, {0, 0, 0}, {2, 1, 1}, {0, 0, 0}, {8, 1, 1}, VK_FILTER_LINEAR);
   // Destination centres map to source 0.125, 0.375, ... 1.875; texel
   // centres are at 0.5 and 1.5, clamped at the edges.
   const float expected[8] = {0, 0, 0.125f, 0.375f, 0.625f, 0.875f, 1, 1};
   for (uint32_t x = 0; x < 8; x++) {
      float got;
      memcpy(&got, texel(dst, 0, 0, x, 0), 4);
      EXPECT_FLOAT_EQ(expected[x], got) << x;
   }
}

TEST_F(ExecutorClearBlitTest, BlitMapsArrayLayersOneToOne)
{
   HostImage src = hostImage(VK_IMAGE_TYPE_2D, VK_FORMAT_R8G8B8A8_UINT, {8, 8, 1}, 1, 3,
                             VK_IMAGE_TILING_OPTIMAL);
   HostImage dst = hostImage(VK_IMAGE_TYPE_2D, VK_FORMAT_R8G8B8A8_UINT, {8, 8, 1}, 1, 3,
                             VK_IMAGE_TILING_LINEAR);
   for (uint32_t layer = 0; layer < 3; layer++) {
      for (uint32_t y = 0; y < 8; y++) {
         for (uint32_t x = 0; x < 8; x++) {
            const uint32_t value = x | y << 8 | layer << 16;
            memcpy(texel(src, 0, layer, x, y), &value, 4);
         }
      }
   }
   memset(dst.data, 0, dst.layout->totalSize);
   VkImageBlit region{};
   region.srcSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 2};
   region.srcOffsets[1] = {8, 8, 1};
   region.dstSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 2};
   region.dstOffsets[1] = {8, 8, 1};
   VkCommandBuffer cb = begin();
   panvk_CmdBlitImage(cb, src.image, VK_IMAGE_LAYOUT_GENERAL, dst.image, VK_IMAGE_LAYOUT_GENERAL, 1,
                      &region, VK_FILTER_NEAREST);
   ASSERT_EQ(VK_SUCCESS, run(cb));
   for (uint32_t layer = 0; layer < 3; layer++) {
      for (uint32_t y = 0; y < 8; y++) {
         for (uint32_t x = 0; x < 8; x++) {
            const uint32_t want = layer < 2 ? x | y << 8 | (layer + 1) << 16 : 0;
            ASSERT_EQ(want, rgba8(dst, 0, layer, x, y)) << layer;
         }
      }
   }
}

TEST_F(ExecutorClearBlitTest, BlitOfA3DImageScalesDepth)
{
   HostImage src = hostImage(VK_IMAGE_TYPE_3D, VK_FORMAT_R8G8B8A8_UINT, {8, 8, 8}, 1, 1,
                             VK_IMAGE_TILING_OPTIMAL);
   HostImage dst = hostImage(VK_IMAGE_TYPE_3D, VK_FORMAT_R8G8B8A8_UINT, {4, 4, 4}, 1, 1,
                             VK_IMAGE_TILING_OPTIMAL);
   for (uint32_t z = 0; z < 8; z++) {
      for (uint32_t y = 0; y < 8; y++) {
         for (uint32_t x = 0; x < 8; x++) {
            const uint32_t value = x | y << 8 | z << 16;
            memcpy(texel(src, 0, 0, x, y, z), &value, 4);
         }
      }
   }
   blit(src, dst, {0, 0, 0}, {8, 8, 8}, {0, 0, 0}, {4, 4, 4});
   for (uint32_t z = 0; z < 4; z++) {
      for (uint32_t y = 0; y < 4; y++) {
         for (uint32_t x = 0; x < 4; x++) {
            uint32_t got;
            memcpy(&got, texel(dst, 0, 0, x, y, z), 4);
            ASSERT_EQ((2 * x + 1) | (2 * y + 1) << 8 | (2 * z + 1) << 16, got);
         }
      }
   }
}

} // namespace
} // namespace panvk::test
