// What image views and texel buffer views share as the interpreter's
// ImageResource (spirv/Interpreter.h): a TexelFormat, and GPU memory reached
// through spirv::GlobalMemory (the MMU, in the driver), one access per texel.
// Subclasses say where a texel lives and what the view's extent is.
//
// Not thread-safe: made and used by one dispatch.
#pragma once

#include <cstdint>

#include "TexelFormat.h"
#include "spirv/Interpreter.h"

namespace panvk {

class TexelResource : public spirv::ImageResource {
public:
   spirv::TexelKind kind() const override { return format_.kind(); }
   // A texel outside the view (the interpreter checks first; invalid usage
   // otherwise) reads as zero and ignores writes and atomics, touching nothing.
   bool read(uint32_t x, uint32_t y, uint32_t z, uint32_t layer, uint32_t level, spirv::Texel &out) override;
   // Writes to a read-only format (depth/stencil) are ignored.
   bool write(uint32_t x, uint32_t y, uint32_t z, uint32_t layer, uint32_t level,
              const spirv::Texel &in) override;
   // False (a fault for the dispatch) for a format without atomics, as the
   // interface asks.
   bool atomic(uint32_t x, uint32_t y, uint32_t z, uint32_t layer, uint32_t level,
               const std::function<void(uint32_t &word)> &update) override;

   const TexelFormat &format() const { return format_; }

protected:
   TexelResource(spirv::GlobalMemory &memory, const TexelFormat &format) : memory_(memory), format_(format) {}

   // GPU address of the texel; 0 when it is outside the view.
   virtual uint64_t address(uint32_t x, uint32_t y, uint32_t z, uint32_t layer, uint32_t level) const = 0;

private:
   spirv::GlobalMemory &memory_;
   TexelFormat format_;
};

} // namespace panvk
