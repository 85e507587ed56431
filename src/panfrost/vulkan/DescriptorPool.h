// VkDescriptorPool: owns its sets and counts what they use against the pool's
// sizes (VK_ERROR_OUT_OF_POOL_MEMORY when a set would not fit).
//
// Externally synchronized, as the spec asks of pools and their sets.
#pragma once

#include <map>
#include <memory>
#include <unordered_map>

#include "DescriptorSet.h"
#include "Handle.h"

namespace panvk {

class Device;

class DescriptorPool : public HandleOf<DescriptorPool, VkDescriptorPool> {
public:
   static VkResult create(Device &device, const VkDescriptorPoolCreateInfo &info, VkDescriptorPool *out);

   VkResult allocate(const std::shared_ptr<const SetLayoutInfo> &layout, VkDescriptorSet *out);
   void free(DescriptorSet *set);
   void reset();
   bool canFreeSets() const { return flags_ & VK_DESCRIPTOR_POOL_CREATE_FREE_DESCRIPTOR_SET_BIT; }

private:
   explicit DescriptorPool(const VkDescriptorPoolCreateInfo &info);

   VkDescriptorPoolCreateFlags flags_;
   uint32_t maxSets_;
   std::map<VkDescriptorType, uint64_t> capacity_;
   std::map<VkDescriptorType, uint64_t> used_;
   std::unordered_map<DescriptorSet *, std::unique_ptr<DescriptorSet>> sets_;
};

} // namespace panvk
