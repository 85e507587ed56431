#include "layout/Format.h"

#include <initializer_list>
#include <limits>

namespace pan::layout {

namespace {

using C = Channel;
using N = NumericClass;

constexpr VkImageAspectFlags kColor = VK_IMAGE_ASPECT_COLOR_BIT;
constexpr VkImageAspectFlags kDepth = VK_IMAGE_ASPECT_DEPTH_BIT;
constexpr VkImageAspectFlags kStencil = VK_IMAGE_ASPECT_STENCIL_BIT;

// `count` equal components of `bits` each, R first (R8G8B8A8, R16G16, R32, ...).
constexpr FormatInfo rgba(VkFormat format, N cls, uint32_t bits, uint32_t count)
{
   FormatInfo info;
   info.format = format;
   info.texelBytes = bits / 8 * count;
   info.aspects = kColor;
   info.cls = cls;
   info.componentCount = count;
   for (uint32_t i = 0; i < count; ++i)
      info.components[i] = {static_cast<C>(i), static_cast<uint8_t>(i * bits),
                            static_cast<uint8_t>(bits)};
   return info;
}

constexpr FormatInfo bgra8(VkFormat format, N cls)
{
   FormatInfo info = rgba(format, cls, 8, 4);
   info.components[0].channel = C::B;
   info.components[2].channel = C::R;
   return info;
}

// A packed format: components listed from bit 0 upwards.
constexpr FormatInfo packed(VkFormat format, N cls, uint32_t bytes, VkImageAspectFlags aspects,
                            std::initializer_list<Component> components)
{
   FormatInfo info;
   info.format = format;
   info.texelBytes = bytes;
   info.aspects = aspects;
   info.cls = cls;
   for (const Component &component : components)
      info.components[info.componentCount++] = component;
   return info;
}

constexpr FormatInfo compressed(VkFormat format, uint32_t blockBytes, uint32_t channels)
{
   FormatInfo info;
   info.format = format;
   info.texelBytes = blockBytes;
   info.blockWidth = 4;
   info.blockHeight = 4;
   info.aspects = kColor;
   info.cls = N::Compressed;
   info.componentCount = channels;
   return info;
}

constexpr FormatInfo kFormats[] = {
   rgba(VK_FORMAT_R8_UNORM, N::UNorm, 8, 1),
   rgba(VK_FORMAT_R8_SNORM, N::SNorm, 8, 1),
   rgba(VK_FORMAT_R8_UINT, N::UInt, 8, 1),
   rgba(VK_FORMAT_R8_SINT, N::SInt, 8, 1),
   rgba(VK_FORMAT_R8_SRGB, N::Srgb, 8, 1),
   rgba(VK_FORMAT_R8G8_UNORM, N::UNorm, 8, 2),
   rgba(VK_FORMAT_R8G8_SNORM, N::SNorm, 8, 2),
   rgba(VK_FORMAT_R8G8_UINT, N::UInt, 8, 2),
   rgba(VK_FORMAT_R8G8_SINT, N::SInt, 8, 2),
   rgba(VK_FORMAT_R8G8_SRGB, N::Srgb, 8, 2),
   rgba(VK_FORMAT_R8G8B8A8_UNORM, N::UNorm, 8, 4),
   rgba(VK_FORMAT_R8G8B8A8_SNORM, N::SNorm, 8, 4),
   rgba(VK_FORMAT_R8G8B8A8_UINT, N::UInt, 8, 4),
   rgba(VK_FORMAT_R8G8B8A8_SINT, N::SInt, 8, 4),
   rgba(VK_FORMAT_R8G8B8A8_SRGB, N::Srgb, 8, 4),
   bgra8(VK_FORMAT_B8G8R8A8_UNORM, N::UNorm),
   bgra8(VK_FORMAT_B8G8R8A8_SNORM, N::SNorm),
   bgra8(VK_FORMAT_B8G8R8A8_UINT, N::UInt),
   bgra8(VK_FORMAT_B8G8R8A8_SINT, N::SInt),
   bgra8(VK_FORMAT_B8G8R8A8_SRGB, N::Srgb),

   rgba(VK_FORMAT_R16_UNORM, N::UNorm, 16, 1),
   rgba(VK_FORMAT_R16_SNORM, N::SNorm, 16, 1),
   rgba(VK_FORMAT_R16_UINT, N::UInt, 16, 1),
   rgba(VK_FORMAT_R16_SINT, N::SInt, 16, 1),
   rgba(VK_FORMAT_R16_SFLOAT, N::SFloat, 16, 1),
   rgba(VK_FORMAT_R16G16_UNORM, N::UNorm, 16, 2),
   rgba(VK_FORMAT_R16G16_SNORM, N::SNorm, 16, 2),
   rgba(VK_FORMAT_R16G16_UINT, N::UInt, 16, 2),
   rgba(VK_FORMAT_R16G16_SINT, N::SInt, 16, 2),
   rgba(VK_FORMAT_R16G16_SFLOAT, N::SFloat, 16, 2),
   rgba(VK_FORMAT_R16G16B16A16_UNORM, N::UNorm, 16, 4),
   rgba(VK_FORMAT_R16G16B16A16_SNORM, N::SNorm, 16, 4),
   rgba(VK_FORMAT_R16G16B16A16_UINT, N::UInt, 16, 4),
   rgba(VK_FORMAT_R16G16B16A16_SINT, N::SInt, 16, 4),
   rgba(VK_FORMAT_R16G16B16A16_SFLOAT, N::SFloat, 16, 4),

   rgba(VK_FORMAT_R32_UINT, N::UInt, 32, 1),
   rgba(VK_FORMAT_R32_SINT, N::SInt, 32, 1),
   rgba(VK_FORMAT_R32_SFLOAT, N::SFloat, 32, 1),
   rgba(VK_FORMAT_R32G32_UINT, N::UInt, 32, 2),
   rgba(VK_FORMAT_R32G32_SINT, N::SInt, 32, 2),
   rgba(VK_FORMAT_R32G32_SFLOAT, N::SFloat, 32, 2),
   rgba(VK_FORMAT_R32G32B32A32_UINT, N::UInt, 32, 4),
   rgba(VK_FORMAT_R32G32B32A32_SINT, N::SInt, 32, 4),
   rgba(VK_FORMAT_R32G32B32A32_SFLOAT, N::SFloat, 32, 4),

   packed(VK_FORMAT_A2B10G10R10_UNORM_PACK32, N::UNorm, 4, kColor,
          {{C::R, 0, 10}, {C::G, 10, 10}, {C::B, 20, 10}, {C::A, 30, 2}}),
   packed(VK_FORMAT_A2B10G10R10_UINT_PACK32, N::UInt, 4, kColor,
          {{C::R, 0, 10}, {C::G, 10, 10}, {C::B, 20, 10}, {C::A, 30, 2}}),
   packed(VK_FORMAT_B10G11R11_UFLOAT_PACK32, N::UFloat, 4, kColor,
          {{C::R, 0, 11}, {C::G, 11, 11}, {C::B, 22, 10}}),
   packed(VK_FORMAT_R5G6B5_UNORM_PACK16, N::UNorm, 2, kColor,
          {{C::B, 0, 5}, {C::G, 5, 6}, {C::R, 11, 5}}),
   packed(VK_FORMAT_A1R5G5B5_UNORM_PACK16, N::UNorm, 2, kColor,
          {{C::B, 0, 5}, {C::G, 5, 5}, {C::R, 10, 5}, {C::A, 15, 1}}),

   packed(VK_FORMAT_D16_UNORM, N::DepthStencil, 2, kDepth, {{C::Depth, 0, 16}}),
   packed(VK_FORMAT_X8_D24_UNORM_PACK32, N::DepthStencil, 4, kDepth, {{C::Depth, 0, 24}}),
   packed(VK_FORMAT_D32_SFLOAT, N::DepthStencil, 4, kDepth, {{C::Depth, 0, 32}}),
   packed(VK_FORMAT_S8_UINT, N::DepthStencil, 1, kStencil, {{C::Stencil, 0, 8}}),
   packed(VK_FORMAT_D24_UNORM_S8_UINT, N::DepthStencil, 4, kDepth | kStencil,
          {{C::Depth, 0, 24}, {C::Stencil, 24, 8}}),
   packed(VK_FORMAT_D32_SFLOAT_S8_UINT, N::DepthStencil, 8, kDepth | kStencil,
          {{C::Depth, 0, 32}, {C::Stencil, 32, 8}}),

   compressed(VK_FORMAT_BC1_RGB_UNORM_BLOCK, 8, 3),
   compressed(VK_FORMAT_BC1_RGB_SRGB_BLOCK, 8, 3),
   compressed(VK_FORMAT_BC1_RGBA_UNORM_BLOCK, 8, 4),
   compressed(VK_FORMAT_BC1_RGBA_SRGB_BLOCK, 8, 4),
   compressed(VK_FORMAT_BC2_UNORM_BLOCK, 16, 4),
   compressed(VK_FORMAT_BC2_SRGB_BLOCK, 16, 4),
   compressed(VK_FORMAT_BC3_UNORM_BLOCK, 16, 4),
   compressed(VK_FORMAT_BC3_SRGB_BLOCK, 16, 4),
   compressed(VK_FORMAT_BC4_UNORM_BLOCK, 8, 1),
   compressed(VK_FORMAT_BC4_SNORM_BLOCK, 8, 1),
   compressed(VK_FORMAT_BC5_UNORM_BLOCK, 16, 2),
   compressed(VK_FORMAT_BC5_SNORM_BLOCK, 16, 2),
   compressed(VK_FORMAT_BC6H_UFLOAT_BLOCK, 16, 3),
   compressed(VK_FORMAT_BC6H_SFLOAT_BLOCK, 16, 3),
   compressed(VK_FORMAT_BC7_UNORM_BLOCK, 16, 4),
   compressed(VK_FORMAT_BC7_SRGB_BLOCK, 16, 4),
   compressed(VK_FORMAT_ETC2_R8G8B8_UNORM_BLOCK, 8, 3),
   compressed(VK_FORMAT_ETC2_R8G8B8_SRGB_BLOCK, 8, 3),
   compressed(VK_FORMAT_ETC2_R8G8B8A1_UNORM_BLOCK, 8, 4),
   compressed(VK_FORMAT_ETC2_R8G8B8A1_SRGB_BLOCK, 8, 4),
   compressed(VK_FORMAT_ETC2_R8G8B8A8_UNORM_BLOCK, 16, 4),
   compressed(VK_FORMAT_ETC2_R8G8B8A8_SRGB_BLOCK, 16, 4),
   compressed(VK_FORMAT_EAC_R11_UNORM_BLOCK, 8, 1),
   compressed(VK_FORMAT_EAC_R11_SNORM_BLOCK, 8, 1),
   compressed(VK_FORMAT_EAC_R11G11_UNORM_BLOCK, 16, 2),
   compressed(VK_FORMAT_EAC_R11G11_SNORM_BLOCK, 16, 2),
   compressed(VK_FORMAT_ASTC_4x4_UNORM_BLOCK, 16, 4),
   compressed(VK_FORMAT_ASTC_4x4_SRGB_BLOCK, 16, 4),
};

constexpr uint32_t kFormatCount = sizeof(kFormats) / sizeof(kFormats[0]);

// Every supported format is a core 1.0 format, so a dense index by enum value
// makes the lookup O(1) (pack/unpack look formats up per texel).
constexpr uint32_t kIndexSize = VK_FORMAT_ASTC_12x12_SRGB_BLOCK + 1;
constexpr uint8_t kNoFormat = std::numeric_limits<uint8_t>::max();
static_assert(kFormatCount < kNoFormat);

constexpr std::array<uint8_t, kIndexSize> buildIndex()
{
   std::array<uint8_t, kIndexSize> index {};
   index.fill(kNoFormat);
   for (uint32_t i = 0; i < kFormatCount; ++i)
      index[kFormats[i].format] = static_cast<uint8_t>(i);
   return index;
}

constexpr std::array<uint8_t, kIndexSize> kIndex = buildIndex();

} // namespace

const Component *FormatInfo::find(Channel channel) const
{
   for (uint32_t i = 0; i < componentCount && components[i].bitWidth != 0; ++i) {
      if (components[i].channel == channel)
         return &components[i];
   }
   return nullptr;
}

const FormatInfo *formatInfo(VkFormat format)
{
   const auto value = static_cast<uint64_t>(static_cast<int64_t>(format));
   if (value >= kIndexSize || kIndex[value] == kNoFormat)
      return nullptr;
   return &kFormats[kIndex[value]];
}

std::span<const FormatInfo> allFormats()
{
   return {kFormats, kFormatCount};
}

} // namespace pan::layout
