// VkSampler: how texels are filtered and addressed. A plain record of the
// create info; the compute work reads it.
#pragma once

#include "Handle.h"

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

private:
   explicit Sampler(const VkSamplerCreateInfo &info);

   VkSamplerCreateInfo info_;
};

} // namespace panvk
