// BindBatch on its own, without a kernel: splitting, index mapping, edge cases.
#include <gtest/gtest.h>
#include <vector>

#include "kmod/panthor/BindMarshaller.h"

namespace pan::kmod {
namespace {

constexpr uint64_t kPage = 4096;
constexpr uint64_t k2M = 2ull << 20;
constexpr uint32_t kDummy = 77;

SparseLowering emulated(unsigned vaBits = 48) {
   return SparseLowering{.native = false, .dummyBoHandle = kDummy, .vaBits = vaBits};
}

TEST(BindBatchTest, CallerIndexThroughExpansion) {
   const std::vector<VmOp> ops = {
      VmOp::sparse(0, 3 * k2M),           // kernel ops 0..2
      VmOp::unmap(0, kPage),              // 3
      VmOp::sparse(k2M - kPage, 2 * kPage), // 4..5
      VmOp::unmap(kPage, kPage),          // 6
   };
   Result<BindBatch> batch = BindBatch::build(ops, emulated());
   ASSERT_TRUE(batch);
   ASSERT_EQ(batch->kernelOps().size(), 7u);
   const uint32_t expected[] = {0, 0, 0, 1, 2, 2, 3};
   for (uint32_t k = 0; k < 7; ++k)
      EXPECT_EQ(batch->callerOpFor(k), expected[k]) << "kernel op " << k;
   EXPECT_FALSE(batch->callerOpFor(7));
}

TEST(BindBatchTest, NativeKeepsOneOpPerCallerOp) {
   const std::vector<VmOp> ops = {VmOp::sparse(k2M + kPage, 100 * k2M)};
   Result<BindBatch> batch = BindBatch::build(ops, SparseLowering{.native = true});
   ASSERT_TRUE(batch);
   ASSERT_EQ(batch->kernelOps().size(), 1u);
   EXPECT_EQ(batch->kernelOps()[0].bo_handle, 0u);
   EXPECT_EQ(batch->kernelOps()[0].size, 100 * k2M);
}

TEST(BindBatchTest, AlignedSparseIsWholeBlocks) {
   const std::vector<VmOp> ops = {VmOp::sparse(4 * k2M, 10 * k2M)};
   Result<BindBatch> batch = BindBatch::build(ops, emulated());
   ASSERT_TRUE(batch);
   ASSERT_EQ(batch->kernelOps().size(), 10u);
   for (const drm_panthor_vm_bind_op &op : batch->kernelOps()) {
      EXPECT_EQ(op.size, k2M);
      EXPECT_EQ(op.bo_offset, 0u);
      EXPECT_EQ(op.bo_handle, kDummy);
   }
}

TEST(BindBatchTest, UnsplittableSparseGoesToTheKernelAsIs) {
   // Wrapping, unaligned, empty and beyond-the-VA-space ops stay one op so the
   // kernel rejects them with its own errno.
   const std::vector<VmOp> ops = {
      VmOp::sparse(~0ull - k2M + 1, 4 * k2M),
      VmOp::sparse(k2M + 1, 3 * k2M),
      VmOp::sparse(5 * k2M, 0),
      VmOp::sparse((1ull << 48) - k2M, 8 * k2M),
   };
   Result<BindBatch> batch = BindBatch::build(ops, emulated(48));
   ASSERT_TRUE(batch);
   ASSERT_EQ(batch->kernelOps().size(), 4u);
   for (size_t i = 0; i < ops.size(); ++i) {
      EXPECT_EQ(batch->kernelOps()[i].va, ops[i].va);
      EXPECT_EQ(batch->kernelOps()[i].size, ops[i].size);
   }
}

TEST(BindBatchTest, TopOfA64BitSpaceDoesNotLoop) {
   const uint64_t top = ~0ull - 2 * k2M + 1; // the last two blocks, 2 MiB aligned
   const std::vector<VmOp> ops = {VmOp::sparse(top, 2 * k2M - kPage)};
   Result<BindBatch> batch = BindBatch::build(ops, emulated(64));
   ASSERT_TRUE(batch);
   ASSERT_EQ(batch->kernelOps().size(), 2u);
   EXPECT_EQ(batch->kernelOps()[1].size, k2M - kPage);
}

TEST(BindBatchTest, RejectsWhatTheKernelCannotSee) {
   VmOp noBo = VmOp::unmap(0, kPage);
   noBo.type = VmOp::Type::Map;
   VmOp exec = VmOp::sparse(0, kPage);
   exec.flags = MapFlags::Sparse;
   VmOp offset = VmOp::sparse(0, kPage);
   offset.boOffset = kPage;
   for (const VmOp &bad : {noBo, exec, offset}) {
      const std::vector<VmOp> ops = {VmOp::unmap(0, kPage), bad};
      Result<BindBatch> batch = BindBatch::build(ops, emulated());
      ASSERT_FALSE(batch);
      EXPECT_EQ(batch.error().errnum, EINVAL);
      EXPECT_EQ(batch.error().opIndex, 1u);
   }
}

TEST(BindBatchTest, SyncPointersStayValidAfterMove) {
   std::vector<VmOp> ops;
   for (uint32_t i = 0; i < 64; ++i) {
      VmOp op = VmOp::sparse(uint64_t(i) * 4 * k2M, 3 * k2M);
      op.waits.push_back({i + 1, 0});
      op.signals.push_back({i + 100, i + 1});
      ops.push_back(op);
   }
   Result<BindBatch> built = BindBatch::build(ops, emulated());
   ASSERT_TRUE(built);
   BindBatch batch = std::move(built.value());
   ASSERT_EQ(batch.kernelOps().size(), 64u * 3);
   for (uint32_t i = 0; i < 64; ++i) {
      const drm_panthor_vm_bind_op &first = batch.kernelOps()[i * 3];
      const drm_panthor_vm_bind_op &last = batch.kernelOps()[i * 3 + 2];
      ASSERT_EQ(first.syncs.count, 1u);
      ASSERT_EQ(last.syncs.count, 1u);
      EXPECT_EQ(batch.kernelOps()[i * 3 + 1].syncs.count, 0u);
      const auto *wait = reinterpret_cast<const drm_panthor_sync_op *>(first.syncs.array);
      const auto *signal = reinterpret_cast<const drm_panthor_sync_op *>(last.syncs.array);
      EXPECT_EQ(wait->handle, i + 1);
      EXPECT_EQ(signal->handle, i + 100);
      EXPECT_EQ(signal->timeline_value, i + 1);
   }
}

} // namespace
} // namespace pan::kmod
