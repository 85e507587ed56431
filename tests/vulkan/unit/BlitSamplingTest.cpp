// The blit arithmetic along one axis: covered destination texels, nearest and
// linear taps, mirroring, clamping to the source level.
#include <gtest/gtest.h>

#include "BlitSampling.h"

namespace panvk::test {
namespace {

TEST(BlitSamplingTest, IdentityReadsTheSameTexel)
{
   const BlitAxis axis(0, 16, 0, 16, 16, 16);
   EXPECT_EQ(0u, axis.dstBegin);
   EXPECT_EQ(16u, axis.dstEnd);
   for (uint32_t d = 0; d < 16; d++) {
      const BlitTaps taps = axis.taps(d, false);
      ASSERT_EQ(1, taps.count);
      EXPECT_EQ(d, taps.index[0]);
      EXPECT_EQ(1.0, taps.weight[0]);
      // Linear at texel centres is exact too.
      const BlitTaps linear = axis.taps(d, true);
      EXPECT_EQ(d, linear.index[0]);
      EXPECT_DOUBLE_EQ(1.0, linear.weight[0]);
   }
}

TEST(BlitSamplingTest, MirroredDestinationReadsBackwards)
{
   // Destination [2, 6) written right to left from source [0, 4).
   const BlitAxis axis(0, 4, 6, 2, 4, 8);
   EXPECT_EQ(2u, axis.dstBegin);
   EXPECT_EQ(6u, axis.dstEnd);
   for (uint32_t d = 2; d < 6; d++)
      EXPECT_EQ(5 - d, axis.taps(d, false).index[0]) << d;
   // A mirrored source reads the same way.
   const BlitAxis source(4, 0, 2, 6, 4, 8);
   for (uint32_t d = 2; d < 6; d++)
      EXPECT_EQ(5 - d, source.taps(d, false).index[0]) << d;
}

TEST(BlitSamplingTest, DownscaleTakesTheTexelUnderTheCentre)
{
   const BlitAxis axis(0, 9, 0, 3, 9, 3);
   EXPECT_EQ(1u, axis.taps(0, false).index[0]); // centre 1.5
   EXPECT_EQ(4u, axis.taps(1, false).index[0]); // 4.5
   EXPECT_EQ(7u, axis.taps(2, false).index[0]); // 7.5
   EXPECT_EQ(std::make_pair(1u, 8u), axis.sourceSpan(false));
}

TEST(BlitSamplingTest, LinearTapsAreWeightedAndClamped)
{
   const BlitAxis axis(0, 2, 0, 4, 2, 4); // upscale x2: centres at 0.25, 0.75, 1.25, 1.75
   const BlitTaps first = axis.taps(0, true);
   EXPECT_EQ(0u, first.index[0]); // floor(-0.25) = -1 clamps to 0
   EXPECT_EQ(0u, first.index[1]);
   const BlitTaps second = axis.taps(1, true);
   EXPECT_EQ(0u, second.index[0]);
   EXPECT_EQ(1u, second.index[1]);
   EXPECT_DOUBLE_EQ(0.75, second.weight[0]);
   EXPECT_DOUBLE_EQ(0.25, second.weight[1]);
   const BlitTaps last = axis.taps(3, true);
   EXPECT_EQ(1u, last.index[0]);
   EXPECT_EQ(1u, last.index[1]); // 2 clamps to the last texel
   EXPECT_EQ(std::make_pair(0u, 2u), axis.sourceSpan(true));
}

TEST(BlitSamplingTest, RegionsAreClippedToTheLevels)
{
   const BlitAxis outside(0, 4, 10, 20, 4, 8);
   EXPECT_TRUE(outside.empty());
   const BlitAxis partly(0, 40, -4, 36, 40, 8);
   EXPECT_EQ(0u, partly.dstBegin);
   EXPECT_EQ(8u, partly.dstEnd);
   EXPECT_EQ(4u, partly.taps(0, false).index[0]);
   // Source coordinates beyond the level clamp to its edge.
   const BlitAxis beyond(0, 100, 0, 10, 16, 10);
   EXPECT_EQ(15u, beyond.taps(9, false).index[0]);
   const BlitAxis degenerate(0, 4, 3, 3, 4, 8);
   EXPECT_TRUE(degenerate.empty());
}

} // namespace
} // namespace panvk::test
