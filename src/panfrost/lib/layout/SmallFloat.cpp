#include "layout/SmallFloat.h"

#include <bit>
#include <cmath>

namespace pan::layout {

namespace {

// All three formats share a 5-bit exponent with bias 15.
constexpr uint32_t kExponentBits = 5;
constexpr int32_t kBias = 15;
constexpr uint32_t kMaxExponent = (1u << kExponentBits) - 1;

// Shifts `value` right by `shift` bits, rounding to nearest, ties to even.
uint32_t shiftRoundEven(uint32_t value, uint32_t shift)
{
   if (shift == 0)
      return value;
   if (shift > 31)
      return 0;
   const uint32_t kept = value >> shift;
   const uint32_t dropped = value & ((1u << shift) - 1);
   const uint32_t half = 1u << (shift - 1);
   if (dropped > half || (dropped == half && (kept & 1)))
      return kept + 1;
   return kept;
}

uint32_t encode(float value, uint32_t mantissaBits, bool hasSign)
{
   const uint32_t bits = std::bit_cast<uint32_t>(value);
   const bool negative = (bits >> 31) != 0;
   const uint32_t exponent = (bits >> 23) & 0xff;
   const uint32_t mantissa = bits & 0x7fffff;
   const uint32_t signBit = (hasSign && negative) ? 1u << (kExponentBits + mantissaBits) : 0;
   const uint32_t infinity = kMaxExponent << mantissaBits;

   if (exponent == 0xff && mantissa != 0)
      return signBit | infinity | (1u << (mantissaBits - 1));
   if (negative && !hasSign)
      return 0;
   if (exponent == 0xff)
      return signBit | infinity;
   if (exponent == 0)
      return signBit; // float denormals are far below the smallest target denormal

   const int32_t targetExponent = int32_t(exponent) - 127 + kBias;
   if (targetExponent >= int32_t(kMaxExponent))
      return signBit | infinity;

   uint32_t magnitude;
   if (targetExponent >= 1) {
      // A carry out of the rounded mantissa bumps the exponent, which is exactly
      // the next representable value (or infinity past the top).
      magnitude = (uint32_t(targetExponent) << mantissaBits) +
                  shiftRoundEven(mantissa, 23 - mantissaBits);
   } else {
      // Denormal: the implicit 1 becomes explicit and the exponent deficit is
      // taken out of the mantissa. A carry lands on the smallest normal.
      const uint32_t significand = mantissa | (1u << 23);
      magnitude = shiftRoundEven(significand, 23 - mantissaBits + uint32_t(1 - targetExponent));
   }
   if (magnitude > infinity)
      magnitude = infinity;
   return signBit | magnitude;
}

float decode(uint32_t bits, uint32_t mantissaBits, bool hasSign)
{
   const bool negative = hasSign && ((bits >> (kExponentBits + mantissaBits)) & 1);
   const uint32_t exponent = (bits >> mantissaBits) & kMaxExponent;
   const uint32_t mantissa = bits & ((1u << mantissaBits) - 1);
   float magnitude;
   if (exponent == kMaxExponent)
      magnitude = mantissa ? std::nanf("") : INFINITY;
   else if (exponent == 0)
      magnitude = std::ldexp(float(mantissa), 1 - kBias - int32_t(mantissaBits));
   else
      magnitude = std::ldexp(float(mantissa | (1u << mantissaBits)),
                             int32_t(exponent) - kBias - int32_t(mantissaBits));
   return negative ? -magnitude : magnitude;
}

} // namespace

uint16_t floatToHalf(float value)
{
   return static_cast<uint16_t>(encode(value, 10, true));
}

float halfToFloat(uint16_t bits)
{
   return decode(bits, 10, true);
}

uint32_t floatToUFloat11(float value)
{
   return encode(value, 6, false);
}

float ufloat11ToFloat(uint32_t bits)
{
   return decode(bits & 0x7ff, 6, false);
}

uint32_t floatToUFloat10(float value)
{
   return encode(value, 5, false);
}

float ufloat10ToFloat(uint32_t bits)
{
   return decode(bits & 0x3ff, 5, false);
}

} // namespace pan::layout
