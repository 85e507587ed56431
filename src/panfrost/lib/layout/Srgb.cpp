#include "layout/Srgb.h"

#include <cmath>

namespace pan::layout {

namespace {

float clampUnit(float value)
{
   if (!(value > 0.0f)) // NaN included
      return 0.0f;
   return value < 1.0f ? value : 1.0f;
}

} // namespace

float linearToSrgb(float linear)
{
   const double l = clampUnit(linear);
   if (l <= 0.0031308)
      return static_cast<float>(12.92 * l);
   return static_cast<float>(1.055 * std::pow(l, 1.0 / 2.4) - 0.055);
}

float srgbToLinear(float encoded)
{
   const double c = clampUnit(encoded);
   if (c <= 0.04045)
      return static_cast<float>(c / 12.92);
   return static_cast<float>(std::pow((c + 0.055) / 1.055, 2.4));
}

} // namespace pan::layout
