// VkSampler: how texels are filtered and addressed. A record of the create
// info, and the interpreter's SamplerState made from it once, at creation.
#pragma once

#include "Handle.h"
#include "spirv/Interpreter.h"

namespace panvk {

class Device;

class Sampler : public HandleOf<Sampler, VkSampler> {
public:
   static VkResult create(Device &device, const VkSamplerCreateInfo &info, VkSampler *out);

   // pNext dropped.
   const VkSamplerCreateInfo &info() const { return info_; }
   VkFilter magFilter() const { return info_.magFilter; }
   VkFilter minFilter() const { return info_.minFilter; }
   VkSamplerMipmapMode mipmapMode() const { return info_.mipmapMode; }
   VkSamplerAddressMode addressModeU() const { return info_.addressModeU; }
   VkSamplerAddressMode addressModeV() const { return info_.addressModeV; }
   VkSamplerAddressMode addressModeW() const { return info_.addressModeW; }
   VkBorderColor borderColor() const { return info_.borderColor; }
   bool unnormalizedCoordinates() const { return info_.unnormalizedCoordinates; }
   // What a dispatch samples with.
   const spirv::SamplerState &state() const { return state_; }

   // The interpreter's sampler for a create info (immutable samplers of set
   // layouts are copied this way too).
   static spirv::SamplerState translate(const VkSamplerCreateInfo &info);

private:
   explicit Sampler(const VkSamplerCreateInfo &info);

   VkSamplerCreateInfo info_;
   spirv::SamplerState state_;
};

} // namespace panvk
