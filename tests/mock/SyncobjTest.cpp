// The DRM core syncobj ioctls of the mock, through SyncobjTable, with the
// errno the kernel's drm_syncobj.c returns: create, destroy, wait, signal,
// reset, and waits across threads.
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <climits>
#include <thread>
#include <vector>

#include "SyncobjTableFixture.h"

using namespace pan::mock;
using namespace pan::mock::test;

// ---- create / destroy -------------------------------------------------------

TEST_F(SyncobjTableTest, CreateUnsignalledAndSignalled)
{
   uint32_t empty = create();
   uint32_t signalled = create(DRM_SYNCOBJ_CREATE_SIGNALED);
   EXPECT_EQ(table.count(), 2u);
   uint32_t first = 0;
   EXPECT_EQ(wait({signalled}, 0, 0, &first), 0);
   EXPECT_EQ(first, 0u);
   // No fence yet and no WAIT_FOR_SUBMIT: the kernel refuses the wait.
   EXPECT_EQ(wait({empty}, 0, 0), -EINVAL);
   EXPECT_EQ(wait({empty}, 0, inMs(1000)), -EINVAL);
}

TEST_F(SyncobjTableTest, CreateRejectsUnknownFlags)
{
   drm_syncobj_create args{};
   args.flags = 0x2;
   EXPECT_EQ(table.create(args), -EINVAL);
   EXPECT_EQ(table.count(), 0u);
}

TEST_F(SyncobjTableTest, HandlesStartAtOneAndReuseTheLowestFree)
{
   EXPECT_EQ(create(), 1u);
   EXPECT_EQ(create(), 2u);
   EXPECT_EQ(create(), 3u);
   drm_syncobj_destroy destroy{2, 0};
   EXPECT_EQ(table.destroy(destroy), 0);
   EXPECT_EQ(table.lookup(2), nullptr);
   EXPECT_EQ(create(), 2u);
}

TEST_F(SyncobjTableTest, DestroyErrors)
{
   uint32_t handle = create();
   drm_syncobj_destroy withPad{handle, 1};
   EXPECT_EQ(table.destroy(withPad), -EINVAL);
   EXPECT_NE(table.lookup(handle), nullptr);
   drm_syncobj_destroy unknown{handle + 1, 0};
   EXPECT_EQ(table.destroy(unknown), -EINVAL);
   drm_syncobj_destroy good{handle, 0};
   EXPECT_EQ(table.destroy(good), 0);
   EXPECT_EQ(table.destroy(good), -EINVAL);
   EXPECT_EQ(table.count(), 0u);
}

// ---- wait -------------------------------------------------------------------

TEST_F(SyncobjTableTest, WaitTimesOutWithEtime)
{
   uint32_t handle = create();
   attachPending(handle);
   EXPECT_EQ(wait({handle}, 0, 0), -ETIME); // poll
   EXPECT_EQ(wait({handle}, 0, -5), -ETIME); // in the past: poll
   auto start = std::chrono::steady_clock::now();
   EXPECT_EQ(wait({handle}, 0, inMs(30)), -ETIME);
   EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(29));
}

TEST_F(SyncobjTableTest, WaitAnyReportsTheFirstSignalledAndWaitAllWaitsForAll)
{
   uint32_t pending = create();
   uint32_t done = create(DRM_SYNCOBJ_CREATE_SIGNALED);
   auto fence = attachPending(pending);
   uint32_t first = 0;
   EXPECT_EQ(wait({pending, done}, 0, 0, &first), 0);
   EXPECT_EQ(first, 1u);
   EXPECT_EQ(wait({pending, done}, DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL, 0), -ETIME);

   std::thread signaller([&] {
      sleepMs(20);
      fence->signal();
   });
   EXPECT_EQ(wait({pending, done}, DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL, inMs(5000), &first), 0);
   signaller.join();
   EXPECT_TRUE(fence->signaled());
   // As the kernel: with WAIT_ALL, the first entry already signalled on entry.
   EXPECT_EQ(first, 1u);
}

TEST_F(SyncobjTableTest, WaitAnyWakesForTheEntryThatSignals)
{
   uint32_t a = create();
   uint32_t b = create();
   attachPending(a);
   auto fenceB = attachPending(b);
   std::thread signaller([&] {
      sleepMs(20);
      fenceB->signal();
   });
   uint32_t first = 0;
   EXPECT_EQ(wait({a, b}, 0, inMs(5000), &first), 0);
   signaller.join();
   EXPECT_EQ(first, 1u);
}

TEST_F(SyncobjTableTest, WaitForSubmitWaitsForTheFenceToAppearAndSignal)
{
   uint32_t handle = create();
   std::atomic<bool> signalled{false};
   std::thread submitter([&] {
      sleepMs(20);
      auto fence = Fence::create();
      table.lookup(handle)->attach(0, fence);
      sleepMs(20);
      signalled = true;
      fence->signal();
   });
   EXPECT_EQ(wait({handle}, DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT, inMs(5000)), 0);
   EXPECT_TRUE(signalled.load());
   submitter.join();
   // The same without the flag is refused at once.
   uint32_t other = create();
   EXPECT_EQ(wait({other}, 0, inMs(5000)), -EINVAL);
}

TEST_F(SyncobjTableTest, WaitForSubmitTimesOut)
{
   uint32_t handle = create();
   EXPECT_EQ(wait({handle}, DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT, 0), -ETIME);
   EXPECT_EQ(wait({handle}, DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT, inMs(20)), -ETIME);
}

TEST_F(SyncobjTableTest, WaitKeepsTheFenceItStartedWith)
{
   uint32_t handle = create();
   auto fence = attachPending(handle);
   std::thread other([&] {
      sleepMs(20);
      drm_syncobj_array reset{};
      reset.handles = userPtr(&handle);
      reset.count_handles = 1;
      EXPECT_EQ(table.reset(reset), 0);
      sleepMs(20);
      fence->signal();
   });
   EXPECT_EQ(wait({handle}, 0, inMs(5000)), 0);
   other.join();
   EXPECT_TRUE(fence->signaled());
}

TEST_F(SyncobjTableTest, FailedFenceStillSatisfiesTheWait)
{
   uint32_t handle = create();
   auto fence = attachPending(handle);
   fence->signal(-EIO);
   EXPECT_EQ(wait({handle}, 0, 0), 0);
   EXPECT_EQ(table.lookup(handle)->fenceFor(0)->error(), -EIO);
}

TEST_F(SyncobjTableTest, WaitRejectsBadArguments)
{
   uint32_t handle = create(DRM_SYNCOBJ_CREATE_SIGNALED);
   // WAIT_AVAILABLE belongs to the timeline wait only.
   EXPECT_EQ(wait({handle}, DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE, 0), -EINVAL);
   EXPECT_EQ(wait({handle}, 1u << 7, 0), -EINVAL);
   EXPECT_EQ(wait({}, 0, 0), -EINVAL);
   EXPECT_EQ(wait({handle, 77}, 0, 0), -ENOENT);

   drm_syncobj_wait args{};
   args.count_handles = 1;
   EXPECT_EQ(table.wait(args), -EFAULT); // null handles
   args.handles = 0x10;                   // not mapped
   EXPECT_EQ(table.wait(args), -EFAULT);
   args.handles = userPtr(&handle);
   args.count_handles = SyncobjTable::kMaxHandles + 1;
   EXPECT_EQ(table.wait(args), -ENOMEM);
}

TEST_F(SyncobjTableTest, UnmappedArrayIsEfault)
{
   long page = sysconf(_SC_PAGESIZE);
   void *mapping = mmap(nullptr, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
   ASSERT_NE(mapping, MAP_FAILED);
   drm_syncobj_array args{};
   args.handles = userPtr(mapping);
   args.count_handles = 4;
   EXPECT_EQ(table.signal(args), -EFAULT);
   munmap(mapping, page);
}

// ---- signal / reset ---------------------------------------------------------

TEST_F(SyncobjTableTest, SignalAndReset)
{
   uint32_t handle = create();
   drm_syncobj_array args{};
   args.handles = userPtr(&handle);
   args.count_handles = 1;
   EXPECT_EQ(table.signal(args), 0);
   EXPECT_EQ(wait({handle}, 0, 0), 0);
   EXPECT_EQ(table.reset(args), 0);
   EXPECT_EQ(wait({handle}, 0, 0), -EINVAL);
   EXPECT_EQ(wait({handle}, DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT, 0), -ETIME);
}

TEST_F(SyncobjTableTest, SignalAndResetErrors)
{
   uint32_t handle = create();
   drm_syncobj_array args{};
   args.handles = userPtr(&handle);
   args.count_handles = 1;
   args.pad = 1;
   EXPECT_EQ(table.signal(args), -EINVAL);
   EXPECT_EQ(table.reset(args), -EINVAL);
   args.pad = 0;
   args.count_handles = 0;
   EXPECT_EQ(table.signal(args), -EINVAL);
   EXPECT_EQ(table.reset(args), -EINVAL);
   args.count_handles = 1;
   args.handles = 0;
   EXPECT_EQ(table.signal(args), -EFAULT);
   EXPECT_EQ(table.reset(args), -EFAULT);
   std::vector<uint32_t> withUnknown{handle, 99};
   args.handles = userPtr(withUnknown.data());
   args.count_handles = 2;
   EXPECT_EQ(table.signal(args), -ENOENT);
   // Nothing was signalled: handles are all resolved first.
   EXPECT_EQ(wait({handle}, 0, 0), -EINVAL);
}

// ---- threads ----------------------------------------------------------------

TEST_F(SyncobjTableTest, InfiniteTimeoutWaitsUntilSignalled)
{
   uint32_t handle = create();
   auto fence = attachPending(handle);
   std::thread signaller([&] {
      sleepMs(20);
      fence->signal();
   });
   EXPECT_EQ(wait({handle}, 0, INT64_MAX), 0);
   signaller.join();
}

TEST_F(SyncobjTableTest, ConcurrentTimelineSignalsAndWaits)
{
   constexpr int kSignallers = 4;
   constexpr uint64_t kPointsEach = 50;
   constexpr uint64_t kLast = kSignallers * kPointsEach;
   uint32_t handle = create();
   std::atomic<uint64_t> nextPoint{1};
   std::vector<std::thread> threads;
   std::atomic<int> waitResults{0};
   for (int i = 0; i < 3; i++) {
      threads.emplace_back([&] {
         if (timelineWait({handle}, {kLast}, DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT, inMs(10000)) == 0)
            waitResults++;
      });
   }
   for (int i = 0; i < kSignallers; i++) {
      threads.emplace_back([&] {
         for (uint64_t n = 0; n < kPointsEach; n++) {
            // Points may reach the syncobj slightly out of order: still accepted.
            uint64_t point = nextPoint++;
            drm_syncobj_timeline_array args{};
            args.handles = userPtr(&handle);
            args.points = userPtr(&point);
            args.count_handles = 1;
            EXPECT_EQ(table.timelineSignal(args), 0);
         }
      });
   }
   for (auto &thread : threads)
      thread.join();
   EXPECT_EQ(waitResults.load(), 3);
   EXPECT_EQ(query(handle, DRM_SYNCOBJ_QUERY_FLAGS_LAST_SUBMITTED), kLast);
   EXPECT_EQ(timelineWait({handle}, {kLast}, 0, 0), 0);
}
