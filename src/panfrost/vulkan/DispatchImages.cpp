#include "DispatchImages.h"

#include <new>

#include "DescriptorSet.h"
#include "ImageViewResource.h"
#include "TexelBufferResource.h"

namespace panvk {

std::unique_ptr<spirv::ImageResource>
DispatchImages::make(uint32_t set, uint32_t binding, uint32_t index)
{
   if (set >= kMaxBoundSets || !state_.sets[set].set)
      return nullptr;
   const DescriptorSet &descriptors = *state_.sets[set].set;
   if (const std::optional<ImageDescriptor> image = descriptors.image(binding, index)) {
      // Sampled views apply their component mapping; storage views are identity.
      const bool swizzled = image->type != VK_DESCRIPTOR_TYPE_STORAGE_IMAGE;
      return ImageViewResource::create(memory_, *image->view, swizzled);
   }
   if (BufferView *view = descriptors.texelBuffer(binding, index))
      return TexelBufferResource::create(memory_, *view);
   return nullptr;
}

spirv::ImageResource *
DispatchImages::image(uint32_t set, uint32_t binding, uint32_t index)
{
   const Key key{set, binding, index};
   if (hasLast_ && key == lastKey_)
      return last_;
   auto it = resources_.find(key);
   if (it == resources_.end()) {
      try {
         it = resources_.emplace(key, make(set, binding, index)).first;
      } catch (const std::bad_alloc &) {
         return nullptr;
      }
   }
   lastKey_ = key;
   last_ = it->second.get();
   hasLast_ = true;
   return last_;
}

const spirv::SamplerState *
DispatchImages::sampler(uint32_t set, uint32_t binding, uint32_t index) const
{
   if (set >= kMaxBoundSets || !state_.sets[set].set)
      return nullptr;
   return state_.sets[set].set->sampler(binding, index);
}

spirv::ImageLookup
DispatchImages::imageLookup()
{
   return [this](uint32_t set, uint32_t binding, uint32_t index) { return image(set, binding, index); };
}

spirv::SamplerLookup
DispatchImages::samplerLookup() const
{
   return [this](uint32_t set, uint32_t binding, uint32_t index) { return sampler(set, binding, index); };
}

} // namespace panvk
