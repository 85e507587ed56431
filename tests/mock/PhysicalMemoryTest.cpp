#include "mock/PhysicalMemory.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <thread>
#include <vector>

namespace pan::mock {
namespace {

constexpr uint64_t kMiB = 1024 * 1024;

bool allZero(const uint8_t *bytes, uint64_t size)
{
   return std::all_of(bytes, bytes + size, [](uint8_t b) { return b == 0; });
}

TEST(PhysicalMemoryTest, BudgetRoundsUpToTwoMiB)
{
   PhysicalMemory memory(3 * kMiB);
   ASSERT_TRUE(memory.valid());
   EXPECT_EQ(memory.budgetBytes(), 4 * kMiB);
   EXPECT_EQ(memory.freeBytes(), 4 * kMiB);
   EXPECT_GE(memory.memfd(), 0);
   EXPECT_EQ(lseek(memory.memfd(), 0, SEEK_END), static_cast<off_t>(4 * kMiB));
}

TEST(PhysicalMemoryTest, ZeroBudgetIsInvalidAndRefusesEverything)
{
   PhysicalMemory memory(0);
   EXPECT_FALSE(memory.valid());
   EXPECT_FALSE(memory.allocate(0, AllocSite::BoPages));
   memory.free(0x1000, 0, AllocSite::BoPages);
   EXPECT_EQ(memory.freeBytes(), 0u);
}

TEST(PhysicalMemoryTest, EveryOrderIsAlignedToItsSize)
{
   PhysicalMemory memory(8 * kMiB);
   ASSERT_TRUE(memory.valid());
   std::vector<std::pair<uint64_t, unsigned>> blocks;
   for (unsigned order = 0; order <= PhysicalMemory::kMaxOrder; order++) {
      const auto phys = memory.allocate(order, AllocSite::BoPages);
      ASSERT_TRUE(phys) << "order " << order;
      const uint64_t bytes = PhysicalMemory::kPageSize << order;
      EXPECT_EQ(*phys % bytes, 0u) << "order " << order;
      EXPECT_EQ(memory.memfdOffset(*phys) % bytes, 0u);
      EXPECT_TRUE(memory.contains(*phys));
      EXPECT_TRUE(memory.contains(*phys + bytes - 1));
      blocks.emplace_back(*phys, order);
   }
   for (auto [phys, order] : blocks)
      memory.free(phys, order, AllocSite::BoPages, false);
   EXPECT_EQ(memory.freeBytes(), memory.budgetBytes());
}

TEST(PhysicalMemoryTest, FreedPagesMergeBackIntoOneBlock)
{
   PhysicalMemory memory(2 * kMiB);
   ASSERT_TRUE(memory.valid());
   std::vector<uint64_t> pages;
   for (int i = 0; i < 512; i++) {
      const auto phys = memory.allocate(0, AllocSite::BoPages);
      ASSERT_TRUE(phys);
      pages.push_back(*phys);
   }
   EXPECT_EQ(memory.freeBytes(), 0u);
   EXPECT_FALSE(memory.allocate(0, AllocSite::BoPages));

   std::shuffle(pages.begin(), pages.end(), std::mt19937_64(7));
   for (uint64_t phys : pages)
      memory.free(phys, 0, AllocSite::BoPages, false);
   EXPECT_EQ(memory.freeBytes(), memory.budgetBytes());
   const auto block = memory.allocate(PhysicalMemory::kMaxOrder, AllocSite::BoPages);
   ASSERT_TRUE(block);
   EXPECT_EQ(memory.memfdOffset(*block), 0u);
}

TEST(PhysicalMemoryTest, ExhaustionFailsUntilSomethingIsFreed)
{
   PhysicalMemory memory(4 * kMiB);
   const auto first = memory.allocate(9, AllocSite::BoPages);
   const auto second = memory.allocate(9, AllocSite::BoPages);
   ASSERT_TRUE(first && second);
   EXPECT_NE(*first, *second);
   EXPECT_FALSE(memory.allocate(0, AllocSite::BoPages));
   EXPECT_FALSE(memory.allocate(9, AllocSite::BoPages));
   EXPECT_EQ(memory.counters(AllocSite::BoPages).failures, 2u);

   memory.free(*second, 9, AllocSite::BoPages);
   const auto again = memory.allocate(9, AllocSite::BoPages);
   ASSERT_TRUE(again);
   EXPECT_EQ(*again, *second);
}

TEST(PhysicalMemoryTest, AllocationTakesTheLowestAddress)
{
   PhysicalMemory memory(4 * kMiB);
   const auto a = memory.allocate(0, AllocSite::BoPages);
   const auto b = memory.allocate(0, AllocSite::BoPages);
   const auto c = memory.allocate(1, AllocSite::BoPages);
   ASSERT_TRUE(a && b && c);
   EXPECT_EQ(memory.memfdOffset(*a), 0u);
   EXPECT_EQ(memory.memfdOffset(*b), 4096u);
   EXPECT_EQ(memory.memfdOffset(*c), 8192u);
}

TEST(PhysicalMemoryTest, DirtyFreeZeroesSmallAndLargeBlocks)
{
   PhysicalMemory memory(8 * kMiB);
   for (unsigned order : {0u, 3u, 4u, 9u}) {
      const uint64_t bytes = PhysicalMemory::kPageSize << order;
      const auto phys = memory.allocate(order, AllocSite::BoPages);
      ASSERT_TRUE(phys);
      EXPECT_TRUE(allZero(memory.hostPointer(*phys), bytes)) << "fresh, order " << order;
      std::memset(memory.hostPointer(*phys), 0xa5, bytes);
      memory.free(*phys, order, AllocSite::BoPages, true);

      const auto reused = memory.allocate(order, AllocSite::BoPages);
      ASSERT_TRUE(reused);
      ASSERT_EQ(*reused, *phys); // lowest address first: the very same pages
      EXPECT_TRUE(allZero(memory.hostPointer(*reused), bytes)) << "reused, order " << order;
      memory.free(*reused, order, AllocSite::BoPages, false);
   }
}

TEST(PhysicalMemoryTest, DirtyPagesInsideALargerBlockAreZeroedAfterMerge)
{
   PhysicalMemory memory(2 * kMiB);
   const auto page = memory.allocate(0, AllocSite::BoPages);
   ASSERT_TRUE(page);
   std::memset(memory.hostPointer(*page), 0x5a, PhysicalMemory::kPageSize);
   memory.free(*page, 0, AllocSite::BoPages, true);
   const auto block = memory.allocate(9, AllocSite::BoPages);
   ASSERT_TRUE(block);
   EXPECT_TRUE(allZero(memory.hostPointer(*block), PhysicalMemory::kBlockSize));
}

TEST(PhysicalMemoryTest, LargeDirtyFreeGivesThePagesBackToTheHost)
{
   PhysicalMemory memory(4 * kMiB);
   const auto block = memory.allocate(9, AllocSite::BoPages);
   ASSERT_TRUE(block);
   std::memset(memory.hostPointer(*block), 1, PhysicalMemory::kBlockSize);
   struct stat before {};
   ASSERT_EQ(fstat(memory.memfd(), &before), 0);
   EXPECT_GE(static_cast<uint64_t>(before.st_blocks) * 512, PhysicalMemory::kBlockSize);

   memory.free(*block, 9, AllocSite::BoPages, true);
   struct stat after {};
   ASSERT_EQ(fstat(memory.memfd(), &after), 0);
   EXPECT_EQ(static_cast<uint64_t>(before.st_blocks - after.st_blocks) * 512,
             PhysicalMemory::kBlockSize);
}

TEST(PhysicalMemoryTest, MemfdSeesTheDirectMapBytes)
{
   PhysicalMemory memory(4 * kMiB);
   const auto phys = memory.allocate(2, AllocSite::BoPages);
   ASSERT_TRUE(phys);
   uint8_t *direct = memory.hostPointer(*phys);
   for (int i = 0; i < 16384; i++)
      direct[i] = static_cast<uint8_t>(i * 7 + 3);

   std::vector<uint8_t> viaFd(16384);
   ASSERT_EQ(pread(memory.memfd(), viaFd.data(), viaFd.size(),
                   static_cast<off_t>(memory.memfdOffset(*phys))),
             16384);
   EXPECT_EQ(std::memcmp(viaFd.data(), direct, viaFd.size()), 0);

   const char message[] = "written through the memfd";
   ASSERT_EQ(pwrite(memory.memfd(), message, sizeof(message),
                    static_cast<off_t>(memory.memfdOffset(*phys) + 100)),
             static_cast<ssize_t>(sizeof(message)));
   EXPECT_EQ(std::memcmp(direct + 100, message, sizeof(message)), 0);
}

TEST(PhysicalMemoryTest, FailNthFailsExactlyThatAllocationOnThatSite)
{
   PhysicalMemory memory(4 * kMiB);
   memory.failNth(AllocSite::BoPages, 3);
   EXPECT_TRUE(memory.allocate(0, AllocSite::BoPages));
   EXPECT_TRUE(memory.allocate(0, AllocSite::PageTablePages)); // another site: not counted
   EXPECT_TRUE(memory.allocate(0, AllocSite::BoPages));
   EXPECT_FALSE(memory.allocate(0, AllocSite::BoPages));
   EXPECT_TRUE(memory.allocate(0, AllocSite::BoPages)); // only once
   EXPECT_TRUE(memory.allocate(0, AllocSite::BoPages));

   const AllocSiteCounters counters = memory.counters(AllocSite::BoPages);
   EXPECT_EQ(counters.allocations, 4u);
   EXPECT_EQ(counters.failures, 1u);
   EXPECT_EQ(counters.pagesInUse, 4u);
   EXPECT_EQ(memory.counters(AllocSite::PageTablePages).failures, 0u);
}

TEST(PhysicalMemoryTest, FailNthOneFailsTheNextAndClearFailuresCancels)
{
   PhysicalMemory memory(4 * kMiB);
   memory.failNth(AllocSite::FaultPages, 1);
   EXPECT_FALSE(memory.allocate(0, AllocSite::FaultPages));
   memory.failNth(AllocSite::FaultPages, 2);
   memory.clearFailures();
   EXPECT_TRUE(memory.allocate(0, AllocSite::FaultPages));
   EXPECT_TRUE(memory.allocate(0, AllocSite::FaultPages));
}

std::vector<bool> failurePattern(PhysicalMemory &memory, double p, uint64_t seed, int count)
{
   memory.failWithProbability(AllocSite::BoPages, p, seed);
   std::vector<bool> failed;
   for (int i = 0; i < count; i++) {
      const auto phys = memory.allocate(0, AllocSite::BoPages);
      failed.push_back(!phys);
      if (phys)
         memory.free(*phys, 0, AllocSite::BoPages, false);
   }
   memory.clearFailures();
   return failed;
}

TEST(PhysicalMemoryTest, ProbabilisticFailureIsReproducibleForASeed)
{
   PhysicalMemory memory(2 * kMiB);
   const std::vector<bool> first = failurePattern(memory, 0.25, 42, 400);
   const std::vector<bool> second = failurePattern(memory, 0.25, 42, 400);
   const std::vector<bool> otherSeed = failurePattern(memory, 0.25, 43, 400);
   EXPECT_EQ(first, second);
   EXPECT_NE(first, otherSeed);
   const auto failures = std::count(first.begin(), first.end(), true);
   EXPECT_GT(failures, 60);
   EXPECT_LT(failures, 140);

   const std::vector<bool> never = failurePattern(memory, 0.0, 1, 50);
   const std::vector<bool> always = failurePattern(memory, 1.0, 1, 50);
   EXPECT_EQ(std::count(never.begin(), never.end(), true), 0);
   EXPECT_EQ(std::count(always.begin(), always.end(), true), 50);
   EXPECT_EQ(memory.counters(AllocSite::BoPages).failures,
             static_cast<uint64_t>(std::count(first.begin(), first.end(), true) * 2 +
                                   std::count(otherSeed.begin(), otherSeed.end(), true) + 50));
   EXPECT_TRUE(memory.allocate(0, AllocSite::BoPages)); // cleared
}

TEST(PhysicalMemoryTest, CountersTrackPagesPerSite)
{
   PhysicalMemory memory(8 * kMiB);
   const auto bo = memory.allocate(4, AllocSite::BoPages);
   const auto table = memory.allocate(0, AllocSite::PageTablePages);
   const auto fault = memory.allocate(9, AllocSite::FaultPages);
   ASSERT_TRUE(bo && table && fault);
   EXPECT_EQ(memory.counters(AllocSite::BoPages).pagesInUse, 16u);
   EXPECT_EQ(memory.counters(AllocSite::PageTablePages).pagesInUse, 1u);
   EXPECT_EQ(memory.counters(AllocSite::FaultPages).pagesInUse, 512u);
   EXPECT_EQ(memory.freeBytes(), 8 * kMiB - (16 + 1 + 512) * PhysicalMemory::kPageSize);

   memory.free(*bo, 4, AllocSite::BoPages);
   memory.free(*fault, 9, AllocSite::FaultPages);
   EXPECT_EQ(memory.counters(AllocSite::BoPages).pagesInUse, 0u);
   EXPECT_EQ(memory.counters(AllocSite::BoPages).allocations, 1u);
   EXPECT_EQ(memory.counters(AllocSite::FaultPages).pagesInUse, 0u);
   EXPECT_EQ(memory.counters(AllocSite::PageTablePages).pagesInUse, 1u);
   EXPECT_EQ(memory.counters(AllocSite::Count).allocations, 0u);
}

TEST(PhysicalMemoryTest, BadFreesAreIgnored)
{
   PhysicalMemory memory(4 * kMiB);
   const auto block = memory.allocate(2, AllocSite::BoPages);
   ASSERT_TRUE(block);
   const uint64_t freeBefore = memory.freeBytes();

   memory.free(*block + 4096, 2, AllocSite::BoPages);          // misaligned for its order
   memory.free(*block, 10, AllocSite::BoPages);                // no such order
   memory.free(0x1000, 0, AllocSite::BoPages);                 // not in the arena
   memory.free(*block + 4 * kMiB, 0, AllocSite::BoPages);      // past the end
   memory.free(*block + 16384, 0, AllocSite::BoPages);         // a free page
   memory.free(*block, 9, AllocSite::BoPages);                 // overlaps free pages
   memory.free(*block, 2, AllocSite::Count);                   // no such site
   EXPECT_EQ(memory.freeBytes(), freeBefore);
   EXPECT_FALSE(memory.allocate(PhysicalMemory::kMaxOrder + 1, AllocSite::BoPages));

   memory.free(*block, 2, AllocSite::BoPages);
   memory.free(*block, 2, AllocSite::BoPages); // double free
   EXPECT_EQ(memory.freeBytes(), memory.budgetBytes());
   const auto whole = memory.allocate(9, AllocSite::BoPages);
   const auto other = memory.allocate(9, AllocSite::BoPages);
   EXPECT_TRUE(whole && other);
   EXPECT_FALSE(memory.allocate(0, AllocSite::BoPages));
}

TEST(PhysicalMemoryTest, ConcurrentAllocationsNeverOverlap)
{
   PhysicalMemory memory(32 * kMiB);
   constexpr int kThreads = 8;
   std::vector<std::thread> threads;
   std::vector<int> errors(kThreads, 0);
   for (int t = 0; t < kThreads; t++) {
      threads.emplace_back([&memory, &errors, t] {
         std::mt19937 rng(t);
         std::vector<std::pair<uint64_t, unsigned>> held;
         const uint8_t tag = static_cast<uint8_t>(t + 1);
         for (int i = 0; i < 3000; i++) {
            if (held.size() < 8 && rng() % 3) {
               const unsigned order = rng() % 6;
               const auto phys = memory.allocate(order, AllocSite::BoPages);
               if (!phys)
                  continue;
               const uint64_t bytes = PhysicalMemory::kPageSize << order;
               if (!allZero(memory.hostPointer(*phys), bytes))
                  errors[t]++;
               std::memset(memory.hostPointer(*phys), tag, bytes);
               held.emplace_back(*phys, order);
            } else if (!held.empty()) {
               const size_t pick = rng() % held.size();
               auto [phys, order] = held[pick];
               const uint64_t bytes = PhysicalMemory::kPageSize << order;
               const uint8_t *data = memory.hostPointer(phys);
               if (!std::all_of(data, data + bytes, [tag](uint8_t b) { return b == tag; }))
                  errors[t]++;
               memory.free(phys, order, AllocSite::BoPages, true);
               held.erase(held.begin() + pick);
            }
         }
         for (auto [phys, order] : held)
            memory.free(phys, order, AllocSite::BoPages, true);
      });
   }
   for (std::thread &thread : threads)
      thread.join();
   for (int t = 0; t < kThreads; t++)
      EXPECT_EQ(errors[t], 0) << "thread " << t;
   EXPECT_EQ(memory.freeBytes(), memory.budgetBytes());
   EXPECT_EQ(memory.counters(AllocSite::BoPages).pagesInUse, 0u);
   for (int i = 0; i < 16; i++)
      EXPECT_TRUE(memory.allocate(9, AllocSite::BoPages));
}

} // namespace
} // namespace pan::mock
