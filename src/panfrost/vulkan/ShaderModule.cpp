#include "ShaderModule.h"

#include <new>

#include "Device.h"
#include "panvk_entrypoints.h"

namespace panvk {

VkResult
ShaderModule::create(Device &, const VkShaderModuleCreateInfo &info, VkShaderModule *out)
{
   try {
      std::vector<uint32_t> words;
      if (info.pCode)
         words.assign(info.pCode, info.pCode + info.codeSize / 4);
      ShaderModule *module = new ShaderModule(std::move(words));
      *out = module->handle();
      return VK_SUCCESS;
   } catch (const std::bad_alloc &) {
      return VK_ERROR_OUT_OF_HOST_MEMORY;
   }
}

} // namespace panvk

using namespace panvk;

extern "C" {

VKAPI_ATTR VkResult VKAPI_CALL
panvk_CreateShaderModule(VkDevice device, const VkShaderModuleCreateInfo *pCreateInfo,
                         const VkAllocationCallbacks *, VkShaderModule *pShaderModule)
{
   return ShaderModule::create(*Device::from(device), *pCreateInfo, pShaderModule);
}

VKAPI_ATTR void VKAPI_CALL
panvk_DestroyShaderModule(VkDevice, VkShaderModule shaderModule, const VkAllocationCallbacks *)
{
   delete ShaderModule::from(shaderModule);
}

} // extern "C"
