#include "layout/Pack.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "layout/BitField.h"
#include "layout/Format.h"
#include "layout/Normalized.h"

namespace pan::layout {
namespace {

using Texel = std::array<uint8_t, 16>;

std::vector<uint32_t> codesFor(uint32_t bits)
{
   std::vector<uint32_t> codes;
   if (bits <= 16) {
      for (uint32_t code = 0; code < (1u << bits); ++code)
         codes.push_back(code);
      return codes;
   }
   std::mt19937 random(bits);
   const uint32_t mask = bits == 32 ? 0xffffffffu : (1u << bits) - 1;
   for (uint32_t code : {0u, 1u, 0x3f800000u, 0x7f7fffffu, 0x80000000u, 0xffffffffu})
      codes.push_back(code & mask);
   for (int i = 0; i < 2000; ++i)
      codes.push_back(random() & mask);
   return codes;
}

bool isNanCode(const FormatInfo &info, const Component &c, uint32_t code)
{
   if (info.cls != NumericClass::SFloat && info.cls != NumericClass::UFloat)
      return false;
   // binary32, binary16, and the unsigned 11- and 10-bit floats.
   const uint32_t mantissaBits = c.bitWidth == 32 ? 23 : c.bitWidth == 16 ? 10 : c.bitWidth - 5;
   const uint32_t exponentBits = c.bitWidth == 32 ? 8 : 5;
   const uint32_t exponent = (code >> mantissaBits) & ((1u << exponentBits) - 1);
   return exponent == (1u << exponentBits) - 1 && (code & ((1u << mantissaBits) - 1)) != 0;
}

// Each component code of each float-class format survives unpack then pack,
// apart from the encodings with no float of their own (NaN payloads and the
// extra most-negative SNORM code).
TEST(PackTest, FloatClassFormatsRoundTripEveryComponentCode)
{
   for (const FormatInfo &info : allFormats()) {
      if (!info.isFloatClass())
         continue;
      SCOPED_TRACE(info.format);
      for (uint32_t i = 0; i < info.componentCount; ++i) {
         const Component &c = info.components[i];
         SCOPED_TRACE(i);
         for (uint32_t code : codesFor(c.bitWidth)) {
            Texel texel {};
            writeBits(texel.data(), c.bitOffset, c.bitWidth, code);
            float rgba[4];
            ASSERT_TRUE(unpackToFloat4(info.format, texel.data(), rgba));
            Texel packed;
            packed.fill(0xcd);
            ASSERT_TRUE(packFromFloat4(info.format, rgba, packed.data()));
            const uint32_t back = readBits(packed.data(), c.bitOffset, c.bitWidth);
            if (isNanCode(info, c, code)) {
               EXPECT_TRUE(isNanCode(info, c, back)) << std::hex << code;
            } else if (info.cls == NumericClass::SNorm && code == 1u << (c.bitWidth - 1)) {
               EXPECT_EQ(back, code + 1);
            } else {
               ASSERT_EQ(back, code) << std::hex << code;
            }
            // The other components were zero and stay zero; bytes past the texel
            // are not touched.
            for (uint32_t j = 0; j < info.componentCount; ++j) {
               if (j != i) {
                  const Component &o = info.components[j];
                  EXPECT_EQ(readBits(packed.data(), o.bitOffset, o.bitWidth), 0u);
               }
            }
            for (uint32_t b = info.texelBytes; b < texel.size(); ++b)
               ASSERT_EQ(packed[b], 0xcd);
         }
      }
   }
}

TEST(PackTest, IntegerFormatsRoundTripEveryComponentCode)
{
   for (const FormatInfo &info : allFormats()) {
      if (!info.isInteger())
         continue;
      SCOPED_TRACE(info.format);
      for (uint32_t i = 0; i < info.componentCount; ++i) {
         const Component &c = info.components[i];
         for (uint32_t code : codesFor(c.bitWidth)) {
            Texel texel {};
            writeBits(texel.data(), c.bitOffset, c.bitWidth, code);
            int64_t lanes[4];
            ASSERT_TRUE(unpackToInt4(info.format, texel.data(), lanes));
            const int64_t expected = info.cls == NumericClass::SInt
                                        ? signExtend(code, c.bitWidth)
                                        : int64_t(code);
            ASSERT_EQ(lanes[uint32_t(c.channel)], expected);
            Texel packed {};
            ASSERT_TRUE(packFromInt4(info.format, lanes, packed.data()));
            ASSERT_EQ(std::memcmp(packed.data(), texel.data(), info.texelBytes), 0)
               << std::hex << code;
         }
      }
   }
}

TEST(PackTest, MissingChannelsUnpackToZeroAndOneAlpha)
{
   const uint8_t texel[4] = {255, 0, 0, 0};
   float rgba[4];
   ASSERT_TRUE(unpackToFloat4(VK_FORMAT_R8_UNORM, texel, rgba));
   EXPECT_EQ(rgba[0], 1.0f);
   EXPECT_EQ(rgba[1], 0.0f);
   EXPECT_EQ(rgba[2], 0.0f);
   EXPECT_EQ(rgba[3], 1.0f);
   int64_t lanes[4];
   ASSERT_TRUE(unpackToInt4(VK_FORMAT_R8G8_SINT, texel, lanes));
   EXPECT_EQ(lanes[0], -1);
   EXPECT_EQ(lanes[1], 0);
   EXPECT_EQ(lanes[2], 0);
   EXPECT_EQ(lanes[3], 1);
}

TEST(PackTest, KnownPackedLayouts)
{
   uint8_t out[16];
   const float red[4] = {1, 0, 0, 0};
   const float green[4] = {0, 1, 0, 0};
   const float blue[4] = {0, 0, 1, 0};
   const float alpha[4] = {0, 0, 0, 1};
   const auto u16 = [&] { return uint32_t(out[0]) | uint32_t(out[1]) << 8; };
   const auto u32 = [&] { return u16() | uint32_t(out[2]) << 16 | uint32_t(out[3]) << 24; };

   ASSERT_TRUE(packFromFloat4(VK_FORMAT_R5G6B5_UNORM_PACK16, red, out));
   EXPECT_EQ(u16(), 0xf800u);
   ASSERT_TRUE(packFromFloat4(VK_FORMAT_R5G6B5_UNORM_PACK16, green, out));
   EXPECT_EQ(u16(), 0x07e0u);
   ASSERT_TRUE(packFromFloat4(VK_FORMAT_R5G6B5_UNORM_PACK16, blue, out));
   EXPECT_EQ(u16(), 0x001fu);
   ASSERT_TRUE(packFromFloat4(VK_FORMAT_A1R5G5B5_UNORM_PACK16, alpha, out));
   EXPECT_EQ(u16(), 0x8000u);
   ASSERT_TRUE(packFromFloat4(VK_FORMAT_A1R5G5B5_UNORM_PACK16, red, out));
   EXPECT_EQ(u16(), 0x7c00u);
   ASSERT_TRUE(packFromFloat4(VK_FORMAT_A2B10G10R10_UNORM_PACK32, red, out));
   EXPECT_EQ(u32(), 0x3ffu);
   ASSERT_TRUE(packFromFloat4(VK_FORMAT_A2B10G10R10_UNORM_PACK32, alpha, out));
   EXPECT_EQ(u32(), 0xc0000000u);
   ASSERT_TRUE(packFromFloat4(VK_FORMAT_A2B10G10R10_UNORM_PACK32, blue, out));
   EXPECT_EQ(u32(), 0x3ffu << 20);

   const float rgb[4] = {1.0f, 2.0f, 0.5f, 0.0f};
   ASSERT_TRUE(packFromFloat4(VK_FORMAT_B10G11R11_UFLOAT_PACK32, rgb, out));
   EXPECT_EQ(u32(), 0x3c0u | (0x400u << 11) | (0x1c0u << 22));
   float back[4];
   ASSERT_TRUE(unpackToFloat4(VK_FORMAT_B10G11R11_UFLOAT_PACK32, out, back));
   EXPECT_EQ(back[0], 1.0f);
   EXPECT_EQ(back[1], 2.0f);
   EXPECT_EQ(back[2], 0.5f);
   EXPECT_EQ(back[3], 1.0f);

   const float colour[4] = {1.0f, 0.5f, 0.0f, 0.2f};
   ASSERT_TRUE(packFromFloat4(VK_FORMAT_B8G8R8A8_UNORM, colour, out));
   EXPECT_EQ(out[0], 0);
   EXPECT_EQ(out[1], 128);
   EXPECT_EQ(out[2], 255);
   EXPECT_EQ(out[3], 51);

   const float halves[4] = {1.0f, -2.0f, 65504.0f, 0.0f};
   ASSERT_TRUE(packFromFloat4(VK_FORMAT_R16G16B16A16_SFLOAT, halves, out));
   EXPECT_EQ(u32(), 0xc0003c00u);
   EXPECT_EQ(out[4] | out[5] << 8, 0x7bff);
}

TEST(PackTest, SrgbEncodesColourButNotAlpha)
{
   const float in[4] = {0.5f, 0.0f, 1.0f, 0.5f};
   uint8_t out[4];
   ASSERT_TRUE(packFromFloat4(VK_FORMAT_R8G8B8A8_SRGB, in, out));
   EXPECT_EQ(out[0], 188);
   EXPECT_EQ(out[1], 0);
   EXPECT_EQ(out[2], 255);
   EXPECT_EQ(out[3], 128);
   ASSERT_TRUE(packFromFloat4(VK_FORMAT_B8G8R8A8_SRGB, in, out));
   EXPECT_EQ(out[0], 255);
   EXPECT_EQ(out[2], 188);
   EXPECT_EQ(out[3], 128);
   float back[4];
   ASSERT_TRUE(unpackToFloat4(VK_FORMAT_B8G8R8A8_SRGB, out, back));
   EXPECT_NEAR(back[0], 0.5028865f, 1e-6);
   EXPECT_NEAR(back[3], 128.0f / 255.0f, 1e-7);
}

TEST(PackTest, FloatClearsClampAndRound)
{
   uint8_t out[8];
   VkClearColorValue clear {};
   clear.float32[0] = 0.5f;
   clear.float32[1] = -1.0f;
   clear.float32[2] = 2.0f;
   clear.float32[3] = 1.0f;
   ASSERT_TRUE(packClearColor(VK_FORMAT_R8G8B8A8_UNORM, clear, out));
   EXPECT_EQ(out[0], 128);
   EXPECT_EQ(out[1], 0);
   EXPECT_EQ(out[2], 255);
   EXPECT_EQ(out[3], 255);
   ASSERT_TRUE(packClearColor(VK_FORMAT_R8G8B8A8_SNORM, clear, out));
   EXPECT_EQ(out[0], 64);
   EXPECT_EQ(out[1], 0x81);
   EXPECT_EQ(out[2], 127);
   ASSERT_TRUE(packClearColor(VK_FORMAT_R8_SRGB, clear, out));
   EXPECT_EQ(out[0], 188);
   clear.float32[0] = 1.0f;
   ASSERT_TRUE(packClearColor(VK_FORMAT_R16_SFLOAT, clear, out));
   EXPECT_EQ(out[0] | out[1] << 8, 0x3c00);
   ASSERT_TRUE(packClearColor(VK_FORMAT_R32_SFLOAT, clear, out));
   float f;
   std::memcpy(&f, out, 4);
   EXPECT_EQ(f, 1.0f);
}

// VkClearColorValue: integer clear values are cast to the component type,
// keeping the low bits, with no clamping.
TEST(PackTest, IntegerClearsCastToTheComponentWidth)
{
   uint8_t out[16];
   VkClearColorValue clear {};
   clear.uint32[0] = 0x1234;
   ASSERT_TRUE(packClearColor(VK_FORMAT_R8_UINT, clear, out));
   EXPECT_EQ(out[0], 0x34);
   ASSERT_TRUE(packClearColor(VK_FORMAT_R16_UINT, clear, out));
   EXPECT_EQ(out[0] | out[1] << 8, 0x1234);

   clear.int32[0] = -1;
   clear.int32[1] = -2;
   clear.int32[2] = 100;
   clear.int32[3] = -128;
   ASSERT_TRUE(packClearColor(VK_FORMAT_R8G8B8A8_SINT, clear, out));
   EXPECT_EQ(out[0], 0xff);
   EXPECT_EQ(out[1], 0xfe);
   EXPECT_EQ(out[2], 100);
   EXPECT_EQ(out[3], 0x80);
   ASSERT_TRUE(packClearColor(VK_FORMAT_R16G16_SINT, clear, out));
   EXPECT_EQ(out[0] | out[1] << 8, 0xffff);
   EXPECT_EQ(out[2] | out[3] << 8, 0xfffe);

   clear.uint32[0] = 1023;
   clear.uint32[1] = 5;
   clear.uint32[2] = 1024; // low 10 bits are 0
   clear.uint32[3] = 3;
   ASSERT_TRUE(packClearColor(VK_FORMAT_A2B10G10R10_UINT_PACK32, clear, out));
   const uint32_t word = out[0] | out[1] << 8 | out[2] << 16 | uint32_t(out[3]) << 24;
   EXPECT_EQ(word, 1023u | (5u << 10) | (0u << 20) | (3u << 30));

   clear.uint32[0] = 0xdeadbeef;
   clear.uint32[1] = 1;
   clear.uint32[2] = 2;
   clear.uint32[3] = 0xffffffff;
   ASSERT_TRUE(packClearColor(VK_FORMAT_R32G32B32A32_UINT, clear, out));
   EXPECT_EQ(std::memcmp(out, clear.uint32, 16), 0);
}

TEST(PackTest, IntegerPackSaturates)
{
   uint8_t out[8];
   const int64_t big[4] = {300, -5, 0, 0};
   ASSERT_TRUE(packFromInt4(VK_FORMAT_R8G8_UINT, big, out));
   EXPECT_EQ(out[0], 255);
   EXPECT_EQ(out[1], 0);
   const int64_t wide[4] = {200, -200, 0, 0};
   ASSERT_TRUE(packFromInt4(VK_FORMAT_R8G8_SINT, wide, out));
   EXPECT_EQ(out[0], 0x7f);
   EXPECT_EQ(out[1], 0x80);
   const int64_t huge[4] = {int64_t(1) << 40, -(int64_t(1) << 40), 0, 0};
   ASSERT_TRUE(packFromInt4(VK_FORMAT_R32G32_SINT, huge, out));
   int32_t lanes[2];
   std::memcpy(lanes, out, 8);
   EXPECT_EQ(lanes[0], INT32_MAX);
   EXPECT_EQ(lanes[1], INT32_MIN);
   ASSERT_TRUE(packFromInt4(VK_FORMAT_R32_UINT, huge, out));
   EXPECT_EQ(out[0] & out[1] & out[2] & out[3], 0xff);
}

TEST(PackTest, WrongClassAndBadInputAreRefused)
{
   uint8_t texel[16] = {};
   float rgba[4] = {};
   int64_t lanes[4] = {};
   VkClearColorValue clear {};
   EXPECT_FALSE(unpackToFloat4(VK_FORMAT_R8_UINT, texel, rgba));
   EXPECT_FALSE(packFromFloat4(VK_FORMAT_R32_SINT, rgba, texel));
   EXPECT_FALSE(unpackToInt4(VK_FORMAT_R8_UNORM, texel, lanes));
   EXPECT_FALSE(packFromInt4(VK_FORMAT_R16_SFLOAT, lanes, texel));
   for (VkFormat format : {VK_FORMAT_BC1_RGB_UNORM_BLOCK, VK_FORMAT_D16_UNORM,
                           VK_FORMAT_D24_UNORM_S8_UINT, VK_FORMAT_S8_UINT,
                           VK_FORMAT_UNDEFINED, VK_FORMAT_R8G8B8_UNORM}) {
      SCOPED_TRACE(format);
      EXPECT_FALSE(unpackToFloat4(format, texel, rgba));
      EXPECT_FALSE(packFromFloat4(format, rgba, texel));
      EXPECT_FALSE(unpackToInt4(format, texel, lanes));
      EXPECT_FALSE(packFromInt4(format, lanes, texel));
      EXPECT_FALSE(packClearColor(format, clear, texel));
   }
   EXPECT_FALSE(unpackToFloat4(VK_FORMAT_R8_UNORM, nullptr, rgba));
   EXPECT_FALSE(unpackToFloat4(VK_FORMAT_R8_UNORM, texel, nullptr));
   EXPECT_FALSE(packFromFloat4(VK_FORMAT_R8_UNORM, nullptr, texel));
   EXPECT_FALSE(packFromFloat4(VK_FORMAT_R8_UNORM, rgba, nullptr));
   EXPECT_FALSE(unpackToInt4(VK_FORMAT_R8_UINT, nullptr, lanes));
   EXPECT_FALSE(packFromInt4(VK_FORMAT_R8_UINT, lanes, nullptr));
   EXPECT_FALSE(packClearColor(VK_FORMAT_R8_UINT, clear, nullptr));
   EXPECT_FALSE(packClearColor(VK_FORMAT_R8_UNORM, clear, nullptr));
}

} // namespace
} // namespace pan::layout
