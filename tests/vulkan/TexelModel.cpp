#include "TexelModel.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <sstream>

namespace panvk::test {

namespace {

using C = TexelClass;

TexelModelFormat
array(VkFormat format, const char *name, C cls, uint32_t bits, uint32_t count)
{
   TexelModelFormat f{format, name, cls, bits / 8 * count, {}};
   for (uint32_t i = 0; i < count; ++i)
      f.components.push_back({i, i * bits, bits});
   return f;
}

// B, G, R, A bytes in memory.
TexelModelFormat
bgra(VkFormat format, const char *name, C cls)
{
   return {format, name, cls, 4, {{2, 0, 8}, {1, 8, 8}, {0, 16, 8}, {3, 24, 8}}};
}

std::vector<TexelModelFormat>
makeTable()
{
   std::vector<TexelModelFormat> t;
   const struct {
      const char *suffix;
      C cls;
   } eight[] = {{"UNORM", C::Unorm}, {"SNORM", C::Snorm}, {"UINT", C::Uint}, {"SINT", C::Sint}, {"SRGB", C::Srgb}};
   const VkFormat r8[] = {VK_FORMAT_R8_UNORM, VK_FORMAT_R8_SNORM, VK_FORMAT_R8_UINT, VK_FORMAT_R8_SINT,
                          VK_FORMAT_R8_SRGB};
   const VkFormat rg8[] = {VK_FORMAT_R8G8_UNORM, VK_FORMAT_R8G8_SNORM, VK_FORMAT_R8G8_UINT, VK_FORMAT_R8G8_SINT,
                           VK_FORMAT_R8G8_SRGB};
   const VkFormat rgba8[] = {VK_FORMAT_R8G8B8A8_UNORM, VK_FORMAT_R8G8B8A8_SNORM, VK_FORMAT_R8G8B8A8_UINT,
                             VK_FORMAT_R8G8B8A8_SINT, VK_FORMAT_R8G8B8A8_SRGB};
   const VkFormat bgra8[] = {VK_FORMAT_B8G8R8A8_UNORM, VK_FORMAT_B8G8R8A8_SNORM, VK_FORMAT_B8G8R8A8_UINT,
                             VK_FORMAT_B8G8R8A8_SINT, VK_FORMAT_B8G8R8A8_SRGB};
   for (uint32_t i = 0; i < 5; ++i) {
      const std::string s = eight[i].suffix;
      t.push_back(array(r8[i], ("R8_" + s).c_str(), eight[i].cls, 8, 1));
      t.push_back(array(rg8[i], ("R8G8_" + s).c_str(), eight[i].cls, 8, 2));
      t.push_back(array(rgba8[i], ("R8G8B8A8_" + s).c_str(), eight[i].cls, 8, 4));
      t.push_back(bgra(bgra8[i], ("B8G8R8A8_" + s).c_str(), eight[i].cls));
   }
   const struct {
      const char *suffix;
      C cls;
   } sixteen[] = {{"UNORM", C::Unorm}, {"SNORM", C::Snorm}, {"UINT", C::Uint}, {"SINT", C::Sint},
                  {"SFLOAT", C::Sfloat}};
   const VkFormat r16[] = {VK_FORMAT_R16_UNORM, VK_FORMAT_R16_SNORM, VK_FORMAT_R16_UINT, VK_FORMAT_R16_SINT,
                           VK_FORMAT_R16_SFLOAT};
   const VkFormat rg16[] = {VK_FORMAT_R16G16_UNORM, VK_FORMAT_R16G16_SNORM, VK_FORMAT_R16G16_UINT,
                            VK_FORMAT_R16G16_SINT, VK_FORMAT_R16G16_SFLOAT};
   const VkFormat rgba16[] = {VK_FORMAT_R16G16B16A16_UNORM, VK_FORMAT_R16G16B16A16_SNORM,
                              VK_FORMAT_R16G16B16A16_UINT, VK_FORMAT_R16G16B16A16_SINT,
                              VK_FORMAT_R16G16B16A16_SFLOAT};
   for (uint32_t i = 0; i < 5; ++i) {
      const std::string s = sixteen[i].suffix;
      t.push_back(array(r16[i], ("R16_" + s).c_str(), sixteen[i].cls, 16, 1));
      t.push_back(array(rg16[i], ("R16G16_" + s).c_str(), sixteen[i].cls, 16, 2));
      t.push_back(array(rgba16[i], ("R16G16B16A16_" + s).c_str(), sixteen[i].cls, 16, 4));
   }
   t.push_back(array(VK_FORMAT_R32_UINT, "R32_UINT", C::Uint, 32, 1));
   t.push_back(array(VK_FORMAT_R32_SINT, "R32_SINT", C::Sint, 32, 1));
   t.push_back(array(VK_FORMAT_R32_SFLOAT, "R32_SFLOAT", C::Sfloat, 32, 1));
   t.push_back(array(VK_FORMAT_R32G32_UINT, "R32G32_UINT", C::Uint, 32, 2));
   t.push_back(array(VK_FORMAT_R32G32_SINT, "R32G32_SINT", C::Sint, 32, 2));
   t.push_back(array(VK_FORMAT_R32G32_SFLOAT, "R32G32_SFLOAT", C::Sfloat, 32, 2));
   t.push_back(array(VK_FORMAT_R32G32B32A32_UINT, "R32G32B32A32_UINT", C::Uint, 32, 4));
   t.push_back(array(VK_FORMAT_R32G32B32A32_SINT, "R32G32B32A32_SINT", C::Sint, 32, 4));
   t.push_back(array(VK_FORMAT_R32G32B32A32_SFLOAT, "R32G32B32A32_SFLOAT", C::Sfloat, 32, 4));
   // Packed formats: the spec names components from the most significant bit down.
   t.push_back({VK_FORMAT_A2B10G10R10_UNORM_PACK32, "A2B10G10R10_UNORM_PACK32", C::Unorm, 4,
                {{0, 0, 10}, {1, 10, 10}, {2, 20, 10}, {3, 30, 2}}});
   t.push_back({VK_FORMAT_A2B10G10R10_UINT_PACK32, "A2B10G10R10_UINT_PACK32", C::Uint, 4,
                {{0, 0, 10}, {1, 10, 10}, {2, 20, 10}, {3, 30, 2}}});
   t.push_back({VK_FORMAT_B10G11R11_UFLOAT_PACK32, "B10G11R11_UFLOAT_PACK32", C::Ufloat, 4,
                {{0, 0, 11}, {1, 11, 11}, {2, 22, 10}}});
   t.push_back({VK_FORMAT_R5G6B5_UNORM_PACK16, "R5G6B5_UNORM_PACK16", C::Unorm, 2,
                {{2, 0, 5}, {1, 5, 6}, {0, 11, 5}}});
   t.push_back({VK_FORMAT_A1R5G5B5_UNORM_PACK16, "A1R5G5B5_UNORM_PACK16", C::Unorm, 2,
                {{2, 0, 5}, {1, 5, 5}, {0, 10, 5}, {3, 15, 1}}});
   return t;
}

uint32_t
mix(uint32_t index, uint32_t lane)
{
   uint32_t x = index * 0x9e3779b1u + lane * 0x85ebca77u + 0x1234567u;
   x ^= x >> 15;
   x *= 0x2c1b3c6du;
   x ^= x >> 12;
   x *= 0x297a2d39u;
   x ^= x >> 15;
   return x;
}

uint64_t
mask(uint32_t bits)
{
   return (uint64_t(1) << bits) - 1;
}

int64_t
signExtend(uint64_t raw, uint32_t bits)
{
   const uint64_t sign = uint64_t(1) << (bits - 1);
   return int64_t((raw ^ sign) - sign);
}

uint32_t
floatBits(float f)
{
   return std::bit_cast<uint32_t>(f);
}

float
bitsFloat(uint32_t bits)
{
   return std::bit_cast<float>(bits);
}

double
srgbDecode(double c)
{
   return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

double
srgbEncode(double l)
{
   return l <= 0.0031308 ? l * 12.92 : 1.055 * std::pow(l, 1.0 / 2.4) - 0.055;
}

// A small float of `exponentBits` and `mantissaBits` (bias 2^(e-1) - 1), for
// values it holds exactly (the tests only write such values).
uint64_t
encodeSmallFloat(float value, uint32_t exponentBits, uint32_t mantissaBits, bool hasSign)
{
   const uint64_t sign = hasSign && std::signbit(value) ? uint64_t(1) << (exponentBits + mantissaBits) : 0;
   const double magnitude = std::fabs(double(value));
   if (magnitude == 0.0)
      return sign;
   int exponent = 0;
   const double fraction = std::frexp(magnitude, &exponent); // magnitude = fraction * 2^exponent, fraction in [0.5, 1)
   const int bias = (1 << (exponentBits - 1)) - 1;
   const int field = exponent - 1 + bias;
   const double mantissa = (fraction * 2.0 - 1.0) * double(uint64_t(1) << mantissaBits);
   return sign | (uint64_t(field) << mantissaBits) | uint64_t(std::llround(mantissa));
}

double
decodeSmallFloat(uint64_t raw, uint32_t exponentBits, uint32_t mantissaBits, bool hasSign)
{
   const bool negative = hasSign && (raw >> (exponentBits + mantissaBits)) & 1;
   const int field = int((raw >> mantissaBits) & mask(exponentBits));
   const double mantissa = double(raw & mask(mantissaBits)) / double(uint64_t(1) << mantissaBits);
   const int bias = (1 << (exponentBits - 1)) - 1;
   const double magnitude =
      field == 0 ? std::ldexp(mantissa, 1 - bias) : std::ldexp(1.0 + mantissa, field - bias);
   return negative ? -magnitude : magnitude;
}

void
writeBits(std::vector<uint8_t> &bytes, uint32_t offset, uint32_t bits, uint64_t value)
{
   for (uint32_t i = 0; i < bits; ++i) {
      const uint32_t at = offset + i;
      if ((value >> i) & 1)
         bytes[at / 8] |= uint8_t(1u << (at % 8));
   }
}

uint64_t
readBits(const uint8_t *bytes, uint32_t offset, uint32_t bits)
{
   uint64_t value = 0;
   for (uint32_t i = 0; i < bits; ++i) {
      const uint32_t at = offset + i;
      value |= uint64_t((bytes[at / 8] >> (at % 8)) & 1) << i;
   }
   return value;
}

const TexelComponent *
componentOf(const TexelModelFormat &format, uint32_t lane)
{
   for (const TexelComponent &c : format.components) {
      if (c.lane == lane)
         return &c;
   }
   return nullptr;
}

} // namespace

const std::vector<TexelModelFormat> &
texelModelFormats()
{
   static const std::vector<TexelModelFormat> table = makeTable();
   return table;
}

const TexelModelFormat *
findTexelModelFormat(VkFormat format)
{
   for (const TexelModelFormat &f : texelModelFormats()) {
      if (f.format == format)
         return &f;
   }
   return nullptr;
}

Lanes
texelValue(const TexelModelFormat &format, uint32_t index)
{
   Lanes lanes{};
   for (uint32_t lane = 0; lane < 4; ++lane) {
      const uint32_t h = mix(index, lane);
      const TexelComponent *c = componentOf(format, lane);
      const uint32_t bits = c ? c->bits : 8;
      switch (format.cls) {
      case C::Unorm: {
         float f = float(double(h & mask(bits)) / double(mask(bits)));
         if (lane == 0 && index % 17 == 3)
            f = 1.75f; // clamps to 1
         if (lane == 0 && index % 17 == 5)
            f = -0.25f; // clamps to 0
         lanes[lane] = floatBits(f);
         break;
      }
      case C::Snorm: {
         const int64_t max = int64_t(mask(bits - 1));
         float f = float(double(int64_t(h % uint64_t(2 * max + 1)) - max) / double(max));
         if (lane == 0 && index % 17 == 3)
            f = 2.0f; // clamps to 1
         if (lane == 0 && index % 17 == 5)
            f = -3.0f; // clamps to -1
         lanes[lane] = floatBits(f);
         break;
      }
      case C::Srgb:
         lanes[lane] = lane == 3 ? floatBits(float((h & 0xff) / 255.0)) : floatBits(float(srgbDecode((h & 0xff) / 255.0)));
         break;
      case C::Sfloat:
         lanes[lane] = bits == 16 ? floatBits(float(int(h % 512) - 256) * 0.125f)
                                  : floatBits(float(int32_t(h) >> 8) * (1.0f / 64.0f));
         break;
      case C::Ufloat:
         lanes[lane] = floatBits(float(h % 64) * 0.25f);
         break;
      case C::Uint:
         lanes[lane] = bits == 32 ? h : uint32_t(h & mask(bits));
         break;
      case C::Sint:
         lanes[lane] = bits == 32 ? h : uint32_t(signExtend(h & mask(bits), bits));
         break;
      }
   }
   return lanes;
}

std::vector<uint8_t>
packTexel(const TexelModelFormat &format, const Lanes &value)
{
   std::vector<uint8_t> bytes(format.bytes, 0);
   for (const TexelComponent &c : format.components) {
      const float f = bitsFloat(value[c.lane]);
      uint64_t raw = 0;
      switch (format.cls) {
      case C::Unorm: {
         const double v = std::isnan(f) ? 0.0 : std::clamp(double(f), 0.0, 1.0);
         raw = uint64_t(std::floor(v * double(mask(c.bits)) + 0.5));
         break;
      }
      case C::Snorm: {
         const double v = std::isnan(f) ? 0.0 : std::clamp(double(f), -1.0, 1.0);
         raw = uint64_t(std::llround(v * double(mask(c.bits - 1)))) & mask(c.bits);
         break;
      }
      case C::Srgb: {
         const double v = std::isnan(f) ? 0.0 : std::clamp(double(f), 0.0, 1.0);
         raw = uint64_t(std::floor((c.lane == 3 ? v : srgbEncode(v)) * 255.0 + 0.5));
         break;
      }
      case C::Sfloat:
         raw = c.bits == 32 ? value[c.lane] : encodeSmallFloat(f, 5, 10, true);
         break;
      case C::Ufloat:
         raw = encodeSmallFloat(f, 5, c.bits - 5, false);
         break;
      case C::Uint:
      case C::Sint:
         raw = value[c.lane] & mask(c.bits);
         break;
      }
      writeBits(bytes, c.bitOffset, c.bits, raw);
   }
   return bytes;
}

Lanes
unpackTexel(const TexelModelFormat &format, const uint8_t *bytes)
{
   const bool isFloat = format.isFloat();
   Lanes lanes{0, 0, 0, isFloat ? floatBits(1.0f) : 1u};
   for (const TexelComponent &c : format.components) {
      const uint64_t raw = readBits(bytes, c.bitOffset, c.bits);
      switch (format.cls) {
      case C::Unorm:
         lanes[c.lane] = floatBits(float(double(raw) / double(mask(c.bits))));
         break;
      case C::Snorm:
         lanes[c.lane] =
            floatBits(float(std::max(double(signExtend(raw, c.bits)) / double(mask(c.bits - 1)), -1.0)));
         break;
      case C::Srgb:
         lanes[c.lane] = floatBits(float(c.lane == 3 ? raw / 255.0 : srgbDecode(raw / 255.0)));
         break;
      case C::Sfloat:
         lanes[c.lane] = c.bits == 32 ? uint32_t(raw) : floatBits(float(decodeSmallFloat(raw, 5, 10, true)));
         break;
      case C::Ufloat:
         lanes[c.lane] = floatBits(float(decodeSmallFloat(raw, 5, c.bits - 5, false)));
         break;
      case C::Uint:
         lanes[c.lane] = uint32_t(raw);
         break;
      case C::Sint:
         lanes[c.lane] = uint32_t(signExtend(raw, c.bits));
         break;
      }
   }
   return lanes;
}

bool
lanesMatch(const TexelModelFormat &format, const Lanes &expected, const Lanes &actual)
{
   if (!format.isFloat() || format.cls == C::Sfloat || format.cls == C::Ufloat)
      return expected == actual;
   // Normalized and sRGB conversions: within a small fraction of a step.
   const float tolerance = format.cls == C::Srgb ? 1e-4f : 1e-5f;
   for (uint32_t lane = 0; lane < 4; ++lane) {
      if (std::fabs(bitsFloat(expected[lane]) - bitsFloat(actual[lane])) > tolerance)
         return false;
   }
   return true;
}

std::string
describeLanes(const TexelModelFormat &format, const Lanes &value)
{
   std::ostringstream out;
   out << "(";
   for (uint32_t lane = 0; lane < 4; ++lane) {
      if (lane)
         out << ", ";
      if (format.isFloat())
         out << bitsFloat(value[lane]);
      else if (format.cls == C::Sint)
         out << int32_t(value[lane]);
      else
         out << value[lane];
   }
   out << ")";
   return out.str();
}

} // namespace panvk::test
