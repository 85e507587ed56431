// The image and sampler descriptors of one dispatch, as the interpreter looks
// them up (spirv::ImageLookup, spirv::SamplerLookup): an ImageResource is
// made the first time a shader reaches (set, binding, index) and kept until
// the dispatch ends; samplers are the sets' own records.
//
// Not thread-safe: one per dispatch. The bound sets must outlive it.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>

#include "ComputeState.h"
#include "spirv/Interpreter.h"

namespace panvk {

class DispatchImages {
public:
   // Image accesses go through `memory` (the dispatch's MMU view).
   DispatchImages(const ComputeState &state, spirv::GlobalMemory &memory) : state_(state), memory_(memory) {}

   // Null when the descriptor holds no image or texel buffer a shader can
   // reach (or host memory ran out).
   spirv::ImageResource *image(uint32_t set, uint32_t binding, uint32_t index);
   const spirv::SamplerState *sampler(uint32_t set, uint32_t binding, uint32_t index) const;

   // The lookups for DispatchInputs; they refer to this object.
   spirv::ImageLookup imageLookup();
   spirv::SamplerLookup samplerLookup() const;

private:
   using Key = std::array<uint32_t, 3>;

   std::unique_ptr<spirv::ImageResource> make(uint32_t set, uint32_t binding, uint32_t index);

   const ComputeState &state_;
   spirv::GlobalMemory &memory_;
   std::map<Key, std::unique_ptr<spirv::ImageResource>> resources_; // null entries: nothing there
   // The last lookup, since a shader usually reaches one image many times in a row.
   Key lastKey_{};
   spirv::ImageResource *last_ = nullptr;
   bool hasLast_ = false;
};

} // namespace panvk
