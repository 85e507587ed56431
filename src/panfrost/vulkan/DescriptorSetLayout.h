// VkDescriptorSetLayout: the bindings of a set (type, count, where its
// dynamic offsets start, immutable samplers). The binding table is shared
// with the sets and pipeline layouts made from it, which outlive the layout
// object; immutable samplers are copied into it, so it does not depend on
// their VkSampler objects.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "Handle.h"
#include "spirv/Interpreter.h"

namespace panvk {

class Device;

struct SetBinding {
   uint32_t binding = 0;
   VkDescriptorType type = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
   uint32_t count = 0;
   uint32_t firstDynamic = 0; // dynamic buffers: index of its first dynamic offset in the set
   // Sampler and combined image sampler bindings given pImmutableSamplers:
   // one per descriptor (they replace whatever a write gives). Else empty.
   std::vector<spirv::SamplerState> immutableSamplers;
};

struct SetLayoutInfo {
   std::vector<SetBinding> bindings; // sorted by binding number
   uint32_t dynamicCount = 0;

   // Null if the set has no such binding.
   const SetBinding *find(uint32_t binding) const;
   // The binding after `binding` in order (writes that overflow a binding go on there).
   const SetBinding *next(const SetBinding &binding) const;
};

// VkPhysicalDeviceMaintenance3Properties::maxPerSetDescriptors.
constexpr uint32_t kMaxPerSetDescriptors = 1024;

bool isDynamicBuffer(VkDescriptorType type);
bool isBuffer(VkDescriptorType type);
// Storage images, sampled images, combined image samplers.
bool isImage(VkDescriptorType type);
bool isTexelBuffer(VkDescriptorType type);
bool hasSampler(VkDescriptorType type);

class DescriptorSetLayout : public HandleOf<DescriptorSetLayout, VkDescriptorSetLayout> {
public:
   static VkResult create(Device &device, const VkDescriptorSetLayoutCreateInfo &info,
                          VkDescriptorSetLayout *out);
   // Throws std::bad_alloc.
   static std::shared_ptr<const SetLayoutInfo> describe(const VkDescriptorSetLayoutCreateInfo &info);

   const std::shared_ptr<const SetLayoutInfo> &info() const { return info_; }

private:
   explicit DescriptorSetLayout(std::shared_ptr<const SetLayoutInfo> info) : info_(std::move(info)) {}

   std::shared_ptr<const SetLayoutInfo> info_;
};

} // namespace panvk
