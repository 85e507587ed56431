#include "TexelFormat.h"

#include <bit>

#include "layout/DepthStencil.h"
#include "layout/Pack.h"

namespace panvk {

namespace {

using pan::layout::NumericClass;

constexpr uint32_t kFloatOne = 0x3f800000;

} // namespace

std::optional<TexelFormat>
TexelFormat::make(VkFormat format, VkImageAspectFlags aspect, const VkComponentMapping *swizzle)
{
   const pan::layout::FormatInfo *info = pan::layout::formatInfo(format);
   if (!info || info->isCompressed() || info->texelBytes > kMaxTexelBytes)
      return std::nullopt;
   spirv::TexelKind kind = spirv::TexelKind::Float;
   if (info->cls == NumericClass::DepthStencil) {
      if ((aspect != VK_IMAGE_ASPECT_DEPTH_BIT && aspect != VK_IMAGE_ASPECT_STENCIL_BIT) ||
          !(info->aspects & aspect))
         return std::nullopt;
      if (aspect == VK_IMAGE_ASPECT_STENCIL_BIT)
         kind = spirv::TexelKind::Uint;
   } else if (info->cls == NumericClass::UInt) {
      kind = spirv::TexelKind::Uint;
   } else if (info->cls == NumericClass::SInt) {
      kind = spirv::TexelKind::Sint;
   }
   TexelFormat texels(*info, kind, info->cls == NumericClass::DepthStencil ? aspect : 0);
   if (!swizzle)
      return texels;
   const VkComponentSwizzle components[4] = {swizzle->r, swizzle->g, swizzle->b, swizzle->a};
   for (uint32_t lane = 0; lane < 4; ++lane) {
      Source source;
      switch (components[lane]) {
      case VK_COMPONENT_SWIZZLE_ZERO: source = Source::Zero; break;
      case VK_COMPONENT_SWIZZLE_ONE: source = Source::One; break;
      case VK_COMPONENT_SWIZZLE_R: source = Source::R; break;
      case VK_COMPONENT_SWIZZLE_G: source = Source::G; break;
      case VK_COMPONENT_SWIZZLE_B: source = Source::B; break;
      case VK_COMPONENT_SWIZZLE_A: source = Source::A; break;
      default: source = static_cast<Source>(lane); break; // IDENTITY (and invalid values)
      }
      texels.swizzle_[lane] = source;
      texels.identity_ = texels.identity_ && source == static_cast<Source>(lane);
   }
   return texels;
}

spirv::Texel
TexelFormat::unswizzled(const uint8_t *texel) const
{
   spirv::Texel out;
   if (aspect_) {
      float depth = 0.0f;
      uint32_t stencil = 0;
      pan::layout::unpackDepthStencil(info_->format, texel, &depth, &stencil);
      out.lanes = {aspect_ == VK_IMAGE_ASPECT_DEPTH_BIT ? std::bit_cast<uint32_t>(depth) : stencil, 0, 0,
                   aspect_ == VK_IMAGE_ASPECT_DEPTH_BIT ? kFloatOne : 1u};
      return out;
   }
   if (kind_ == spirv::TexelKind::Float) {
      float values[4];
      pan::layout::unpackToFloat4(*info_, texel, values);
      for (uint32_t lane = 0; lane < 4; ++lane)
         out.lanes[lane] = std::bit_cast<uint32_t>(values[lane]);
   } else {
      int64_t values[4];
      pan::layout::unpackToInt4(*info_, texel, values);
      // UINT lanes hold 0..2^32-1, SINT lanes sign-extended: both keep their low 32 bits.
      for (uint32_t lane = 0; lane < 4; ++lane)
         out.lanes[lane] = static_cast<uint32_t>(values[lane]);
   }
   return out;
}

spirv::Texel
TexelFormat::decode(const uint8_t *texel) const
{
   const spirv::Texel raw = unswizzled(texel);
   if (identity_)
      return raw;
   const uint32_t one = kind_ == spirv::TexelKind::Float ? kFloatOne : 1u;
   spirv::Texel out;
   for (uint32_t lane = 0; lane < 4; ++lane) {
      switch (swizzle_[lane]) {
      case Source::Zero: out.lanes[lane] = 0; break;
      case Source::One: out.lanes[lane] = one; break;
      default: out.lanes[lane] = raw.lanes[static_cast<uint32_t>(swizzle_[lane])]; break;
      }
   }
   return out;
}

bool
TexelFormat::encode(const spirv::Texel &in, uint8_t *texel) const
{
   if (info_->isFloatClass()) {
      float values[4];
      for (uint32_t lane = 0; lane < 4; ++lane)
         values[lane] = std::bit_cast<float>(in.lanes[lane]);
      return pan::layout::packFromFloat4(*info_, values, texel);
   }
   if (info_->isInteger()) {
      int64_t values[4];
      for (uint32_t lane = 0; lane < 4; ++lane)
         values[lane] = kind_ == spirv::TexelKind::Sint ? int64_t(int32_t(in.lanes[lane])) : int64_t(in.lanes[lane]);
      return pan::layout::packFromInt4(*info_, values, texel);
   }
   return false;
}

} // namespace panvk
