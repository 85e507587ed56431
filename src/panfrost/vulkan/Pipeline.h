// VkPipeline: compute pipelines only. Creation validates and legalises the
// shader with its specialization constants and decodes it for the
// interpreter (spirv/Module.h); a shader using what the executor cannot run
// is refused there, with a message on stderr.
#pragma once

#include <memory>
#include <string>

#include "Handle.h"
#include "spirv/Module.h"

namespace panvk {

class Device;

class Pipeline : public HandleOf<Pipeline, VkPipeline> {
public:
   // VK_ERROR_OUT_OF_DEVICE_MEMORY for a shader the executor cannot run (the
   // only failure Vulkan 1.1 allows besides host memory); `error` says why.
   static VkResult createCompute(Device &device, const VkComputePipelineCreateInfo &info,
                                 VkPipeline *out, std::string &error);

   const std::shared_ptr<const spirv::Module> &module() const { return module_; }

private:
   explicit Pipeline(std::shared_ptr<const spirv::Module> module) : module_(std::move(module)) {}

   std::shared_ptr<const spirv::Module> module_;
};

} // namespace panvk
