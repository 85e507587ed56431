// The test side's own model of colour texel formats, written from the Vulkan
// spec's format definitions and conversion rules (never from the driver or
// the layout library): where each component sits, how a shader's value is
// packed into bytes and how bytes read back as a shader's value. The image
// tests compare the device's texels with it.
#pragma once

#include <vulkan/vulkan.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace panvk::test {

enum class TexelClass : uint8_t { Unorm, Snorm, Uint, Sint, Srgb, Sfloat, Ufloat };

// What a shader reads or writes: float bits for float classes, else integers.
using Lanes = std::array<uint32_t, 4>;

struct TexelComponent {
   uint32_t lane = 0; // 0 R, 1 G, 2 B, 3 A
   uint32_t bitOffset = 0;
   uint32_t bits = 0;
};

struct TexelModelFormat {
   VkFormat format = VK_FORMAT_UNDEFINED;
   std::string name;
   TexelClass cls = TexelClass::Unorm;
   uint32_t bytes = 0;
   std::vector<TexelComponent> components;

   bool isFloat() const { return cls != TexelClass::Uint && cls != TexelClass::Sint; }
};

// Every uncompressed colour format Vulkan 1.0 requires or commonly offers
// that the image tests know: 8/16/32-bit array formats and five packed ones.
const std::vector<TexelModelFormat> &texelModelFormats();
// Null if the table does not have it.
const TexelModelFormat *findTexelModelFormat(VkFormat format);

// A value for texel `index` that the format holds exactly (or, for a few
// texels of normalized formats, one out of range that packing clamps).
Lanes texelValue(const TexelModelFormat &format, uint32_t index);
// The texel's bytes for a shader's value (clamping and rounding as the spec says).
std::vector<uint8_t> packTexel(const TexelModelFormat &format, const Lanes &value);
// A shader's value for the texel's bytes; channels the format lacks read (0, 0, 0, 1).
Lanes unpackTexel(const TexelModelFormat &format, const uint8_t *bytes);
// Whether a shader's result matches the expected value: integers and 32-bit
// floats exactly, converted floats within the spec's precision.
bool lanesMatch(const TexelModelFormat &format, const Lanes &expected, const Lanes &actual);
std::string describeLanes(const TexelModelFormat &format, const Lanes &value);

} // namespace panvk::test
