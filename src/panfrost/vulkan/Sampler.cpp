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

namespace {

spirv::Filter
filter(VkFilter value)
{
   return value == VK_FILTER_LINEAR ? spirv::Filter::Linear : spirv::Filter::Nearest;
}

spirv::AddressMode
addressMode(VkSamplerAddressMode mode)
{
   switch (mode) {
   case VK_SAMPLER_ADDRESS_MODE_MIRRORED_REPEAT: return spirv::AddressMode::MirroredRepeat;
   case VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_EDGE: return spirv::AddressMode::ClampToEdge;
   case VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_BORDER: return spirv::AddressMode::ClampToBorder;
   case VK_SAMPLER_ADDRESS_MODE_MIRROR_CLAMP_TO_EDGE: return spirv::AddressMode::MirrorClampToEdge;
   default: return spirv::AddressMode::Repeat;
   }
}

// The float and integer variants of a border colour are one value here:
// the interpreter picks the one the image's texel kind needs.
spirv::BorderColor
border(VkBorderColor color)
{
   switch (color) {
   case VK_BORDER_COLOR_FLOAT_OPAQUE_BLACK:
   case VK_BORDER_COLOR_INT_OPAQUE_BLACK: return spirv::BorderColor::OpaqueBlack;
   case VK_BORDER_COLOR_FLOAT_OPAQUE_WHITE:
   case VK_BORDER_COLOR_INT_OPAQUE_WHITE: return spirv::BorderColor::OpaqueWhite;
   default: return spirv::BorderColor::TransparentBlack;
   }
}

} // namespace

spirv::SamplerState
Sampler::translate(const VkSamplerCreateInfo &info)
{
   spirv::SamplerState state;
   state.magFilter = filter(info.magFilter);
   state.minFilter = filter(info.minFilter);
   state.mipmapMode =
      info.mipmapMode == VK_SAMPLER_MIPMAP_MODE_LINEAR ? spirv::Filter::Linear : spirv::Filter::Nearest;
   state.address = {addressMode(info.addressModeU), addressMode(info.addressModeV),
                    addressMode(info.addressModeW)};
   state.mipLodBias = info.mipLodBias;
   state.minLod = info.minLod;
   state.maxLod = info.maxLod;
   state.border = border(info.borderColor);
   state.unnormalizedCoordinates = info.unnormalizedCoordinates;
   return state;
}

Sampler::Sampler(const VkSamplerCreateInfo &info) : info_(info), state_(translate(info))
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
