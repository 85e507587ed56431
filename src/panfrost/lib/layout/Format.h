// The formats the image code knows: texel (or compressed block) size, block
// extent, aspects, numeric class and where each component sits in memory.
//
// Component positions are bit ranges in the texel read as one little-endian
// integer (Mali and every host we run on are little-endian). For byte-aligned
// "array" formats such as R16G16_SFLOAT that is the same as component i at byte
// offset i * size; for _PACKnn formats it is Vulkan's packed bit order.
//
// Depth/stencil storage is ours (Vulkan leaves it to the implementation):
//   D16_UNORM            2 bytes, depth in bits 0..15
//   X8_D24_UNORM_PACK32  4 bytes, depth in bits 0..23, bits 24..31 zero
//   D24_UNORM_S8_UINT    4 bytes, depth in bits 0..23, stencil in bits 24..31
//   D32_SFLOAT           4 bytes, float depth
//   S8_UINT              1 byte
//   D32_SFLOAT_S8_UINT   8 bytes, float depth in bytes 0..3, stencil in byte 4,
//                        bytes 5..7 zero
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include <vulkan/vulkan_core.h>

namespace pan::layout {

enum class NumericClass : uint8_t {
   UNorm,
   SNorm,
   UInt,
   SInt,
   UFloat,       // unsigned small floats: B10G11R11_UFLOAT_PACK32
   SFloat,
   Srgb,         // R, G, B sRGB-encoded, A linear UNORM
   DepthStencil, // every depth and/or stencil format
   Compressed,   // block-compressed: copied, never packed or unpacked
};

enum class Channel : uint8_t { R, G, B, A, Depth, Stencil };

struct Component {
   Channel channel = Channel::R;
   uint8_t bitOffset = 0;
   uint8_t bitWidth = 0;
};

struct FormatInfo {
   VkFormat format = VK_FORMAT_UNDEFINED;
   uint32_t texelBytes = 0;      // bytes per texel, or per compressed block
   uint32_t blockWidth = 1;      // texel block extent: 1x1, or 4x4 when compressed
   uint32_t blockHeight = 1;
   VkImageAspectFlags aspects = 0;
   NumericClass cls = NumericClass::UNorm;
   uint32_t componentCount = 0;  // channels the format has (compressed too)
   // Memory layout of the first componentCount components, in memory order.
   // Empty (all widths 0) for compressed formats.
   std::array<Component, 4> components {};

   bool isCompressed() const { return cls == NumericClass::Compressed; }
   bool isInteger() const { return cls == NumericClass::UInt || cls == NumericClass::SInt; }
   // Float-class formats: what unpackToFloat4/packFromFloat4 accept.
   bool isFloatClass() const
   {
      return cls == NumericClass::UNorm || cls == NumericClass::SNorm ||
             cls == NumericClass::Srgb || cls == NumericClass::UFloat ||
             cls == NumericClass::SFloat;
   }
   // The component holding `channel`, or null if the format has none.
   const Component *find(Channel channel) const;
};

// Null when the format is not supported by this library.
const FormatInfo *formatInfo(VkFormat format);

// Every supported format, for tests and capability tables.
std::span<const FormatInfo> allFormats();

} // namespace pan::layout
