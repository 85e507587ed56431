// Asynchronous VM_BIND: the per-VM bind queue, its syncs, and failure
// propagation (ABI.md, "Async mode").
#include <gtest/gtest.h>

#include <time.h>

#include "mock/Fence.h"
#include "mock/Syncobj.h"
#include "mock/SyncobjTable.h"
#include "MockTestUtil.h"

namespace pan::mock {
namespace {

using namespace testutil;

constexpr uint64_t kVa = 64 * kMiB;
constexpr int64_t kFiveSeconds = 5'000'000'000;

int64_t
deadlineIn(int64_t ns)
{
   timespec now;
   clock_gettime(CLOCK_MONOTONIC, &now);
   return int64_t(now.tv_sec) * 1'000'000'000 + now.tv_nsec + ns;
}

uint32_t
newSyncobj(File &file)
{
   drm_syncobj_create args{};
   EXPECT_EQ(file.ioctl(DRM_IOCTL_SYNCOBJ_CREATE, &args), 0);
   return args.handle;
}

int
timelineWait(File &file, uint32_t handle, uint64_t point, int64_t timeoutNs = kFiveSeconds)
{
   drm_syncobj_timeline_wait args{};
   args.handles = reinterpret_cast<uint64_t>(&handle);
   args.points = reinterpret_cast<uint64_t>(&point);
   args.count_handles = 1;
   args.timeout_nsec = deadlineIn(timeoutNs);
   args.flags = DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL;
   return file.ioctl(DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, &args);
}

drm_panthor_sync_op
waitOn(uint32_t handle, uint64_t point = 0)
{
   drm_panthor_sync_op sync{};
   sync.flags = point ? DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ
                      : DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ;
   sync.handle = handle;
   sync.timeline_value = point;
   return sync;
}

drm_panthor_sync_op
signalOf(uint32_t handle, uint64_t point = 0)
{
   drm_panthor_sync_op sync = waitOn(handle, point);
   sync.flags |= DRM_PANTHOR_SYNC_OP_SIGNAL;
   return sync;
}

// An op with its syncs; the syncs vector must outlive the ioctl.
drm_panthor_vm_bind_op
withSyncs(drm_panthor_vm_bind_op op, const std::vector<drm_panthor_sync_op> &syncs)
{
   op.syncs.stride = sizeof(drm_panthor_sync_op);
   op.syncs.count = uint32_t(syncs.size());
   op.syncs.array = reinterpret_cast<uint64_t>(syncs.data());
   return op;
}

int
bindAsync(File &file, uint32_t vm, const std::vector<drm_panthor_vm_bind_op> &ops)
{
   return bindOps(file, vm, ops, nullptr, DRM_PANTHOR_VM_BIND_ASYNC);
}

// A fence the test signals by hand, installed as a syncobj's payload: a
// submitted but unsignalled dependency, what another engine's job would be.
struct ManualFence {
   std::shared_ptr<Fence> fence = Fence::create();
   uint32_t handle = 0;

   explicit ManualFence(File &file)
   {
      handle = newSyncobj(file);
      file.syncobjs().lookup(handle)->attach(0, fence);
   }
};

class AsyncBindTest : public ::testing::Test {
protected:
   void SetUp() override
   {
      device = makeDevice(10);
      ASSERT_TRUE(device);
      file = device->open();
      vm = newVm(*file);
      bo = newBo(*file, 64 * kKiB);
   }

   bool mapped(uint64_t va) { return translate(*file, vm, va).has_value(); }
   std::shared_ptr<Fence> fenceOf(uint32_t handle, uint64_t point = 0)
   {
      return file->syncobjs().lookup(handle)->fenceFor(point);
   }

   std::shared_ptr<Device> device;
   std::shared_ptr<File> file;
   uint32_t vm = 0, bo = 0;
};

TEST_F(AsyncBindTest, JobsRunInSubmissionOrderAndSignalTimelinePoints)
{
   // map A, unmap, map B at the same VA, each in its own ioctl and chained
   // only by the queue's order: the last one must win.
   const uint32_t other = newBo(*file, 64 * kKiB);
   const uint32_t timeline = newSyncobj(*file);
   const std::vector<drm_panthor_sync_op> s1 = {signalOf(timeline, 1)};
   const std::vector<drm_panthor_sync_op> s2 = {signalOf(timeline, 2)};
   const std::vector<drm_panthor_sync_op> s3 = {signalOf(timeline, 3)};
   ASSERT_EQ(bindAsync(*file, vm, {withSyncs(mapOp(bo, 0, kVa, kPage), s1)}), 0);
   ASSERT_EQ(bindAsync(*file, vm, {withSyncs(unmapOp(kVa, kPage), s2)}), 0);
   ASSERT_EQ(bindAsync(*file, vm, {withSyncs(mapOp(other, 0, kVa, kPage), s3)}), 0);

   ASSERT_EQ(timelineWait(*file, timeline, 3), 0);
   ASSERT_TRUE(mapped(kVa));
   EXPECT_EQ(translate(*file, vm, kVa)->phys, boPhys(*file, other, 0));
   EXPECT_EQ(file->lookupVm(vm)->counters().bindJobsRun, 3u);

   drm_syncobj_timeline_array query{};
   uint64_t value = 0;
   query.handles = reinterpret_cast<uint64_t>(&timeline);
   query.points = reinterpret_cast<uint64_t>(&value);
   query.count_handles = 1;
   ASSERT_EQ(file->ioctl(DRM_IOCTL_SYNCOBJ_QUERY, &query), 0);
   EXPECT_EQ(value, 3u);
}

TEST_F(AsyncBindTest, ALongChainCompletesInOrder)
{
   const uint32_t timeline = newSyncobj(*file);
   std::vector<std::vector<drm_panthor_sync_op>> syncs(200);
   for (uint64_t i = 0; i < syncs.size(); i++) {
      syncs[i].push_back(signalOf(timeline, i + 1));
      if (i)
         syncs[i].push_back(waitOn(timeline, i));
      ASSERT_EQ(bindAsync(*file, vm, {withSyncs(mapOp(bo, 0, kVa + i * kPage, kPage), syncs[i])}), 0);
   }
   ASSERT_EQ(timelineWait(*file, timeline, syncs.size()), 0);
   for (uint64_t i = 0; i < syncs.size(); i++)
      EXPECT_TRUE(mapped(kVa + i * kPage)) << i;
}

TEST_F(AsyncBindTest, TheIoctlDoesNotWaitForTheJob)
{
   ManualFence gate(*file);
   const uint32_t done = newSyncobj(*file);
   const std::vector<drm_panthor_sync_op> syncs = {waitOn(gate.handle), signalOf(done)};
   ASSERT_EQ(bindAsync(*file, vm, {withSyncs(mapOp(bo, 0, kVa, kPage), syncs)}), 0);

   // Queued, not run: its wait is not signalled.
   EXPECT_EQ(timelineWait(*file, done, 0, 50'000'000), -ETIME);
   EXPECT_FALSE(mapped(kVa));

   gate.fence->signal();
   ASSERT_EQ(timelineWait(*file, done, 0), 0);
   EXPECT_TRUE(mapped(kVa));
}

TEST_F(AsyncBindTest, ABindWaitsOnAPointAnotherFileSignals)
{
   // File B owns the timeline; file A imports it through an fd.
   std::shared_ptr<File> other = device->open();
   const uint32_t otherVm = newVm(*other);
   const uint32_t otherBo = newBo(*other, kPage);
   const uint32_t shared = newSyncobj(*other);
   drm_syncobj_handle exported{};
   exported.handle = shared;
   ASSERT_EQ(other->ioctl(DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &exported), 0);
   drm_syncobj_handle imported{};
   imported.fd = exported.fd;
   ASSERT_EQ(file->ioctl(DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, &imported), 0);
   close(exported.fd);

   // B: a bind that waits on a gate, then signals point 5.
   ManualFence gate(*other);
   const std::vector<drm_panthor_sync_op> bSyncs = {waitOn(gate.handle), signalOf(shared, 5)};
   ASSERT_EQ(bindAsync(*other, otherVm, {withSyncs(mapOp(otherBo, 0, kVa, kPage), bSyncs)}), 0);

   // A: waits on point 5, which B's ioctl submitted.
   const uint32_t done = newSyncobj(*file);
   const std::vector<drm_panthor_sync_op> aSyncs = {waitOn(imported.handle, 5), signalOf(done)};
   ASSERT_EQ(bindAsync(*file, vm, {withSyncs(mapOp(bo, 0, kVa, kPage), aSyncs)}), 0);
   EXPECT_EQ(timelineWait(*file, done, 0, 50'000'000), -ETIME);
   EXPECT_FALSE(mapped(kVa));

   gate.fence->signal();
   ASSERT_EQ(timelineWait(*file, done, 0), 0);
   EXPECT_TRUE(mapped(kVa));
   EXPECT_TRUE(translate(*other, otherVm, kVa).has_value());
}

TEST_F(AsyncBindTest, AFailingJobMakesTheVmUnusable)
{
   const uint32_t done = newSyncobj(*file);
   const std::vector<drm_panthor_sync_op> syncs = {signalOf(done)};
   // The job's page-table reservation is the next page-table allocation.
   device->memory().failNth(AllocSite::PageTablePages, 1);
   ASSERT_EQ(bindAsync(*file, vm, {withSyncs(mapOp(bo, 0, kVa, kPage), syncs)}), 0)
      << "checks at ioctl time pass; the failure comes while running";
   // A failed fence still completes the wait, as in the kernel; the error is on it.
   ASSERT_EQ(timelineWait(*file, done, 0), 0);
   EXPECT_EQ(fenceOf(done)->error(), -ENOMEM);
   EXPECT_FALSE(mapped(kVa));

   drm_panthor_vm_get_state state{};
   state.vm_id = vm;
   ASSERT_EQ(file->ioctl(DRM_IOCTL_PANTHOR_VM_GET_STATE, &state), 0);
   EXPECT_EQ(state.state, uint32_t(DRM_PANTHOR_VM_STATE_UNUSABLE));

   // Afterwards: async binds are refused, the sync path takes unmaps only.
   EXPECT_EQ(bindAsync(*file, vm, {withSyncs(unmapOp(kVa, kPage), syncs)}), -EINVAL);
   EXPECT_EQ(bindOne(*file, vm, unmapOp(kVa, kPage)), 0);
   EXPECT_EQ(bindOne(*file, vm, mapOp(bo, 0, kVa, kPage)), -EINVAL);
}

TEST_F(AsyncBindTest, ABadOpQueuesNothing)
{
   const uint32_t done = newSyncobj(*file);
   const std::vector<drm_panthor_sync_op> syncs = {signalOf(done)};
   const std::vector<drm_panthor_vm_bind_op> ops = {
      withSyncs(mapOp(bo, 0, kVa, kPage), syncs),
      mapOp(bo, 0, kVa + 100, kPage), // misaligned VA
   };
   EXPECT_EQ(bindAsync(*file, vm, ops), -EINVAL);
   EXPECT_EQ(fenceOf(done), nullptr) << "the first op's signal was never submitted";
   EXPECT_EQ(timelineWait(*file, done, 0, 0), -EINVAL);
   EXPECT_FALSE(mapped(kVa));
   EXPECT_EQ(file->lookupVm(vm)->counters().bindJobsRun, 0u);
}

TEST_F(AsyncBindTest, SyncOpRules)
{
   const uint32_t binary = newSyncobj(*file);
   const uint32_t timeline = newSyncobj(*file);
   auto bindWith = [&](std::vector<drm_panthor_sync_op> syncs) {
      return bindAsync(*file, vm, {withSyncs(mapOp(bo, 0, kVa, kPage), syncs)});
   };
   drm_panthor_sync_op binaryWithPoint = signalOf(binary);
   binaryWithPoint.timeline_value = 3;
   EXPECT_EQ(bindWith({binaryWithPoint}), -EINVAL) << "binary syncobj with a timeline value";
   EXPECT_EQ(bindWith({waitOn(timeline, 7)}), -EINVAL) << "wait on an unsubmitted point";
   EXPECT_EQ(bindWith({waitOn(binary)}), -EINVAL) << "wait on a syncobj with no fence";
   EXPECT_EQ(bindWith({waitOn(999)}), -ENOENT) << "wait on an unknown handle";
   EXPECT_EQ(bindWith({signalOf(999)}), -EINVAL) << "signal of an unknown handle";
   drm_panthor_sync_op badType = signalOf(binary);
   badType.flags = (badType.flags & ~DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_MASK) | 2;
   EXPECT_EQ(bindWith({badType}), -EINVAL) << "unknown handle type";
   drm_panthor_sync_op badFlag = signalOf(binary);
   badFlag.flags |= 0x100;
   EXPECT_EQ(bindWith({badFlag}), -EINVAL) << "unknown sync flag";
   EXPECT_EQ(bindAsync(*file, vm, {mapOp(bo, 0, kVa, 0)}), -EINVAL) << "empty async map";
   EXPECT_EQ(file->lookupVm(vm)->counters().bindJobsRun, 0u);

   // SYNC_ONLY with a signal: completes after the jobs queued before it.
   const std::vector<drm_panthor_sync_op> s = {signalOf(timeline, 1)};
   drm_panthor_vm_bind_op syncOnly{};
   syncOnly.flags = kOpSyncOnly;
   ASSERT_EQ(bindAsync(*file, vm, {mapOp(bo, 0, kVa, kPage), withSyncs(syncOnly, s)}), 0);
   ASSERT_EQ(timelineWait(*file, timeline, 1), 0);
   EXPECT_TRUE(mapped(kVa));
}

TEST_F(AsyncBindTest, DestroyingAVmCancelsJobsThatCannotRun)
{
   ManualFence never(*file);
   const uint32_t done = newSyncobj(*file);
   const std::vector<drm_panthor_sync_op> syncs = {waitOn(never.handle), signalOf(done)};
   ASSERT_EQ(bindAsync(*file, vm, {withSyncs(mapOp(bo, 0, kVa, kPage), syncs)}), 0);
   ASSERT_EQ(destroyVm(*file, vm), 0);
   ASSERT_EQ(timelineWait(*file, done, 0), 0);
   EXPECT_EQ(fenceOf(done)->error(), -ECANCELED);
}

TEST_F(AsyncBindTest, AJobWhoseWaitFailedDoesNotRun)
{
   ManualFence failed(*file);
   const uint32_t done = newSyncobj(*file);
   const std::vector<drm_panthor_sync_op> syncs = {waitOn(failed.handle), signalOf(done)};
   ASSERT_EQ(bindAsync(*file, vm, {withSyncs(mapOp(bo, 0, kVa, kPage), syncs)}), 0);
   failed.fence->signal(-EIO);
   ASSERT_EQ(timelineWait(*file, done, 0), 0);
   EXPECT_EQ(fenceOf(done)->error(), -EIO);
   EXPECT_FALSE(mapped(kVa));
}

TEST(AsyncBindInjectionTest, TheChosenJobFailsWhenItRunsAndTheVmBecomesUnusable)
{
   auto device = Device::create({.minorVersion = 10, .memoryBytes = 64 * kMiB, .injectBindJobFailureAt = 2});
   ASSERT_TRUE(device);
   auto file = device->open();
   const uint32_t vm = newVm(*file);
   const uint32_t bo = newBo(*file, 64 * kKiB);
   // A binary syncobj per job: each fence carries its own job's error.
   const uint32_t done[3] = {newSyncobj(*file), newSyncobj(*file), newSyncobj(*file)};
   const std::vector<drm_panthor_sync_op> first = {signalOf(done[0])}, second = {signalOf(done[1])},
                                          third = {signalOf(done[2])};
   ASSERT_EQ(bindAsync(*file, vm,
                       {withSyncs(mapOp(bo, 0, kVa, kPage), first), withSyncs(mapOp(bo, 0, 2 * kVa, kPage), second),
                        withSyncs(mapOp(bo, 0, 3 * kVa, kPage), third)}),
             0)
      << "the injected failure comes when the job runs, not at the ioctl";
   ASSERT_EQ(timelineWait(*file, done[2], 0), 0);
   auto error = [&](int job) { return file->syncobjs().lookup(done[job])->fenceFor(0)->error(); };
   EXPECT_EQ(error(0), 0);
   EXPECT_EQ(error(1), -ENOMEM);
   EXPECT_EQ(error(2), -EINVAL) << "a job on an unusable VM fails untouched";
   EXPECT_TRUE(translate(*file, vm, kVa).has_value());
   EXPECT_FALSE(translate(*file, vm, 2 * kVa).has_value());
   EXPECT_FALSE(translate(*file, vm, 3 * kVa).has_value());
   drm_panthor_vm_get_state state{};
   state.vm_id = vm;
   ASSERT_EQ(file->ioctl(DRM_IOCTL_PANTHOR_VM_GET_STATE, &state), 0);
   EXPECT_EQ(state.state, uint32_t(DRM_PANTHOR_VM_STATE_UNUSABLE));
}

TEST(AsyncBindInjectionTest, TheEnvironmentChoosesTheJob)
{
   setenv("PANTHOR_MOCK_INJECT_BIND_JOB_FAILURE", "3", 1);
   EXPECT_EQ(DeviceOptions::fromEnvironment().injectBindJobFailureAt, 3u);
   unsetenv("PANTHOR_MOCK_INJECT_BIND_JOB_FAILURE");
   EXPECT_EQ(DeviceOptions::fromEnvironment().injectBindJobFailureAt, 0u);
}

} // namespace
} // namespace pan::mock
