// vkQueueBindSparse's waits and signals through the loader: timeline points
// signalled by a bind and waited on by the host or by the transfer queue, a
// bind waiting on a point the host signals later (the call returns at once,
// the bind happens after the signal), and calls with nothing to bind that
// still signal their semaphores and fence.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "SparseFixture.h"

namespace panvk::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr uint32_t kBlocks = 4;
constexpr VkDeviceSize kSize = kBlocks * kSparseBlock;

class SparseSyncTest : public SparseFixture {
protected:
   void SetUp() override
   {
      ASSERT_NO_FATAL_FAILURE(SparseFixture::SetUp());
      buffer_ = createSparseBuffer(kSize);
      const VkMemoryRequirements req = requirements(buffer_);
      memory_ = allocateDeviceMemory(kSize, req.memoryTypeBits);
      ASSERT_NE(VK_NULL_HANDLE, memory_);
   }

   SparseBinds bindWhole() const
   {
      SparseBinds info;
      info.buffer = buffer_;
      info.bufferBinds = {{0, kSize, memory_, 0, 0}};
      return info;
   }

   VkBuffer buffer_ = VK_NULL_HANDLE;
   VkDeviceMemory memory_ = VK_NULL_HANDLE;
};

TEST_F(SparseSyncTest, TimelinePointSignalledByABindIsWaitedOnTheHost)
{
   const VkSemaphore timeline = createTimeline(3);
   SparseBinds info = bindWhole();
   info.signals = {{timeline, 7}};
   VK_ASSERT_SUCCESS(bindSparse(bindQueue_, {&info, 1}, VK_NULL_HANDLE));
   VK_ASSERT_SUCCESS(hostWait(timeline, 7, kGpuTimeoutNs));
   EXPECT_EQ(7u, counter(timeline));

   // Bound once the host saw the point: the data goes through.
   const std::vector<uint8_t> bytes = patternBytes(kSize, 51);
   ASSERT_NO_FATAL_FAILURE(writeBuffer(buffer_, 0, bytes));
   EXPECT_BYTES_EQ(bytes, readBuffer(buffer_, 0, kSize));
}

TEST_F(SparseSyncTest, TransferQueueWaitsForATimelinePointOfTheBind)
{
   const VkSemaphore timeline = createTimeline(0);
   SparseBinds info = bindWhole();
   info.signals = {{timeline, 2}};
   VK_ASSERT_SUCCESS(bindSparse(bindQueue_, {&info, 1}, VK_NULL_HANDLE));
   const std::vector<uint8_t> bytes = patternBytes(kSize, 52);
   const SemaphorePoint wait{timeline, 2};
   ASSERT_NO_FATAL_FAILURE(writeBuffer(buffer_, 0, bytes, {&wait, 1}));
   EXPECT_BYTES_EQ(bytes, readBuffer(buffer_, 0, kSize));
}

TEST_F(SparseSyncTest, WaitBeforeSignalReturnsAtOnceAndBindsAfterTheHostSignal)
{
   // The memory gets known bytes through the buffer, which is then unbound.
   const std::vector<uint8_t> bytes = patternBytes(kSize, 53);
   {
      const SparseBinds bind = bindWhole();
      ASSERT_NO_FATAL_FAILURE(bindBufferAndWait(buffer_, bind.bufferBinds));
      ASSERT_NO_FATAL_FAILURE(writeBuffer(buffer_, 0, bytes));
      const VkSparseMemoryBind unbind{0, kSize, VK_NULL_HANDLE, 0, 0};
      ASSERT_NO_FATAL_FAILURE(bindBufferAndWait(buffer_, {&unbind, 1}));
   }

   const VkSemaphore gate = createTimeline(0);
   const VkSemaphore done = createTimeline(0);
   const VkFence fence = createFence();
   SparseBinds info = bindWhole();
   info.waits = {{gate, 5}};
   info.signals = {{done, 1}};

   // If the call blocked until the point is signalled, this thread unblocks
   // it (after a while) so that the test fails instead of hanging.
   std::mutex mutex;
   std::condition_variable cv;
   bool returned = false, release = false, rescued = false;
   std::thread signaller([&] {
      std::unique_lock lock(mutex);
      if (!cv.wait_for(lock, 10s, [&] { return returned || release; }))
         rescued = true;
      if (!rescued)
         cv.wait(lock, [&] { return release; });
      lock.unlock();
      EXPECT_EQ(VK_SUCCESS, hostSignal(gate, 5));
   });

   const auto start = Clock::now();
   const VkResult result = bindSparse(bindQueue_, {&info, 1}, fence);
   const auto took = Clock::now() - start;
   {
      std::lock_guard lock(mutex);
      returned = true;
   }
   cv.notify_all();
   EXPECT_EQ(VK_SUCCESS, result);
   EXPECT_LT(took, 2s) << "vkQueueBindSparse blocked on the wait";

   // Nothing may happen before the signal.
   std::this_thread::sleep_for(100ms);
   EXPECT_EQ(VK_NOT_READY, fenceStatus(fence));
   EXPECT_EQ(0u, counter(done));
   EXPECT_EQ(0u, counter(gate));
   {
      std::lock_guard lock(mutex);
      release = true;
   }
   cv.notify_all();
   signaller.join();
   EXPECT_FALSE(rescued) << "vkQueueBindSparse did not return before the host signal";

   VK_ASSERT_SUCCESS(waitFence(fence));
   EXPECT_EQ(1u, counter(done));
   EXPECT_BYTES_EQ(bytes, readBuffer(buffer_, 0, kSize));
}

TEST_F(SparseSyncTest, BatchesWithoutBindsStillSignal)
{
   // A batch with nothing but a signal, and the fence.
   const VkSemaphore timeline = createTimeline(0);
   const VkFence fence = createFence();
   SparseBinds empty;
   empty.signals = {{timeline, 4}};
   VK_ASSERT_SUCCESS(bindSparse(bindQueue_, {&empty, 1}, fence));
   VK_ASSERT_SUCCESS(waitFence(fence));
   EXPECT_EQ(4u, counter(timeline));

   // No batch at all: the fence alone.
   const VkFence alone = createFence();
   VK_ASSERT_SUCCESS(bindSparse(bindQueue_, {}, alone));
   VK_ASSERT_SUCCESS(waitFence(alone));

   // An empty batch waiting on the point above and signalling a binary
   // semaphore the transfer queue waits on.
   const VkSemaphore binary = createBinarySemaphore();
   SparseBinds relay;
   relay.waits = {{timeline, 4}};
   relay.signals = {{binary, 0}};
   VK_ASSERT_SUCCESS(bindSparse(bindQueue_, {&relay, 1}, VK_NULL_HANDLE));
   const SemaphorePoint wait{binary, 0};
   ASSERT_NO_FATAL_FAILURE(submitTransfer([](VkCommandBuffer) {}, {&wait, 1}));
}

TEST_F(SparseSyncTest, BatchesOfOneCallSignalInOrder)
{
   // Batch 1 binds and signals 1; batch 2 is empty and signals 2; batch 3
   // unbinds and signals 3. Each signal covers the binds before it.
   const VkSemaphore timeline = createTimeline(0);
   const VkFence fence = createFence();
   SparseBinds infos[3];
   infos[0] = bindWhole();
   infos[0].signals = {{timeline, 1}};
   infos[1].signals = {{timeline, 2}};
   infos[2].buffer = buffer_;
   infos[2].bufferBinds = {{kSparseBlock, kSparseBlock, VK_NULL_HANDLE, 0, 0}};
   infos[2].signals = {{timeline, 3}};
   VK_ASSERT_SUCCESS(bindSparse(transferBindQueue_, infos, fence));
   VK_ASSERT_SUCCESS(waitFence(fence));
   EXPECT_EQ(3u, counter(timeline));

   const std::vector<uint8_t> bytes = patternBytes(kSize, 54);
   ASSERT_NO_FATAL_FAILURE(writeBuffer(buffer_, 0, bytes));
   const std::vector<uint8_t> read = readBuffer(buffer_, 0, kSize);
   ASSERT_EQ(kSize, read.size());
   EXPECT_BYTES_EQ(std::span(bytes).first(kSparseBlock), std::span(read).first(kSparseBlock));
   EXPECT_BYTES_EQ(std::span(bytes).subspan(2 * kSparseBlock), std::span(read).subspan(2 * kSparseBlock));
}

} // namespace
} // namespace panvk::test
