#include "layout/DepthStencil.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>

#include "layout/Format.h"

namespace pan::layout {
namespace {

constexpr VkImageAspectFlags kDepth = VK_IMAGE_ASPECT_DEPTH_BIT;
constexpr VkImageAspectFlags kStencil = VK_IMAGE_ASPECT_STENCIL_BIT;
constexpr VkImageAspectFlags kColor = VK_IMAGE_ASPECT_COLOR_BIT;

uint32_t le32(const uint8_t *p)
{
   return p[0] | p[1] << 8 | p[2] << 16 | uint32_t(p[3]) << 24;
}

TEST(DepthStencilTest, D16RoundsToNearest)
{
   uint8_t texel[2];
   const struct {
      float depth;
      uint32_t code;
   } cases[] = {
      {0.5f, 32768}, {0.0f, 0}, {1.0f, 65535}, {-1.0f, 0}, {2.0f, 65535},
      {1.0f / 65535.0f, 1}, {0.4f / 65535.0f, 0}, {0.6f / 65535.0f, 1},
   };
   for (const auto &c : cases) {
      ASSERT_TRUE(packDepthStencil(VK_FORMAT_D16_UNORM, kDepth, c.depth, 0, texel));
      EXPECT_EQ(uint32_t(texel[0] | texel[1] << 8), c.code) << c.depth;
   }
   ASSERT_TRUE(packDepthStencil(VK_FORMAT_D16_UNORM, kDepth, std::nanf(""), 0, texel));
   EXPECT_EQ(texel[0] | texel[1], 0);
   float depth = -1.0f;
   texel[0] = 0xff;
   texel[1] = 0xff;
   ASSERT_TRUE(unpackDepthStencil(VK_FORMAT_D16_UNORM, texel, &depth, nullptr));
   EXPECT_EQ(depth, 1.0f);
}

TEST(DepthStencilTest, D24KeepsStencilAndPadding)
{
   uint8_t texel[4] = {0x11, 0x22, 0x33, 0xab};
   ASSERT_TRUE(packDepthStencil(VK_FORMAT_D24_UNORM_S8_UINT, kDepth, 0.5f, 0, texel));
   EXPECT_EQ(le32(texel), 0xab800000u);
   ASSERT_TRUE(packDepthStencil(VK_FORMAT_D24_UNORM_S8_UINT, kStencil, 0.0f, 0x1ff, texel));
   EXPECT_EQ(le32(texel), 0xff800000u);
   ASSERT_TRUE(packDepthStencil(VK_FORMAT_D24_UNORM_S8_UINT, kDepth | kStencil, 1.0f, 7, texel));
   EXPECT_EQ(le32(texel), 0x07ffffffu);
   float depth = 0;
   uint32_t stencil = 0;
   ASSERT_TRUE(unpackDepthStencil(VK_FORMAT_D24_UNORM_S8_UINT, texel, &depth, &stencil));
   EXPECT_EQ(depth, 1.0f);
   EXPECT_EQ(stencil, 7u);

   uint8_t x8[4] = {0, 0, 0, 0xff};
   ASSERT_TRUE(packDepthStencil(VK_FORMAT_X8_D24_UNORM_PACK32, kDepth, 0.25f, 0, x8));
   EXPECT_EQ(le32(x8), 0x00400000u); // 0.25 * (2^24 - 1) = 4194303.75 -> 0x400000
}

TEST(DepthStencilTest, D32AndD32S8)
{
   uint8_t texel[8];
   std::memset(texel, 0xee, sizeof(texel));
   ASSERT_TRUE(packDepthStencil(VK_FORMAT_D32_SFLOAT_S8_UINT, kStencil, 0.0f, 0x42, texel));
   EXPECT_EQ(le32(texel), 0xeeeeeeeeu); // depth untouched
   EXPECT_EQ(texel[4], 0x42);
   EXPECT_EQ(texel[5] | texel[6] | texel[7], 0);
   ASSERT_TRUE(packDepthStencil(VK_FORMAT_D32_SFLOAT_S8_UINT, kDepth, 0.75f, 0, texel));
   float depth;
   std::memcpy(&depth, texel, 4);
   EXPECT_EQ(depth, 0.75f);
   EXPECT_EQ(texel[4], 0x42);

   uint8_t d32[4];
   ASSERT_TRUE(packDepthStencil(VK_FORMAT_D32_SFLOAT, kDepth, 0.3f, 0, d32));
   std::memcpy(&depth, d32, 4);
   EXPECT_EQ(depth, 0.3f);

   uint8_t s8 = 0;
   ASSERT_TRUE(packDepthStencil(VK_FORMAT_S8_UINT, kStencil, 0.0f, 0x1234, &s8));
   EXPECT_EQ(s8, 0x34);
}

TEST(DepthStencilTest, PackRefusesAspectsTheFormatLacks)
{
   uint8_t texel[8] = {};
   EXPECT_FALSE(packDepthStencil(VK_FORMAT_D16_UNORM, kStencil, 0, 0, texel));
   EXPECT_FALSE(packDepthStencil(VK_FORMAT_S8_UINT, kDepth, 0, 0, texel));
   EXPECT_FALSE(packDepthStencil(VK_FORMAT_D24_UNORM_S8_UINT, 0, 0, 0, texel));
   EXPECT_FALSE(packDepthStencil(VK_FORMAT_D24_UNORM_S8_UINT, kColor, 0, 0, texel));
   EXPECT_FALSE(packDepthStencil(VK_FORMAT_R8G8B8A8_UNORM, kColor, 0, 0, texel));
   EXPECT_FALSE(packDepthStencil(VK_FORMAT_UNDEFINED, kDepth, 0, 0, texel));
   EXPECT_FALSE(packDepthStencil(VK_FORMAT_D16_UNORM, kDepth, 0, 0, nullptr));
   EXPECT_FALSE(unpackDepthStencil(VK_FORMAT_R8_UNORM, texel, nullptr, nullptr));
   EXPECT_FALSE(unpackDepthStencil(VK_FORMAT_D16_UNORM, nullptr, nullptr, nullptr));
}

TEST(DepthStencilTest, AspectCopyBytesFollowsVulkanBufferPacking)
{
   EXPECT_EQ(aspectCopyBytes(VK_FORMAT_D16_UNORM, kDepth), 2u);
   EXPECT_EQ(aspectCopyBytes(VK_FORMAT_X8_D24_UNORM_PACK32, kDepth), 4u);
   EXPECT_EQ(aspectCopyBytes(VK_FORMAT_D24_UNORM_S8_UINT, kDepth), 4u);
   EXPECT_EQ(aspectCopyBytes(VK_FORMAT_D24_UNORM_S8_UINT, kStencil), 1u);
   EXPECT_EQ(aspectCopyBytes(VK_FORMAT_D32_SFLOAT, kDepth), 4u);
   EXPECT_EQ(aspectCopyBytes(VK_FORMAT_D32_SFLOAT_S8_UINT, kDepth), 4u);
   EXPECT_EQ(aspectCopyBytes(VK_FORMAT_D32_SFLOAT_S8_UINT, kStencil), 1u);
   EXPECT_EQ(aspectCopyBytes(VK_FORMAT_S8_UINT, kStencil), 1u);
   EXPECT_EQ(aspectCopyBytes(VK_FORMAT_R8G8B8A8_UNORM, kColor), 4u);
   EXPECT_EQ(aspectCopyBytes(VK_FORMAT_BC1_RGB_UNORM_BLOCK, kColor), 8u);
   EXPECT_EQ(aspectCopyBytes(VK_FORMAT_BC7_UNORM_BLOCK, kColor), 16u);

   EXPECT_EQ(aspectCopyBytes(VK_FORMAT_D16_UNORM, kStencil), 0u);
   EXPECT_EQ(aspectCopyBytes(VK_FORMAT_D24_UNORM_S8_UINT, kDepth | kStencil), 0u);
   EXPECT_EQ(aspectCopyBytes(VK_FORMAT_D24_UNORM_S8_UINT, kColor), 0u);
   EXPECT_EQ(aspectCopyBytes(VK_FORMAT_R8G8B8A8_UNORM, kDepth), 0u);
   EXPECT_EQ(aspectCopyBytes(VK_FORMAT_R8G8B8A8_UNORM, 0), 0u);
   EXPECT_EQ(aspectCopyBytes(VK_FORMAT_UNDEFINED, kColor), 0u);
}

TEST(DepthStencilTest, ReadAspectExtractsOneAspect)
{
   const uint8_t d24s8[4] = {0x56, 0x34, 0x12, 0xab};
   uint8_t out[4];
   std::memset(out, 0xee, sizeof(out));
   ASSERT_TRUE(readAspect(VK_FORMAT_D24_UNORM_S8_UINT, kDepth, d24s8, out));
   EXPECT_EQ(le32(out), 0x00123456u);
   std::memset(out, 0xee, sizeof(out));
   ASSERT_TRUE(readAspect(VK_FORMAT_D24_UNORM_S8_UINT, kStencil, d24s8, out));
   EXPECT_EQ(out[0], 0xab);
   EXPECT_EQ(out[1], 0xee); // exactly one byte written

   const uint8_t d16[2] = {0x34, 0x12};
   ASSERT_TRUE(readAspect(VK_FORMAT_D16_UNORM, kDepth, d16, out));
   EXPECT_EQ(out[0] | out[1] << 8, 0x1234);

   uint8_t d32s8[8] = {};
   const float depth = 0.625f;
   std::memcpy(d32s8, &depth, 4);
   d32s8[4] = 9;
   ASSERT_TRUE(readAspect(VK_FORMAT_D32_SFLOAT_S8_UINT, kDepth, d32s8, out));
   EXPECT_EQ(std::memcmp(out, &depth, 4), 0);
   ASSERT_TRUE(readAspect(VK_FORMAT_D32_SFLOAT_S8_UINT, kStencil, d32s8, out));
   EXPECT_EQ(out[0], 9);

   const uint8_t rgba[4] = {1, 2, 3, 4};
   ASSERT_TRUE(readAspect(VK_FORMAT_R8G8B8A8_UINT, kColor, rgba, out));
   EXPECT_EQ(std::memcmp(out, rgba, 4), 0);

   EXPECT_FALSE(readAspect(VK_FORMAT_D16_UNORM, kStencil, d16, out));
   EXPECT_FALSE(readAspect(VK_FORMAT_D16_UNORM, kDepth, nullptr, out));
   EXPECT_FALSE(readAspect(VK_FORMAT_D16_UNORM, kDepth, d16, nullptr));
}

TEST(DepthStencilTest, WriteAspectKeepsTheOtherAspect)
{
   uint8_t texel[4] = {0x56, 0x34, 0x12, 0xab};
   const uint8_t depth[4] = {0x21, 0x43, 0x65, 0xff}; // high byte ignored
   ASSERT_TRUE(writeAspect(VK_FORMAT_D24_UNORM_S8_UINT, kDepth, depth, texel));
   EXPECT_EQ(le32(texel), 0xab654321u);
   const uint8_t stencil = 0x07;
   ASSERT_TRUE(writeAspect(VK_FORMAT_D24_UNORM_S8_UINT, kStencil, &stencil, texel));
   EXPECT_EQ(le32(texel), 0x07654321u);

   uint8_t x8[4] = {0, 0, 0, 0x5a};
   ASSERT_TRUE(writeAspect(VK_FORMAT_X8_D24_UNORM_PACK32, kDepth, depth, x8));
   EXPECT_EQ(le32(x8), 0x00654321u);

   uint8_t d32s8[8];
   std::memset(d32s8, 0x77, sizeof(d32s8));
   ASSERT_TRUE(writeAspect(VK_FORMAT_D32_SFLOAT_S8_UINT, kStencil, &stencil, d32s8));
   EXPECT_EQ(le32(d32s8), 0x77777777u);
   EXPECT_EQ(d32s8[4], 0x07);
   EXPECT_EQ(d32s8[5] | d32s8[6] | d32s8[7], 0);
   const float one = 1.0f;
   ASSERT_TRUE(writeAspect(VK_FORMAT_D32_SFLOAT_S8_UINT, kDepth,
                           reinterpret_cast<const uint8_t *>(&one), d32s8));
   EXPECT_EQ(std::memcmp(d32s8, &one, 4), 0);
   EXPECT_EQ(d32s8[4], 0x07);

   EXPECT_FALSE(writeAspect(VK_FORMAT_S8_UINT, kDepth, &stencil, texel));
   EXPECT_FALSE(writeAspect(VK_FORMAT_S8_UINT, kStencil, nullptr, texel));
   EXPECT_FALSE(writeAspect(VK_FORMAT_S8_UINT, kStencil, &stencil, nullptr));
}

// Reading an aspect out of one texel and writing it into another moves exactly
// that aspect, for every depth/stencil format and aspect.
TEST(DepthStencilTest, ReadWriteRoundTrip)
{
   std::mt19937 random(7);
   for (const FormatInfo &info : allFormats()) {
      if (info.cls != NumericClass::DepthStencil)
         continue;
      SCOPED_TRACE(info.format);
      for (VkImageAspectFlags aspect : {kDepth, kStencil}) {
         if (!(info.aspects & aspect))
            continue;
         const VkImageAspectFlags other = info.aspects & ~aspect;
         for (int i = 0; i < 200; ++i) {
            uint8_t source[8] = {};
            uint8_t target[8] = {};
            ASSERT_TRUE(packDepthStencil(info.format, info.aspects, float(random() % 1000) / 999,
                                         random(), source));
            ASSERT_TRUE(packDepthStencil(info.format, info.aspects, float(random() % 1000) / 999,
                                         random(), target));
            uint8_t before[8];
            std::memcpy(before, target, sizeof(before));
            uint8_t buffer[4];
            ASSERT_TRUE(readAspect(info.format, aspect, source, buffer));
            ASSERT_TRUE(writeAspect(info.format, aspect, buffer, target));

            uint8_t moved[4];
            ASSERT_TRUE(readAspect(info.format, aspect, target, moved));
            ASSERT_EQ(std::memcmp(moved, buffer, aspectCopyBytes(info.format, aspect)), 0);
            if (other) {
               uint8_t kept[4];
               uint8_t original[4];
               ASSERT_TRUE(readAspect(info.format, other, target, kept));
               ASSERT_TRUE(readAspect(info.format, other, before, original));
               ASSERT_EQ(std::memcmp(kept, original, aspectCopyBytes(info.format, other)), 0);
            }
         }
      }
   }
}

} // namespace
} // namespace pan::layout
