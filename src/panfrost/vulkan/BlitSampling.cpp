#include "BlitSampling.h"

#include <algorithm>
#include <cmath>

namespace panvk {

namespace {

uint32_t
clampToSize(int64_t value, uint32_t size)
{
   return uint32_t(std::clamp<int64_t>(value, 0, size));
}

} // namespace

BlitAxis::BlitAxis(int32_t src0, int32_t src1, int32_t dst0, int32_t dst1, uint32_t srcSize,
                   uint32_t dstSize)
   : src0_(src0), dst0_(dst0), srcSize_(srcSize)
{
   dstBegin = clampToSize(std::min(dst0, dst1), dstSize);
   dstEnd = clampToSize(std::max(dst0, dst1), dstSize);
   if (dst0 != dst1)
      scale_ = (double(src1) - double(src0)) / (double(dst1) - double(dst0));
}

uint32_t
BlitAxis::clampSource(double index) const
{
   return uint32_t(std::clamp(index, 0.0, double(srcSize_ - 1)));
}

BlitTaps
BlitAxis::taps(uint32_t dst, bool linear) const
{
   const double s = src0_ + (double(dst) + 0.5 - dst0_) * scale_;
   BlitTaps taps;
   if (!linear) {
      taps.count = 1;
      taps.index[0] = clampSource(std::floor(s));
      taps.weight[0] = 1.0;
      return taps;
   }
   const double before = std::floor(s - 0.5);
   const double fraction = s - 0.5 - before;
   taps.count = 2;
   taps.index[0] = clampSource(before);
   taps.index[1] = clampSource(before + 1);
   taps.weight[0] = 1.0 - fraction;
   taps.weight[1] = fraction;
   return taps;
}

std::pair<uint32_t, uint32_t>
BlitAxis::sourceSpan(bool linear) const
{
   if (empty())
      return {0, 0};
   // s is monotonic in d: the ends of the destination range bound it.
   const BlitTaps first = taps(dstBegin, linear);
   const BlitTaps last = taps(dstEnd - 1, linear);
   uint32_t low = first.index[0], high = first.index[0];
   for (const BlitTaps &t : {first, last}) {
      for (int i = 0; i < t.count; i++) {
         low = std::min(low, t.index[i]);
         high = std::max(high, t.index[i]);
      }
   }
   return {low, high + 1};
}

} // namespace panvk
