#include "PipelineCache.h"

#include <cstring>
#include <new>

#include "Device.h"
#include "PhysicalDevice.h"
#include "panvk_entrypoints.h"

namespace panvk {

VkResult
PipelineCache::create(Device &device, const VkPipelineCacheCreateInfo &, VkPipelineCache *out)
{
   PipelineCache *cache = new (std::nothrow) PipelineCache(device);
   if (!cache)
      return VK_ERROR_OUT_OF_HOST_MEMORY;
   *out = cache->handle();
   return VK_SUCCESS;
}

VkResult
PipelineCache::data(size_t *size, void *data) const
{
   VkPipelineCacheHeaderVersionOne header{};
   const VkPhysicalDeviceProperties &properties = device_.physical().properties();
   header.headerSize = sizeof(header);
   header.headerVersion = VK_PIPELINE_CACHE_HEADER_VERSION_ONE;
   header.vendorID = properties.vendorID;
   header.deviceID = properties.deviceID;
   memcpy(header.pipelineCacheUUID, properties.pipelineCacheUUID, VK_UUID_SIZE);
   if (!data) {
      *size = sizeof(header);
      return VK_SUCCESS;
   }
   if (*size < sizeof(header)) {
      *size = 0;
      return VK_INCOMPLETE;
   }
   memcpy(data, &header, sizeof(header));
   *size = sizeof(header);
   return VK_SUCCESS;
}

} // namespace panvk

using namespace panvk;

extern "C" {

VKAPI_ATTR VkResult VKAPI_CALL
panvk_CreatePipelineCache(VkDevice device, const VkPipelineCacheCreateInfo *pCreateInfo,
                          const VkAllocationCallbacks *, VkPipelineCache *pPipelineCache)
{
   return PipelineCache::create(*Device::from(device), *pCreateInfo, pPipelineCache);
}

VKAPI_ATTR void VKAPI_CALL
panvk_DestroyPipelineCache(VkDevice, VkPipelineCache pipelineCache, const VkAllocationCallbacks *)
{
   delete PipelineCache::from(pipelineCache);
}

VKAPI_ATTR VkResult VKAPI_CALL
panvk_GetPipelineCacheData(VkDevice, VkPipelineCache pipelineCache, size_t *pDataSize, void *pData)
{
   return PipelineCache::from(pipelineCache)->data(pDataSize, pData);
}

VKAPI_ATTR VkResult VKAPI_CALL
panvk_MergePipelineCaches(VkDevice, VkPipelineCache, uint32_t, const VkPipelineCache *)
{
   return VK_SUCCESS;
}

} // extern "C"
