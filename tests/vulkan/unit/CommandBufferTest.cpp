// Command pools and command buffers: the lifecycle (initial, recording,
// executable, pending, invalid) as queues and resets move it, one-time and
// simultaneous submission, primaries invalidated by their secondaries, and
// recording failures reported by vkEndCommandBuffer.
#include <new>

#include "CommandPool.h"
#include "ExecutorFixture.h"

namespace panvk::test {
namespace {

using State = CommandBuffer::State;

class CommandBufferTest : public ExecutorFixture {
protected:
   static CommandBuffer &object(VkCommandBuffer handle) { return *CommandBuffer::from(handle); }

   VkCommandBuffer recorded(VkCommandBufferLevel level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
                            VkCommandBufferUsageFlags flags = 0)
   {
      VkCommandBuffer cb = begin(level, flags);
      panvk_CmdPipelineBarrier(cb, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT, 0,
                               0, nullptr, 0, nullptr, 0, nullptr);
      EXPECT_EQ(VK_SUCCESS, panvk_EndCommandBuffer(cb));
      return cb;
   }
};

TEST_F(CommandBufferTest, HandlesAreDispatchable)
{
   VkCommandBuffer cb = begin();
   EXPECT_EQ(ICD_LOADER_MAGIC, *reinterpret_cast<uintptr_t *>(cb));
   EXPECT_EQ(&object(cb).pool(), CommandPool::from(pool_));
   EXPECT_EQ(&object(cb).device(), &device());
}

TEST_F(CommandBufferTest, RecordingMovesThroughTheStates)
{
   VkCommandBufferAllocateInfo info{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
   info.commandPool = pool_;
   info.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
   info.commandBufferCount = 2;
   VkCommandBuffer cbs[2];
   ASSERT_EQ(VK_SUCCESS, panvk_AllocateCommandBuffers(device_, &info, cbs));
   EXPECT_NE(cbs[0], cbs[1]);
   EXPECT_EQ(State::Initial, object(cbs[0]).state());
   EXPECT_FALSE(object(cbs[0]).executable());

   VkCommandBufferBeginInfo begin{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
   ASSERT_EQ(VK_SUCCESS, panvk_BeginCommandBuffer(cbs[0], &begin));
   EXPECT_EQ(State::Recording, object(cbs[0]).state());
   panvk_CmdPipelineBarrier(cbs[0], VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT, 0,
                            0, nullptr, 0, nullptr, 0, nullptr);
   ASSERT_EQ(VK_SUCCESS, panvk_EndCommandBuffer(cbs[0]));
   EXPECT_EQ(State::Executable, object(cbs[0]).state());
   EXPECT_TRUE(object(cbs[0]).executable());
   EXPECT_EQ(1u, object(cbs[0]).commands().size());

   // Beginning again resets: the old commands are gone.
   ASSERT_EQ(VK_SUCCESS, panvk_BeginCommandBuffer(cbs[0], &begin));
   EXPECT_TRUE(object(cbs[0]).commands().empty());
   ASSERT_EQ(VK_SUCCESS, panvk_EndCommandBuffer(cbs[0]));

   ASSERT_EQ(VK_SUCCESS, panvk_ResetCommandBuffer(cbs[0], VK_COMMAND_BUFFER_RESET_RELEASE_RESOURCES_BIT));
   EXPECT_EQ(State::Initial, object(cbs[0]).state());
   panvk_FreeCommandBuffers(device_, pool_, 2, cbs);
   panvk_FreeCommandBuffers(device_, pool_, 0, nullptr);
}

TEST_F(CommandBufferTest, ARecordingFailureIsReportedAtEnd)
{
   VkCommandBuffer cb = begin();
   object(cb).record([]() -> CmdPipelineBarrier { throw std::bad_alloc(); });
   // Later commands are dropped: the recording is already incomplete.
   panvk_CmdPipelineBarrier(cb, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 0,
                            nullptr, 0, nullptr, 0, nullptr);
   EXPECT_EQ(VK_ERROR_OUT_OF_HOST_MEMORY, panvk_EndCommandBuffer(cb));
   EXPECT_EQ(State::Invalid, object(cb).state());
   EXPECT_FALSE(object(cb).executable());
   // A reset makes it usable again.
   VkCommandBufferBeginInfo begin{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
   ASSERT_EQ(VK_SUCCESS, panvk_BeginCommandBuffer(cb, &begin));
   EXPECT_EQ(VK_SUCCESS, panvk_EndCommandBuffer(cb));
}

TEST_F(CommandBufferTest, OneTimeSubmitBuffersAreInvalidAfterCompletion)
{
   VkCommandBuffer once = recorded(VK_COMMAND_BUFFER_LEVEL_PRIMARY,
                                   VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT);
   VkCommandBuffer again = recorded();
   EXPECT_TRUE(object(once).oneTimeSubmit());
   EXPECT_FALSE(object(again).oneTimeSubmit());
   for (VkCommandBuffer cb : {once, again}) {
      object(cb).markSubmitted();
      EXPECT_EQ(State::Pending, object(cb).state());
      object(cb).markCompleted();
   }
   EXPECT_EQ(State::Invalid, object(once).state());
   EXPECT_EQ(State::Executable, object(again).state());
}

TEST_F(CommandBufferTest, SimultaneousSubmissionsStayPendingUntilTheLastCompletes)
{
   VkCommandBuffer cb = recorded(VK_COMMAND_BUFFER_LEVEL_PRIMARY,
                                 VK_COMMAND_BUFFER_USAGE_SIMULTANEOUS_USE_BIT);
   object(cb).markSubmitted();
   EXPECT_TRUE(object(cb).executable());
   object(cb).markSubmitted();
   object(cb).markCompleted();
   EXPECT_EQ(State::Pending, object(cb).state());
   object(cb).markCompleted();
   EXPECT_EQ(State::Executable, object(cb).state());
}

TEST_F(CommandBufferTest, SecondariesFollowTheirPrimary)
{
   VkCommandBuffer secondary = recorded(VK_COMMAND_BUFFER_LEVEL_SECONDARY);
   VkCommandBuffer primary = begin();
   panvk_CmdExecuteCommands(primary, 1, &secondary);
   ASSERT_EQ(VK_SUCCESS, panvk_EndCommandBuffer(primary));
   object(primary).markSubmitted();
   EXPECT_EQ(State::Pending, object(secondary).state());
   object(primary).markCompleted();
   EXPECT_EQ(State::Executable, object(secondary).state());
   EXPECT_EQ(State::Executable, object(primary).state());
}

TEST_F(CommandBufferTest, ASpentOneTimeSecondaryInvalidatesItsPrimary)
{
   VkCommandBuffer secondary = recorded(VK_COMMAND_BUFFER_LEVEL_SECONDARY,
                                        VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT);
   VkCommandBuffer primary = begin();
   panvk_CmdExecuteCommands(primary, 1, &secondary);
   ASSERT_EQ(VK_SUCCESS, panvk_EndCommandBuffer(primary));
   object(primary).markSubmitted();
   object(primary).markCompleted();
   EXPECT_EQ(State::Invalid, object(secondary).state());
   EXPECT_EQ(State::Invalid, object(primary).state());
}

TEST_F(CommandBufferTest, ResettingOrFreeingASecondaryInvalidatesItsPrimaries)
{
   VkCommandBuffer secondary = recorded(VK_COMMAND_BUFFER_LEVEL_SECONDARY);
   VkCommandBuffer primaries[2];
   for (VkCommandBuffer &primary : primaries) {
      primary = begin();
      panvk_CmdExecuteCommands(primary, 1, &secondary);
      ASSERT_EQ(VK_SUCCESS, panvk_EndCommandBuffer(primary));
   }
   ASSERT_EQ(VK_SUCCESS, panvk_ResetCommandBuffer(secondary, 0));
   for (VkCommandBuffer primary : primaries)
      EXPECT_EQ(State::Invalid, object(primary).state());

   // Re-recorded primary, then the secondary is freed.
   secondary = recorded(VK_COMMAND_BUFFER_LEVEL_SECONDARY);
   VkCommandBufferBeginInfo begin{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
   ASSERT_EQ(VK_SUCCESS, panvk_BeginCommandBuffer(primaries[0], &begin));
   panvk_CmdExecuteCommands(primaries[0], 1, &secondary);
   ASSERT_EQ(VK_SUCCESS, panvk_EndCommandBuffer(primaries[0]));
   EXPECT_TRUE(object(primaries[0]).executable());
   panvk_FreeCommandBuffers(device_, pool_, 1, &secondary);
   EXPECT_EQ(State::Invalid, object(primaries[0]).state());
   // Resetting the invalid primary afterwards touches no freed secondary.
   ASSERT_EQ(VK_SUCCESS, panvk_ResetCommandBuffer(primaries[0], 0));
   EXPECT_EQ(State::Initial, object(primaries[0]).state());
}

TEST_F(CommandBufferTest, OnlySecondariesAreExecutedByPrimaries)
{
   VkCommandBuffer other = recorded();
   VkCommandBuffer secondary = recorded(VK_COMMAND_BUFFER_LEVEL_SECONDARY);
   VkCommandBuffer primary = begin();
   const VkCommandBuffer list[] = {other, secondary};
   panvk_CmdExecuteCommands(primary, 2, list);
   ASSERT_EQ(VK_SUCCESS, panvk_EndCommandBuffer(primary));
   ASSERT_EQ(1u, object(primary).commands().size());
   const auto &execute = std::get<CmdExecuteCommands>(object(primary).commands()[0]);
   ASSERT_EQ(1u, execute.secondaries.size());
   EXPECT_EQ(&object(secondary), execute.secondaries[0]);
}

TEST_F(CommandBufferTest, ResettingThePoolResetsEveryBuffer)
{
   VkCommandBuffer a = recorded(), b = recorded(VK_COMMAND_BUFFER_LEVEL_SECONDARY);
   ASSERT_EQ(VK_SUCCESS, panvk_ResetCommandPool(device_, pool_, VK_COMMAND_POOL_RESET_RELEASE_RESOURCES_BIT));
   EXPECT_EQ(State::Initial, object(a).state());
   EXPECT_EQ(State::Initial, object(b).state());
   EXPECT_TRUE(object(a).commands().empty());
   panvk_TrimCommandPool(device_, pool_, 0);
}

TEST_F(CommandBufferTest, DestroyingAPoolFreesLinkedBuffers)
{
   VkCommandPool other;
   VkCommandPoolCreateInfo info{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
   ASSERT_EQ(VK_SUCCESS, panvk_CreateCommandPool(device_, &info, nullptr, &other));
   std::swap(pool_, other);
   VkCommandBuffer secondary = recorded(VK_COMMAND_BUFFER_LEVEL_SECONDARY);
   std::swap(pool_, other);
   VkCommandBuffer primary = begin();
   panvk_CmdExecuteCommands(primary, 1, &secondary);
   ASSERT_EQ(VK_SUCCESS, panvk_EndCommandBuffer(primary));
   // The secondary's pool goes first: the primary in the other pool is invalid.
   panvk_DestroyCommandPool(device_, other, nullptr);
   EXPECT_EQ(State::Invalid, object(primary).state());
   panvk_DestroyCommandPool(device_, VK_NULL_HANDLE, nullptr);
}

TEST_F(CommandBufferTest, FillBufferResolvesWholeSizeWhenRecorded)
{
   HostBuffer buffer = hostBuffer(1003);
   VkCommandBuffer cb = begin();
   panvk_CmdFillBuffer(cb, buffer.buffer, 100, VK_WHOLE_SIZE, 7);
   ASSERT_EQ(VK_SUCCESS, panvk_EndCommandBuffer(cb));
   const auto &fill = std::get<CmdFillBuffer>(object(cb).commands()[0]);
   EXPECT_EQ(900u, fill.size);
   EXPECT_STREQ("vkCmdFillBuffer", commandName(object(cb).commands()[0]));
}

} // namespace
} // namespace panvk::test
