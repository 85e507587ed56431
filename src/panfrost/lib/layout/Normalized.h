// Normalized fixed-point <-> float, per Vulkan's "Fixed-Point Data Conversions":
//   UNORM, b bits: f = c / (2^b - 1);  c = round(clamp(f, 0, 1) * (2^b - 1))
//   SNORM, b bits: f = max(c / (2^(b-1) - 1), -1);
//                  c = round(clamp(f, -1, 1) * (2^(b-1) - 1))
// Rounding is to nearest with ties away from zero (so 0.5 in UNORM8 is 128).
// NaN encodes as 0. Widths are 1..32 bits (SNORM: 2..32).
#pragma once

#include <cstdint>

namespace pan::layout {

uint32_t floatToUnorm(float value, uint32_t bits);
float unormToFloat(uint32_t code, uint32_t bits);

// The SNORM code is returned as a two's complement number of `bits` bits.
uint32_t floatToSnorm(float value, uint32_t bits);
float snormToFloat(uint32_t code, uint32_t bits);

// Sign-extends the low `bits` bits of `value`.
inline int64_t signExtend(uint32_t value, uint32_t bits)
{
   const uint64_t sign = uint64_t(1) << (bits - 1);
   const uint64_t low = value & ((sign << 1) - 1);
   return static_cast<int64_t>(low ^ sign) - static_cast<int64_t>(sign);
}

} // namespace pan::layout
