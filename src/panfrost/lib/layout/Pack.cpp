#include "layout/Pack.h"

#include <bit>
#include <cstring>

#include "layout/BitField.h"
#include "layout/Normalized.h"
#include "layout/SmallFloat.h"
#include "layout/Srgb.h"

namespace pan::layout {

namespace {

// Colour components only ever carry R, G, B or A.
uint32_t lane(const Component &component)
{
   return static_cast<uint32_t>(component.channel);
}

uint64_t widthMask(uint32_t bits)
{
   return (uint64_t(1) << bits) - 1;
}

float decodeFloatComponent(NumericClass cls, const Component &component, uint32_t raw)
{
   const uint32_t bits = component.bitWidth;
   switch (cls) {
   case NumericClass::UNorm:
      return unormToFloat(raw, bits);
   case NumericClass::SNorm:
      return snormToFloat(raw, bits);
   case NumericClass::Srgb: {
      const float encoded = unormToFloat(raw, bits);
      return component.channel == Channel::A ? encoded : srgbToLinear(encoded);
   }
   case NumericClass::SFloat:
      return bits == 16 ? halfToFloat(static_cast<uint16_t>(raw)) : std::bit_cast<float>(raw);
   case NumericClass::UFloat:
      return bits == 11 ? ufloat11ToFloat(raw) : ufloat10ToFloat(raw);
   default:
      return 0.0f;
   }
}

uint32_t encodeFloatComponent(NumericClass cls, const Component &component, float value)
{
   const uint32_t bits = component.bitWidth;
   switch (cls) {
   case NumericClass::UNorm:
      return floatToUnorm(value, bits);
   case NumericClass::SNorm:
      return floatToSnorm(value, bits);
   case NumericClass::Srgb:
      return floatToUnorm(component.channel == Channel::A ? value : linearToSrgb(value), bits);
   case NumericClass::SFloat:
      return bits == 16 ? floatToHalf(value) : std::bit_cast<uint32_t>(value);
   case NumericClass::UFloat:
      return bits == 11 ? floatToUFloat11(value) : floatToUFloat10(value);
   default:
      return 0;
   }
}

int64_t saturate(int64_t value, int64_t low, int64_t high)
{
   return value < low ? low : (value > high ? high : value);
}

} // namespace

bool unpackToFloat4(const FormatInfo &format, const uint8_t *texel, float out[4])
{
   if (!texel || !out || !format.isFloatClass())
      return false;
   out[0] = out[1] = out[2] = 0.0f;
   out[3] = 1.0f;
   for (uint32_t i = 0; i < format.componentCount; ++i) {
      const Component &component = format.components[i];
      const uint32_t raw = readBits(texel, component.bitOffset, component.bitWidth);
      out[lane(component)] = decodeFloatComponent(format.cls, component, raw);
   }
   return true;
}

bool packFromFloat4(const FormatInfo &format, const float in[4], uint8_t *texelOut)
{
   if (!in || !texelOut || !format.isFloatClass())
      return false;
   std::memset(texelOut, 0, format.texelBytes);
   for (uint32_t i = 0; i < format.componentCount; ++i) {
      const Component &component = format.components[i];
      writeBits(texelOut, component.bitOffset, component.bitWidth,
                encodeFloatComponent(format.cls, component, in[lane(component)]));
   }
   return true;
}

bool unpackToInt4(const FormatInfo &format, const uint8_t *texel, int64_t out[4])
{
   if (!texel || !out || !format.isInteger())
      return false;
   out[0] = out[1] = out[2] = 0;
   out[3] = 1;
   for (uint32_t i = 0; i < format.componentCount; ++i) {
      const Component &component = format.components[i];
      const uint32_t raw = readBits(texel, component.bitOffset, component.bitWidth);
      out[lane(component)] = format.cls == NumericClass::SInt
                                ? signExtend(raw, component.bitWidth)
                                : int64_t(raw);
   }
   return true;
}

bool packFromInt4(const FormatInfo &format, const int64_t in[4], uint8_t *texelOut)
{
   if (!in || !texelOut || !format.isInteger())
      return false;
   std::memset(texelOut, 0, format.texelBytes);
   for (uint32_t i = 0; i < format.componentCount; ++i) {
      const Component &component = format.components[i];
      const uint32_t bits = component.bitWidth;
      int64_t value;
      if (format.cls == NumericClass::SInt) {
         const int64_t high = int64_t(widthMask(bits - 1));
         value = saturate(in[lane(component)], -high - 1, high);
      } else {
         value = saturate(in[lane(component)], 0, int64_t(widthMask(bits)));
      }
      writeBits(texelOut, component.bitOffset, bits,
                static_cast<uint32_t>(static_cast<uint64_t>(value) & widthMask(bits)));
   }
   return true;
}

bool packClearColor(const FormatInfo &format, const VkClearColorValue &color, uint8_t *texelOut)
{
   if (!texelOut)
      return false;
   if (format.isFloatClass())
      return packFromFloat4(format, color.float32, texelOut);
   if (!format.isInteger())
      return false;
   std::memset(texelOut, 0, format.texelBytes);
   for (uint32_t i = 0; i < format.componentCount; ++i) {
      const Component &component = format.components[i];
      // Keeping the low bits is the cast the spec describes (two's complement
      // for SINT, so negative values stay negative in the narrower type).
      const uint32_t value = format.cls == NumericClass::SInt
                                ? static_cast<uint32_t>(color.int32[lane(component)])
                                : color.uint32[lane(component)];
      writeBits(texelOut, component.bitOffset, component.bitWidth,
                static_cast<uint32_t>(value & widthMask(component.bitWidth)));
   }
   return true;
}

bool packClearColor(VkFormat format, const VkClearColorValue &color, uint8_t *texelOut)
{
   const FormatInfo *info = formatInfo(format);
   return info && packClearColor(*info, color, texelOut);
}

bool unpackToFloat4(VkFormat format, const uint8_t *texel, float out[4])
{
   const FormatInfo *info = formatInfo(format);
   return info && unpackToFloat4(*info, texel, out);
}

bool packFromFloat4(VkFormat format, const float in[4], uint8_t *texelOut)
{
   const FormatInfo *info = formatInfo(format);
   return info && packFromFloat4(*info, in, texelOut);
}

bool unpackToInt4(VkFormat format, const uint8_t *texel, int64_t out[4])
{
   const FormatInfo *info = formatInfo(format);
   return info && unpackToInt4(*info, texel, out);
}

bool packFromInt4(VkFormat format, const int64_t in[4], uint8_t *texelOut)
{
   const FormatInfo *info = formatInfo(format);
   return info && packFromInt4(*info, in, texelOut);
}

} // namespace pan::layout
