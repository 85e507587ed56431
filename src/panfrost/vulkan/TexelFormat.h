// How a shader sees the texels of one format: the bytes of a texel in memory
// <-> the interpreter's Texel (spirv/Interpreter.h), through the layout
// library's packing (layout/Pack.h, layout/DepthStencil.h).
//
// Colour formats read and write: float classes as floats (sRGB decoded on
// read, encoded on write), UINT and SINT as 32-bit integers (writes saturate
// to the component's range). Depth/stencil formats are read-only, one aspect:
// depth as a float, stencil as an unsigned integer. Compressed formats have
// no texels a shader may touch. A component swizzle (a sampled view's) is
// applied on read; writes are never swizzled (storage views must be identity).
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include <vulkan/vulkan_core.h>

#include "layout/Format.h"
#include "spirv/Interpreter.h"

namespace panvk {

class TexelFormat {
public:
   static constexpr uint32_t kMaxTexelBytes = 16;

   // nullopt for an unknown or compressed format, or a depth/stencil format
   // whose `aspect` is not exactly one of its aspects. `aspect` matters for
   // depth/stencil formats only; `swizzle` null means identity.
   static std::optional<TexelFormat> make(VkFormat format, VkImageAspectFlags aspect,
                                          const VkComponentMapping *swizzle);

   uint32_t bytes() const { return info_->texelBytes; }
   spirv::TexelKind kind() const { return kind_; }
   bool writable() const { return info_->isFloatClass() || info_->isInteger(); }
   // Image atomics: 32-bit single-channel integer texels.
   bool atomic() const
   {
      return info_->format == VK_FORMAT_R32_UINT || info_->format == VK_FORMAT_R32_SINT;
   }

   // `texel` holds bytes() bytes.
   spirv::Texel decode(const uint8_t *texel) const;
   // False (nothing written) for a read-only format.
   bool encode(const spirv::Texel &in, uint8_t *texel) const;

private:
   // What each shader lane takes: a source lane 0..3, or a constant.
   enum class Source : uint8_t { R, G, B, A, Zero, One };

   TexelFormat(const pan::layout::FormatInfo &info, spirv::TexelKind kind, VkImageAspectFlags aspect)
      : info_(&info), kind_(kind), aspect_(aspect)
   {
   }

   spirv::Texel unswizzled(const uint8_t *texel) const;

   const pan::layout::FormatInfo *info_;
   spirv::TexelKind kind_;
   VkImageAspectFlags aspect_;
   bool identity_ = true;
   std::array<Source, 4> swizzle_{Source::R, Source::G, Source::B, Source::A};
};

} // namespace panvk
