#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <thread>
#include <vector>

#include "mock/Fence.h"
#include "mock/FenceEvent.h"

using namespace pan::mock;

TEST(Fence, SignalsOnceAndFirstErrorWins)
{
   auto fence = Fence::create();
   EXPECT_FALSE(fence->signaled());
   EXPECT_EQ(fence->error(), 0);
   fence->signal(-EIO);
   fence->signal(0);
   fence->signal(-ENOMEM);
   EXPECT_TRUE(fence->signaled());
   EXPECT_EQ(fence->error(), -EIO);
}

TEST(Fence, StubIsSignalledWithoutError)
{
   auto stub = Fence::signaledStub();
   EXPECT_TRUE(stub->signaled());
   EXPECT_EQ(stub->error(), 0);
   stub->signal(-EIO); // already signalled: ignored
   EXPECT_EQ(Fence::signaledStub()->error(), 0);
}

TEST(Fence, OnSignalRunsAtOnceWhenAlreadySignalled)
{
   auto fence = Fence::create();
   fence->signal();
   int runs = 0;
   fence->onSignal([&] { runs++; });
   EXPECT_EQ(runs, 1);
}

TEST(Fence, OnSignalRunsWhenSignalledAndOutsideTheLock)
{
   auto fence = Fence::create();
   int runs = 0;
   int seenError = 1;
   // The callback reads the fence: it would deadlock if run under its lock.
   fence->onSignal([&] {
      runs++;
      seenError = fence->error();
   });
   EXPECT_EQ(runs, 0);
   fence->signal(-EINVAL);
   EXPECT_EQ(runs, 1);
   EXPECT_EQ(seenError, -EINVAL);
   fence->signal();
   EXPECT_EQ(runs, 1);
}

TEST(Fence, OnSignalFromAnotherThread)
{
   auto fence = Fence::create();
   std::atomic<std::thread::id> ranOn{};
   fence->onSignal([&] { ranOn = std::this_thread::get_id(); });
   std::thread::id signaller;
   std::thread thread([&] {
      signaller = std::this_thread::get_id();
      fence->signal();
   });
   thread.join();
   EXPECT_EQ(ranOn.load(), signaller);
}

TEST(Fence, AllOfWithNothingPendingIsTheStub)
{
   EXPECT_EQ(Fence::allOf({}), Fence::signaledStub());
   auto done = Fence::create();
   done->signal();
   EXPECT_EQ(Fence::allOf({done, nullptr}), Fence::signaledStub());
}

TEST(Fence, AllOfOnePendingPartIsThatPart)
{
   auto done = Fence::create();
   done->signal();
   auto pending = Fence::create();
   EXPECT_EQ(Fence::allOf({done, pending}), pending);
}

TEST(Fence, AllOfSignalsWhenEveryPartHas)
{
   auto a = Fence::create();
   auto b = Fence::create();
   auto all = Fence::allOf({a, b});
   int runs = 0;
   all->onSignal([&] { runs++; });
   a->signal();
   EXPECT_FALSE(all->signaled());
   EXPECT_EQ(runs, 0);
   b->signal();
   EXPECT_TRUE(all->signaled());
   EXPECT_EQ(all->error(), 0);
   EXPECT_EQ(runs, 1);
}

TEST(Fence, AllOfReportsTheFirstErrorInOrder)
{
   auto a = Fence::create();
   auto b = Fence::create();
   auto c = Fence::create();
   auto all = Fence::allOf({a, b, c});
   c->signal(-ENOMEM);
   b->signal(-EIO);
   EXPECT_FALSE(all->signaled());
   a->signal();
   EXPECT_TRUE(all->signaled());
   EXPECT_EQ(all->error(), -EIO);
}

TEST(Fence, AllOfKeepsAnEarlierFailureThatIsAlreadySignalled)
{
   auto failed = Fence::create();
   failed->signal(-EIO);
   auto pending = Fence::create();
   auto all = Fence::allOf({failed, pending});
   EXPECT_FALSE(all->signaled());
   pending->signal(-ENOMEM);
   EXPECT_EQ(all->error(), -EIO);
}

TEST(Fence, AllOfFlattensNestedComposites)
{
   auto a = Fence::create();
   auto b = Fence::create();
   auto c = Fence::create();
   auto inner = Fence::allOf({a, b});
   auto outer = Fence::allOf({inner, c});
   a->signal();
   b->signal();
   EXPECT_FALSE(outer->signaled());
   c->signal();
   EXPECT_TRUE(outer->signaled());
}

TEST(Fence, SignalAdvancesTheFenceEvent)
{
   auto fence = Fence::create();
   uint64_t before = FenceEvent::generation();
   std::thread thread([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      fence->signal();
   });
   EXPECT_TRUE(FenceEvent::waitForChange(before, FenceEvent::Clock::now() + std::chrono::seconds(5)));
   thread.join();
   EXPECT_FALSE(FenceEvent::waitForChange(FenceEvent::generation(), FenceEvent::Clock::now()));
}

TEST(Fence, AllOfCompletesOnceWhenPartsSignalFromManyThreads)
{
   constexpr int kParts = 8;
   std::vector<std::shared_ptr<Fence>> parts;
   for (int i = 0; i < kParts; i++)
      parts.push_back(Fence::create());
   auto all = Fence::allOf(parts);
   std::atomic<int> runs{0};
   all->onSignal([&] { runs++; });
   std::vector<std::thread> threads;
   for (int i = 0; i < kParts; i++)
      threads.emplace_back([&, i] { parts[i]->signal(i == 5 ? -EIO : 0); });
   for (auto &thread : threads)
      thread.join();
   EXPECT_TRUE(all->signaled());
   EXPECT_EQ(all->error(), -EIO);
   EXPECT_EQ(runs.load(), 1);
}
