// IEEE-style floats narrower than 32 bits, converted in software:
// binary16 (half), and the unsigned 11-bit (5-bit exponent, 6-bit mantissa) and
// 10-bit (5-bit exponent, 5-bit mantissa) floats of B10G11R11_UFLOAT_PACK32.
//
// Encoding rounds to nearest, ties to even. Magnitudes past the largest finite
// value become infinity, NaN stays NaN (quiet), denormals are produced and read.
// Unsigned formats turn every negative value (and -inf) into 0, as Vulkan's
// floating-point conversion rules require.
#pragma once

#include <cstdint>

namespace pan::layout {

uint16_t floatToHalf(float value);
float halfToFloat(uint16_t bits);

uint32_t floatToUFloat11(float value);
float ufloat11ToFloat(uint32_t bits);

uint32_t floatToUFloat10(float value);
float ufloat10ToFloat(uint32_t bits);

} // namespace pan::layout
