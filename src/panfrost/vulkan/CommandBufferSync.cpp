// The synchronization commands a command buffer records: barriers and events.
// The executor runs commands one after the other, so barriers need no work
// there; events are set, reset and waited on in order.
#include "CommandBuffer.h"
#include "Event.h"
#include "panvk_entrypoints.h"

using namespace panvk;

extern "C" {

VKAPI_ATTR void VKAPI_CALL
panvk_CmdPipelineBarrier(VkCommandBuffer commandBuffer, VkPipelineStageFlags srcStageMask,
                         VkPipelineStageFlags dstStageMask, VkDependencyFlags dependencyFlags,
                         uint32_t, const VkMemoryBarrier *, uint32_t, const VkBufferMemoryBarrier *,
                         uint32_t, const VkImageMemoryBarrier *)
{
   CommandBuffer::from(commandBuffer)->record([&] {
      return CmdPipelineBarrier{srcStageMask, dstStageMask, dependencyFlags};
   });
}

VKAPI_ATTR void VKAPI_CALL
panvk_CmdSetEvent(VkCommandBuffer commandBuffer, VkEvent event, VkPipelineStageFlags stageMask)
{
   if (!event)
      return;
   CommandBuffer::from(commandBuffer)->record([&] {
      return CmdSetEvent{Event::from(event), stageMask};
   });
}

VKAPI_ATTR void VKAPI_CALL
panvk_CmdResetEvent(VkCommandBuffer commandBuffer, VkEvent event, VkPipelineStageFlags stageMask)
{
   if (!event)
      return;
   CommandBuffer::from(commandBuffer)->record([&] {
      return CmdResetEvent{Event::from(event), stageMask};
   });
}

VKAPI_ATTR void VKAPI_CALL
panvk_CmdWaitEvents(VkCommandBuffer commandBuffer, uint32_t eventCount, const VkEvent *pEvents,
                    VkPipelineStageFlags srcStageMask, VkPipelineStageFlags dstStageMask, uint32_t,
                    const VkMemoryBarrier *, uint32_t, const VkBufferMemoryBarrier *, uint32_t,
                    const VkImageMemoryBarrier *)
{
   CommandBuffer::from(commandBuffer)->record([&] {
      CmdWaitEvents command{{}, srcStageMask, dstStageMask};
      for (uint32_t i = 0; pEvents && i < eventCount; i++) {
         if (Event *event = Event::from(pEvents[i]))
            command.events.push_back(event);
      }
      return command;
   });
}

} // extern "C"
