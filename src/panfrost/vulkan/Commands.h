// The commands a command buffer records, as the executor reads them.
//
// Each command keeps what it needs after the vkCmd* call returns: region
// arrays are copied, vkCmdUpdateBuffer's data is owned, VK_WHOLE_SIZE is
// resolved. Objects are held by pointer: the application keeps them alive
// while the command buffer can run (the spec's rule).
#pragma once

#include <cstdint>
#include <iterator>
#include <variant>
#include <vector>

#include <vulkan/vulkan_core.h>

#include "ComputeCommands.h"

namespace panvk {

class Buffer;
class CommandBuffer;
class Event;
class Image;

struct CmdCopyBuffer {
   Buffer *src = nullptr;
   Buffer *dst = nullptr;
   std::vector<VkBufferCopy> regions;
};

struct CmdCopyImage {
   Image *src = nullptr;
   Image *dst = nullptr;
   std::vector<VkImageCopy> regions;
};

struct CmdCopyBufferToImage {
   Buffer *src = nullptr;
   Image *dst = nullptr;
   std::vector<VkBufferImageCopy> regions;
};

struct CmdCopyImageToBuffer {
   Image *src = nullptr;
   Buffer *dst = nullptr;
   std::vector<VkBufferImageCopy> regions;
};

struct CmdBlitImage {
   Image *src = nullptr;
   Image *dst = nullptr;
   std::vector<VkImageBlit> regions;
   VkFilter filter = VK_FILTER_NEAREST;
};

struct CmdFillBuffer {
   Buffer *dst = nullptr;
   VkDeviceSize offset = 0;
   VkDeviceSize size = 0; // a multiple of 4, VK_WHOLE_SIZE already resolved
   uint32_t data = 0;
};

struct CmdUpdateBuffer {
   Buffer *dst = nullptr;
   VkDeviceSize offset = 0;
   std::vector<uint8_t> data;
};

struct CmdClearColorImage {
   Image *image = nullptr;
   VkClearColorValue color{};
   std::vector<VkImageSubresourceRange> ranges;
};

struct CmdClearDepthStencilImage {
   Image *image = nullptr;
   VkClearDepthStencilValue value{};
   std::vector<VkImageSubresourceRange> ranges;
};

// An in-order executor has nothing to do for a barrier; it is kept so that
// the recorded stream says what the application asked for.
struct CmdPipelineBarrier {
   VkPipelineStageFlags srcStages = 0;
   VkPipelineStageFlags dstStages = 0;
   VkDependencyFlags dependencyFlags = 0;
};

struct CmdSetEvent {
   Event *event = nullptr;
   VkPipelineStageFlags stages = 0;
};

struct CmdResetEvent {
   Event *event = nullptr;
   VkPipelineStageFlags stages = 0;
};

struct CmdWaitEvents {
   std::vector<Event *> events;
   VkPipelineStageFlags srcStages = 0;
   VkPipelineStageFlags dstStages = 0;
};

struct CmdExecuteCommands {
   std::vector<CommandBuffer *> secondaries;
};

using Command = std::variant<CmdCopyBuffer, CmdCopyImage, CmdCopyBufferToImage,
                             CmdCopyImageToBuffer, CmdBlitImage, CmdFillBuffer, CmdUpdateBuffer,
                             CmdClearColorImage, CmdClearDepthStencilImage, CmdPipelineBarrier,
                             CmdSetEvent, CmdResetEvent, CmdWaitEvents, CmdExecuteCommands,
                             CmdBindPipeline, CmdBindDescriptorSets, CmdPushConstants, CmdDispatch,
                             CmdDispatchIndirect>;

// The Vulkan command that recorded `command`, e.g. "vkCmdCopyBuffer".
constexpr const char *
commandName(const Command &command)
{
   constexpr const char *kNames[] = {
      "vkCmdCopyBuffer",       "vkCmdCopyImage",
      "vkCmdCopyBufferToImage", "vkCmdCopyImageToBuffer",
      "vkCmdBlitImage",        "vkCmdFillBuffer",
      "vkCmdUpdateBuffer",     "vkCmdClearColorImage",
      "vkCmdClearDepthStencilImage", "vkCmdPipelineBarrier",
      "vkCmdSetEvent",         "vkCmdResetEvent",
      "vkCmdWaitEvents",       "vkCmdExecuteCommands",
      "vkCmdBindPipeline",     "vkCmdBindDescriptorSets",
      "vkCmdPushConstants",    "vkCmdDispatch",
      "vkCmdDispatchIndirect",
   };
   static_assert(std::size(kNames) == std::variant_size_v<Command>);
   return kNames[command.index()];
}

} // namespace panvk
