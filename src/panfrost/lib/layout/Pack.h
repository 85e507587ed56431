// Texel packing and unpacking for clears and format-converting blits.
//
// Channels are R, G, B, A in array index order whatever the memory order.
// Unpacking a format without some channel yields 0 for R/G/B and 1 for A.
// Packing writes the whole texel (texelBytes bytes); channels the format does
// not have are ignored.
//
// Every function returns false, writing nothing, for an unsupported format, a
// format of the wrong class or a null pointer. Depth/stencil formats are handled
// by DepthStencil.h; compressed formats are copy-only.
#pragma once

#include <cstdint>

#include <vulkan/vulkan_core.h>

#include "layout/Format.h"

namespace pan::layout {

// A clear colour into one texel, following VkClearColorValue's rules:
// float classes take float32 (clamped to the format's range, rounded to nearest,
// sRGB formats encode R, G, B from linear); UINT takes uint32 and SINT takes
// int32, each cast to the component width by keeping its low bits (no clamping:
// the spec leaves unrepresentable integer clear values undefined).
bool packClearColor(VkFormat format, const VkClearColorValue &color, uint8_t *texelOut);
bool packClearColor(const FormatInfo &format, const VkClearColorValue &color, uint8_t *texelOut);

// Float classes: UNORM, SNORM, SRGB (decoded to linear), SFLOAT, UFLOAT.
bool unpackToFloat4(VkFormat format, const uint8_t *texel, float out[4]);
bool unpackToFloat4(const FormatInfo &format, const uint8_t *texel, float out[4]);
bool packFromFloat4(VkFormat format, const float in[4], uint8_t *texelOut);
bool packFromFloat4(const FormatInfo &format, const float in[4], uint8_t *texelOut);

// Integer classes: UINT lanes hold 0 .. 2^32-1, SINT lanes are sign-extended.
// Packing saturates each lane to the component's range (blits between integer
// formats of different widths; the spec leaves out-of-range results undefined
// and saturation is the least surprising choice).
bool unpackToInt4(VkFormat format, const uint8_t *texel, int64_t out[4]);
bool unpackToInt4(const FormatInfo &format, const uint8_t *texel, int64_t out[4]);
bool packFromInt4(VkFormat format, const int64_t in[4], uint8_t *texelOut);
bool packFromInt4(const FormatInfo &format, const int64_t in[4], uint8_t *texelOut);

} // namespace pan::layout
