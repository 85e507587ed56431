#include "TexelResource.h"

namespace panvk {

bool
TexelResource::read(uint32_t x, uint32_t y, uint32_t z, uint32_t layer, uint32_t level, spirv::Texel &out)
{
   const uint64_t va = address(x, y, z, layer, level);
   if (!va) {
      out = spirv::Texel{};
      return true;
   }
   uint8_t bytes[TexelFormat::kMaxTexelBytes];
   if (!memory_.read(va, bytes, format_.bytes()))
      return false;
   out = format_.decode(bytes);
   return true;
}

bool
TexelResource::write(uint32_t x, uint32_t y, uint32_t z, uint32_t layer, uint32_t level, const spirv::Texel &in)
{
   const uint64_t va = address(x, y, z, layer, level);
   uint8_t bytes[TexelFormat::kMaxTexelBytes];
   if (!va || !format_.encode(in, bytes))
      return true;
   return memory_.write(va, bytes, format_.bytes());
}

bool
TexelResource::atomic(uint32_t x, uint32_t y, uint32_t z, uint32_t layer, uint32_t level,
                      const std::function<void(uint32_t &word)> &update)
{
   if (!format_.atomic())
      return false;
   const uint64_t va = address(x, y, z, layer, level);
   if (!va)
      return true;
   return memory_.atomic(va, update);
}

} // namespace panvk
