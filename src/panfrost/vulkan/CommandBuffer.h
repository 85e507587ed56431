// VkCommandBuffer: the recorded Commands and the spec's lifecycle (initial,
// recording, executable, pending, invalid).
//
// Recording is externally synchronized by the application, as the spec asks.
// The lifecycle also moves under queues (markSubmitted / markCompleted, from
// their threads) and when a secondary that a primary executes is reset or
// freed (the primary becomes invalid), so state changes and the
// primary <-> secondary links are guarded by one lock shared by all command
// buffers: such changes are rare and short.
#pragma once

#include <atomic>
#include <exception>
#include <span>
#include <vector>

#include "Commands.h"
#include "Handle.h"

namespace panvk {

class CommandPool;
class Device;

class CommandBuffer : public DispatchableObject, public HandleOf<CommandBuffer, VkCommandBuffer> {
public:
   enum class State : uint8_t { Initial, Recording, Executable, Pending, Invalid };

   CommandBuffer(CommandPool &pool, VkCommandBufferLevel level);
   ~CommandBuffer(); // primaries that execute it become invalid

   CommandPool &pool() { return pool_; }
   Device &device();
   VkCommandBufferLevel level() const { return level_; }
   bool isSecondary() const { return level_ == VK_COMMAND_BUFFER_LEVEL_SECONDARY; }
   State state() const { return state_.load(); }

   // vkBeginCommandBuffer: resets a recorded buffer first (implicit reset).
   VkResult begin(const VkCommandBufferBeginInfo &info);
   // VK_ERROR_OUT_OF_HOST_MEMORY if a command could not be recorded; the
   // buffer is then invalid.
   VkResult end();
   // Back to the initial state; `releaseResources` also gives the memory of
   // the recording back.
   void reset(bool releaseResources);
   // vkTrimCommandPool: gives back memory kept for re-recording.
   void trim();

   // Appends the command `make()` returns while recording (ignored in any
   // other state: invalid usage). A failed allocation is remembered for end().
   template <typename Make> void record(Make &&make)
   {
      if (state_.load() != State::Recording || recordResult_ != VK_SUCCESS)
         return;
      try {
         commands_.emplace_back(make());
      } catch (const std::exception &) {
         recordResult_ = VK_ERROR_OUT_OF_HOST_MEMORY;
      }
   }
   // vkCmdExecuteCommands: records the call and links the secondaries to
   // this primary, so that resetting or freeing them invalidates it.
   void executeCommands(std::span<const VkCommandBuffer> secondaries);

   // For queues. Executable: recorded and still valid (pending included, for
   // SIMULTANEOUS_USE buffers).
   bool executable() const;
   bool oneTimeSubmit() const { return usage_ & VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT; }
   // One submission more / less in flight; the secondaries it executes
   // follow. After its last completion a ONE_TIME_SUBMIT buffer is invalid.
   void markSubmitted();
   void markCompleted();
   const std::vector<Command> &commands() const { return commands_; }

private:
   void resetLocked(bool releaseResources);
   void invalidateLocked();
   void unlinkLocked();
   void markSubmittedLocked();
   void markCompletedLocked();

   CommandPool &pool_;
   const VkCommandBufferLevel level_;
   std::atomic<State> state_{State::Initial};
   VkCommandBufferUsageFlags usage_ = 0;
   VkResult recordResult_ = VK_SUCCESS;
   uint32_t pending_ = 0; // submissions not completed yet
   std::vector<Command> commands_;
   // Links, both ways: the secondaries this primary executes, and the
   // primaries that execute this secondary. Guarded by the shared lock.
   std::vector<CommandBuffer *> secondaries_;
   std::vector<CommandBuffer *> primaries_;
};

} // namespace panvk
