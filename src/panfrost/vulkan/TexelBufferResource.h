// A buffer view as a shader reaches it (uniform or storage texel buffer): a
// 1D image of one level and one layer whose element i is the texel at
// offset + i * texelBytes of the buffer, read and written through the MMU in
// the view's format (TexelResource). Its extent is range / texelBytes.
#pragma once

#include <array>
#include <cstdint>
#include <memory>

#include "TexelResource.h"

namespace panvk {

class BufferView;

class TexelBufferResource final : public TexelResource {
public:
   // Null when shaders cannot reach the view: a buffer without memory, a
   // format without texels (compressed, depth/stencil) or no whole texel in
   // range. Throws std::bad_alloc.
   static std::unique_ptr<TexelBufferResource> create(spirv::GlobalMemory &memory, BufferView &view);

   uint32_t levels() const override { return 1; }
   uint32_t layers() const override { return 1; }
   std::array<uint32_t, 3> extent(uint32_t level) const override
   {
      return level == 0 ? std::array<uint32_t, 3>{count_, 1, 1} : std::array<uint32_t, 3>{0, 0, 0};
   }

private:
   TexelBufferResource(spirv::GlobalMemory &memory, const TexelFormat &format, uint64_t va, uint32_t count)
      : TexelResource(memory, format), va_(va), count_(count)
   {
   }
   uint64_t address(uint32_t x, uint32_t y, uint32_t z, uint32_t layer, uint32_t level) const override;

   uint64_t va_ = 0;
   uint32_t count_ = 0;
};

} // namespace panvk
