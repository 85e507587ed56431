// Timeline syncobj ioctls (timeline wait, timeline signal, query) and
// transfer, through SyncobjTable.
#include <cerrno>
#include <thread>
#include <vector>

#include "SyncobjTableFixture.h"

using namespace pan::mock;
using namespace pan::mock::test;

// ---- timelines --------------------------------------------------------------

TEST_F(SyncobjTableTest, TimelinePointsSignalledOutOfOrder)
{
   uint32_t handle = create();
   auto one = attachPending(handle, 1);
   auto two = attachPending(handle, 2);
   auto three = attachPending(handle, 3);
   EXPECT_EQ(query(handle), 0u);
   EXPECT_EQ(query(handle, DRM_SYNCOBJ_QUERY_FLAGS_LAST_SUBMITTED), 3u);
   two->signal();
   three->signal();
   EXPECT_EQ(query(handle), 0u);
   EXPECT_EQ(timelineWait({handle}, {2}, 0, 0), -ETIME);
   one->signal();
   EXPECT_EQ(query(handle), 3u);
   EXPECT_EQ(timelineWait({handle}, {2}, 0, 0), 0);
   EXPECT_EQ(timelineWait({handle}, {3}, 0, 0), 0);
}

TEST_F(SyncobjTableTest, TimelineWaitOnSeveralPoints)
{
   uint32_t a = create();
   uint32_t b = create();
   auto a5 = attachPending(a, 5);
   auto b2 = attachPending(b, 2);
   a5->signal();
   uint32_t first = 0;
   EXPECT_EQ(timelineWait({a, b}, {5, 2}, 0, 0, &first), 0);
   EXPECT_EQ(first, 0u);
   EXPECT_EQ(timelineWait({a, b}, {5, 2}, DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL, 0), -ETIME);
   std::thread signaller([&] {
      sleepMs(20);
      b2->signal();
   });
   EXPECT_EQ(timelineWait({a, b}, {5, 2}, DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL, inMs(5000)), 0);
   signaller.join();
}

TEST_F(SyncobjTableTest, TimelineWaitOnAPointNotSubmitted)
{
   uint32_t handle = create();
   attachPending(handle, 3);
   EXPECT_EQ(timelineWait({handle}, {5}, 0, inMs(1000)), -EINVAL);
   // Submitted (not signalled) is enough with WAIT_AVAILABLE.
   EXPECT_EQ(timelineWait({handle}, {3}, DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE, 0), 0);
   EXPECT_EQ(timelineWait({handle}, {3}, 0, 0), -ETIME);

   std::thread submitter([&] {
      sleepMs(20);
      table.lookup(handle)->attach(5, Fence::create());
   });
   const uint32_t availableFlags =
      DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE | DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT;
   EXPECT_EQ(timelineWait({handle}, {5}, availableFlags, inMs(5000)), 0);
   submitter.join();
   EXPECT_FALSE(table.lookup(handle)->fenceFor(5)->signaled());
}

TEST_F(SyncobjTableTest, BinarySyncobjAtANonZeroPointIsNotSubmitted)
{
   uint32_t handle = create(DRM_SYNCOBJ_CREATE_SIGNALED);
   EXPECT_EQ(timelineWait({handle}, {0}, 0, 0), 0);
   EXPECT_EQ(timelineWait({handle}, {1}, 0, 0), -EINVAL);
   EXPECT_EQ(query(handle), 0u);
}

TEST_F(SyncobjTableTest, TimelineSignalAndQuery)
{
   uint32_t a = create();
   uint32_t b = create();
   std::vector<uint32_t> handles{a, b};
   std::vector<uint64_t> points{4, 9};
   drm_syncobj_timeline_array args{};
   args.handles = userPtr(handles.data());
   args.points = userPtr(points.data());
   args.count_handles = 2;
   EXPECT_EQ(table.timelineSignal(args), 0);
   EXPECT_EQ(query(a), 4u);
   EXPECT_EQ(query(b), 9u);
   EXPECT_EQ(timelineWait({a, b}, {4, 9}, DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL, 0), 0);

   std::vector<uint64_t> out(2, 0);
   args.points = userPtr(out.data());
   EXPECT_EQ(table.query(args), 0);
   EXPECT_EQ(out, (std::vector<uint64_t>{4, 9}));
}

TEST_F(SyncobjTableTest, TimelineSignalWithNullPointsUsesPointZero)
{
   uint32_t handle = create();
   drm_syncobj_timeline_array args{};
   args.handles = userPtr(&handle);
   args.count_handles = 1;
   EXPECT_EQ(table.timelineSignal(args), 0);
   EXPECT_EQ(wait({handle}, 0, 0), 0);
}

TEST_F(SyncobjTableTest, TimelineArrayErrors)
{
   uint32_t handle = create();
   uint64_t point = 1;
   drm_syncobj_timeline_array args{};
   args.handles = userPtr(&handle);
   args.points = userPtr(&point);
   args.count_handles = 1;
   args.flags = 1;
   EXPECT_EQ(table.timelineSignal(args), -EINVAL);
   args.flags = 2;
   EXPECT_EQ(table.query(args), -EINVAL);
   args.flags = 0;
   args.count_handles = 0;
   EXPECT_EQ(table.timelineSignal(args), -EINVAL);
   EXPECT_EQ(table.query(args), -EINVAL);
   args.count_handles = 1;
   args.points = 0;
   EXPECT_EQ(table.query(args), -EFAULT); // nowhere to write
   uint32_t unknown = 42;
   args.handles = userPtr(&unknown);
   args.points = userPtr(&point);
   EXPECT_EQ(table.timelineSignal(args), -ENOENT);
   EXPECT_EQ(table.query(args), -ENOENT);
   EXPECT_EQ(timelineWait({handle}, {1}, 1u << 5, 0), -EINVAL);
}

// ---- transfer ---------------------------------------------------------------

TEST_F(SyncobjTableTest, TransferBinaryToTimelinePoint)
{
   uint32_t binary = create();
   uint32_t timeline = create();
   auto fence = attachPending(binary);
   drm_syncobj_transfer args{};
   args.src_handle = binary;
   args.dst_handle = timeline;
   args.dst_point = 7;
   EXPECT_EQ(table.transfer(args), 0);
   EXPECT_EQ(query(timeline, DRM_SYNCOBJ_QUERY_FLAGS_LAST_SUBMITTED), 7u);
   EXPECT_EQ(query(timeline), 0u);
   EXPECT_EQ(table.lookup(timeline)->fenceFor(7), fence);
   fence->signal();
   EXPECT_EQ(query(timeline), 7u);
   EXPECT_EQ(timelineWait({timeline}, {7}, 0, 0), 0);
}

TEST_F(SyncobjTableTest, TransferTimelinePointToBinary)
{
   uint32_t timeline = create();
   uint32_t binary = create(DRM_SYNCOBJ_CREATE_SIGNALED);
   auto fence = attachPending(timeline, 3);
   drm_syncobj_transfer args{};
   args.src_handle = timeline;
   args.src_point = 3;
   args.dst_handle = binary;
   EXPECT_EQ(table.transfer(args), 0);
   EXPECT_EQ(table.lookup(binary)->fenceFor(0), fence);
   EXPECT_EQ(wait({binary}, 0, 0), -ETIME);
   fence->signal();
   EXPECT_EQ(wait({binary}, 0, 0), 0);
}

TEST_F(SyncobjTableTest, TransferErrors)
{
   uint32_t source = create();
   uint32_t destination = create();
   drm_syncobj_transfer args{};
   args.src_handle = source;
   args.dst_handle = destination;
   args.pad = 1;
   EXPECT_EQ(table.transfer(args), -EINVAL);
   args.pad = 0;
   args.flags = DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL;
   EXPECT_EQ(table.transfer(args), -EINVAL);
   args.flags = 0;
   EXPECT_EQ(table.transfer(args), -EINVAL); // nothing submitted on the source
   args.src_handle = 50;
   EXPECT_EQ(table.transfer(args), -ENOENT);
   args.src_handle = source;
   args.dst_handle = 51;
   EXPECT_EQ(table.transfer(args), -ENOENT);
}

TEST_F(SyncobjTableTest, TransferWaitForSubmit)
{
   uint32_t source = create();
   uint32_t destination = create();
   auto fence = Fence::create();
   std::thread submitter([&] {
      sleepMs(20);
      table.lookup(source)->attach(2, fence);
   });
   drm_syncobj_transfer args{};
   args.src_handle = source;
   args.src_point = 2;
   args.dst_handle = destination;
   args.dst_point = 1;
   args.flags = DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT;
   EXPECT_EQ(table.transfer(args), 0);
   submitter.join();
   EXPECT_EQ(table.lookup(destination)->fenceFor(1), fence);
}
