#include "layout/Normalized.h"
#include "layout/Srgb.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace pan::layout {
namespace {

TEST(NormalizedTest, Unorm8RoundsAtHalfAnLsb)
{
   EXPECT_EQ(floatToUnorm(0.5f, 8), 128u); // 127.5 rounds up
   EXPECT_EQ(floatToUnorm(std::nextafter(0.5f, 0.0f), 8), 127u);
   for (uint32_t code = 0; code < 256; ++code) {
      SCOPED_TRACE(code);
      const double lsb = 1.0 / 255.0;
      EXPECT_EQ(floatToUnorm(float(code * lsb), 8), code);
      if (code > 0) {
         EXPECT_EQ(floatToUnorm(float((code - 0.49) * lsb), 8), code);
         EXPECT_EQ(floatToUnorm(float((code - 0.51) * lsb), 8), code - 1);
      }
      if (code < 255) {
         EXPECT_EQ(floatToUnorm(float((code + 0.49) * lsb), 8), code);
         EXPECT_EQ(floatToUnorm(float((code + 0.51) * lsb), 8), code + 1);
      }
      EXPECT_EQ(floatToUnorm(unormToFloat(code, 8), 8), code);
   }
}

TEST(NormalizedTest, UnormClamps)
{
   EXPECT_EQ(floatToUnorm(-1.0f, 8), 0u);
   EXPECT_EQ(floatToUnorm(2.0f, 8), 255u);
   EXPECT_EQ(floatToUnorm(std::numeric_limits<float>::infinity(), 16), 65535u);
   EXPECT_EQ(floatToUnorm(-std::numeric_limits<float>::infinity(), 16), 0u);
   EXPECT_EQ(floatToUnorm(std::nanf(""), 8), 0u);
   EXPECT_EQ(floatToUnorm(1.0f, 24), 0xffffffu);
   EXPECT_EQ(floatToUnorm(1.0f, 1), 1u);
   EXPECT_EQ(floatToUnorm(0.5f, 1), 1u);
   EXPECT_EQ(floatToUnorm(0.49f, 1), 0u);
   EXPECT_EQ(unormToFloat(0xffff, 16), 1.0f);
   EXPECT_EQ(unormToFloat(0, 16), 0.0f);
}

TEST(NormalizedTest, Snorm)
{
   EXPECT_EQ(floatToSnorm(1.0f, 8), 127u);
   EXPECT_EQ(floatToSnorm(-1.0f, 8), 0x81u);
   EXPECT_EQ(floatToSnorm(-2.0f, 8), 0x81u);
   EXPECT_EQ(floatToSnorm(0.5f, 8), 64u);   // 63.5 rounds away from zero
   EXPECT_EQ(floatToSnorm(-0.5f, 8), 0xc0u); // -63.5 -> -64
   EXPECT_EQ(floatToSnorm(0.0f, 8), 0u);
   EXPECT_EQ(floatToSnorm(std::nanf(""), 16), 0u);
   EXPECT_EQ(floatToSnorm(-1.0f, 16), 0x8001u);
   EXPECT_EQ(snormToFloat(0x80, 8), -1.0f); // the extra negative code clamps
   EXPECT_EQ(snormToFloat(0x81, 8), -1.0f);
   EXPECT_EQ(snormToFloat(0x7f, 8), 1.0f);
   EXPECT_EQ(snormToFloat(0x7fff, 16), 1.0f);
   EXPECT_FLOAT_EQ(snormToFloat(0xffff, 16), -1.0f / 32767.0f);
   for (uint32_t code = 0x81; code < 0x180; ++code)
      EXPECT_EQ(floatToSnorm(snormToFloat(code & 0xff, 8), 8), code & 0xff) << code;
}

TEST(NormalizedTest, SignExtend)
{
   EXPECT_EQ(signExtend(0xff, 8), -1);
   EXPECT_EQ(signExtend(0x7f, 8), 127);
   EXPECT_EQ(signExtend(0x200, 10), -512);
   EXPECT_EQ(signExtend(0x80000000u, 32), -2147483648ll);
   EXPECT_EQ(signExtend(0x1ff, 8), -1); // bits above the width are ignored
}

TEST(SrgbTest, KnownValues)
{
   EXPECT_EQ(floatToUnorm(linearToSrgb(0.5f), 8), 188u);
   EXPECT_EQ(floatToUnorm(linearToSrgb(0.0f), 8), 0u);
   EXPECT_EQ(floatToUnorm(linearToSrgb(1.0f), 8), 255u);
   EXPECT_EQ(floatToUnorm(linearToSrgb(0.2158605f), 8), 128u);
   EXPECT_EQ(floatToUnorm(linearToSrgb(0.5028865f), 8), 188u);
   EXPECT_NEAR(srgbToLinear(128.0f / 255.0f), 0.2158605f, 1e-6);
   EXPECT_NEAR(srgbToLinear(188.0f / 255.0f), 0.5028865f, 1e-6);
   // The linear segment near black.
   EXPECT_NEAR(linearToSrgb(0.001f), 0.01292f, 1e-7);
   EXPECT_NEAR(srgbToLinear(0.02f), 0.02f / 12.92f, 1e-8);
}

TEST(SrgbTest, ClampsAndHandlesNan)
{
   EXPECT_EQ(linearToSrgb(-1.0f), 0.0f);
   EXPECT_EQ(linearToSrgb(5.0f), 1.0f);
   EXPECT_EQ(linearToSrgb(std::nanf("")), 0.0f);
   EXPECT_EQ(srgbToLinear(std::nanf("")), 0.0f);
}

TEST(SrgbTest, EveryCodeRoundTripsAndIsMonotonic)
{
   float previous = -1.0f;
   for (uint32_t code = 0; code < 256; ++code) {
      const float linear = srgbToLinear(unormToFloat(code, 8));
      EXPECT_GT(linear, previous) << code;
      previous = linear;
      EXPECT_EQ(floatToUnorm(linearToSrgb(linear), 8), code) << code;
   }
}

} // namespace
} // namespace pan::layout
