#include "CommandBuffer.h"

#include <algorithm>
#include <mutex>

#include "CommandPool.h"
#include "panvk_entrypoints.h"

namespace panvk {

namespace {

// The lifecycle lock shared by all command buffers (see CommandBuffer.h).
std::mutex lifecycleMutex;

void
erase(std::vector<CommandBuffer *> &list, CommandBuffer *item)
{
   list.erase(std::remove(list.begin(), list.end(), item), list.end());
}

} // namespace

CommandBuffer::CommandBuffer(CommandPool &pool, VkCommandBufferLevel level)
   : pool_(pool), level_(level)
{
}

CommandBuffer::~CommandBuffer()
{
   std::lock_guard lock(lifecycleMutex);
   unlinkLocked();
}

Device &
CommandBuffer::device()
{
   return pool_.device();
}

VkResult
CommandBuffer::begin(const VkCommandBufferBeginInfo &info)
{
   std::lock_guard lock(lifecycleMutex);
   if (state_.load() != State::Initial)
      resetLocked(false);
   // The inheritance info of a secondary names render passes and queries:
   // nothing a transfer command depends on, so it is not kept.
   usage_ = info.flags;
   state_ = State::Recording;
   return VK_SUCCESS;
}

VkResult
CommandBuffer::end()
{
   std::lock_guard lock(lifecycleMutex);
   if (state_.load() != State::Recording)
      return VK_SUCCESS; // invalidated while recording, or invalid usage
   if (recordResult_ != VK_SUCCESS) {
      invalidateLocked();
      return recordResult_;
   }
   state_ = State::Executable;
   return VK_SUCCESS;
}

void
CommandBuffer::reset(bool releaseResources)
{
   std::lock_guard lock(lifecycleMutex);
   resetLocked(releaseResources);
}

void
CommandBuffer::resetLocked(bool releaseResources)
{
   unlinkLocked();
   commands_.clear();
   if (releaseResources)
      commands_.shrink_to_fit();
   usage_ = 0;
   recordResult_ = VK_SUCCESS;
   state_ = State::Initial;
}

void
CommandBuffer::trim()
{
   if (state_.load() == State::Initial)
      commands_.shrink_to_fit();
}

// A reset or freed secondary invalidates the primaries that execute it; a
// reset or freed primary no longer holds its secondaries.
void
CommandBuffer::unlinkLocked()
{
   for (CommandBuffer *primary : primaries_) {
      primary->invalidateLocked();
      erase(primary->secondaries_, this);
   }
   primaries_.clear();
   for (CommandBuffer *secondary : secondaries_)
      erase(secondary->primaries_, this);
   secondaries_.clear();
}

void
CommandBuffer::invalidateLocked()
{
   state_ = State::Invalid;
   // A primary is invalid for good: it cannot lose its secondaries twice.
   for (CommandBuffer *primary : primaries_)
      primary->invalidateLocked();
}

void
CommandBuffer::executeCommands(std::span<const VkCommandBuffer> handles)
{
   // Only primaries execute secondaries (no nesting in Vulkan 1.1), which
   // also keeps the links free of cycles.
   if (isSecondary())
      return;
   const size_t before = commands_.size();
   record([&] {
      CmdExecuteCommands command;
      for (VkCommandBuffer handle : handles) {
         CommandBuffer *secondary = from(handle);
         if (secondary && secondary->isSecondary())
            command.secondaries.push_back(secondary);
      }
      return command;
   });
   if (commands_.size() == before)
      return;
   std::lock_guard lock(lifecycleMutex);
   try {
      for (CommandBuffer *secondary : std::get<CmdExecuteCommands>(commands_.back()).secondaries) {
         // Both links or neither: a half link would outlive a freed buffer.
         secondaries_.push_back(secondary);
         try {
            secondary->primaries_.push_back(this);
         } catch (const std::exception &) {
            secondaries_.pop_back();
            throw;
         }
      }
   } catch (const std::exception &) {
      recordResult_ = VK_ERROR_OUT_OF_HOST_MEMORY;
   }
}

bool
CommandBuffer::executable() const
{
   const State state = state_.load();
   return state == State::Executable || state == State::Pending;
}

void
CommandBuffer::markSubmitted()
{
   std::lock_guard lock(lifecycleMutex);
   markSubmittedLocked();
}

void
CommandBuffer::markSubmittedLocked()
{
   pending_++;
   if (state_.load() == State::Executable)
      state_ = State::Pending;
   for (CommandBuffer *secondary : secondaries_)
      secondary->markSubmittedLocked();
}

void
CommandBuffer::markCompleted()
{
   std::lock_guard lock(lifecycleMutex);
   markCompletedLocked();
}

void
CommandBuffer::markCompletedLocked()
{
   if (pending_ > 0)
      pending_--;
   if (pending_ == 0 && state_.load() == State::Pending) {
      // A spent one-time buffer is invalid; a spent one-time secondary so
      // makes the primaries that execute it invalid too.
      if (oneTimeSubmit())
         invalidateLocked();
      else
         state_ = State::Executable;
   }
   for (CommandBuffer *secondary : secondaries_)
      secondary->markCompletedLocked();
}

} // namespace panvk

using namespace panvk;

extern "C" {

VKAPI_ATTR VkResult VKAPI_CALL
panvk_BeginCommandBuffer(VkCommandBuffer commandBuffer, const VkCommandBufferBeginInfo *pBeginInfo)
{
   return CommandBuffer::from(commandBuffer)->begin(*pBeginInfo);
}

VKAPI_ATTR VkResult VKAPI_CALL
panvk_EndCommandBuffer(VkCommandBuffer commandBuffer)
{
   return CommandBuffer::from(commandBuffer)->end();
}

VKAPI_ATTR VkResult VKAPI_CALL
panvk_ResetCommandBuffer(VkCommandBuffer commandBuffer, VkCommandBufferResetFlags flags)
{
   CommandBuffer::from(commandBuffer)->reset(flags & VK_COMMAND_BUFFER_RESET_RELEASE_RESOURCES_BIT);
   return VK_SUCCESS;
}

VKAPI_ATTR void VKAPI_CALL
panvk_CmdExecuteCommands(VkCommandBuffer commandBuffer, uint32_t commandBufferCount,
                         const VkCommandBuffer *pCommandBuffers)
{
   if (!pCommandBuffers)
      return;
   CommandBuffer::from(commandBuffer)->executeCommands({pCommandBuffers, commandBufferCount});
}

} // extern "C"
