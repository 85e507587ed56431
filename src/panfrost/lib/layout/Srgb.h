// The sRGB transfer functions (IEC 61966-2-1), on values in [0, 1].
#pragma once

namespace pan::layout {

// Linear -> sRGB-encoded. Input is clamped to [0, 1]; NaN gives 0.
float linearToSrgb(float linear);
// sRGB-encoded -> linear. Input is clamped to [0, 1]; NaN gives 0.
float srgbToLinear(float encoded);

} // namespace pan::layout
