// Timeline semaphores (VK_KHR_timeline_semaphore): the counter, host
// signals, host waits (all / any, timeouts, woken from another thread),
// queue signals, wait-before-signal (work waits for a value the host
// signals later), chains across the two queues; and binary semaphores
// ordering two submissions.
#include <chrono>
#include <cstring>
#include <thread>

#include "VkTestFixture.h"

namespace panvk::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

class TimelineSemaphoreTest : public VkTestFixture {
protected:
   VkSemaphore createTimeline(uint64_t initial)
   {
      VkSemaphoreTypeCreateInfo type{VK_STRUCTURE_TYPE_SEMAPHORE_TYPE_CREATE_INFO};
      type.semaphoreType = VK_SEMAPHORE_TYPE_TIMELINE;
      type.initialValue = initial;
      VkSemaphoreCreateInfo info{VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO};
      info.pNext = &type;
      VkSemaphore semaphore = VK_NULL_HANDLE;
      EXPECT_EQ(VK_SUCCESS, vkCreateSemaphore(device_, &info, nullptr, &semaphore));
      atTearDown([this, semaphore] { vkDestroySemaphore(device_, semaphore, nullptr); });
      return semaphore;
   }
   VkFence createFence()
   {
      VkFenceCreateInfo info{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
      VkFence fence = VK_NULL_HANDLE;
      EXPECT_EQ(VK_SUCCESS, vkCreateFence(device_, &info, nullptr, &fence));
      atTearDown([this, fence] { vkDestroyFence(device_, fence, nullptr); });
      return fence;
   }
   uint64_t counter(VkSemaphore semaphore)
   {
      uint64_t value = ~0ull;
      EXPECT_EQ(VK_SUCCESS, getSemaphoreCounterValue_(device_, semaphore, &value));
      return value;
   }
   VkResult hostSignal(VkSemaphore semaphore, uint64_t value)
   {
      VkSemaphoreSignalInfo info{VK_STRUCTURE_TYPE_SEMAPHORE_SIGNAL_INFO};
      info.semaphore = semaphore;
      info.value = value;
      return signalSemaphore_(device_, &info);
   }
   VkResult hostWait(std::span<const VkSemaphore> semaphores, std::span<const uint64_t> values, bool any,
                     uint64_t timeoutNs)
   {
      VkSemaphoreWaitInfo info{VK_STRUCTURE_TYPE_SEMAPHORE_WAIT_INFO};
      info.flags = any ? VK_SEMAPHORE_WAIT_ANY_BIT : 0;
      info.semaphoreCount = uint32_t(semaphores.size());
      info.pSemaphores = semaphores.data();
      info.pValues = values.data();
      return waitSemaphores_(device_, &info, timeoutNs);
   }
   VkResult hostWait(VkSemaphore semaphore, uint64_t value, uint64_t timeoutNs)
   {
      return hostWait({&semaphore, 1}, {&value, 1}, false, timeoutNs);
   }

   // A recorded copy of all of `src` into `dst`, made visible to the host.
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

   // Submits `cmd` to `family`'s queue waiting for `wait` >= waitValue (if
   // wait is set) and signalling `signal` = signalValue (if set).
   VkResult submit(uint32_t family, VkCommandBuffer cmd, VkSemaphore wait, uint64_t waitValue, VkSemaphore signal,
                   uint64_t signalValue, VkFence fence)
   {
      const VkPipelineStageFlags stage = VK_PIPELINE_STAGE_TRANSFER_BIT;
      VkTimelineSemaphoreSubmitInfo values{VK_STRUCTURE_TYPE_TIMELINE_SEMAPHORE_SUBMIT_INFO};
      values.waitSemaphoreValueCount = wait ? 1 : 0;
      values.pWaitSemaphoreValues = &waitValue;
      values.signalSemaphoreValueCount = signal ? 1 : 0;
      values.pSignalSemaphoreValues = &signalValue;
      VkSubmitInfo info{VK_STRUCTURE_TYPE_SUBMIT_INFO};
      info.pNext = &values;
      info.waitSemaphoreCount = wait ? 1 : 0;
      info.pWaitSemaphores = &wait;
      info.pWaitDstStageMask = &stage;
      info.commandBufferCount = 1;
      info.pCommandBuffers = &cmd;
      info.signalSemaphoreCount = signal ? 1 : 0;
      info.pSignalSemaphores = &signal;
      return vkQueueSubmit(queue(family), 1, &info, fence);
   }

   // Host-visible buffers usable on both queues.
   void createSharedBuffer(VkDeviceSize size, TestBuffer *out)
   {
      const uint32_t families[] = {kTransferFamily, kTransferSparseFamily};
      const uint32_t type =
         findMemoryType(~0u, VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT);
      createBuffer(size, VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT, type, out, families);
   }
};

TEST_F(TimelineSemaphoreTest, HostSignalAdvancesTheCounter)
{
   VkSemaphore semaphore = createTimeline(5);
   EXPECT_EQ(5u, counter(semaphore));
   VK_ASSERT_SUCCESS(hostSignal(semaphore, 7));
   EXPECT_EQ(7u, counter(semaphore));
   VK_ASSERT_SUCCESS(hostSignal(semaphore, 1ull << 40));
   EXPECT_EQ(1ull << 40, counter(semaphore));
}

TEST_F(TimelineSemaphoreTest, HostWaitSucceedsOrTimesOut)
{
   VkSemaphore semaphore = createTimeline(7);
   EXPECT_EQ(VK_SUCCESS, hostWait(semaphore, 7, 0));
   EXPECT_EQ(VK_SUCCESS, hostWait(semaphore, 3, 0));
   EXPECT_EQ(VK_TIMEOUT, hostWait(semaphore, 8, 0));
   const auto start = Clock::now();
   EXPECT_EQ(VK_TIMEOUT, hostWait(semaphore, 8, 30'000'000));
   EXPECT_GE(Clock::now() - start, 25ms) << "the wait returned before its timeout";
}

TEST_F(TimelineSemaphoreTest, HostWaitWakesOnASignalFromAnotherThread)
{
   VkSemaphore semaphore = createTimeline(0);
   const auto start = Clock::now();
   std::thread signaller([&] {
      std::this_thread::sleep_for(50ms);
      EXPECT_EQ(VK_SUCCESS, hostSignal(semaphore, 3));
   });
   EXPECT_EQ(VK_SUCCESS, hostWait(semaphore, 2, kGpuTimeoutNs));
   const auto waited = Clock::now() - start;
   signaller.join();
   EXPECT_GE(waited, 40ms);
   EXPECT_EQ(3u, counter(semaphore));
}

TEST_F(TimelineSemaphoreTest, WaitAnyAndWaitAll)
{
   const VkSemaphore semaphores[] = {createTimeline(0), createTimeline(0)};
   const uint64_t values[] = {1, 2};
   VK_ASSERT_SUCCESS(hostSignal(semaphores[1], 2));
   EXPECT_EQ(VK_SUCCESS, hostWait(semaphores, values, true, 0));
   EXPECT_EQ(VK_TIMEOUT, hostWait(semaphores, values, false, 0));
   VK_ASSERT_SUCCESS(hostSignal(semaphores[0], 1));
   EXPECT_EQ(VK_SUCCESS, hostWait(semaphores, values, false, 0));
}

TEST_F(TimelineSemaphoreTest, QueueSignalsTheValue)
{
   VkSemaphore semaphore = createTimeline(0);
   TestBuffer src, dst;
   ASSERT_NO_FATAL_FAILURE(createHostBuffer(65536, &src));
   ASSERT_NO_FATAL_FAILURE(createHostBuffer(65536, &dst));
   const std::vector<uint8_t> bytes = patternBytes(65536, 1);
   memcpy(src.mapped, bytes.data(), bytes.size());
   VkCommandBuffer cmd = recordCopy(kTransferFamily, src, dst);
   VK_ASSERT_SUCCESS(submit(kTransferFamily, cmd, VK_NULL_HANDLE, 0, semaphore, 10, VK_NULL_HANDLE));
   ASSERT_EQ(VK_SUCCESS, hostWait(semaphore, 10, kGpuTimeoutNs));
   EXPECT_EQ(10u, counter(semaphore));
   EXPECT_BYTES_EQ(bytes, std::span<const uint8_t>(dst.mapped, bytes.size()));
}

TEST_F(TimelineSemaphoreTest, WorkWaitsForAValueTheHostSignalsLater)
{
   VkSemaphore semaphore = createTimeline(0);
   VkFence fence = createFence();
   TestBuffer src, dst;
   ASSERT_NO_FATAL_FAILURE(createHostBuffer(65536, &src));
   ASSERT_NO_FATAL_FAILURE(createHostBuffer(65536, &dst));
   const std::vector<uint8_t> bytes = patternBytes(65536, 2);
   memcpy(src.mapped, bytes.data(), bytes.size());
   memset(dst.mapped, 0, bytes.size());
   VkCommandBuffer cmd = recordCopy(kTransferFamily, src, dst);
   // Submitted before anyone signals 2: the queue must hold the work back.
   VK_ASSERT_SUCCESS(submit(kTransferFamily, cmd, semaphore, 2, semaphore, 3, fence));
   std::this_thread::sleep_for(100ms);
   EXPECT_EQ(VK_NOT_READY, vkGetFenceStatus(device_, fence));
   EXPECT_EQ(0u, counter(semaphore));
   VK_ASSERT_SUCCESS(hostSignal(semaphore, 1));
   std::this_thread::sleep_for(50ms);
   EXPECT_EQ(VK_NOT_READY, vkGetFenceStatus(device_, fence)) << "the work ran on value 1";
   EXPECT_EQ(uint8_t(0), dst.mapped[0]);

   VK_ASSERT_SUCCESS(hostSignal(semaphore, 2));
   ASSERT_EQ(VK_SUCCESS, vkWaitForFences(device_, 1, &fence, VK_TRUE, kGpuTimeoutNs));
   EXPECT_EQ(3u, counter(semaphore));
   EXPECT_BYTES_EQ(bytes, std::span<const uint8_t>(dst.mapped, bytes.size()));
}

TEST_F(TimelineSemaphoreTest, ChainAcrossBothQueues)
{
   // Host 1 -> transfer queue copies a->b, signals 2 -> transfer+sparse
   // queue copies b->c, signals 3 -> host. Both submitted before 1.
   VkSemaphore semaphore = createTimeline(0);
   TestBuffer a, b, c;
   ASSERT_NO_FATAL_FAILURE(createSharedBuffer(65536, &a));
   ASSERT_NO_FATAL_FAILURE(createSharedBuffer(65536, &b));
   ASSERT_NO_FATAL_FAILURE(createSharedBuffer(65536, &c));
   const std::vector<uint8_t> bytes = patternBytes(65536, 3);
   memcpy(a.mapped, bytes.data(), bytes.size());
   memset(b.mapped, 0, bytes.size());
   memset(c.mapped, 0, bytes.size());
   VkCommandBuffer first = recordCopy(kTransferFamily, a, b);
   VkCommandBuffer second = recordCopy(kTransferSparseFamily, b, c);
   VK_ASSERT_SUCCESS(submit(kTransferSparseFamily, second, semaphore, 2, semaphore, 3, VK_NULL_HANDLE));
   VK_ASSERT_SUCCESS(submit(kTransferFamily, first, semaphore, 1, semaphore, 2, VK_NULL_HANDLE));
   std::this_thread::sleep_for(50ms);
   EXPECT_EQ(0u, counter(semaphore));
   VK_ASSERT_SUCCESS(hostSignal(semaphore, 1));
   ASSERT_EQ(VK_SUCCESS, hostWait(semaphore, 3, kGpuTimeoutNs));
   EXPECT_BYTES_EQ(bytes, std::span<const uint8_t>(c.mapped, bytes.size()));
}

TEST_F(TimelineSemaphoreTest, SeveralBatchesSignalInOrder)
{
   VkSemaphore semaphore = createTimeline(0);
   TestBuffer src, dst;
   ASSERT_NO_FATAL_FAILURE(createHostBuffer(4096, &src));
   ASSERT_NO_FATAL_FAILURE(createHostBuffer(4096, &dst));
   memset(src.mapped, 0x3c, 4096);
   VkCommandBuffer cmd = recordCopy(kTransferFamily, src, dst);
   const uint64_t values[] = {1, 2, 3};
   VkTimelineSemaphoreSubmitInfo timeline[3];
   VkSubmitInfo batches[3];
   for (int i = 0; i < 3; i++) {
      timeline[i] = {VK_STRUCTURE_TYPE_TIMELINE_SEMAPHORE_SUBMIT_INFO};
      timeline[i].signalSemaphoreValueCount = 1;
      timeline[i].pSignalSemaphoreValues = &values[i];
      batches[i] = {VK_STRUCTURE_TYPE_SUBMIT_INFO};
      batches[i].pNext = &timeline[i];
      batches[i].commandBufferCount = i == 1 ? 1 : 0;
      batches[i].pCommandBuffers = &cmd;
      batches[i].signalSemaphoreCount = 1;
      batches[i].pSignalSemaphores = &semaphore;
   }
   VK_ASSERT_SUCCESS(vkQueueSubmit(transferQueue_, 3, batches, VK_NULL_HANDLE));
   ASSERT_EQ(VK_SUCCESS, hostWait(semaphore, 3, kGpuTimeoutNs));
   EXPECT_EQ(3u, counter(semaphore));
   EXPECT_EQ(uint8_t(0x3c), dst.mapped[4095]);
}

TEST_F(TimelineSemaphoreTest, BinarySemaphoreOrdersTwoQueues)
{
   VkSemaphoreCreateInfo info{VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO};
   VkSemaphore binary;
   VK_ASSERT_SUCCESS(vkCreateSemaphore(device_, &info, nullptr, &binary));
   atTearDown([this, binary] { vkDestroySemaphore(device_, binary, nullptr); });
   VkFence fence = createFence();
   TestBuffer a, b, c;
   const VkDeviceSize size = 4 << 20;
   ASSERT_NO_FATAL_FAILURE(createSharedBuffer(size, &a));
   ASSERT_NO_FATAL_FAILURE(createSharedBuffer(size, &b));
   ASSERT_NO_FATAL_FAILURE(createSharedBuffer(size, &c));
   const std::vector<uint8_t> bytes = patternBytes(size, 4);
   memcpy(a.mapped, bytes.data(), size);
   memset(b.mapped, 0, size);
   memset(c.mapped, 0, size);
   VkCommandBuffer first = recordCopy(kTransferFamily, a, b);
   VkCommandBuffer second = recordCopy(kTransferSparseFamily, b, c);
   VK_ASSERT_SUCCESS(submit(kTransferFamily, first, VK_NULL_HANDLE, 0, binary, 0, VK_NULL_HANDLE));
   VK_ASSERT_SUCCESS(submit(kTransferSparseFamily, second, binary, 0, VK_NULL_HANDLE, 0, fence));
   ASSERT_EQ(VK_SUCCESS, vkWaitForFences(device_, 1, &fence, VK_TRUE, kGpuTimeoutNs));
   EXPECT_BYTES_EQ(bytes, std::span<const uint8_t>(c.mapped, size));
}

} // namespace
} // namespace panvk::test
