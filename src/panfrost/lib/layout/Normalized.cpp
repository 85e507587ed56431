#include "layout/Normalized.h"

#include <cmath>

namespace pan::layout {

namespace {

double maxUnsigned(uint32_t bits)
{
   return std::ldexp(1.0, int(bits)) - 1.0;
}

} // namespace

uint32_t floatToUnorm(float value, uint32_t bits)
{
   if (!(value > 0.0f))
      return 0;
   const double scale = maxUnsigned(bits);
   if (value >= 1.0f)
      return static_cast<uint32_t>(scale);
   // Double keeps the 32-bit case exact; the product is < 2^32 so it fits.
   return static_cast<uint32_t>(std::floor(double(value) * scale + 0.5));
}

float unormToFloat(uint32_t code, uint32_t bits)
{
   const uint64_t mask = (uint64_t(1) << bits) - 1;
   return static_cast<float>(double(code & mask) / maxUnsigned(bits));
}

uint32_t floatToSnorm(float value, uint32_t bits)
{
   if (std::isnan(value))
      return 0;
   const double scale = maxUnsigned(bits - 1);
   const double clamped = value < -1.0f ? -1.0 : (value > 1.0f ? 1.0 : double(value));
   const auto code = static_cast<int64_t>(std::round(clamped * scale));
   const uint64_t mask = (uint64_t(1) << bits) - 1;
   return static_cast<uint32_t>(static_cast<uint64_t>(code) & mask);
}

float snormToFloat(uint32_t code, uint32_t bits)
{
   const double value = double(signExtend(code, bits)) / maxUnsigned(bits - 1);
   return static_cast<float>(value < -1.0 ? -1.0 : value);
}

} // namespace pan::layout
