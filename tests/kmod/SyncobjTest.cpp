#include <chrono>
#include <gtest/gtest.h>
#include <thread>
#include <unistd.h>

#include "drm.h"
#include "kmod/Device.h"
#include "kmod/Syncobj.h"
#include "MockAccess.h"

namespace pan::kmod {
namespace {

using test::openMock;

constexpr int64_t kFiveSeconds = 5'000'000'000;

class SyncobjTest : public ::testing::Test {
protected:
   void SetUp() override {
      device = openMock(9);
      ASSERT_TRUE(device);
   }

   std::unique_ptr<Syncobj> make(bool signaled = false) {
      Result<std::unique_ptr<Syncobj>> syncobj = Syncobj::create(*device, signaled);
      EXPECT_TRUE(syncobj) << syncobj.error().message;
      return syncobj ? std::move(syncobj.value()) : nullptr;
   }

   std::unique_ptr<Device> device;
};

TEST_F(SyncobjTest, CreateSignaledAndUnsignaled) {
   std::unique_ptr<Syncobj> signaled = make(true);
   std::unique_ptr<Syncobj> unsignaled = make(false);
   ASSERT_TRUE(signaled && unsignaled);
   EXPECT_NE(signaled->handle(), 0u);
   EXPECT_NE(signaled->handle(), unsignaled->handle());

   EXPECT_TRUE(signaled->wait(0, 0));
   // No fence at all: EINVAL unless waiting for submission, then a timeout.
   Result<void> noFence = unsignaled->wait(0, 0);
   ASSERT_FALSE(noFence);
   EXPECT_EQ(noFence.error().errnum, EINVAL);
   Result<void> pending = unsignaled->wait(0, 0, true);
   ASSERT_FALSE(pending);
   EXPECT_EQ(pending.error().errnum, ETIME);
}

TEST_F(SyncobjTest, SignalThenResetBinary) {
   std::unique_ptr<Syncobj> syncobj = make();
   ASSERT_TRUE(syncobj);
   ASSERT_TRUE(syncobj->signal());
   EXPECT_TRUE(syncobj->wait(0, 0));
   ASSERT_TRUE(syncobj->reset());
   Result<void> afterReset = syncobj->wait(0, 0, true);
   ASSERT_FALSE(afterReset);
   EXPECT_EQ(afterReset.error().errnum, ETIME);
}

TEST_F(SyncobjTest, TimelineSignalQueryWait) {
   std::unique_ptr<Syncobj> timeline = make();
   ASSERT_TRUE(timeline);
   Result<uint64_t> initial = timeline->query();
   ASSERT_TRUE(initial) << initial.error().message;
   EXPECT_EQ(initial.value(), 0u);

   ASSERT_TRUE(timeline->signal(5));
   Result<uint64_t> point = timeline->query();
   ASSERT_TRUE(point);
   EXPECT_EQ(point.value(), 5u);
   EXPECT_TRUE(timeline->wait(3, 0));
   EXPECT_TRUE(timeline->wait(5, 0));
   Result<void> future = timeline->wait(6, 0, true);
   ASSERT_FALSE(future);
   EXPECT_EQ(future.error().errnum, ETIME);
}

TEST_F(SyncobjTest, WaitWakesWhenAnotherThreadSignals) {
   std::unique_ptr<Syncobj> timeline = make();
   ASSERT_TRUE(timeline);
   std::thread signaller([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      EXPECT_TRUE(timeline->signal(2));
   });
   Result<void> waited = timeline->wait(2, absoluteTimeout(kFiveSeconds), true);
   signaller.join();
   EXPECT_TRUE(waited) << waited.error().message;
}

TEST_F(SyncobjTest, WaitManyAnyAndAll) {
   std::unique_ptr<Syncobj> a = make();
   std::unique_ptr<Syncobj> b = make(true);
   ASSERT_TRUE(a && b);
   const SyncPoint points[] = {{a->handle(), 0}, {b->handle(), 0}};
   const uint32_t forSubmit = DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT;

   Result<uint32_t> any = Syncobj::waitMany(*device, points, false, 0, forSubmit);
   ASSERT_TRUE(any) << any.error().message;
   EXPECT_EQ(any.value(), 1u);

   Result<uint32_t> all = Syncobj::waitMany(*device, points, true, 0, forSubmit);
   ASSERT_FALSE(all);
   EXPECT_EQ(all.error().errnum, ETIME);

   ASSERT_TRUE(a->signal());
   EXPECT_TRUE(Syncobj::waitMany(*device, points, true, 0, forSubmit));
}

// WAIT_AVAILABLE on binary syncobjs: the binary ioctl refuses the flag, so
// kmod must take the timeline one (point 0) and the wait must work.
TEST_F(SyncobjTest, WaitAvailableOnBinarySyncobjs) {
   std::unique_ptr<Syncobj> a = make(true);
   std::unique_ptr<Syncobj> b = make();
   ASSERT_TRUE(a && b);
   const uint32_t available = DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT | DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE;
   const SyncPoint signalled[] = {{a->handle(), 0}};
   Result<uint32_t> one = Syncobj::waitMany(*device, signalled, true, 0, available);
   EXPECT_TRUE(one) << one.error().message;

   const SyncPoint both[] = {{a->handle(), 0}, {b->handle(), 0}};
   Result<uint32_t> pending = Syncobj::waitMany(*device, both, true, 0, available);
   ASSERT_FALSE(pending);
   EXPECT_EQ(pending.error().errnum, ETIME) << "b has no fence yet";
   ASSERT_TRUE(b->signal());
   Result<uint32_t> ready = Syncobj::waitMany(*device, both, true, 0, available);
   EXPECT_TRUE(ready) << ready.error().message;
}

TEST_F(SyncobjTest, WaitManyOnTimelinePoints) {
   std::unique_ptr<Syncobj> a = make();
   std::unique_ptr<Syncobj> b = make();
   ASSERT_TRUE(a && b);
   ASSERT_TRUE(a->signal(1));
   ASSERT_TRUE(b->signal(10));
   const SyncPoint points[] = {{a->handle(), 2}, {b->handle(), 10}};
   Result<uint32_t> any = Syncobj::waitMany(*device, points, false, 0,
                                            DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT);
   ASSERT_TRUE(any) << any.error().message;
   EXPECT_EQ(any.value(), 1u);
   Result<uint32_t> all = Syncobj::waitMany(*device, points, true, 0,
                                            DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT);
   ASSERT_FALSE(all);
   EXPECT_EQ(all.error().errnum, ETIME);
}

TEST_F(SyncobjTest, TransferBinaryIntoTimelinePoint) {
   std::unique_ptr<Syncobj> binary = make(true);
   std::unique_ptr<Syncobj> timeline = make();
   ASSERT_TRUE(binary && timeline);
   Result<void> transferred = timeline->transfer(4, *binary, 0);
   ASSERT_TRUE(transferred) << transferred.error().message;
   EXPECT_TRUE(timeline->wait(4, 0));
   Result<uint64_t> point = timeline->query();
   ASSERT_TRUE(point);
   EXPECT_EQ(point.value(), 4u);
}

TEST_F(SyncobjTest, TransferTimelinePointIntoBinary) {
   std::unique_ptr<Syncobj> timeline = make();
   std::unique_ptr<Syncobj> binary = make();
   ASSERT_TRUE(timeline && binary);
   ASSERT_TRUE(timeline->signal(3));
   ASSERT_TRUE(binary->transfer(0, *timeline, 3));
   EXPECT_TRUE(binary->wait(0, 0));
}

TEST_F(SyncobjTest, ExportImportSharesTheFence) {
   std::unique_ptr<Syncobj> original = make();
   ASSERT_TRUE(original);
   Result<int> fd = original->exportFd();
   ASSERT_TRUE(fd) << fd.error().message;
   EXPECT_GE(fd.value(), 0);

   Result<std::unique_ptr<Syncobj>> imported = Syncobj::importFd(*device, fd.value());
   ASSERT_TRUE(imported) << imported.error().message;
   EXPECT_NE(imported.value()->handle(), original->handle());

   ASSERT_TRUE(original->signal());
   EXPECT_TRUE(imported.value()->wait(0, 0));
   ::close(fd.value());
}

TEST_F(SyncobjTest, ImportOfABadFdFails) {
   Result<std::unique_ptr<Syncobj>> imported = Syncobj::importFd(*device, -1);
   ASSERT_FALSE(imported);
   EXPECT_NE(imported.error().errnum, 0);
}

TEST_F(SyncobjTest, DestructorDestroysTheHandle) {
   uint32_t handle = 0;
   {
      std::unique_ptr<Syncobj> syncobj = make(true);
      ASSERT_TRUE(syncobj);
      handle = syncobj->handle();
   }
   const SyncPoint gone{handle, 0};
   Result<uint32_t> waited = Syncobj::waitMany(*device, std::span(&gone, 1), true, 0);
   ASSERT_FALSE(waited);
   EXPECT_EQ(waited.error().errnum, ENOENT);
}

TEST(AbsoluteTimeoutTest, RelativeToMonotonicNow) {
   EXPECT_EQ(absoluteTimeout(0), 0);
   EXPECT_EQ(absoluteTimeout(-5), 0);
   EXPECT_EQ(absoluteTimeout(kInfiniteTimeout), kInfiniteTimeout);
   timespec now{};
   clock_gettime(CLOCK_MONOTONIC, &now);
   const int64_t nowNs = int64_t(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
   const int64_t deadline = absoluteTimeout(1'000'000'000);
   EXPECT_GE(deadline, nowNs + 1'000'000'000);
   EXPECT_LT(deadline, nowNs + 2'000'000'000);
}

} // namespace
} // namespace pan::kmod
