// The mock executor on buffers: copies (across staging chunks), fills,
// updates, clipping of out-of-range regions, events, secondaries, and the
// device lost on a GPU fault.
#include <chrono>
#include <thread>

#include "Buffer.h"
#include "ExecutorFixture.h"

namespace panvk::test {
namespace {

using ExecutorBufferTest = ExecutorFixture;

TEST_F(ExecutorBufferTest, CopyBufferCopiesEveryRegion)
{
   // 3 MiB + 5 bytes: the copy crosses several staging chunks and ends unaligned.
   const VkDeviceSize size = (3 << 20) + 5;
   HostBuffer src = hostBuffer(size + 64), dst = hostBuffer(size + 64, 0xee);
   const std::vector<uint8_t> bytes = randomBytes(size + 64, 1);
   memcpy(src.data, bytes.data(), bytes.size());

   VkCommandBuffer cb = begin();
   const VkBufferCopy regions[] = {{3, 17, size}, {0, 0, 2}};
   panvk_CmdCopyBuffer(cb, src.buffer, dst.buffer, 2, regions);
   ASSERT_EQ(VK_SUCCESS, run(cb));

   EXPECT_EQ(0, memcmp(dst.data, bytes.data(), 2));
   EXPECT_EQ(0xee, dst.data[2]);
   EXPECT_EQ(0xee, dst.data[16]);
   EXPECT_EQ(0, memcmp(dst.data + 17, bytes.data() + 3, size));
   EXPECT_EQ(0xee, dst.data[17 + size]);
}

TEST_F(ExecutorBufferTest, RegionsBeyondTheBufferAreClipped)
{
   HostBuffer src = hostBuffer(256, 0x11), dst = hostBuffer(128, 0x22);
   HostBuffer neighbour = hostBuffer(128, 0x33);
   VkCommandBuffer cb = begin();
   const VkBufferCopy region{0, 64, 1 << 20};
   panvk_CmdCopyBuffer(cb, src.buffer, dst.buffer, 1, &region);
   ASSERT_EQ(VK_SUCCESS, run(cb));
   EXPECT_EQ(0x22, dst.data[63]);
   EXPECT_EQ(0x11, dst.data[64]);
   EXPECT_EQ(0x11, dst.data[127]);
   for (int i = 0; i < 128; i++)
      ASSERT_EQ(0x33, neighbour.data[i]) << i;
   EXPECT_FALSE(device().lost());
}

TEST_F(ExecutorBufferTest, FillWritesThePatternUpToTheWholeSize)
{
   HostBuffer dst = hostBuffer(1030, 0);
   VkCommandBuffer cb = begin();
   panvk_CmdFillBuffer(cb, dst.buffer, 8, VK_WHOLE_SIZE, 0x04030201);
   ASSERT_EQ(VK_SUCCESS, run(cb));
   EXPECT_EQ(0, dst.data[7]);
   for (int i = 8; i < 1028; i++)
      ASSERT_EQ((i - 8) % 4 + 1, dst.data[i]) << i;
   // VK_WHOLE_SIZE rounds down to whole words.
   EXPECT_EQ(0, dst.data[1028]);
   EXPECT_EQ(0, dst.data[1029]);
}

TEST_F(ExecutorBufferTest, UpdateWritesTheRecordedDataNotTheCallersLaterData)
{
   HostBuffer dst = hostBuffer(64, 0);
   std::vector<uint8_t> data = randomBytes(32, 2);
   const std::vector<uint8_t> recorded = data;
   VkCommandBuffer cb = begin();
   panvk_CmdUpdateBuffer(cb, dst.buffer, 16, data.size(), data.data());
   data.assign(data.size(), 0xff);
   ASSERT_EQ(VK_SUCCESS, run(cb));
   EXPECT_EQ(0, memcmp(dst.data + 16, recorded.data(), recorded.size()));
   EXPECT_EQ(0, dst.data[15]);
   EXPECT_EQ(0, dst.data[48]);
}

TEST_F(ExecutorBufferTest, CommandsRunInRecordingOrder)
{
   HostBuffer a = hostBuffer(64, 0), b = hostBuffer(64, 0);
   VkCommandBuffer cb = begin();
   panvk_CmdFillBuffer(cb, a.buffer, 0, 64, 0x01010101);
   panvk_CmdPipelineBarrier(cb, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 0,
                            nullptr, 0, nullptr, 0, nullptr);
   const VkBufferCopy region{0, 0, 64};
   panvk_CmdCopyBuffer(cb, a.buffer, b.buffer, 1, &region);
   panvk_CmdFillBuffer(cb, a.buffer, 0, 64, 0x02020202);
   ASSERT_EQ(VK_SUCCESS, run(cb));
   EXPECT_EQ(1, b.data[0]);
   EXPECT_EQ(2, a.data[0]);
}

TEST_F(ExecutorBufferTest, SecondariesRunWherePrimariesExecuteThem)
{
   HostBuffer dst = hostBuffer(64, 0);
   VkCommandBuffer secondary = begin(VK_COMMAND_BUFFER_LEVEL_SECONDARY);
   panvk_CmdFillBuffer(secondary, dst.buffer, 0, 64, 0x05050505);
   ASSERT_EQ(VK_SUCCESS, panvk_EndCommandBuffer(secondary));
   VkCommandBuffer primary = begin();
   panvk_CmdFillBuffer(primary, dst.buffer, 0, 64, 0x04040404);
   panvk_CmdExecuteCommands(primary, 1, &secondary);
   panvk_CmdFillBuffer(primary, dst.buffer, 32, 32, 0x06060606);
   ASSERT_EQ(VK_SUCCESS, run(primary));
   EXPECT_EQ(5, dst.data[0]);
   EXPECT_EQ(6, dst.data[32]);
}

TEST_F(ExecutorBufferTest, SetEventIsSeenAfterThePrecedingCommands)
{
   HostBuffer dst = hostBuffer(64, 0);
   VkEvent event;
   VkEventCreateInfo info{VK_STRUCTURE_TYPE_EVENT_CREATE_INFO};
   ASSERT_EQ(VK_SUCCESS, panvk_CreateEvent(device_, &info, nullptr, &event));
   EXPECT_EQ(VK_EVENT_RESET, panvk_GetEventStatus(device_, event));
   VkCommandBuffer cb = begin();
   panvk_CmdFillBuffer(cb, dst.buffer, 0, 64, 0x07070707);
   panvk_CmdSetEvent(cb, event, VK_PIPELINE_STAGE_TRANSFER_BIT);
   ASSERT_EQ(VK_SUCCESS, run(cb));
   EXPECT_EQ(VK_EVENT_SET, panvk_GetEventStatus(device_, event));
   EXPECT_EQ(7, dst.data[63]);

   VkCommandBuffer reset = begin();
   panvk_CmdResetEvent(reset, event, VK_PIPELINE_STAGE_TRANSFER_BIT);
   ASSERT_EQ(VK_SUCCESS, run(reset));
   EXPECT_EQ(VK_EVENT_RESET, panvk_GetEventStatus(device_, event));
   panvk_DestroyEvent(device_, event, nullptr);
}

TEST_F(ExecutorBufferTest, WaitEventsWaitsForTheHost)
{
   HostBuffer dst = hostBuffer(64, 0);
   VkEvent event;
   VkEventCreateInfo info{VK_STRUCTURE_TYPE_EVENT_CREATE_INFO};
   ASSERT_EQ(VK_SUCCESS, panvk_CreateEvent(device_, &info, nullptr, &event));
   VkCommandBuffer cb = begin();
   panvk_CmdWaitEvents(cb, 1, &event, VK_PIPELINE_STAGE_HOST_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT, 0,
                       nullptr, 0, nullptr, 0, nullptr);
   panvk_CmdFillBuffer(cb, dst.buffer, 0, 64, 0x09090909);
   std::thread host([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      // Nothing ran yet: the queue waits for this.
      EXPECT_EQ(0, dst.data[0]);
      panvk_SetEvent(device_, event);
   });
   EXPECT_EQ(VK_SUCCESS, run(cb));
   host.join();
   EXPECT_EQ(9, dst.data[0]);
   panvk_DestroyEvent(device_, event, nullptr);
}

TEST_F(ExecutorBufferTest, AQueueWaitingOnAnEventDoesNotStopAnotherQueue)
{
   // The device's one executor serves every queue: a command buffer waiting
   // in vkCmdWaitEvents must not keep the one that sets the event from running.
   HostBuffer dst = hostBuffer(64, 0);
   VkEvent event;
   VkEventCreateInfo info{VK_STRUCTURE_TYPE_EVENT_CREATE_INFO};
   ASSERT_EQ(VK_SUCCESS, panvk_CreateEvent(device_, &info, nullptr, &event));
   VkCommandBuffer waiter = begin();
   panvk_CmdWaitEvents(waiter, 1, &event, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT,
                       0, nullptr, 0, nullptr, 0, nullptr);
   const VkBufferCopy region{0, 32, 32};
   panvk_CmdCopyBuffer(waiter, dst.buffer, dst.buffer, 1, &region);
   VkCommandBuffer setter = begin();
   panvk_CmdFillBuffer(setter, dst.buffer, 0, 32, 0x0a0a0a0a);
   panvk_CmdSetEvent(setter, event, VK_PIPELINE_STAGE_TRANSFER_BIT);
   ASSERT_EQ(VK_SUCCESS, panvk_EndCommandBuffer(setter));

   VkResult waited = VK_NOT_READY;
   std::thread first([&] { waited = run(waiter); });
   std::this_thread::sleep_for(std::chrono::milliseconds(20));
   EXPECT_EQ(VK_SUCCESS, device().executor().execute(*CommandBuffer::from(setter)));
   first.join();
   EXPECT_EQ(VK_SUCCESS, waited);
   EXPECT_EQ(10, dst.data[63]);
   panvk_DestroyEvent(device_, event, nullptr);
}

TEST_F(ExecutorBufferTest, WaitEventsGivesUpWhenTheDeviceIsLost)
{
   VkEvent event;
   VkEventCreateInfo info{VK_STRUCTURE_TYPE_EVENT_CREATE_INFO};
   ASSERT_EQ(VK_SUCCESS, panvk_CreateEvent(device_, &info, nullptr, &event));
   VkCommandBuffer cb = begin();
   panvk_CmdWaitEvents(cb, 1, &event, VK_PIPELINE_STAGE_HOST_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT, 0,
                       nullptr, 0, nullptr, 0, nullptr);
   std::thread other([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      device().markLost("test");
   });
   EXPECT_EQ(VK_ERROR_DEVICE_LOST, run(cb));
   other.join();
   EXPECT_EQ(VK_ERROR_DEVICE_LOST, panvk_GetEventStatus(device_, event));
   panvk_DestroyEvent(device_, event, nullptr);
}

TEST_F(ExecutorBufferTest, AnUnhandledFaultMakesTheDeviceLost)
{
   HostBuffer src = hostBuffer(1 << 16, 0x42), dst = hostBuffer(1 << 16, 0);
   // The destination's memory goes: its VA range is unmapped, so the GPU faults there.
   VkBuffer orphan;
   VkBufferCreateInfo info{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
   info.size = 1 << 16;
   info.usage = VK_BUFFER_USAGE_TRANSFER_DST_BIT;
   ASSERT_EQ(VK_SUCCESS, panvk_CreateBuffer(device_, &info, nullptr, &orphan));
   uint8_t *unused;
   VkDeviceMemory memory = hostMemory(1 << 16, &unused);
   ASSERT_EQ(VK_SUCCESS, panvk_BindBufferMemory(device_, orphan, memory, 0));
   const uint64_t faultVa = Buffer::from(orphan)->va();
   VkCommandBuffer cb = begin();
   const VkBufferCopy region{0, 0, 1 << 16};
   panvk_CmdCopyBuffer(cb, src.buffer, orphan, 1, &region);
   panvk_CmdCopyBuffer(cb, src.buffer, dst.buffer, 1, &region);
   ASSERT_EQ(VK_SUCCESS, panvk_EndCommandBuffer(cb));
   panvk_UnmapMemory(device_, memory);
   const uint64_t unhandledBefore = gpu().counters().faultsUnhandled;
   // Freed behind the recorded command's back (invalid usage, as a GPU
   // fault would need); the fixture must not free it again.
   forgetMemory(memory);
   panvk_FreeMemory(device_, memory, nullptr);

   CommandBuffer &recorded = *CommandBuffer::from(cb);
   EXPECT_EQ(VK_ERROR_DEVICE_LOST, device().executor().execute(recorded));
   EXPECT_TRUE(device().lost());
   EXPECT_EQ(unhandledBefore + 1, gpu().counters().faultsUnhandled);
   auto fault = gpu().vmUnhandledFault(vmId());
   ASSERT_TRUE(fault.ok());
   ASSERT_TRUE(fault.value().has_value());
   EXPECT_EQ(faultVa, fault.value()->va);
   // The command after the fault never ran.
   EXPECT_EQ(0, dst.data[0]);
   // Nothing runs on a lost device.
   EXPECT_EQ(VK_ERROR_DEVICE_LOST, device().executor().execute(recorded));
   panvk_DestroyBuffer(device_, orphan, nullptr);
}

} // namespace
} // namespace panvk::test
