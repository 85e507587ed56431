// TexelFormat: texel bytes <-> the interpreter's Texel, with the expected
// values worked out here from the Vulkan spec's conversion rules.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstring>

#include "TexelFormat.h"

namespace panvk::test {
namespace {

float
lane(const spirv::Texel &texel, uint32_t i)
{
   return std::bit_cast<float>(texel.lanes[i]);
}

spirv::Texel
floats(float r, float g, float b, float a)
{
   spirv::Texel texel;
   texel.lanes = {std::bit_cast<uint32_t>(r), std::bit_cast<uint32_t>(g), std::bit_cast<uint32_t>(b),
                  std::bit_cast<uint32_t>(a)};
   return texel;
}

TEST(TexelFormatTest, UnormReadsAsFloatsAndMissingChannelsAsZeroZeroOne)
{
   const auto format = TexelFormat::make(VK_FORMAT_R8G8_UNORM, VK_IMAGE_ASPECT_COLOR_BIT, nullptr);
   ASSERT_TRUE(format);
   EXPECT_EQ(spirv::TexelKind::Float, format->kind());
   EXPECT_EQ(2u, format->bytes());
   const uint8_t bytes[2] = {255, 51};
   const spirv::Texel texel = format->decode(bytes);
   EXPECT_EQ(1.0f, lane(texel, 0));
   EXPECT_FLOAT_EQ(0.2f, lane(texel, 1));
   EXPECT_EQ(0.0f, lane(texel, 2));
   EXPECT_EQ(1.0f, lane(texel, 3));
}

TEST(TexelFormatTest, UnormWriteClampsAndRounds)
{
   const auto format = TexelFormat::make(VK_FORMAT_R8G8B8A8_UNORM, VK_IMAGE_ASPECT_COLOR_BIT, nullptr);
   ASSERT_TRUE(format);
   uint8_t bytes[4] = {};
   ASSERT_TRUE(format->encode(floats(0.5f, 2.0f, -1.0f, 0.2f), bytes));
   // 0.5 * 255 = 127.5 rounds to 128; 0.2 * 255 = 51.
   const uint8_t expected[4] = {128, 255, 0, 51};
   EXPECT_EQ(0, memcmp(expected, bytes, 4));
}

TEST(TexelFormatTest, BgraKeepsChannelsInShaderOrder)
{
   const auto format = TexelFormat::make(VK_FORMAT_B8G8R8A8_UNORM, VK_IMAGE_ASPECT_COLOR_BIT, nullptr);
   ASSERT_TRUE(format);
   const uint8_t bytes[4] = {0, 0, 255, 255}; // B, G, R, A in memory
   const spirv::Texel texel = format->decode(bytes);
   EXPECT_EQ(1.0f, lane(texel, 0));
   EXPECT_EQ(0.0f, lane(texel, 2));
   uint8_t written[4] = {};
   ASSERT_TRUE(format->encode(floats(0.0f, 0.0f, 1.0f, 0.0f), written));
   EXPECT_EQ(255, written[0]);
   EXPECT_EQ(0, written[2]);
}

TEST(TexelFormatTest, SrgbDecodesOnReadAndEncodesOnWrite)
{
   const auto format = TexelFormat::make(VK_FORMAT_R8G8B8A8_SRGB, VK_IMAGE_ASPECT_COLOR_BIT, nullptr);
   ASSERT_TRUE(format);
   // sRGB 188/255 = 0.737..., linear ((0.737 + 0.055) / 1.055)^2.4 = 0.5029...
   const uint8_t bytes[4] = {188, 0, 255, 188};
   const spirv::Texel texel = format->decode(bytes);
   const float encoded = 188.0f / 255.0f;
   EXPECT_NEAR(std::pow((encoded + 0.055f) / 1.055f, 2.4f), lane(texel, 0), 1e-5);
   EXPECT_EQ(0.0f, lane(texel, 1));
   EXPECT_EQ(1.0f, lane(texel, 2));
   EXPECT_NEAR(encoded, lane(texel, 3), 1e-6); // alpha is linear
   uint8_t written[4] = {};
   ASSERT_TRUE(format->encode(floats(0.5f, 0.0f, 1.0f, 0.5f), written));
   EXPECT_EQ(188, written[0]); // linear 0.5 encodes to 0.7354 * 255 = 187.5 -> 188
   EXPECT_EQ(128, written[3]);
}

TEST(TexelFormatTest, SignedIntegersAreSignExtendedAndSaturatedOnWrite)
{
   const auto format = TexelFormat::make(VK_FORMAT_R16G16_SINT, VK_IMAGE_ASPECT_COLOR_BIT, nullptr);
   ASSERT_TRUE(format);
   EXPECT_EQ(spirv::TexelKind::Sint, format->kind());
   const int16_t values[2] = {-5, 300};
   const spirv::Texel texel = format->decode(reinterpret_cast<const uint8_t *>(values));
   EXPECT_EQ(-5, int32_t(texel.lanes[0]));
   EXPECT_EQ(300, int32_t(texel.lanes[1]));
   EXPECT_EQ(0u, texel.lanes[2]);
   EXPECT_EQ(1u, texel.lanes[3]);
   spirv::Texel in;
   in.lanes = {uint32_t(-40000), 7, 0, 0};
   int16_t written[2] = {};
   ASSERT_TRUE(format->encode(in, reinterpret_cast<uint8_t *>(written)));
   EXPECT_EQ(-32768, written[0]);
   EXPECT_EQ(7, written[1]);
}

TEST(TexelFormatTest, UnsignedIntegersKeepAllThirtyTwoBits)
{
   const auto format = TexelFormat::make(VK_FORMAT_R32_UINT, VK_IMAGE_ASPECT_COLOR_BIT, nullptr);
   ASSERT_TRUE(format);
   EXPECT_EQ(spirv::TexelKind::Uint, format->kind());
   EXPECT_TRUE(format->atomic());
   const uint32_t value = 0xfedcba98;
   EXPECT_EQ(value, format->decode(reinterpret_cast<const uint8_t *>(&value)).lanes[0]);
   spirv::Texel in;
   in.lanes = {0x89abcdef, 0, 0, 0};
   uint32_t written = 0;
   ASSERT_TRUE(format->encode(in, reinterpret_cast<uint8_t *>(&written)));
   EXPECT_EQ(0x89abcdefu, written);
}

TEST(TexelFormatTest, OnlyR32IntegerFormatsHaveAtomics)
{
   EXPECT_TRUE(TexelFormat::make(VK_FORMAT_R32_SINT, VK_IMAGE_ASPECT_COLOR_BIT, nullptr)->atomic());
   EXPECT_FALSE(TexelFormat::make(VK_FORMAT_R32_SFLOAT, VK_IMAGE_ASPECT_COLOR_BIT, nullptr)->atomic());
   EXPECT_FALSE(TexelFormat::make(VK_FORMAT_R32G32_UINT, VK_IMAGE_ASPECT_COLOR_BIT, nullptr)->atomic());
}

TEST(TexelFormatTest, HalfFloatsAndSmallFloats)
{
   const auto half = TexelFormat::make(VK_FORMAT_R16G16B16A16_SFLOAT, VK_IMAGE_ASPECT_COLOR_BIT, nullptr);
   ASSERT_TRUE(half);
   uint16_t written[4] = {};
   ASSERT_TRUE(half->encode(floats(1.0f, -2.0f, 0.5f, 65504.0f), reinterpret_cast<uint8_t *>(written)));
   EXPECT_EQ(0x3c00, written[0]);
   EXPECT_EQ(0xc000, written[1]);
   EXPECT_EQ(0x3800, written[2]);
   EXPECT_EQ(0x7bff, written[3]);
   const auto packed = TexelFormat::make(VK_FORMAT_B10G11R11_UFLOAT_PACK32, VK_IMAGE_ASPECT_COLOR_BIT, nullptr);
   ASSERT_TRUE(packed);
   // 1.0 in an 11-bit float is exponent 15, mantissa 0: 15 << 6; in 10 bits 15 << 5.
   const uint32_t ones = (15u << 6) | ((15u << 6) << 11) | ((15u << 5) << 22);
   const spirv::Texel texel = packed->decode(reinterpret_cast<const uint8_t *>(&ones));
   EXPECT_EQ(1.0f, lane(texel, 0));
   EXPECT_EQ(1.0f, lane(texel, 1));
   EXPECT_EQ(1.0f, lane(texel, 2));
   EXPECT_EQ(1.0f, lane(texel, 3));
}

TEST(TexelFormatTest, SwizzleAppliesToReadsOnly)
{
   const VkComponentMapping mapping{VK_COMPONENT_SWIZZLE_B, VK_COMPONENT_SWIZZLE_ZERO, VK_COMPONENT_SWIZZLE_ONE,
                                    VK_COMPONENT_SWIZZLE_IDENTITY};
   const auto format = TexelFormat::make(VK_FORMAT_R8G8B8A8_UINT, VK_IMAGE_ASPECT_COLOR_BIT, &mapping);
   ASSERT_TRUE(format);
   const uint8_t bytes[4] = {1, 2, 3, 4};
   const spirv::Texel texel = format->decode(bytes);
   EXPECT_EQ(3u, texel.lanes[0]);
   EXPECT_EQ(0u, texel.lanes[1]);
   EXPECT_EQ(1u, texel.lanes[2]); // integer one
   EXPECT_EQ(4u, texel.lanes[3]);
   spirv::Texel in;
   in.lanes = {9, 8, 7, 6};
   uint8_t written[4] = {};
   ASSERT_TRUE(format->encode(in, written));
   const uint8_t expected[4] = {9, 8, 7, 6};
   EXPECT_EQ(0, memcmp(expected, written, 4));

   const VkComponentMapping one{VK_COMPONENT_SWIZZLE_ONE, VK_COMPONENT_SWIZZLE_R, VK_COMPONENT_SWIZZLE_R,
                                VK_COMPONENT_SWIZZLE_R};
   const auto unorm = TexelFormat::make(VK_FORMAT_R8_UNORM, VK_IMAGE_ASPECT_COLOR_BIT, &one);
   const uint8_t half = 0;
   EXPECT_EQ(1.0f, lane(unorm->decode(&half), 0)); // float one
}

TEST(TexelFormatTest, DepthAndStencilAspectsReadOnly)
{
   // D24_UNORM_S8_UINT: depth in bits 0..23, stencil in 24..31 (layout/Format.h).
   const uint32_t texel = 0x7f000000u | 0xffffffu / 4;
   const auto depth = TexelFormat::make(VK_FORMAT_D24_UNORM_S8_UINT, VK_IMAGE_ASPECT_DEPTH_BIT, nullptr);
   ASSERT_TRUE(depth);
   EXPECT_EQ(spirv::TexelKind::Float, depth->kind());
   EXPECT_FALSE(depth->writable());
   const spirv::Texel d = depth->decode(reinterpret_cast<const uint8_t *>(&texel));
   EXPECT_NEAR(0.25f, lane(d, 0), 1e-6);
   EXPECT_EQ(0.0f, lane(d, 1));
   EXPECT_EQ(1.0f, lane(d, 3));
   const auto stencil = TexelFormat::make(VK_FORMAT_D24_UNORM_S8_UINT, VK_IMAGE_ASPECT_STENCIL_BIT, nullptr);
   ASSERT_TRUE(stencil);
   EXPECT_EQ(spirv::TexelKind::Uint, stencil->kind());
   EXPECT_EQ(0x7fu, stencil->decode(reinterpret_cast<const uint8_t *>(&texel)).lanes[0]);
   uint32_t written = 0x12345678;
   EXPECT_FALSE(depth->encode(floats(0.5f, 0, 0, 0), reinterpret_cast<uint8_t *>(&written)));
   EXPECT_EQ(0x12345678u, written);
}

TEST(TexelFormatTest, RefusesWhatShadersCannotReach)
{
   EXPECT_FALSE(TexelFormat::make(VK_FORMAT_BC1_RGBA_UNORM_BLOCK, VK_IMAGE_ASPECT_COLOR_BIT, nullptr));
   EXPECT_FALSE(TexelFormat::make(VK_FORMAT_UNDEFINED, VK_IMAGE_ASPECT_COLOR_BIT, nullptr));
   EXPECT_FALSE(TexelFormat::make(VK_FORMAT_D16_UNORM, VK_IMAGE_ASPECT_COLOR_BIT, nullptr));
   EXPECT_FALSE(TexelFormat::make(VK_FORMAT_D16_UNORM, VK_IMAGE_ASPECT_STENCIL_BIT, nullptr));
   EXPECT_FALSE(TexelFormat::make(VK_FORMAT_D24_UNORM_S8_UINT,
                                  VK_IMAGE_ASPECT_DEPTH_BIT | VK_IMAGE_ASPECT_STENCIL_BIT, nullptr));
}

} // namespace
} // namespace panvk::test
