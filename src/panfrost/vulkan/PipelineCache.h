// VkPipelineCache: always empty. Building a pipeline is validation plus
// legalisation of its SPIR-V, cheap enough to redo; the cache's data is the
// header the spec requires, so applications can save and restore it.
#pragma once

#include "Handle.h"

namespace panvk {

class Device;

class PipelineCache : public HandleOf<PipelineCache, VkPipelineCache> {
public:
   static VkResult create(Device &device, const VkPipelineCacheCreateInfo &info, VkPipelineCache *out);
   // vkGetPipelineCacheData's two-call protocol over the header.
   VkResult data(size_t *size, void *data) const;

private:
   explicit PipelineCache(Device &device) : device_(device) {}

   Device &device_;
};

} // namespace panvk
