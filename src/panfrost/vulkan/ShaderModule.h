// VkShaderModule: the SPIR-V words as given. Validation and legalisation
// happen when a pipeline is created from it (spirv/Module.h), where the
// specialization constants are known.
#pragma once

#include <cstdint>
#include <vector>

#include "Handle.h"

namespace panvk {

class Device;

class ShaderModule : public HandleOf<ShaderModule, VkShaderModule> {
public:
   static VkResult create(Device &device, const VkShaderModuleCreateInfo &info, VkShaderModule *out);

   const std::vector<uint32_t> &words() const { return words_; }

private:
   explicit ShaderModule(std::vector<uint32_t> words) : words_(std::move(words)) {}

   std::vector<uint32_t> words_;
};

} // namespace panvk
