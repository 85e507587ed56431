#include "layout/DepthStencil.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "layout/BitField.h"
#include "layout/Format.h"
#include "layout/Normalized.h"

namespace pan::layout {

namespace {

bool isSingleAspect(VkImageAspectFlags aspect)
{
   return aspect != 0 && (aspect & (aspect - 1)) == 0;
}

const Component *aspectComponent(const FormatInfo &info, VkImageAspectFlags aspect)
{
   if (info.cls != NumericClass::DepthStencil)
      return nullptr;
   if (aspect == VK_IMAGE_ASPECT_DEPTH_BIT)
      return info.find(Channel::Depth);
   if (aspect == VK_IMAGE_ASPECT_STENCIL_BIT)
      return info.find(Channel::Stencil);
   return nullptr;
}

// Depth is a float exactly when it is 32 bits wide (D32_SFLOAT, D32_SFLOAT_S8_UINT).
bool isFloatDepth(const Component &depth)
{
   return depth.bitWidth == 32;
}

// Zeroes the bits above the last component (the X8 of X8_D24, bytes 5..7 of
// D32_SFLOAT_S8_UINT). Components of these formats start at bit 0 and are
// contiguous, so everything past the highest end is padding.
void clearPadding(const FormatInfo &info, uint8_t *texel)
{
   uint32_t end = 0;
   for (uint32_t i = 0; i < info.componentCount; ++i) {
      const Component &component = info.components[i];
      end = std::max<uint32_t>(end, component.bitOffset + component.bitWidth);
   }
   const uint32_t total = info.texelBytes * 8;
   while (end < total) {
      const uint32_t width = std::min<uint32_t>(total - end, 32);
      writeBits(texel, end, width, 0);
      end += width;
   }
}

void storeLe32(uint8_t *out, uint32_t value)
{
   for (uint32_t i = 0; i < 4; ++i)
      out[i] = static_cast<uint8_t>(value >> (8 * i));
}

uint32_t loadLe32(const uint8_t *in)
{
   uint32_t value = 0;
   for (uint32_t i = 0; i < 4; ++i)
      value |= uint32_t(in[i]) << (8 * i);
   return value;
}

} // namespace

uint32_t aspectCopyBytes(VkFormat format, VkImageAspectFlags aspect)
{
   const FormatInfo *info = formatInfo(format);
   if (!info || !isSingleAspect(aspect) || !(info->aspects & aspect))
      return 0;
   if (aspect == VK_IMAGE_ASPECT_COLOR_BIT)
      return info->texelBytes;
   const Component *component = aspectComponent(*info, aspect);
   if (!component)
      return 0;
   if (aspect == VK_IMAGE_ASPECT_STENCIL_BIT)
      return 1;
   return component->bitWidth == 16 ? 2 : 4;
}

bool readAspect(VkFormat format, VkImageAspectFlags aspect, const uint8_t *texel, uint8_t *out)
{
   const uint32_t bytes = aspectCopyBytes(format, aspect);
   if (bytes == 0 || !texel || !out)
      return false;
   const FormatInfo &info = *formatInfo(format);
   if (aspect == VK_IMAGE_ASPECT_COLOR_BIT) {
      std::memcpy(out, texel, bytes);
      return true;
   }
   const Component &component = *aspectComponent(info, aspect);
   const uint32_t value = readBits(texel, component.bitOffset, component.bitWidth);
   if (bytes == 4)
      storeLe32(out, value);
   else
      writeBits(out, 0, bytes * 8, value);
   return true;
}

bool writeAspect(VkFormat format, VkImageAspectFlags aspect, const uint8_t *in, uint8_t *texel)
{
   const uint32_t bytes = aspectCopyBytes(format, aspect);
   if (bytes == 0 || !in || !texel)
      return false;
   const FormatInfo &info = *formatInfo(format);
   if (aspect == VK_IMAGE_ASPECT_COLOR_BIT) {
      std::memcpy(texel, in, bytes);
      return true;
   }
   const Component &component = *aspectComponent(info, aspect);
   const uint32_t value = bytes == 4 ? loadLe32(in) : readBits(in, 0, bytes * 8);
   // writeBits keeps only the component's width: the high byte of a D24 buffer
   // texel is dropped here.
   writeBits(texel, component.bitOffset, component.bitWidth, value);
   clearPadding(info, texel);
   return true;
}

bool packDepthStencil(VkFormat format, VkImageAspectFlags aspects, float depth, uint32_t stencil,
                      uint8_t *texel)
{
   const FormatInfo *info = formatInfo(format);
   if (!info || !texel || info->cls != NumericClass::DepthStencil || aspects == 0 ||
       (aspects & ~info->aspects) != 0)
      return false;
   if (aspects & VK_IMAGE_ASPECT_DEPTH_BIT) {
      const Component &component = *info->find(Channel::Depth);
      const uint32_t value = isFloatDepth(component) ? std::bit_cast<uint32_t>(depth)
                                                     : floatToUnorm(depth, component.bitWidth);
      writeBits(texel, component.bitOffset, component.bitWidth, value);
   }
   if (aspects & VK_IMAGE_ASPECT_STENCIL_BIT) {
      const Component &component = *info->find(Channel::Stencil);
      writeBits(texel, component.bitOffset, component.bitWidth, stencil & 0xff);
   }
   clearPadding(*info, texel);
   return true;
}

bool unpackDepthStencil(VkFormat format, const uint8_t *texel, float *depth, uint32_t *stencil)
{
   const FormatInfo *info = formatInfo(format);
   if (!info || !texel || info->cls != NumericClass::DepthStencil)
      return false;
   if (const Component *component = info->find(Channel::Depth); component && depth) {
      const uint32_t raw = readBits(texel, component->bitOffset, component->bitWidth);
      *depth = isFloatDepth(*component) ? std::bit_cast<float>(raw)
                                        : unormToFloat(raw, component->bitWidth);
   }
   if (const Component *component = info->find(Channel::Stencil); component && stencil)
      *stencil = readBits(texel, component->bitOffset, component->bitWidth);
   return true;
}

} // namespace pan::layout
