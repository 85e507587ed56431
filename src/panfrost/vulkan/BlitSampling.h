// The arithmetic of vkCmdBlitImage along one axis: which destination texels
// a region covers (mirrored or not, clipped to the level) and which source
// texels each one reads.
//
// Destination texel d samples the source at
//    s = src0 + (d + 0.5 - dst0) * (src1 - src0) / (dst1 - dst0)
// (unnormalized, so mirroring is a negative scale). NEAREST reads texel
// floor(s); LINEAR reads floor(s - 0.5) and the one after, weighted by the
// distance. Source indices are clamped to the level (clamp-to-edge).
#pragma once

#include <cstdint>
#include <utility>

namespace panvk {

struct BlitTaps {
   int count = 0; // 1 (nearest) or 2 (linear)
   uint32_t index[2] = {};
   double weight[2] = {};
};

class BlitAxis {
public:
   BlitAxis(int32_t src0, int32_t src1, int32_t dst0, int32_t dst1, uint32_t srcSize,
            uint32_t dstSize);

   bool empty() const { return dstBegin >= dstEnd || srcSize_ == 0; }
   BlitTaps taps(uint32_t dst, bool linear) const;
   // [first, last + 1) of the source texels any destination texel reads.
   std::pair<uint32_t, uint32_t> sourceSpan(bool linear) const;

   uint32_t dstBegin = 0, dstEnd = 0;

private:
   uint32_t clampSource(double index) const;

   double src0_ = 0, dst0_ = 0, scale_ = 0;
   uint32_t srcSize_ = 0;
};

} // namespace panvk
