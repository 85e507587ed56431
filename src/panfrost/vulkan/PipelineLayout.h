// VkPipelineLayout: the set layouts (shared binding tables) and the push
// constant ranges. vkCmdBindDescriptorSets reads how many dynamic offsets
// each set takes from it.
#pragma once

#include <memory>
#include <vector>

#include "DescriptorSetLayout.h"
#include "Handle.h"

namespace panvk {

class Device;

class PipelineLayout : public HandleOf<PipelineLayout, VkPipelineLayout> {
public:
   static VkResult create(Device &device, const VkPipelineLayoutCreateInfo &info, VkPipelineLayout *out);

   // Null for a set number the layout does not have.
   const SetLayoutInfo *set(uint32_t index) const
   {
      return index < sets_.size() ? sets_[index].get() : nullptr;
   }
   uint32_t setCount() const { return static_cast<uint32_t>(sets_.size()); }
   const std::vector<VkPushConstantRange> &pushConstantRanges() const { return pushConstants_; }

private:
   PipelineLayout() = default;

   std::vector<std::shared_ptr<const SetLayoutInfo>> sets_;
   std::vector<VkPushConstantRange> pushConstants_;
};

} // namespace panvk
