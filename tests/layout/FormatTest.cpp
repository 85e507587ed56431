#include "layout/Format.h"

#include <gtest/gtest.h>

#include <bitset>
#include <set>

namespace pan::layout {
namespace {

TEST(FormatTest, LookupFindsEveryListedFormat)
{
   for (const FormatInfo &info : allFormats()) {
      SCOPED_TRACE(info.format);
      EXPECT_EQ(formatInfo(info.format), &info);
   }
}

TEST(FormatTest, EveryFormatIsListedOnce)
{
   std::set<VkFormat> seen;
   for (const FormatInfo &info : allFormats())
      EXPECT_TRUE(seen.insert(info.format).second) << info.format;
   EXPECT_GE(seen.size(), 80u);
}

TEST(FormatTest, UnsupportedFormatsAreNull)
{
   EXPECT_EQ(formatInfo(VK_FORMAT_UNDEFINED), nullptr);
   EXPECT_EQ(formatInfo(VK_FORMAT_R8G8B8_UNORM), nullptr);
   EXPECT_EQ(formatInfo(VK_FORMAT_R32G32B32_SFLOAT), nullptr);
   EXPECT_EQ(formatInfo(VK_FORMAT_ASTC_8x8_UNORM_BLOCK), nullptr);
   EXPECT_EQ(formatInfo(VK_FORMAT_G8_B8R8_2PLANE_420_UNORM), nullptr);
   EXPECT_EQ(formatInfo(static_cast<VkFormat>(-1)), nullptr);
   EXPECT_EQ(formatInfo(VK_FORMAT_MAX_ENUM), nullptr);
}

TEST(FormatTest, TexelSizesArePowersOfTwoUpTo16)
{
   for (const FormatInfo &info : allFormats()) {
      SCOPED_TRACE(info.format);
      EXPECT_TRUE(info.texelBytes == 1 || info.texelBytes == 2 || info.texelBytes == 4 ||
                  info.texelBytes == 8 || info.texelBytes == 16);
   }
}

TEST(FormatTest, ComponentsFitTheTexelAndDoNotOverlap)
{
   for (const FormatInfo &info : allFormats()) {
      SCOPED_TRACE(info.format);
      if (info.isCompressed()) {
         EXPECT_EQ(info.blockWidth, 4u);
         EXPECT_EQ(info.blockHeight, 4u);
         EXPECT_EQ(info.components[0].bitWidth, 0);
         EXPECT_GT(info.componentCount, 0u);
         continue;
      }
      EXPECT_EQ(info.blockWidth, 1u);
      EXPECT_EQ(info.blockHeight, 1u);
      ASSERT_GE(info.componentCount, 1u);
      ASSERT_LE(info.componentCount, 4u);
      std::bitset<128> used;
      uint32_t bits = 0;
      for (uint32_t i = 0; i < info.componentCount; ++i) {
         const Component &c = info.components[i];
         ASSERT_GT(c.bitWidth, 0);
         ASSERT_LE(c.bitWidth, 32);
         ASSERT_LE(c.bitOffset + c.bitWidth, info.texelBytes * 8);
         for (uint32_t b = c.bitOffset; b < uint32_t(c.bitOffset + c.bitWidth); ++b) {
            EXPECT_FALSE(used[b]) << "bit " << b;
            used[b] = true;
         }
         bits += c.bitWidth;
      }
      const bool padded = info.format == VK_FORMAT_X8_D24_UNORM_PACK32 ||
                          info.format == VK_FORMAT_D32_SFLOAT_S8_UINT;
      if (!padded) {
         EXPECT_EQ(bits, info.texelBytes * 8);
      }
   }
}

TEST(FormatTest, AspectsFollowTheClass)
{
   for (const FormatInfo &info : allFormats()) {
      SCOPED_TRACE(info.format);
      if (info.cls == NumericClass::DepthStencil) {
         EXPECT_EQ(info.aspects & VK_IMAGE_ASPECT_COLOR_BIT, 0u);
         EXPECT_EQ(bool(info.aspects & VK_IMAGE_ASPECT_DEPTH_BIT),
                   info.find(Channel::Depth) != nullptr);
         EXPECT_EQ(bool(info.aspects & VK_IMAGE_ASPECT_STENCIL_BIT),
                   info.find(Channel::Stencil) != nullptr);
      } else {
         EXPECT_EQ(info.aspects, VkImageAspectFlags(VK_IMAGE_ASPECT_COLOR_BIT));
      }
   }
}

TEST(FormatTest, KnownLayouts)
{
   const FormatInfo *bgra = formatInfo(VK_FORMAT_B8G8R8A8_UNORM);
   ASSERT_NE(bgra, nullptr);
   EXPECT_EQ(bgra->find(Channel::R)->bitOffset, 16);
   EXPECT_EQ(bgra->find(Channel::B)->bitOffset, 0);
   EXPECT_EQ(bgra->find(Channel::A)->bitOffset, 24);

   const FormatInfo *rgb565 = formatInfo(VK_FORMAT_R5G6B5_UNORM_PACK16);
   ASSERT_NE(rgb565, nullptr);
   EXPECT_EQ(rgb565->texelBytes, 2u);
   EXPECT_EQ(rgb565->find(Channel::R)->bitOffset, 11);
   EXPECT_EQ(rgb565->find(Channel::G)->bitWidth, 6);
   EXPECT_EQ(rgb565->find(Channel::A), nullptr);

   const FormatInfo *d24s8 = formatInfo(VK_FORMAT_D24_UNORM_S8_UINT);
   ASSERT_NE(d24s8, nullptr);
   EXPECT_EQ(d24s8->texelBytes, 4u);
   EXPECT_EQ(d24s8->find(Channel::Depth)->bitWidth, 24);
   EXPECT_EQ(d24s8->find(Channel::Stencil)->bitOffset, 24);

   const FormatInfo *d32s8 = formatInfo(VK_FORMAT_D32_SFLOAT_S8_UINT);
   ASSERT_NE(d32s8, nullptr);
   EXPECT_EQ(d32s8->texelBytes, 8u);
   EXPECT_EQ(d32s8->find(Channel::Stencil)->bitOffset, 32);

   EXPECT_EQ(formatInfo(VK_FORMAT_BC1_RGB_UNORM_BLOCK)->texelBytes, 8u);
   EXPECT_EQ(formatInfo(VK_FORMAT_BC7_UNORM_BLOCK)->texelBytes, 16u);
   EXPECT_EQ(formatInfo(VK_FORMAT_ASTC_4x4_SRGB_BLOCK)->texelBytes, 16u);
   EXPECT_EQ(formatInfo(VK_FORMAT_R16G16B16A16_SFLOAT)->texelBytes, 8u);
   EXPECT_EQ(formatInfo(VK_FORMAT_R32G32B32A32_UINT)->texelBytes, 16u);
   EXPECT_EQ(formatInfo(VK_FORMAT_S8_UINT)->texelBytes, 1u);
   EXPECT_EQ(formatInfo(VK_FORMAT_B10G11R11_UFLOAT_PACK32)->cls, NumericClass::UFloat);
   EXPECT_EQ(formatInfo(VK_FORMAT_R8G8_SRGB)->cls, NumericClass::Srgb);
}

} // namespace
} // namespace pan::layout
