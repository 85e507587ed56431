// Waits and signals of vkQueueBindSparse seen from the kernel side: a call
// with nothing to bind still signals its semaphores and fence, and a bind
// waiting on a timeline point not yet submitted returns at once and reaches
// the kernel (no VM_BIND before) only after the host signals the point.
#include <atomic>
#include <chrono>
#include <thread>

#include "Buffer.h"
#include "DeviceMemory.h"
#include "Semaphore.h"
#include "SparseDirectDevice.h"

namespace panvk::test {
namespace {

constexpr uint64_t kBlock = kSparseBlock;

class SparseBindSyncTest : public SparseDirectDevice {};

TEST_F(SparseBindSyncTest, EmptyBatchStillSignalsItsSemaphoreAndFence)
{
   const VkSemaphore binary = createSemaphore(false);
   const VkSemaphore timeline = createSemaphore(true);
   const uint64_t values[] = {0, 9};
   const VkSemaphore signals[] = {binary, timeline};
   VkTimelineSemaphoreSubmitInfo timelineInfo{VK_STRUCTURE_TYPE_TIMELINE_SEMAPHORE_SUBMIT_INFO};
   timelineInfo.signalSemaphoreValueCount = 2;
   timelineInfo.pSignalSemaphoreValues = values;
   VkBindSparseInfo info{VK_STRUCTURE_TYPE_BIND_SPARSE_INFO};
   info.pNext = &timelineInfo;
   info.signalSemaphoreCount = 2;
   info.pSignalSemaphores = signals;
   const VkFence fence = createFence();
   const pan::kmod::BindStats before = stats();
   ASSERT_EQ(VK_SUCCESS, panvk_QueueBindSparse(bindQueue_, 1, &info, fence));
   ASSERT_EQ(VK_SUCCESS, waitFence(fence));
   const pan::kmod::BindStats after = stats();
   EXPECT_EQ(1u, after.ioctls - before.ioctls);
   // SYNC_ONLY ops only: one for the batch's signals, and SparseBinder gives
   // the fence, which comes after a batch that signalled, one of its own.
   EXPECT_GE(after.kernelOps - before.kernelOps, 1u);
   EXPECT_LE(after.kernelOps - before.kernelOps, 2u);

   uint64_t value = 0;
   ASSERT_EQ(VK_SUCCESS, panvk_GetSemaphoreCounterValue(device_, timeline, &value));
   EXPECT_EQ(9u, value);
   EXPECT_TRUE(Semaphore::from(binary)->syncobj()->wait(0, 0)) << "the binary semaphore is not signalled";

   // No batch at all: the fence alone.
   const VkFence alone = createFence();
   ASSERT_EQ(VK_SUCCESS, panvk_QueueBindSparse(bindQueue_, 0, nullptr, alone));
   ASSERT_EQ(VK_SUCCESS, waitFence(alone));
}

TEST_F(SparseBindSyncTest, BindWaitingOnAnUnsubmittedPointIsSentAfterTheHostSignal)
{
   const VkBuffer buffer = createSparseBuffer(kBlock);
   const VkDeviceMemory memory = allocateMemory(kBlock);
   const uint64_t bufferVa = Buffer::from(buffer)->va();
   const uint64_t memoryPage = physical(DeviceMemory::from(memory)->va());
   ASSERT_NE(0u, memoryPage);
   ASSERT_NE(memoryPage, physical(bufferVa));

   const VkSemaphore gate = createSemaphore(true);
   const uint64_t waitValue = 3;
   VkTimelineSemaphoreSubmitInfo timelineInfo{VK_STRUCTURE_TYPE_TIMELINE_SEMAPHORE_SUBMIT_INFO};
   timelineInfo.waitSemaphoreValueCount = 1;
   timelineInfo.pWaitSemaphoreValues = &waitValue;
   const VkSparseMemoryBind memoryBind{0, kBlock, memory, 0, 0};
   VkSparseBufferMemoryBindInfo bufferBinds{buffer, 1, &memoryBind};
   VkBindSparseInfo info{VK_STRUCTURE_TYPE_BIND_SPARSE_INFO};
   info.pNext = &timelineInfo;
   info.waitSemaphoreCount = 1;
   info.pWaitSemaphores = &gate;
   info.bufferBindCount = 1;
   info.pBufferBinds = &bufferBinds;
   const VkFence fence = createFence();

   const pan::kmod::BindStats before = stats();
   const auto start = std::chrono::steady_clock::now();
   // If the call blocked, nothing would ever signal: signal from a thread
   // after a long while so the test fails instead of hanging.
   std::atomic<bool> returned{false};
   std::thread rescue([&] {
      for (int i = 0; i < 1000 && !returned.load(); i++)
         std::this_thread::sleep_for(std::chrono::milliseconds(10));
      if (!returned.load()) {
         VkSemaphoreSignalInfo signal{VK_STRUCTURE_TYPE_SEMAPHORE_SIGNAL_INFO};
         signal.semaphore = gate;
         signal.value = waitValue;
         panvk_SignalSemaphore(device_, &signal);
      }
   });
   const VkResult result = panvk_QueueBindSparse(bindQueue_, 1, &info, fence);
   returned = true;
   const auto took = std::chrono::steady_clock::now() - start;
   rescue.join();
   ASSERT_EQ(VK_SUCCESS, result);
   EXPECT_LT(took, std::chrono::seconds(2)) << "vkQueueBindSparse blocked on the wait";

   std::this_thread::sleep_for(std::chrono::milliseconds(100));
   EXPECT_EQ(0u, stats().ioctls - before.ioctls) << "a VM_BIND was sent before its wait point was submitted";
   EXPECT_EQ(VK_NOT_READY, panvk_GetFenceStatus(device_, fence));
   EXPECT_NE(memoryPage, physical(bufferVa));

   VkSemaphoreSignalInfo signal{VK_STRUCTURE_TYPE_SEMAPHORE_SIGNAL_INFO};
   signal.semaphore = gate;
   signal.value = waitValue;
   ASSERT_EQ(VK_SUCCESS, panvk_SignalSemaphore(device_, &signal));
   ASSERT_EQ(VK_SUCCESS, waitFence(fence));
   EXPECT_EQ(1u, stats().ioctls - before.ioctls);
   EXPECT_EQ(memoryPage, physical(bufferVa));
}

TEST_F(SparseBindSyncTest, BindWaitsOnABinarySemaphoreFromASubmit)
{
   const VkBuffer buffer = createSparseBuffer(kBlock);
   const VkDeviceMemory memory = allocateMemory(kBlock);
   const VkSemaphore binary = createSemaphore(false);
   VkQueue queue = VK_NULL_HANDLE;
   panvk_GetDeviceQueue(device_, 0, 0, &queue);
   VkSubmitInfo submit{VK_STRUCTURE_TYPE_SUBMIT_INFO};
   submit.signalSemaphoreCount = 1;
   submit.pSignalSemaphores = &binary;
   ASSERT_EQ(VK_SUCCESS, panvk_QueueSubmit(queue, 1, &submit, VK_NULL_HANDLE));

   VkSparseMemoryBind bind{0, kBlock, memory, 0, 0};
   VkSparseBufferMemoryBindInfo bufferBinds{buffer, 1, &bind};
   VkBindSparseInfo info{VK_STRUCTURE_TYPE_BIND_SPARSE_INFO};
   info.waitSemaphoreCount = 1;
   info.pWaitSemaphores = &binary;
   info.bufferBindCount = 1;
   info.pBufferBinds = &bufferBinds;
   const VkFence fence = createFence();
   ASSERT_EQ(VK_SUCCESS, panvk_QueueBindSparse(bindQueue_, 1, &info, fence));
   ASSERT_EQ(VK_SUCCESS, waitFence(fence));
   EXPECT_FALSE(device().lost());
   EXPECT_EQ(physical(DeviceMemory::from(memory)->va()), physical(Buffer::from(buffer)->va()));
   EXPECT_FALSE(Semaphore::from(binary)->syncobj()->wait(0, 0)) << "the wait consumed the binary semaphore";
}

// The CTS's image_rebind pattern: binds and submits hand two binary
// semaphores back and forth, the host waiting for each submit. A bind's
// semaphore wait must be consumed before its own signal can let the next
// submit signal the same semaphore again, or that new signal is lost and the
// next bind waits forever.
TEST_F(SparseBindSyncTest, BinarySemaphorePingPongBetweenBindsAndSubmits)
{
   const VkBuffer buffer = createSparseBuffer(kBlock);
   const VkDeviceMemory memory = allocateMemory(kBlock);
   const VkSemaphore bound = createSemaphore(false), transferred = createSemaphore(false);
   VkQueue queue = VK_NULL_HANDLE;
   panvk_GetDeviceQueue(device_, 0, 0, &queue);
   const VkPipelineStageFlags stage = VK_PIPELINE_STAGE_TRANSFER_BIT;
   for (int round = 0; round < 1000; round++) {
      VkSparseMemoryBind bind{0, kBlock, round % 2 ? VK_NULL_HANDLE : memory, 0, 0};
      VkSparseBufferMemoryBindInfo bufferBinds{buffer, 1, &bind};
      VkBindSparseInfo info{VK_STRUCTURE_TYPE_BIND_SPARSE_INFO};
      info.waitSemaphoreCount = round ? 1 : 0;
      info.pWaitSemaphores = &transferred;
      info.bufferBindCount = 1;
      info.pBufferBinds = &bufferBinds;
      info.signalSemaphoreCount = 1;
      info.pSignalSemaphores = &bound;
      ASSERT_EQ(VK_SUCCESS, panvk_QueueBindSparse(bindQueue_, 1, &info, VK_NULL_HANDLE));

      VkSubmitInfo submit{VK_STRUCTURE_TYPE_SUBMIT_INFO};
      submit.waitSemaphoreCount = 1;
      submit.pWaitSemaphores = &bound;
      submit.pWaitDstStageMask = &stage;
      submit.signalSemaphoreCount = 1;
      submit.pSignalSemaphores = &transferred;
      const VkFence fence = createFence();
      ASSERT_EQ(VK_SUCCESS, panvk_QueueSubmit(queue, 1, &submit, fence));
      ASSERT_EQ(VK_SUCCESS, waitFence(fence)) << "round " << round;
   }
   EXPECT_FALSE(device().lost());
}

// The mock fails the first async VM_BIND job when it runs (the ioctl was
// accepted): the kernel says so only through the VM's state, and the driver
// must turn that into a lost device at the bind's own fence, not at some
// later bind.
class SparseBindJobFailureTest : public SparseDirectDevice {
protected:
   void SetUp() override
   {
      setenv("PANTHOR_MOCK_INJECT_BIND_JOB_FAILURE", "1", 1);
      SparseDirectDevice::SetUp();
      unsetenv("PANTHOR_MOCK_INJECT_BIND_JOB_FAILURE");
   }
};

TEST_F(SparseBindJobFailureTest, TheBindsFenceWaitReportsTheDeviceLost)
{
   const VkBuffer buffer = createSparseBuffer(kBlock);
   const VkDeviceMemory memory = allocateMemory(kBlock);
   const uint64_t bufferVa = Buffer::from(buffer)->va();
   const VkFence fence = createFence();
   ASSERT_EQ(VK_SUCCESS, bind(buffer, {{0, kBlock, memory, 0, 0}}, fence));
   EXPECT_EQ(VK_ERROR_DEVICE_LOST, waitFence(fence));
   EXPECT_TRUE(device().lost());
   EXPECT_EQ(VK_ERROR_DEVICE_LOST, panvk_GetFenceStatus(device_, fence));
   EXPECT_NE(physical(DeviceMemory::from(memory)->va()), physical(bufferVa)) << "the failed job mapped the memory";
}

TEST_F(SparseBindJobFailureTest, AFenceStatusPollReportsItToo)
{
   const VkBuffer buffer = createSparseBuffer(kBlock);
   const VkDeviceMemory memory = allocateMemory(kBlock);
   const VkFence fence = createFence();
   ASSERT_EQ(VK_SUCCESS, bind(buffer, {{0, kBlock, memory, 0, 0}}, fence));
   VkResult status = VK_NOT_READY;
   for (int i = 0; i < 20000 && status == VK_NOT_READY; i++) {
      status = panvk_GetFenceStatus(device_, fence);
      if (status == VK_NOT_READY)
         std::this_thread::sleep_for(std::chrono::microseconds(100));
   }
   EXPECT_EQ(VK_ERROR_DEVICE_LOST, status);
}

} // namespace
} // namespace panvk::test
