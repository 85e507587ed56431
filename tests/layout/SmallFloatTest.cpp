#include "layout/SmallFloat.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace pan::layout {
namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

bool isHalfNan(uint16_t bits)
{
   return (bits & 0x7c00) == 0x7c00 && (bits & 0x03ff) != 0;
}

TEST(SmallFloatTest, HalfKnownEncodings)
{
   EXPECT_EQ(floatToHalf(1.0f), 0x3c00);
   EXPECT_EQ(floatToHalf(-2.0f), 0xc000);
   EXPECT_EQ(floatToHalf(65504.0f), 0x7bff);
   EXPECT_EQ(floatToHalf(0.5f), 0x3800);
   EXPECT_EQ(floatToHalf(1.0f / 3.0f), 0x3555);
   EXPECT_EQ(floatToHalf(0.0f), 0x0000);
   EXPECT_EQ(floatToHalf(-0.0f), 0x8000);
   EXPECT_EQ(floatToHalf(std::ldexp(1.0f, -14)), 0x0400); // smallest normal
}

TEST(SmallFloatTest, HalfRoundsToNearestEven)
{
   // 1 + 2^-11 is halfway between 0x3c00 and 0x3c01: the even one wins.
   EXPECT_EQ(floatToHalf(1.0f + std::ldexp(1.0f, -11)), 0x3c00);
   EXPECT_EQ(floatToHalf(1.0f + 3 * std::ldexp(1.0f, -11)), 0x3c02);
   EXPECT_EQ(floatToHalf(1.0f + std::ldexp(1.0f, -11) + std::ldexp(1.0f, -20)), 0x3c01);
   EXPECT_EQ(floatToHalf(65519.0f), 0x7bff);
}

TEST(SmallFloatTest, HalfDenormals)
{
   EXPECT_EQ(floatToHalf(std::ldexp(1.0f, -24)), 0x0001);
   EXPECT_EQ(floatToHalf(1023 * std::ldexp(1.0f, -24)), 0x03ff);
   EXPECT_EQ(floatToHalf(-std::ldexp(1.0f, -24)), 0x8001);
   // Halfway between 0 and the smallest denormal: ties to even gives 0.
   EXPECT_EQ(floatToHalf(std::ldexp(1.0f, -25)), 0x0000);
   EXPECT_EQ(floatToHalf(std::ldexp(1.0f, -25) * 1.001f), 0x0001);
   EXPECT_EQ(floatToHalf(1.5f * std::ldexp(1.0f, -24)), 0x0002);
   // Rounding the largest denormal up carries into the smallest normal.
   EXPECT_EQ(floatToHalf(1023.75f * std::ldexp(1.0f, -24)), 0x0400);
   EXPECT_EQ(floatToHalf(std::ldexp(1.0f, -30)), 0x0000);
   EXPECT_EQ(floatToHalf(std::numeric_limits<float>::denorm_min()), 0x0000);
   EXPECT_EQ(halfToFloat(0x0001), std::ldexp(1.0f, -24));
   EXPECT_EQ(halfToFloat(0x03ff), 1023 * std::ldexp(1.0f, -24));
}

TEST(SmallFloatTest, HalfInfinityAndNan)
{
   EXPECT_EQ(floatToHalf(kInf), 0x7c00);
   EXPECT_EQ(floatToHalf(-kInf), 0xfc00);
   EXPECT_EQ(floatToHalf(65520.0f), 0x7c00);
   EXPECT_EQ(floatToHalf(1e10f), 0x7c00);
   EXPECT_EQ(floatToHalf(-1e10f), 0xfc00);
   EXPECT_TRUE(isHalfNan(floatToHalf(std::nanf(""))));
   EXPECT_EQ(halfToFloat(0x7c00), kInf);
   EXPECT_EQ(halfToFloat(0xfc00), -kInf);
   EXPECT_TRUE(std::isnan(halfToFloat(0x7e00)));
   EXPECT_TRUE(std::isnan(halfToFloat(0xfc01)));
}

TEST(SmallFloatTest, HalfDecodesKnownValues)
{
   EXPECT_EQ(halfToFloat(0x3c00), 1.0f);
   EXPECT_EQ(halfToFloat(0xc000), -2.0f);
   EXPECT_EQ(halfToFloat(0x7bff), 65504.0f);
   EXPECT_EQ(halfToFloat(0x0400), std::ldexp(1.0f, -14));
   EXPECT_TRUE(std::signbit(halfToFloat(0x8000)));
}

TEST(SmallFloatTest, EveryHalfRoundTrips)
{
   for (uint32_t bits = 0; bits <= 0xffff; ++bits) {
      const auto half = static_cast<uint16_t>(bits);
      if (isHalfNan(half))
         continue;
      ASSERT_EQ(floatToHalf(halfToFloat(half)), half) << std::hex << bits;
   }
}

TEST(SmallFloatTest, UnsignedSmallFloatsKnownValues)
{
   EXPECT_EQ(floatToUFloat11(1.0f), 15u << 6);
   EXPECT_EQ(floatToUFloat10(1.0f), 15u << 5);
   EXPECT_EQ(floatToUFloat11(2.0f), 16u << 6);
   EXPECT_EQ(floatToUFloat10(0.5f), 14u << 5);
   EXPECT_EQ(floatToUFloat11(65024.0f), 0x7bfu); // largest finite 11-bit
   EXPECT_EQ(floatToUFloat10(64512.0f), 0x3dfu); // largest finite 10-bit
   EXPECT_EQ(floatToUFloat11(kInf), 0x7c0u);
   EXPECT_EQ(floatToUFloat10(kInf), 0x3e0u);
   EXPECT_EQ(floatToUFloat11(1e9f), 0x7c0u);
   EXPECT_EQ(floatToUFloat11(std::ldexp(1.0f, -20)), 0x001u); // smallest denormal
   EXPECT_EQ(floatToUFloat10(std::ldexp(1.0f, -19)), 0x001u);
   EXPECT_EQ(ufloat11ToFloat(0x7bf), 65024.0f);
   EXPECT_EQ(ufloat10ToFloat(0x001), std::ldexp(1.0f, -19));
}

TEST(SmallFloatTest, UnsignedSmallFloatsDropNegatives)
{
   EXPECT_EQ(floatToUFloat11(-1.0f), 0u);
   EXPECT_EQ(floatToUFloat10(-kInf), 0u);
   EXPECT_EQ(floatToUFloat11(-0.0f), 0u);
   const uint32_t nan11 = floatToUFloat11(std::nanf(""));
   EXPECT_EQ(nan11 & 0x7c0u, 0x7c0u);
   EXPECT_NE(nan11 & 0x3fu, 0u);
   const uint32_t nan10 = floatToUFloat10(-std::nanf(""));
   EXPECT_EQ(nan10 & 0x3e0u, 0x3e0u);
   EXPECT_NE(nan10 & 0x1fu, 0u);
   EXPECT_TRUE(std::isnan(ufloat11ToFloat(nan11)));
}

TEST(SmallFloatTest, EveryUnsignedSmallFloatRoundTrips)
{
   for (uint32_t bits = 0; bits < 0x800; ++bits) {
      if ((bits & 0x7c0) == 0x7c0 && (bits & 0x3f))
         continue;
      ASSERT_EQ(floatToUFloat11(ufloat11ToFloat(bits)), bits) << std::hex << bits;
   }
   for (uint32_t bits = 0; bits < 0x400; ++bits) {
      if ((bits & 0x3e0) == 0x3e0 && (bits & 0x1f))
         continue;
      ASSERT_EQ(floatToUFloat10(ufloat10ToFloat(bits)), bits) << std::hex << bits;
   }
}

} // namespace
} // namespace pan::layout
