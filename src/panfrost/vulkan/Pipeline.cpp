#include "Pipeline.h"

#include <cstring>
#include <new>

#include "Debug.h"
#include "Device.h"
#include "ShaderModule.h"
#include "panvk_entrypoints.h"

namespace panvk {

namespace {

// SpecId -> the value's words, from VkSpecializationInfo.
std::unordered_map<uint32_t, std::vector<uint32_t>>
specialization(const VkSpecializationInfo *info)
{
   std::unordered_map<uint32_t, std::vector<uint32_t>> values;
   if (!info || !info->pData)
      return values;
   const auto *bytes = static_cast<const uint8_t *>(info->pData);
   for (uint32_t i = 0; i < info->mapEntryCount; ++i) {
      const VkSpecializationMapEntry &entry = info->pMapEntries[i];
      if (entry.offset >= info->dataSize || entry.size > info->dataSize - entry.offset)
         continue;
      std::vector<uint32_t> words((entry.size + 3) / 4, 0);
      memcpy(words.data(), bytes + entry.offset, entry.size);
      // Booleans are VkBool32: any non-zero value is true.
      if (entry.size == 1)
         words[0] = words[0] != 0;
      values[entry.constantID] = std::move(words);
   }
   return values;
}

} // namespace

VkResult
Pipeline::createCompute(Device &, const VkComputePipelineCreateInfo &info, VkPipeline *out,
                        std::string &error)
{
   try {
      const ShaderModule *shader = ShaderModule::from(info.stage.module);
      if (!shader) {
         error = "no shader module";
         return VK_ERROR_OUT_OF_DEVICE_MEMORY;
      }
      const std::vector<uint32_t> &words = shader->words();
      std::shared_ptr<const spirv::Module> module = spirv::Module::build(
         words.data(), words.size(), info.stage.pName ? info.stage.pName : "",
         specialization(info.stage.pSpecializationInfo), error);
      if (!module)
         return VK_ERROR_OUT_OF_DEVICE_MEMORY;
      *out = (new Pipeline(std::move(module)))->handle();
      return VK_SUCCESS;
   } catch (const std::bad_alloc &) {
      return VK_ERROR_OUT_OF_HOST_MEMORY;
   }
}

} // namespace panvk

using namespace panvk;

extern "C" {

VKAPI_ATTR VkResult VKAPI_CALL
panvk_CreateComputePipelines(VkDevice device, VkPipelineCache, uint32_t createInfoCount,
                             const VkComputePipelineCreateInfo *pCreateInfos,
                             const VkAllocationCallbacks *, VkPipeline *pPipelines)
{
   VkResult result = VK_SUCCESS;
   for (uint32_t i = 0; i < createInfoCount; ++i) {
      std::string error;
      pPipelines[i] = VK_NULL_HANDLE;
      const VkResult one = Pipeline::createCompute(*Device::from(device), pCreateInfos[i],
                                                   &pPipelines[i], error);
      if (one == VK_SUCCESS)
         continue;
      if (!error.empty())
         errorLog("compute pipeline %u refused: %s", i, error.c_str());
      result = one;
   }
   return result;
}

VKAPI_ATTR void VKAPI_CALL
panvk_DestroyPipeline(VkDevice, VkPipeline pipeline, const VkAllocationCallbacks *)
{
   delete Pipeline::from(pipeline);
}

} // extern "C"
