#include "PipelineLayout.h"

#include <new>

#include "Device.h"
#include "panvk_entrypoints.h"

namespace panvk {

VkResult
PipelineLayout::create(Device &, const VkPipelineLayoutCreateInfo &info, VkPipelineLayout *out)
{
   try {
      std::unique_ptr<PipelineLayout> layout(new PipelineLayout());
      for (uint32_t i = 0; i < info.setLayoutCount; ++i) {
         const DescriptorSetLayout *set = DescriptorSetLayout::from(info.pSetLayouts[i]);
         layout->sets_.push_back(set ? set->info() : std::make_shared<const SetLayoutInfo>());
      }
      if (info.pPushConstantRanges)
         layout->pushConstants_.assign(info.pPushConstantRanges,
                                       info.pPushConstantRanges + info.pushConstantRangeCount);
      *out = layout.release()->handle();
      return VK_SUCCESS;
   } catch (const std::bad_alloc &) {
      return VK_ERROR_OUT_OF_HOST_MEMORY;
   }
}

} // namespace panvk

using namespace panvk;

extern "C" {

VKAPI_ATTR VkResult VKAPI_CALL
panvk_CreatePipelineLayout(VkDevice device, const VkPipelineLayoutCreateInfo *pCreateInfo,
                           const VkAllocationCallbacks *, VkPipelineLayout *pPipelineLayout)
{
   return PipelineLayout::create(*Device::from(device), *pCreateInfo, pPipelineLayout);
}

VKAPI_ATTR void VKAPI_CALL
panvk_DestroyPipelineLayout(VkDevice, VkPipelineLayout pipelineLayout, const VkAllocationCallbacks *)
{
   delete PipelineLayout::from(pipelineLayout);
}

} // extern "C"
