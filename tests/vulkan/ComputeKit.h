// Compute objects for the Vulkan compute tests: shader modules from the
// SPIR-V compiled at build time (COMPUTE_SHADER_DIR), set and pipeline
// layouts, pipelines, and descriptor sets from a pool of its own. Everything
// it made is destroyed with it, so a test destroys its kit before its device.
#pragma once

#include <vulkan/vulkan.h>

#include <string>
#include <utility>
#include <vector>

namespace panvk::test {

std::vector<uint32_t> loadComputeShader(const std::string &name);

// One set of `layout` from `pool`, VK_NULL_HANDLE (and a failed expectation)
// if the pool has no room.
VkDescriptorSet allocateDescriptorSet(VkDevice device, VkDescriptorPool pool, VkDescriptorSetLayout layout);
// A write of one descriptor of `type` at `binding`; the caller points it at
// the image, buffer or texel buffer view info it writes.
VkWriteDescriptorSet oneDescriptorWrite(VkDescriptorSet set, uint32_t binding, VkDescriptorType type);

class ComputeKit {
public:
   explicit ComputeKit(VkDevice device);
   ~ComputeKit();
   ComputeKit(const ComputeKit &) = delete;
   ComputeKit &operator=(const ComputeKit &) = delete;

   VkDescriptorSetLayout setLayout(const std::vector<std::pair<uint32_t, VkDescriptorType>> &bindings);
   VkPipelineLayout pipelineLayout(const std::vector<VkDescriptorSetLayout> &sets, uint32_t pushBytes = 0);
   // The result of vkCreateComputePipelines for shader `name` (e.g. "copy.comp").
   VkResult pipeline(const std::string &name, VkPipelineLayout layout, VkPipeline *out,
                     const VkSpecializationInfo *specialization = nullptr, VkPipelineCreateFlags flags = 0);
   VkDescriptorSet allocateSet(VkDescriptorSetLayout layout);
   void writeBuffer(VkDescriptorSet set, uint32_t binding, VkDescriptorType type, VkBuffer buffer,
                    VkDeviceSize offset = 0, VkDeviceSize range = VK_WHOLE_SIZE);

   // Shader writes -> host reads, after a dispatch.
   static void hostReadBarrier(VkCommandBuffer cmd);
   // Shader writes -> shader reads and writes, between dispatches.
   static void computeBarrier(VkCommandBuffer cmd);

private:
   VkDevice device_;
   VkDescriptorPool pool_ = VK_NULL_HANDLE;
   std::vector<VkShaderModule> modules_;
   std::vector<VkDescriptorSetLayout> setLayouts_;
   std::vector<VkPipelineLayout> pipelineLayouts_;
   std::vector<VkPipeline> pipelines_;
};

} // namespace panvk::test
