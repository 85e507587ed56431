#include "DescriptorSetLayout.h"

#include <algorithm>
#include <new>

#include "Device.h"
#include "Sampler.h"
#include "panvk_entrypoints.h"

namespace panvk {

bool
isDynamicBuffer(VkDescriptorType type)
{
   return type == VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER_DYNAMIC ||
          type == VK_DESCRIPTOR_TYPE_STORAGE_BUFFER_DYNAMIC;
}

bool
isBuffer(VkDescriptorType type)
{
   return isDynamicBuffer(type) || type == VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER ||
          type == VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
}

bool
isImage(VkDescriptorType type)
{
   return type == VK_DESCRIPTOR_TYPE_STORAGE_IMAGE || type == VK_DESCRIPTOR_TYPE_SAMPLED_IMAGE ||
          type == VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER;
}

bool
isTexelBuffer(VkDescriptorType type)
{
   return type == VK_DESCRIPTOR_TYPE_UNIFORM_TEXEL_BUFFER || type == VK_DESCRIPTOR_TYPE_STORAGE_TEXEL_BUFFER;
}

bool
hasSampler(VkDescriptorType type)
{
   return type == VK_DESCRIPTOR_TYPE_SAMPLER || type == VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER;
}

const SetBinding *
SetLayoutInfo::find(uint32_t binding) const
{
   auto it = std::lower_bound(bindings.begin(), bindings.end(), binding,
                              [](const SetBinding &b, uint32_t n) { return b.binding < n; });
   return it != bindings.end() && it->binding == binding ? &*it : nullptr;
}

const SetBinding *
SetLayoutInfo::next(const SetBinding &binding) const
{
   const size_t index = &binding - bindings.data() + 1;
   return index < bindings.size() ? &bindings[index] : nullptr;
}

std::shared_ptr<const SetLayoutInfo>
DescriptorSetLayout::describe(const VkDescriptorSetLayoutCreateInfo &info)
{
   auto layout = std::make_shared<SetLayoutInfo>();
   for (uint32_t i = 0; i < info.bindingCount; ++i) {
      const VkDescriptorSetLayoutBinding &b = info.pBindings[i];
      if (b.descriptorCount == 0)
         continue; // reserves the number only
      SetBinding binding{b.binding, b.descriptorType, b.descriptorCount, 0, {}};
      if (hasSampler(b.descriptorType) && b.pImmutableSamplers) {
         for (uint32_t i = 0; i < b.descriptorCount; ++i) {
            // A null handle is invalid usage: it samples with the defaults.
            const Sampler *sampler = Sampler::from(b.pImmutableSamplers[i]);
            binding.immutableSamplers.push_back(sampler ? sampler->state() : spirv::SamplerState{});
         }
      }
      layout->bindings.push_back(std::move(binding));
   }
   std::sort(layout->bindings.begin(), layout->bindings.end(),
             [](const SetBinding &a, const SetBinding &b) { return a.binding < b.binding; });
   // Dynamic offsets are given in binding order.
   for (SetBinding &b : layout->bindings) {
      if (!isDynamicBuffer(b.type))
         continue;
      b.firstDynamic = layout->dynamicCount;
      layout->dynamicCount += b.count;
   }
   return layout;
}

VkResult
DescriptorSetLayout::create(Device &, const VkDescriptorSetLayoutCreateInfo &info,
                            VkDescriptorSetLayout *out)
{
   try {
      DescriptorSetLayout *layout = new DescriptorSetLayout(describe(info));
      *out = layout->handle();
      return VK_SUCCESS;
   } catch (const std::bad_alloc &) {
      return VK_ERROR_OUT_OF_HOST_MEMORY;
   }
}

} // namespace panvk

using namespace panvk;

extern "C" {

VKAPI_ATTR VkResult VKAPI_CALL
panvk_CreateDescriptorSetLayout(VkDevice device, const VkDescriptorSetLayoutCreateInfo *pCreateInfo,
                                const VkAllocationCallbacks *, VkDescriptorSetLayout *pSetLayout)
{
   return DescriptorSetLayout::create(*Device::from(device), *pCreateInfo, pSetLayout);
}

VKAPI_ATTR void VKAPI_CALL
panvk_DestroyDescriptorSetLayout(VkDevice, VkDescriptorSetLayout descriptorSetLayout,
                                 const VkAllocationCallbacks *)
{
   delete DescriptorSetLayout::from(descriptorSetLayout);
}

// Any layout within maxPerSetDescriptors is supported: descriptors
// are plain host records.
VKAPI_ATTR void VKAPI_CALL
panvk_GetDescriptorSetLayoutSupport(VkDevice, const VkDescriptorSetLayoutCreateInfo *pCreateInfo,
                                    VkDescriptorSetLayoutSupport *pSupport)
{
   uint64_t total = 0;
   for (uint32_t i = 0; i < pCreateInfo->bindingCount; ++i)
      total += pCreateInfo->pBindings[i].descriptorCount;
   pSupport->supported = total <= kMaxPerSetDescriptors ? VK_TRUE : VK_FALSE;
}

} // extern "C"
