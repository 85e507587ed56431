// Fences (created signalled, reset, status, waits with timeouts, any / all,
// reuse, an empty submission signalling after earlier work) and queue /
// device wait idle.
#include <chrono>
#include <cstring>
#include <thread>

#include "VkTestFixture.h"

namespace panvk::test {
namespace {

using namespace std::chrono_literals;

class FenceTest : public VkTestFixture {
protected:
   VkFence createFence(bool signalled)
   {
      VkFenceCreateInfo info{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
      info.flags = signalled ? VK_FENCE_CREATE_SIGNALED_BIT : 0;
      VkFence fence = VK_NULL_HANDLE;
      EXPECT_EQ(VK_SUCCESS, vkCreateFence(device_, &info, nullptr, &fence));
      atTearDown([this, fence] { vkDestroyFence(device_, fence, nullptr); });
      return fence;
   }

   // A command buffer copying all of src into dst (visible to the host after).
   VkCommandBuffer recordCopy(uint32_t family, const TestBuffer &src, const TestBuffer &dst)
   {
      VkCommandBuffer cmd = VK_NULL_HANDLE;
      allocateCommandBuffer(family, &cmd);
      VkCommandBufferBeginInfo begin{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
      EXPECT_EQ(VK_SUCCESS, vkBeginCommandBuffer(cmd, &begin));
      const VkBufferCopy region{0, 0, src.size};
      vkCmdCopyBuffer(cmd, src.buffer, dst.buffer, 1, &region);
      hostReadBarrier(cmd);
      EXPECT_EQ(VK_SUCCESS, vkEndCommandBuffer(cmd));
      return cmd;
   }

   VkResult submit(uint32_t family, VkCommandBuffer cmd, VkFence fence)
   {
      VkSubmitInfo info{VK_STRUCTURE_TYPE_SUBMIT_INFO};
      info.commandBufferCount = 1;
      info.pCommandBuffers = &cmd;
      return vkQueueSubmit(queue(family), 1, &info, fence);
   }
};

TEST_F(FenceTest, SignalledAtCreationThenReset)
{
   VkFence fence = createFence(true);
   EXPECT_EQ(VK_SUCCESS, vkGetFenceStatus(device_, fence));
   EXPECT_EQ(VK_SUCCESS, vkWaitForFences(device_, 1, &fence, VK_TRUE, 0));
   VK_ASSERT_SUCCESS(vkResetFences(device_, 1, &fence));
   EXPECT_EQ(VK_NOT_READY, vkGetFenceStatus(device_, fence));
   EXPECT_EQ(VK_TIMEOUT, vkWaitForFences(device_, 1, &fence, VK_TRUE, 0));
   const auto start = std::chrono::steady_clock::now();
   EXPECT_EQ(VK_TIMEOUT, vkWaitForFences(device_, 1, &fence, VK_TRUE, 20'000'000));
   EXPECT_GE(std::chrono::steady_clock::now() - start, 15ms);
   VK_ASSERT_SUCCESS(vkResetFences(device_, 1, &fence)); // resetting an unsignalled fence is fine
   EXPECT_EQ(VK_NOT_READY, vkGetFenceStatus(device_, fence));
}

TEST_F(FenceTest, SubmissionSignalsAndFenceIsReused)
{
   VkFence fence = createFence(false);
   TestBuffer src, dst;
   ASSERT_NO_FATAL_FAILURE(createHostBuffer(1 << 20, &src));
   ASSERT_NO_FATAL_FAILURE(createHostBuffer(1 << 20, &dst));
   VkCommandBuffer cmd = recordCopy(kTransferFamily, src, dst);
   for (uint32_t round = 0; round < 3; round++) {
      const std::vector<uint8_t> bytes = patternBytes(1 << 20, round);
      memcpy(src.mapped, bytes.data(), bytes.size());
      VK_ASSERT_SUCCESS(submit(kTransferFamily, cmd, fence));
      ASSERT_EQ(VK_SUCCESS, vkWaitForFences(device_, 1, &fence, VK_TRUE, kGpuTimeoutNs));
      EXPECT_EQ(VK_SUCCESS, vkGetFenceStatus(device_, fence));
      EXPECT_BYTES_EQ(bytes, std::span<const uint8_t>(dst.mapped, bytes.size())) << "round " << round;
      VK_ASSERT_SUCCESS(vkResetFences(device_, 1, &fence));
   }
}

TEST_F(FenceTest, EmptySubmissionSignalsAfterEarlierWork)
{
   const VkDeviceSize size = 32 << 20;
   TestBuffer src, dst;
   ASSERT_NO_FATAL_FAILURE(createHostBuffer(size, &src));
   ASSERT_NO_FATAL_FAILURE(createHostBuffer(size, &dst));
   memset(src.mapped, 0x42, size);
   memset(dst.mapped, 0, size);
   VkCommandBuffer cmd = recordCopy(kTransferFamily, src, dst);
   VK_ASSERT_SUCCESS(submit(kTransferFamily, cmd, VK_NULL_HANDLE));
   VkFence fence = createFence(false);
   VK_ASSERT_SUCCESS(vkQueueSubmit(transferQueue_, 0, nullptr, fence));
   ASSERT_EQ(VK_SUCCESS, vkWaitForFences(device_, 1, &fence, VK_TRUE, kGpuTimeoutNs));
   EXPECT_EQ(uint8_t(0x42), dst.mapped[0]);
   EXPECT_EQ(uint8_t(0x42), dst.mapped[size - 1]);
}

TEST_F(FenceTest, WaitForAnyOrAll)
{
   VkFence fences[2] = {createFence(false), createFence(false)};
   TestBuffer src, dst;
   ASSERT_NO_FATAL_FAILURE(createHostBuffer(4096, &src));
   ASSERT_NO_FATAL_FAILURE(createHostBuffer(4096, &dst));
   VkCommandBuffer cmd = recordCopy(kTransferFamily, src, dst);
   VK_ASSERT_SUCCESS(submit(kTransferFamily, cmd, fences[0]));
   // fences[1] is never submitted.
   EXPECT_EQ(VK_SUCCESS, vkWaitForFences(device_, 2, fences, VK_FALSE, kGpuTimeoutNs));
   EXPECT_EQ(VK_TIMEOUT, vkWaitForFences(device_, 2, fences, VK_TRUE, 10'000'000));
   EXPECT_EQ(VK_NOT_READY, vkGetFenceStatus(device_, fences[1]));
}

TEST_F(FenceTest, WaitFromAnotherThread)
{
   // The work waits for a timeline value, so the fence stays unsignalled
   // until the host lets it run while another thread waits on the fence.
   VkSemaphoreTypeCreateInfo type{VK_STRUCTURE_TYPE_SEMAPHORE_TYPE_CREATE_INFO};
   type.semaphoreType = VK_SEMAPHORE_TYPE_TIMELINE;
   VkSemaphoreCreateInfo semaphoreInfo{VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO};
   semaphoreInfo.pNext = &type;
   VkSemaphore gate;
   VK_ASSERT_SUCCESS(vkCreateSemaphore(device_, &semaphoreInfo, nullptr, &gate));
   atTearDown([this, gate] { vkDestroySemaphore(device_, gate, nullptr); });

   VkFence fence = createFence(false);
   TestBuffer src, dst;
   ASSERT_NO_FATAL_FAILURE(createHostBuffer(16 << 20, &src));
   ASSERT_NO_FATAL_FAILURE(createHostBuffer(16 << 20, &dst));
   memset(src.mapped, 0x17, 16 << 20);
   VkCommandBuffer cmd = recordCopy(kTransferFamily, src, dst);
   const uint64_t one = 1;
   const VkPipelineStageFlags stage = VK_PIPELINE_STAGE_TRANSFER_BIT;
   VkTimelineSemaphoreSubmitInfo values{VK_STRUCTURE_TYPE_TIMELINE_SEMAPHORE_SUBMIT_INFO};
   values.waitSemaphoreValueCount = 1;
   values.pWaitSemaphoreValues = &one;
   VkSubmitInfo info{VK_STRUCTURE_TYPE_SUBMIT_INFO};
   info.pNext = &values;
   info.waitSemaphoreCount = 1;
   info.pWaitSemaphores = &gate;
   info.pWaitDstStageMask = &stage;
   info.commandBufferCount = 1;
   info.pCommandBuffers = &cmd;
   VK_ASSERT_SUCCESS(vkQueueSubmit(transferQueue_, 1, &info, fence));

   VkResult waited = VK_INCOMPLETE;
   std::thread waiter([&] { waited = vkWaitForFences(device_, 1, &fence, VK_TRUE, kGpuTimeoutNs); });
   std::this_thread::sleep_for(30ms);
   VkSemaphoreSignalInfo signal{VK_STRUCTURE_TYPE_SEMAPHORE_SIGNAL_INFO};
   signal.semaphore = gate;
   signal.value = 1;
   VK_EXPECT_SUCCESS(signalSemaphore_(device_, &signal));
   waiter.join();
   EXPECT_EQ(VK_SUCCESS, waited);
   EXPECT_EQ(uint8_t(0x17), dst.mapped[(16 << 20) - 1]);
}

TEST_F(FenceTest, QueueWaitIdleWaitsForItsWork)
{
   TestBuffer src, dst;
   ASSERT_NO_FATAL_FAILURE(createHostBuffer(16 << 20, &src));
   ASSERT_NO_FATAL_FAILURE(createHostBuffer(16 << 20, &dst));
   memset(src.mapped, 0x29, 16 << 20);
   memset(dst.mapped, 0, 16 << 20);
   VkCommandBuffer cmd = recordCopy(kTransferFamily, src, dst);
   VK_ASSERT_SUCCESS(submit(kTransferFamily, cmd, VK_NULL_HANDLE));
   VK_ASSERT_SUCCESS(vkQueueWaitIdle(transferQueue_));
   EXPECT_EQ(uint8_t(0x29), dst.mapped[(16 << 20) - 1]);
   // Idle queues return at once.
   VK_EXPECT_SUCCESS(vkQueueWaitIdle(transferQueue_));
   VK_EXPECT_SUCCESS(vkQueueWaitIdle(transferSparseQueue_));
}

TEST_F(FenceTest, DeviceWaitIdleWaitsForBothQueues)
{
   const uint32_t families[] = {kTransferFamily, kTransferSparseFamily};
   const uint32_t type = findMemoryType(~0u, VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT);
   const VkBufferUsageFlags usage = VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT;
   const VkDeviceSize size = 8 << 20;
   TestBuffer src, dst[2];
   ASSERT_NO_FATAL_FAILURE(createBuffer(size, usage, type, &src, families));
   memset(src.mapped, 0x61, size);
   VkCommandBuffer cmds[2];
   for (int i = 0; i < 2; i++) {
      ASSERT_NO_FATAL_FAILURE(createBuffer(size, usage, type, &dst[i], families));
      memset(dst[i].mapped, 0, size);
      cmds[i] = recordCopy(families[i], src, dst[i]);
   }
   VK_ASSERT_SUCCESS(submit(kTransferFamily, cmds[0], VK_NULL_HANDLE));
   VK_ASSERT_SUCCESS(submit(kTransferSparseFamily, cmds[1], VK_NULL_HANDLE));
   VK_ASSERT_SUCCESS(vkDeviceWaitIdle(device_));
   for (const TestBuffer &d : dst)
      EXPECT_EQ(uint8_t(0x61), d.mapped[size - 1]);
}

} // namespace
} // namespace panvk::test
