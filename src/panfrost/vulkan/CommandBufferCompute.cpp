// The compute commands a command buffer records: bind pipeline, descriptor
// sets and push constants, and dispatches. Graphics bind points are not
// offered and are ignored.
#include <algorithm>

#include "Buffer.h"
#include "CommandBuffer.h"
#include "DescriptorSet.h"
#include "Pipeline.h"
#include "panvk_entrypoints.h"

using namespace panvk;

extern "C" {

VKAPI_ATTR void VKAPI_CALL
panvk_CmdBindPipeline(VkCommandBuffer commandBuffer, VkPipelineBindPoint pipelineBindPoint,
                      VkPipeline pipeline)
{
   if (pipelineBindPoint != VK_PIPELINE_BIND_POINT_COMPUTE)
      return;
   CommandBuffer::from(commandBuffer)->record([&] { return CmdBindPipeline{Pipeline::from(pipeline)}; });
}

VKAPI_ATTR void VKAPI_CALL
panvk_CmdBindDescriptorSets(VkCommandBuffer commandBuffer, VkPipelineBindPoint pipelineBindPoint,
                            VkPipelineLayout, uint32_t firstSet, uint32_t descriptorSetCount,
                            const VkDescriptorSet *pDescriptorSets, uint32_t dynamicOffsetCount,
                            const uint32_t *pDynamicOffsets)
{
   if (pipelineBindPoint != VK_PIPELINE_BIND_POINT_COMPUTE)
      return;
   CommandBuffer::from(commandBuffer)->record([&] {
      CmdBindDescriptorSets command;
      command.firstSet = firstSet;
      uint32_t nextOffset = 0;
      for (uint32_t i = 0; i < descriptorSetCount; ++i) {
         DescriptorSet *set = DescriptorSet::from(pDescriptorSets[i]);
         command.sets.push_back(set);
         std::vector<uint32_t> offsets;
         const uint32_t count = set ? set->layout().dynamicCount : 0;
         for (uint32_t k = 0; k < count && nextOffset < dynamicOffsetCount && pDynamicOffsets; ++k)
            offsets.push_back(pDynamicOffsets[nextOffset++]);
         command.dynamicOffsets.push_back(std::move(offsets));
      }
      return command;
   });
}

VKAPI_ATTR void VKAPI_CALL
panvk_CmdPushConstants(VkCommandBuffer commandBuffer, VkPipelineLayout, VkShaderStageFlags,
                       uint32_t offset, uint32_t size, const void *pValues)
{
   CommandBuffer::from(commandBuffer)->record([&] {
      const auto *bytes = static_cast<const uint8_t *>(pValues);
      return CmdPushConstants{offset, bytes ? std::vector<uint8_t>(bytes, bytes + size) : std::vector<uint8_t>()};
   });
}

VKAPI_ATTR void VKAPI_CALL
panvk_CmdDispatch(VkCommandBuffer commandBuffer, uint32_t groupCountX, uint32_t groupCountY,
                  uint32_t groupCountZ)
{
   CommandBuffer::from(commandBuffer)->record([&] {
      return CmdDispatch{{0, 0, 0}, {groupCountX, groupCountY, groupCountZ}};
   });
}

VKAPI_ATTR void VKAPI_CALL
panvk_CmdDispatchBase(VkCommandBuffer commandBuffer, uint32_t baseGroupX, uint32_t baseGroupY,
                      uint32_t baseGroupZ, uint32_t groupCountX, uint32_t groupCountY,
                      uint32_t groupCountZ)
{
   CommandBuffer::from(commandBuffer)->record([&] {
      return CmdDispatch{{baseGroupX, baseGroupY, baseGroupZ}, {groupCountX, groupCountY, groupCountZ}};
   });
}

VKAPI_ATTR void VKAPI_CALL
panvk_CmdDispatchIndirect(VkCommandBuffer commandBuffer, VkBuffer buffer, VkDeviceSize offset)
{
   CommandBuffer::from(commandBuffer)->record([&] { return CmdDispatchIndirect{Buffer::from(buffer), offset}; });
}

} // extern "C"
