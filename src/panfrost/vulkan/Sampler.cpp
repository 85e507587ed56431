#include "Sampler.h"

#include <new>

#include "Device.h"
#include "panvk_entrypoints.h"

namespace panvk {

VkResult
Sampler::create(Device &, const VkSamplerCreateInfo &info, VkSampler *out)
{
   Sampler *sampler = new (std::nothrow) Sampler(info);
   if (!sampler)
      return VK_ERROR_OUT_OF_HOST_MEMORY;
   *out = sampler->handle();
   return VK_SUCCESS;
}

Sampler::Sampler(const VkSamplerCreateInfo &info) : info_(info)
{
   info_.pNext = nullptr; // the caller's chain is gone after vkCreateSampler
}

} // namespace panvk

using namespace panvk;

extern "C" {

VKAPI_ATTR VkResult VKAPI_CALL
panvk_CreateSampler(VkDevice device, const VkSamplerCreateInfo *pCreateInfo, const VkAllocationCallbacks *,
                    VkSampler *pSampler)
{
   return Sampler::create(*Device::from(device), *pCreateInfo, pSampler);
}

VKAPI_ATTR void VKAPI_CALL
panvk_DestroySampler(VkDevice, VkSampler sampler, const VkAllocationCallbacks *)
{
   delete Sampler::from(sampler);
}

} // extern "C"
