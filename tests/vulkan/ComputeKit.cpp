#include "ComputeKit.h"

#include <cstring>

#include <gtest/gtest.h>

#include "../SpirvFile.h"

namespace panvk::test {

std::vector<uint32_t>
loadComputeShader(const std::string &name)
{
   std::vector<uint32_t> words = readSpirvFile(std::string(COMPUTE_SHADER_DIR) + "/" + name + ".spv");
   EXPECT_FALSE(words.empty()) << "missing shader " << name;
   return words;
}

VkDescriptorSet
allocateDescriptorSet(VkDevice device, VkDescriptorPool pool, VkDescriptorSetLayout layout)
{
   VkDescriptorSetAllocateInfo info{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
   info.descriptorPool = pool;
   info.descriptorSetCount = 1;
   info.pSetLayouts = &layout;
   VkDescriptorSet set = VK_NULL_HANDLE;
   EXPECT_EQ(VK_SUCCESS, vkAllocateDescriptorSets(device, &info, &set));
   return set;
}

VkWriteDescriptorSet
oneDescriptorWrite(VkDescriptorSet set, uint32_t binding, VkDescriptorType type)
{
   VkWriteDescriptorSet write{VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET};
   write.dstSet = set;
   write.dstBinding = binding;
   write.descriptorCount = 1;
   write.descriptorType = type;
   return write;
}

ComputeKit::ComputeKit(VkDevice device) : device_(device)
{
   const VkDescriptorPoolSize sizes[] = {
      {VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 64},
      {VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER, 32},
      {VK_DESCRIPTOR_TYPE_STORAGE_BUFFER_DYNAMIC, 16},
      {VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER_DYNAMIC, 16},
   };
   VkDescriptorPoolCreateInfo info{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
   info.flags = VK_DESCRIPTOR_POOL_CREATE_FREE_DESCRIPTOR_SET_BIT;
   info.maxSets = 32;
   info.poolSizeCount = uint32_t(std::size(sizes));
   info.pPoolSizes = sizes;
   EXPECT_EQ(VK_SUCCESS, vkCreateDescriptorPool(device_, &info, nullptr, &pool_));
}

ComputeKit::~ComputeKit()
{
   for (VkPipeline p : pipelines_)
      vkDestroyPipeline(device_, p, nullptr);
   for (VkPipelineLayout l : pipelineLayouts_)
      vkDestroyPipelineLayout(device_, l, nullptr);
   for (VkDescriptorSetLayout l : setLayouts_)
      vkDestroyDescriptorSetLayout(device_, l, nullptr);
   for (VkShaderModule m : modules_)
      vkDestroyShaderModule(device_, m, nullptr);
   vkDestroyDescriptorPool(device_, pool_, nullptr);
}

VkDescriptorSetLayout
ComputeKit::setLayout(const std::vector<std::pair<uint32_t, VkDescriptorType>> &bindings)
{
   std::vector<VkDescriptorSetLayoutBinding> list;
   for (const auto &[binding, type] : bindings)
      list.push_back({binding, type, 1, VK_SHADER_STAGE_COMPUTE_BIT, nullptr});
   VkDescriptorSetLayoutCreateInfo info{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO};
   info.bindingCount = uint32_t(list.size());
   info.pBindings = list.data();
   VkDescriptorSetLayout layout = VK_NULL_HANDLE;
   EXPECT_EQ(VK_SUCCESS, vkCreateDescriptorSetLayout(device_, &info, nullptr, &layout));
   setLayouts_.push_back(layout);
   return layout;
}

VkPipelineLayout
ComputeKit::pipelineLayout(const std::vector<VkDescriptorSetLayout> &sets, uint32_t pushBytes)
{
   const VkPushConstantRange range{VK_SHADER_STAGE_COMPUTE_BIT, 0, pushBytes};
   VkPipelineLayoutCreateInfo info{VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO};
   info.setLayoutCount = uint32_t(sets.size());
   info.pSetLayouts = sets.data();
   info.pushConstantRangeCount = pushBytes ? 1 : 0;
   info.pPushConstantRanges = &range;
   VkPipelineLayout layout = VK_NULL_HANDLE;
   EXPECT_EQ(VK_SUCCESS, vkCreatePipelineLayout(device_, &info, nullptr, &layout));
   pipelineLayouts_.push_back(layout);
   return layout;
}

VkResult
ComputeKit::pipeline(const std::string &name, VkPipelineLayout layout, VkPipeline *out,
                     const VkSpecializationInfo *specialization, VkPipelineCreateFlags flags)
{
   const std::vector<uint32_t> words = loadComputeShader(name);
   VkShaderModuleCreateInfo moduleInfo{VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO};
   moduleInfo.codeSize = words.size() * 4;
   moduleInfo.pCode = words.data();
   VkShaderModule module = VK_NULL_HANDLE;
   const VkResult created = vkCreateShaderModule(device_, &moduleInfo, nullptr, &module);
   if (created != VK_SUCCESS)
      return created;
   modules_.push_back(module);
   VkComputePipelineCreateInfo info{VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO};
   info.flags = flags;
   info.stage = {VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO};
   info.stage.stage = VK_SHADER_STAGE_COMPUTE_BIT;
   info.stage.module = module;
   info.stage.pName = "main";
   info.stage.pSpecializationInfo = specialization;
   info.layout = layout;
   *out = VK_NULL_HANDLE;
   const VkResult result = vkCreateComputePipelines(device_, VK_NULL_HANDLE, 1, &info, nullptr, out);
   if (*out)
      pipelines_.push_back(*out);
   return result;
}

VkDescriptorSet
ComputeKit::allocateSet(VkDescriptorSetLayout layout)
{
   return allocateDescriptorSet(device_, pool_, layout);
}

void
ComputeKit::writeBuffer(VkDescriptorSet set, uint32_t binding, VkDescriptorType type, VkBuffer buffer,
                        VkDeviceSize offset, VkDeviceSize range)
{
   const VkDescriptorBufferInfo bufferInfo{buffer, offset, range};
   VkWriteDescriptorSet write = oneDescriptorWrite(set, binding, type);
   write.pBufferInfo = &bufferInfo;
   vkUpdateDescriptorSets(device_, 1, &write, 0, nullptr);
}

void
ComputeKit::hostReadBarrier(VkCommandBuffer cmd)
{
   VkMemoryBarrier barrier{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
   barrier.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT;
   barrier.dstAccessMask = VK_ACCESS_HOST_READ_BIT;
   vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_PIPELINE_STAGE_HOST_BIT, 0, 1,
                        &barrier, 0, nullptr, 0, nullptr);
}

void
ComputeKit::computeBarrier(VkCommandBuffer cmd)
{
   VkMemoryBarrier barrier{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
   barrier.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT;
   barrier.dstAccessMask = VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT;
   vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, 0,
                        1, &barrier, 0, nullptr, 0, nullptr);
}

} // namespace panvk::test
