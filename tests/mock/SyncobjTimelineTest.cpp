// Syncobj payload semantics, below the ioctls: binary vs timeline, which
// fence covers a point, queries, and submit listeners.
#include <gtest/gtest.h>

#include <cerrno>

#include "mock/Syncobj.h"

using namespace pan::mock;

TEST(Syncobj, EmptyHasNoFence)
{
   auto syncobj = Syncobj::create();
   EXPECT_EQ(syncobj->fenceFor(0), nullptr);
   EXPECT_EQ(syncobj->fenceFor(1), nullptr);
   EXPECT_FALSE(syncobj->isTimeline());
   EXPECT_EQ(syncobj->queryPoint(false), 0u);
}

TEST(Syncobj, CreatedSignalled)
{
   auto syncobj = Syncobj::create(true);
   ASSERT_NE(syncobj->fenceFor(0), nullptr);
   EXPECT_TRUE(syncobj->fenceFor(0)->signaled());
}

TEST(Syncobj, BinaryHoldsOneFenceAndHasNoPoints)
{
   auto syncobj = Syncobj::create();
   auto fence = Fence::create();
   syncobj->attach(0, fence);
   EXPECT_EQ(syncobj->fenceFor(0), fence);
   // A plain fence is not a chain: any non-zero point is "not submitted".
   EXPECT_EQ(syncobj->fenceFor(1), nullptr);
   auto other = Fence::create();
   syncobj->attach(0, other);
   EXPECT_EQ(syncobj->fenceFor(0), other);
   syncobj->reset();
   EXPECT_EQ(syncobj->fenceFor(0), nullptr);
}

TEST(Syncobj, TimelinePointIsCoveredByTheNextSubmittedPoint)
{
   auto syncobj = Syncobj::create();
   auto two = Fence::create();
   auto four = Fence::create();
   syncobj->attach(2, two);
   syncobj->attach(4, four);
   EXPECT_TRUE(syncobj->isTimeline());
   EXPECT_EQ(syncobj->fenceFor(5), nullptr);
   auto forOne = syncobj->fenceFor(1);
   auto forThree = syncobj->fenceFor(3);
   auto forFour = syncobj->fenceFor(4);
   EXPECT_EQ(forOne, two);
   four->signal();
   // Point 3 is only reached once everything up to 4 is: 2 is still pending.
   EXPECT_FALSE(forThree->signaled());
   EXPECT_FALSE(forFour->signaled());
   two->signal();
   EXPECT_TRUE(forThree->signaled());
   EXPECT_TRUE(forFour->signaled());
}

TEST(Syncobj, PointZeroOfATimelineIsEverything)
{
   auto syncobj = Syncobj::create();
   auto one = Fence::create();
   auto two = Fence::create();
   syncobj->attach(1, one);
   syncobj->attach(2, two);
   auto all = syncobj->fenceFor(0);
   two->signal();
   EXPECT_FALSE(all->signaled());
   one->signal();
   EXPECT_TRUE(all->signaled());
}

TEST(Syncobj, QueryReportsTheLastPointReachedInOrder)
{
   auto syncobj = Syncobj::create();
   auto one = Fence::create();
   auto two = Fence::create();
   auto three = Fence::create();
   syncobj->attach(1, one);
   syncobj->attach(2, two);
   syncobj->attach(3, three);
   EXPECT_EQ(syncobj->queryPoint(false), 0u);
   EXPECT_EQ(syncobj->queryPoint(true), 3u);
   three->signal();
   EXPECT_EQ(syncobj->queryPoint(false), 0u);
   one->signal();
   EXPECT_EQ(syncobj->queryPoint(false), 1u);
   two->signal();
   EXPECT_EQ(syncobj->queryPoint(false), 3u);
}

TEST(Syncobj, QuerySurvivesDroppedSignalledLinks)
{
   auto syncobj = Syncobj::create();
   for (uint64_t point = 1; point <= 100; point++)
      syncobj->attach(point, nullptr); // null = already signalled
   auto pending = Fence::create();
   syncobj->attach(101, pending);
   syncobj->attach(102, nullptr);
   EXPECT_EQ(syncobj->queryPoint(false), 100u);
   EXPECT_TRUE(syncobj->fenceFor(50)->signaled());
   EXPECT_FALSE(syncobj->fenceFor(102)->signaled());
   pending->signal();
   EXPECT_EQ(syncobj->queryPoint(false), 102u);
}

TEST(Syncobj, OutOfOrderPointIsAcceptedAndNeverGoesBackwards)
{
   auto syncobj = Syncobj::create();
   auto five = Fence::create();
   auto three = Fence::create();
   syncobj->attach(5, five);
   syncobj->attach(3, three);
   EXPECT_EQ(syncobj->queryPoint(true), 5u);
   // The late link took value 5: waiting for 5 now waits for both.
   auto forFive = syncobj->fenceFor(5);
   five->signal();
   EXPECT_FALSE(forFive->signaled());
   EXPECT_EQ(syncobj->queryPoint(false), 0u);
   three->signal();
   EXPECT_TRUE(forFive->signaled());
   EXPECT_EQ(syncobj->queryPoint(false), 5u);
   // In-order points continue from there.
   syncobj->attach(6, nullptr);
   EXPECT_EQ(syncobj->queryPoint(false), 6u);
}

TEST(Syncobj, TimelinePointOnTopOfABinaryFenceWaitsForIt)
{
   auto syncobj = Syncobj::create();
   auto binary = Fence::create();
   syncobj->attach(0, binary);
   syncobj->addPoint(0, nullptr); // what TIMELINE_SIGNAL of point 0 does
   EXPECT_TRUE(syncobj->isTimeline());
   EXPECT_FALSE(syncobj->fenceFor(0)->signaled());
   binary->signal();
   EXPECT_TRUE(syncobj->fenceFor(0)->signaled());
}

TEST(Syncobj, ReplaceTurnsATimelineBackIntoABinary)
{
   auto syncobj = Syncobj::create();
   syncobj->attach(4, Fence::create());
   auto fence = Fence::create();
   syncobj->attach(0, fence);
   EXPECT_FALSE(syncobj->isTimeline());
   EXPECT_EQ(syncobj->fenceFor(0), fence);
   EXPECT_EQ(syncobj->fenceFor(4), nullptr);
}

TEST(Syncobj, PointFenceCarriesTheFirstErrorBelowIt)
{
   auto syncobj = Syncobj::create();
   auto one = Fence::create();
   auto two = Fence::create();
   syncobj->attach(1, one);
   syncobj->attach(2, two);
   auto forTwo = syncobj->fenceFor(2);
   one->signal(-EIO);
   two->signal();
   EXPECT_TRUE(forTwo->signaled());
   EXPECT_EQ(forTwo->error(), -EIO);
   // Failed links are kept when later points are added.
   syncobj->attach(3, nullptr);
   EXPECT_EQ(syncobj->fenceFor(3)->error(), -EIO);
}

TEST(Syncobj, SubmitListenerRunsAtOnceWhenAlreadySubmitted)
{
   auto syncobj = Syncobj::create();
   auto fence = Fence::create();
   syncobj->attach(3, fence);
   std::shared_ptr<Fence> seen;
   EXPECT_EQ(syncobj->whenSubmitted(2, [&](const std::shared_ptr<Fence> &f) { seen = f; }), 0u);
   EXPECT_EQ(seen, fence);
}

TEST(Syncobj, SubmitListenerRunsWhenThePointArrives)
{
   auto syncobj = Syncobj::create();
   int runs = 0;
   std::shared_ptr<Fence> seen;
   auto id = syncobj->whenSubmitted(5, [&](const std::shared_ptr<Fence> &f) {
      runs++;
      seen = f;
   });
   EXPECT_NE(id, 0u);
   auto four = Fence::create();
   syncobj->attach(4, four);
   EXPECT_EQ(runs, 0);
   auto six = Fence::create();
   syncobj->attach(6, six);
   EXPECT_EQ(runs, 1);
   // Point 5 is covered by 6, and reached only when 4 is too.
   ASSERT_NE(seen, nullptr);
   six->signal();
   EXPECT_FALSE(seen->signaled());
   four->signal();
   EXPECT_TRUE(seen->signaled());
   syncobj->attach(7, Fence::create());
   EXPECT_EQ(runs, 1);
   EXPECT_FALSE(syncobj->cancelWhenSubmitted(id));
}

TEST(Syncobj, CancelledSubmitListenerNeverRuns)
{
   auto syncobj = Syncobj::create();
   int runs = 0;
   auto id = syncobj->whenSubmitted(0, [&](const std::shared_ptr<Fence> &) { runs++; });
   EXPECT_TRUE(syncobj->cancelWhenSubmitted(id));
   syncobj->attach(0, Fence::create());
   EXPECT_EQ(runs, 0);
}

TEST(Syncobj, SubmitListenerMayUseTheSyncobj)
{
   auto syncobj = Syncobj::create();
   bool sawFence = false;
   syncobj->whenSubmitted(0, [&](const std::shared_ptr<Fence> &) {
      sawFence = syncobj->fenceFor(0) != nullptr; // runs outside the syncobj's lock
   });
   syncobj->attach(0, Fence::create());
   EXPECT_TRUE(sawFence);
}
