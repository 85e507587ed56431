// SparseBinder: coalescing, later-wins trimming, and where waits and signals go.
#include <gtest/gtest.h>

#include <memory>

#include "SparseBinder.h"
#include "kmod/Bo.h"
#include "kmod/Device.h"

namespace panvk {
namespace {

using pan::kmod::Bo;
using pan::kmod::MapFlags;
using pan::kmod::SyncPoint;
using pan::kmod::VmOp;

constexpr uint64_t kTile = 64 * 1024;
constexpr uint64_t kBase = 1ull << 32;

class SparseBinderTest : public ::testing::Test {
protected:
   void SetUp() override
   {
      pan::kmod::OpenOptions options;
      options.backend = pan::kmod::OpenOptions::Backend::Mock;
      options.mockMemoryBytes = 64 << 20;
      auto opened = pan::kmod::Device::open(options);
      ASSERT_TRUE(opened) << opened.error().message;
      device = std::move(opened.value());
      for (auto &bo : bos) {
         auto created = Bo::create(*device, {.size = 4 << 20});
         ASSERT_TRUE(created);
         bo = std::move(created.value());
      }
   }

   static void expectMap(const VmOp &op, const Bo *bo, uint64_t boOffset, uint64_t va, uint64_t size)
   {
      EXPECT_EQ(op.type, VmOp::Type::Map);
      EXPECT_EQ(op.bo, bo);
      EXPECT_EQ(op.boOffset, boOffset);
      EXPECT_EQ(op.va, va);
      EXPECT_EQ(op.size, size);
      EXPECT_FALSE(hasFlag(op.flags, MapFlags::Sparse));
   }
   static void expectSparse(const VmOp &op, uint64_t va, uint64_t size)
   {
      EXPECT_EQ(op.type, VmOp::Type::Map);
      EXPECT_TRUE(hasFlag(op.flags, MapFlags::Sparse));
      EXPECT_EQ(op.bo, nullptr);
      EXPECT_EQ(op.va, va);
      EXPECT_EQ(op.size, size);
   }

   std::unique_ptr<pan::kmod::Device> device;
   std::unique_ptr<Bo> bos[2];
};

TEST_F(SparseBinderTest, ContiguousBindsOfOneAllocationBecomeOneOp)
{
   SparseBinder binder;
   for (uint64_t i = 0; i < 64; i++)
      binder.bind(kBase + i * kTile, kTile, bos[0].get(), i * kTile);
   const auto ops = binder.finish();
   ASSERT_EQ(ops.size(), 1u);
   expectMap(ops[0], bos[0].get(), 0, kBase, 64 * kTile);
   EXPECT_EQ(binder.bindsReceived(), 64u);
}

TEST_F(SparseBinderTest, ShuffledContiguousBindsStillCoalesce)
{
   SparseBinder binder;
   for (uint64_t i : {3, 0, 2, 1})
      binder.bind(kBase + i * kTile, kTile, bos[0].get(), i * kTile);
   const auto ops = binder.finish();
   ASSERT_EQ(ops.size(), 1u);
   expectMap(ops[0], bos[0].get(), 0, kBase, 4 * kTile);
}

TEST_F(SparseBinderTest, DiscontiguousMemoryOrOtherBosOrFlagsStaySeparate)
{
   SparseBinder binder;
   binder.bind(kBase, kTile, bos[0].get(), 0);
   binder.bind(kBase + kTile, kTile, bos[0].get(), 2 * kTile); // memory jumps
   binder.bind(kBase + 2 * kTile, kTile, bos[1].get(), 3 * kTile); // another BO
   binder.bind(kBase + 3 * kTile, kTile, bos[1].get(), 4 * kTile, MapFlags::NoExec | MapFlags::ReadOnly);
   const auto ops = binder.finish();
   ASSERT_EQ(ops.size(), 4u);
   expectMap(ops[0], bos[0].get(), 0, kBase, kTile);
   expectMap(ops[1], bos[0].get(), 2 * kTile, kBase + kTile, kTile);
   expectMap(ops[2], bos[1].get(), 3 * kTile, kBase + 2 * kTile, kTile);
   expectMap(ops[3], bos[1].get(), 4 * kTile, kBase + 3 * kTile, kTile);
}

TEST_F(SparseBinderTest, ALaterBindWinsAndTheEarlierIsTrimmed)
{
   SparseBinder binder;
   binder.bind(kBase, 8 * kTile, bos[0].get(), 0);
   binder.bind(kBase + 2 * kTile, 2 * kTile, bos[1].get(), 0); // the middle goes elsewhere
   binder.bind(kBase + 7 * kTile, kTile, nullptr, 0);           // the end is unbound
   const auto ops = binder.finish();
   ASSERT_EQ(ops.size(), 4u);
   expectMap(ops[0], bos[0].get(), 0, kBase, 2 * kTile);
   expectMap(ops[1], bos[1].get(), 0, kBase + 2 * kTile, 2 * kTile);
   expectMap(ops[2], bos[0].get(), 4 * kTile, kBase + 4 * kTile, 3 * kTile);
   expectSparse(ops[3], kBase + 7 * kTile, kTile);
}

TEST_F(SparseBinderTest, ARebindOfTheSameRangeSendsOnlyTheLast)
{
   SparseBinder binder;
   binder.bind(kBase, kTile, bos[0].get(), 0);
   binder.bind(kBase, kTile, nullptr, 0);
   binder.bind(kBase, kTile, bos[1].get(), kTile);
   const auto ops = binder.finish();
   ASSERT_EQ(ops.size(), 1u);
   expectMap(ops[0], bos[1].get(), kTile, kBase, kTile);
}

TEST_F(SparseBinderTest, UnboundNeighboursCoalesceIntoOneSparseOp)
{
   SparseBinder binder;
   for (uint64_t i = 0; i < 16; i++)
      binder.bind(kBase + i * kTile, kTile, nullptr, 12345);
   const auto ops = binder.finish();
   ASSERT_EQ(ops.size(), 1u);
   expectSparse(ops[0], kBase, 16 * kTile);
}

TEST_F(SparseBinderTest, WaitsGoFirstAndSignalsLastInAWindow)
{
   SparseBinder binder;
   binder.wait({7, 0});
   binder.bind(kBase + kTile, kTile, bos[0].get(), 0);
   binder.endBatch(); // no signal: the window stays open
   binder.wait({8, 3});
   binder.bind(kBase, kTile, bos[0].get(), kTile);
   binder.signal({9, 0});
   binder.endBatch();
   const auto ops = binder.finish();
   ASSERT_EQ(ops.size(), 2u);
   // VA order within the window; every wait on the first op, the signal on the last.
   expectMap(ops[0], bos[0].get(), kTile, kBase, kTile);
   expectMap(ops[1], bos[0].get(), 0, kBase + kTile, kTile);
   ASSERT_EQ(ops[0].waits.size(), 2u);
   EXPECT_EQ(ops[0].waits[0].syncobj, 7u);
   EXPECT_EQ(ops[0].waits[1].syncobj, 8u);
   EXPECT_EQ(ops[0].waits[1].value, 3u);
   EXPECT_TRUE(ops[0].signals.empty());
   ASSERT_EQ(ops[1].signals.size(), 1u);
   EXPECT_EQ(ops[1].signals[0].syncobj, 9u);
   EXPECT_TRUE(ops[1].waits.empty());
}

TEST_F(SparseBinderTest, TrimmingNeverCrossesASignal)
{
   SparseBinder binder;
   binder.bind(kBase, kTile, bos[0].get(), 0);
   binder.signal({1, 0});
   binder.endBatch();
   binder.bind(kBase, kTile, bos[1].get(), 0); // after the signal: both must be sent
   const auto ops = binder.finish();
   ASSERT_EQ(ops.size(), 2u);
   expectMap(ops[0], bos[0].get(), 0, kBase, kTile);
   ASSERT_EQ(ops[0].signals.size(), 1u);
   expectMap(ops[1], bos[1].get(), 0, kBase, kTile);
}

TEST_F(SparseBinderTest, EmptyBatchesStillWaitAndSignal)
{
   SparseBinder binder;
   binder.wait({4, 0});
   binder.signal({5, 2});
   binder.endBatch();
   const auto ops = binder.finish();
   ASSERT_EQ(ops.size(), 1u);
   EXPECT_EQ(ops[0].type, VmOp::Type::SyncOnly);
   ASSERT_EQ(ops[0].waits.size(), 1u);
   ASSERT_EQ(ops[0].signals.size(), 1u);
   EXPECT_EQ(ops[0].signals[0].value, 2u);
   EXPECT_TRUE(SparseBinder().finish().empty()) << "nothing to do: no op at all";
}

TEST_F(SparseBinderTest, AFenceAfterASignallingBatchRidesOnItsLastOp)
{
   SparseBinder binder;
   binder.bind(kBase, kTile, bos[0].get(), 0);
   binder.signal({5, 0});
   binder.endBatch();
   binder.signal({6, 0}); // the fence
   const auto ops = binder.finish();
   ASSERT_EQ(ops.size(), 1u);
   ASSERT_EQ(ops[0].signals.size(), 2u);
   EXPECT_EQ(ops[0].signals[0].syncobj, 5u);
   EXPECT_EQ(ops[0].signals[1].syncobj, 6u);

   // A fence alone, with nothing before it, is one SYNC_ONLY op.
   SparseBinder alone;
   alone.signal({6, 0});
   const auto fenceOnly = alone.finish();
   ASSERT_EQ(fenceOnly.size(), 1u);
   EXPECT_EQ(fenceOnly[0].type, VmOp::Type::SyncOnly);
}

TEST_F(SparseBinderTest, ACheckerboardOfTwoAllocationsIsOneOpPerTile)
{
   SparseBinder binder;
   for (uint64_t i = 0; i < 64; i++)
      binder.bind(kBase + i * kTile, kTile, i % 2 ? bos[1].get() : nullptr, i * kTile);
   const auto ops = binder.finish();
   EXPECT_EQ(ops.size(), 64u);
}

} // namespace
} // namespace panvk
