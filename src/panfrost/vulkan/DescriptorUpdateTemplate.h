// VkDescriptorUpdateTemplate (Vulkan 1.1): where in the application's data
// each descriptor of an update is; vkUpdateDescriptorSetWithTemplate turns
// the data into ordinary writes. Only descriptor-set templates exist (push
// descriptors are not offered).
#pragma once

#include <vector>

#include "Handle.h"

namespace panvk {

class DescriptorSet;
class Device;

class DescriptorUpdateTemplate : public HandleOf<DescriptorUpdateTemplate, VkDescriptorUpdateTemplate> {
public:
   static VkResult create(Device &device, const VkDescriptorUpdateTemplateCreateInfo &info,
                          VkDescriptorUpdateTemplate *out);

   void update(DescriptorSet &set, const void *data) const;

private:
   explicit DescriptorUpdateTemplate(std::vector<VkDescriptorUpdateTemplateEntry> entries)
      : entries_(std::move(entries))
   {
   }

   std::vector<VkDescriptorUpdateTemplateEntry> entries_;
};

} // namespace panvk
