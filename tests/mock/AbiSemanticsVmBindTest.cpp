// ABI semantics of the mock kernel (/work/shared/ABI.md): every errno rule of
// VM_BIND in synchronous mode and of its ops array, at driver versions 1.8,
// 1.9 and 1.10.
#include <gtest/gtest.h>

#include <vector>

#include "MockTestUtil.h"

namespace pan::mock {
namespace {

using namespace testutil;

constexpr uint64_t kBoSize = 1 * kMiB;
constexpr uint64_t kVa = 64 * kMiB;

class VmBindAbiTest : public ::testing::TestWithParam<unsigned> {
protected:
   unsigned minor() const { return GetParam(); }
   int bindOp(const drm_panthor_vm_bind_op &op) { return bindOne(*file, vm, op); }
   bool mapped(uint64_t va) { return translate(*file, vm, va).has_value(); }

   int bindRaw(uint32_t vmId, uint32_t flags, uint32_t stride, uint32_t count, const void *array,
               uint32_t *countOut = nullptr)
   {
      drm_panthor_vm_bind args{};
      args.vm_id = vmId;
      args.flags = flags;
      args.ops.stride = stride;
      args.ops.count = count;
      args.ops.array = reinterpret_cast<uint64_t>(array);
      const int r = file->ioctl(DRM_IOCTL_PANTHOR_VM_BIND, &args);
      if (countOut)
         *countOut = args.ops.count;
      return r;
   }

   std::shared_ptr<Device> dev = makeDevice(GetParam());
   std::shared_ptr<File> file = dev ? dev->open() : nullptr;
   uint32_t vm = file ? newVm(*file) : 0;
   uint32_t bo = file ? newBo(*file, kBoSize) : 0;
};

INSTANTIATE_TEST_SUITE_P(Minor, VmBindAbiTest, ::testing::Values(8u, 9u, 10u));

TEST_P(VmBindAbiTest, UnknownVmIsEinval)
{
   const auto op = mapOp(bo, 0, kVa, kPage);
   EXPECT_EQ(bindOne(*file, 0, op), -EINVAL);
   EXPECT_EQ(bindOne(*file, vm + 1, op), -EINVAL);
   EXPECT_EQ(bindRaw(vm + 1, 0, sizeof(op), 0, nullptr), -EINVAL) << "even with no ops";
}

TEST_P(VmBindAbiTest, UnknownOpTypeIsEinval)
{
   for (uint32_t type : {3u << 28, 4u << 28, 0xfu << 28}) {
      auto op = mapOp(bo, 0, kVa, kPage);
      op.flags = type;
      EXPECT_EQ(bindOp(op), -EINVAL) << "type " << std::hex << type;
   }
   EXPECT_FALSE(mapped(kVa));
}

TEST_P(VmBindAbiTest, FlagsOtherThanAsyncAreEinval)
{
   const auto op = mapOp(bo, 0, kVa, kPage);
   EXPECT_EQ(bindOps(*file, vm, {op}, nullptr, 0x2), -EINVAL);
   EXPECT_EQ(bindOps(*file, vm, {op}, nullptr, 0x80000000u), -EINVAL);
   EXPECT_FALSE(mapped(kVa));
   EXPECT_EQ(bindOps(*file, vm, {op}, nullptr, 0), 0);
}

TEST_P(VmBindAbiTest, SyncModeOpWithSyncsIsEinval)
{
   drm_panthor_sync_op sync{};
   sync.flags = DRM_PANTHOR_SYNC_OP_SIGNAL;
   sync.handle = 1;
   auto op = mapOp(bo, 0, kVa, kPage);
   op.syncs.stride = sizeof(sync);
   op.syncs.count = 1;
   op.syncs.array = reinterpret_cast<uint64_t>(&sync);
   EXPECT_EQ(bindOp(op), -EINVAL);
   EXPECT_FALSE(mapped(kVa));
   op.size = 0;
   EXPECT_EQ(bindOp(op), -EINVAL) << "syncs are refused before size 0 is skipped";
}

TEST_P(VmBindAbiTest, SizeZeroOpsAreSkipped)
{
   // A size-0 op returns 0 before any other check, and the next op still runs.
   auto bogus = mapOp(999, 0x123, 0x456, 0, 0x0ffffff0u);
   auto next = mapOp(bo, 0, kVa, kPage);
   uint32_t count = 0;
   EXPECT_EQ(bindOps(*file, vm, {bogus, next}, &count), 0);
   EXPECT_TRUE(mapped(kVa));
   EXPECT_EQ(bindOp(unmapOp(kVa + 1, 0)), 0);
}

TEST_P(VmBindAbiTest, AddressesMustBePageAligned)
{
   EXPECT_EQ(bindOp(mapOp(bo, 0, kVa + 0x800, kPage)), -EINVAL) << "va";
   EXPECT_EQ(bindOp(mapOp(bo, 0, kVa, kPage + 0x800)), -EINVAL) << "size";
   EXPECT_EQ(bindOp(mapOp(bo, 0, kVa, 0x800)), -EINVAL) << "size below a page";
   EXPECT_EQ(bindOp(mapOp(bo, 0x800, kVa, kPage)), -EINVAL) << "bo_offset";
   EXPECT_FALSE(mapped(kVa));
   ASSERT_EQ(bindOp(mapOp(bo, 0, kVa, kPage)), 0);
   EXPECT_EQ(bindOp(unmapOp(kVa + 0x800, kPage)), -EINVAL) << "unmap va";
   EXPECT_EQ(bindOp(unmapOp(kVa, 0x1800)), -EINVAL) << "unmap size";
   EXPECT_TRUE(mapped(kVa));
}

TEST_P(VmBindAbiTest, RangesMustNotWrapNorPass2ToTheVaBits)
{
   const uint64_t top = 1ull << 48;
   EXPECT_EQ(bindOp(mapOp(bo, 0, ~0ull - kPage + 1, 2 * kPage)), -EINVAL) << "wraps";
   EXPECT_EQ(bindOp(unmapOp(~0ull - kPage + 1, 2 * kPage)), -EINVAL) << "wraps";
   EXPECT_EQ(bindOp(mapOp(bo, 0, top - kPage, 2 * kPage)), -EINVAL) << "crosses 2^48";
   EXPECT_EQ(bindOp(mapOp(bo, 0, top, kPage)), -EINVAL) << "at 2^48";
   EXPECT_EQ(bindOp(mapOp(bo, 0, 1ull << 52, kPage)), -EINVAL) << "far above";
   EXPECT_EQ(bindOp(unmapOp(top, kPage)), -EINVAL);
   EXPECT_EQ(bindOp(unmapOp(0, ~0ull & ~(kPage - 1))), -EINVAL) << "the whole 64-bit space";
}

TEST_P(VmBindAbiTest, RangesMustStayInTheUserVaRange)
{
   // ABI.md only says 2^va_bits; the mock also refuses the kernel's reserved
   // top of the VA space and anything past a smaller user_va_range, as the
   // kernel's range check does (VmBind.cpp, rangeIsValid).
   const uint64_t userTop = (1ull << 48) - kKernelVaReserve;
   EXPECT_EQ(bindOp(mapOp(bo, 0, userTop, kPage)), -EINVAL);
   EXPECT_EQ(bindOp(mapOp(bo, 0, userTop - kPage, 2 * kPage)), -EINVAL);
   EXPECT_EQ(bindOp(mapOp(bo, 0, userTop - kPage, kPage)), 0);
   EXPECT_TRUE(mapped(userTop - kPage));

   const uint32_t small = newVm(*file, 4 * kGiB);
   EXPECT_EQ(bindOne(*file, small, mapOp(bo, 0, 4 * kGiB - kPage, kPage)), 0);
   EXPECT_EQ(bindOne(*file, small, mapOp(bo, 0, 4 * kGiB - kPage, 2 * kPage)), -EINVAL);
   EXPECT_EQ(bindOne(*file, small, mapOp(bo, 0, 4 * kGiB, kPage)), -EINVAL);
   EXPECT_EQ(bindOne(*file, small, unmapOp(4 * kGiB, kPage)), -EINVAL);
}

TEST_P(VmBindAbiTest, MapOfAnUnknownBoIsEinvalNotEnoent)
{
   EXPECT_EQ(bindOp(mapOp(bo + 1, 0, kVa, kPage)), -EINVAL);
   EXPECT_EQ(bindOp(mapOp(0, 0, kVa, kPage)), -EINVAL);
   ASSERT_EQ(closeBo(*file, bo), 0);
   EXPECT_EQ(bindOp(mapOp(bo, 0, kVa, kPage)), -EINVAL) << "a closed handle";
   EXPECT_FALSE(mapped(kVa));
}

TEST_P(VmBindAbiTest, MapBeyondTheBoIsEinval)
{
   EXPECT_EQ(bindOp(mapOp(bo, 0, kVa, kBoSize + kPage)), -EINVAL);
   EXPECT_EQ(bindOp(mapOp(bo, kBoSize, kVa, kPage)), -EINVAL);
   EXPECT_EQ(bindOp(mapOp(bo, kBoSize - kPage, kVa, 2 * kPage)), -EINVAL);
   EXPECT_EQ(bindOp(mapOp(bo, kBoSize + kPage, kVa, kPage)), -EINVAL);
   EXPECT_EQ(bindOp(mapOp(bo, ~0ull - kPage + 1, kVa, 2 * kPage)), -EINVAL) << "offset + size wraps";
   EXPECT_FALSE(mapped(kVa));
   EXPECT_EQ(bindOp(mapOp(bo, 0, kVa, kBoSize)), 0);
   EXPECT_EQ(bindOp(mapOp(bo, kBoSize - kPage, kVa, kPage)), 0);
}

TEST_P(VmBindAbiTest, ABoPrivateToAnotherVmIsEinval)
{
   const uint32_t otherVm = newVm(*file);
   const uint32_t privateBo = newBo(*file, kBoSize, 0, otherVm);
   EXPECT_EQ(bindOp(mapOp(privateBo, 0, kVa, kPage)), -EINVAL);
   EXPECT_FALSE(mapped(kVa));
   EXPECT_EQ(bindOne(*file, otherVm, mapOp(privateBo, 0, kVa, kPage)), 0);
}

TEST_P(VmBindAbiTest, UnknownMapFlagsAreEinval)
{
   for (uint32_t flags : {0x10u, 0x100u, 0x0ffffff0u})
      EXPECT_EQ(bindOp(mapOp(bo, 0, kVa, kPage, flags)), -EINVAL) << std::hex << flags;
   EXPECT_FALSE(mapped(kVa));
   EXPECT_EQ(bindOp(mapOp(bo, 0, kVa, kPage, kReadOnly | kNoExec | kUncached)), 0);
}

TEST_P(VmBindAbiTest, SparseMapExistsFrom1_9)
{
   const int r = bindOp(sparseOp(kVa, 4 * kPage));
   if (minor() < 9) {
      EXPECT_EQ(r, -EINVAL) << "an unknown flag before 1.9";
      EXPECT_FALSE(mapped(kVa));
      return;
   }
   EXPECT_EQ(r, 0);
   EXPECT_TRUE(mapped(kVa));
}

TEST_P(VmBindAbiTest, SparseMapRules)
{
   if (minor() < 9)
      GTEST_SKIP() << "MAP_SPARSE is a 1.9 flag";
   auto withBo = sparseOp(kVa, kPage);
   withBo.bo_handle = bo;
   EXPECT_EQ(bindOp(withBo), -EINVAL) << "bo_handle set";
   auto withOffset = sparseOp(kVa, kPage);
   withOffset.bo_offset = kPage;
   EXPECT_EQ(bindOp(withOffset), -EINVAL) << "bo_offset set";
   EXPECT_EQ(bindOp(sparseOp(kVa, kPage, 0)), -EINVAL) << "NOEXEC clear";
   EXPECT_EQ(bindOp(sparseOp(kVa, kPage, kReadOnly)), -EINVAL) << "NOEXEC clear";
   EXPECT_EQ(bindOp(sparseOp(kVa + 0x800, kPage)), -EINVAL) << "unaligned";
   EXPECT_FALSE(mapped(kVa));
   EXPECT_EQ(bindOp(sparseOp(kVa, kPage, kNoExec | kReadOnly | kUncached)), 0);
}

TEST_P(VmBindAbiTest, UnmapRules)
{
   ASSERT_EQ(bindOp(mapOp(bo, 0, kVa, 4 * kPage)), 0);
   for (uint32_t flag : {kReadOnly, kNoExec, kUncached, kSparse, 0x10u}) {
      auto op = unmapOp(kVa, kPage);
      op.flags |= flag;
      EXPECT_EQ(bindOp(op), -EINVAL) << "flag " << flag;
   }
   auto withBo = unmapOp(kVa, kPage);
   withBo.bo_handle = bo;
   EXPECT_EQ(bindOp(withBo), -EINVAL);
   auto withOffset = unmapOp(kVa, kPage);
   withOffset.bo_offset = kPage;
   EXPECT_EQ(bindOp(withOffset), -EINVAL);
   EXPECT_TRUE(mapped(kVa));

   EXPECT_EQ(bindOp(unmapOp(kVa + kMiB, kMiB)), 0) << "unmapping nothing";
   EXPECT_EQ(bindOp(unmapOp(kVa, kPage)), 0);
   EXPECT_FALSE(mapped(kVa));
   EXPECT_TRUE(mapped(kVa + kPage));
}

TEST_P(VmBindAbiTest, SyncOnlyRules)
{
   drm_panthor_vm_bind_op op{};
   op.flags = kOpSyncOnly;
   op.size = kPage;
   EXPECT_EQ(bindOp(op), -EINVAL) << "size set";
   op.va = kVa;
   EXPECT_EQ(bindOp(op), -EINVAL) << "va and size set";
   op = {};
   op.flags = kOpSyncOnly | kNoExec;
   op.size = kPage;
   EXPECT_EQ(bindOp(op), -EINVAL) << "a flag set";

   drm_panthor_sync_op sync{};
   sync.flags = DRM_PANTHOR_SYNC_OP_SIGNAL;
   sync.handle = 1;
   op = {};
   op.flags = kOpSyncOnly;
   op.syncs.stride = sizeof(sync);
   op.syncs.count = 1;
   op.syncs.array = reinterpret_cast<uint64_t>(&sync);
   EXPECT_EQ(bindOp(op), -EINVAL) << "syncs on a synchronous bind";

   // No syncs at all: EINVAL in async mode, where SYNC_ONLY is meant to be used.
   op = {};
   op.flags = kOpSyncOnly;
   EXPECT_EQ(bindOps(*file, vm, {op}, nullptr, DRM_PANTHOR_VM_BIND_ASYNC), -EINVAL);
   // In sync mode the same op has size 0 and is skipped before the SYNC_ONLY
   // checks, as every size-0 op is.
   EXPECT_EQ(bindOp(op), 0);
}

TEST_P(VmBindAbiTest, AFailingOpReportsItsIndexAndEarlierOpsStay)
{
   const std::vector<drm_panthor_vm_bind_op> ops = {
      mapOp(bo, 0, kVa, kPage),
      mapOp(bo, kPage, kVa + kMiB, 2 * kPage),
      mapOp(bo, 0, kVa + 2 * kMiB + 0x800, kPage), // unaligned
      mapOp(bo, 0, kVa + 3 * kMiB, kPage),
   };
   uint32_t count = 0;
   EXPECT_EQ(bindOps(*file, vm, ops, &count), -EINVAL);
   EXPECT_EQ(count, 2u);
   const auto first = translate(*file, vm, kVa + 12);
   ASSERT_TRUE(first);
   EXPECT_EQ(first->phys, boPhys(*file, bo, 0) + 12);
   const auto second = translate(*file, vm, kVa + kMiB + kPage);
   ASSERT_TRUE(second);
   EXPECT_EQ(second->phys, boPhys(*file, bo, 2 * kPage));
   EXPECT_FALSE(mapped(kVa + 2 * kMiB));
   EXPECT_FALSE(mapped(kVa + 3 * kMiB)) << "ops after the failing one do not run";

   EXPECT_EQ(bindOps(*file, vm, {unmapOp(kVa, kPage), mapOp(bo + 7, 0, kVa, kPage)}, &count), -EINVAL);
   EXPECT_EQ(count, 1u);
   EXPECT_FALSE(mapped(kVa)) << "the unmap before the failure stays applied";

   EXPECT_EQ(bindOps(*file, vm, {mapOp(bo + 7, 0, kVa, kPage), mapOp(bo, 0, kVa, kPage)}, &count),
             -EINVAL);
   EXPECT_EQ(count, 0u);
   EXPECT_FALSE(mapped(kVa));
}

TEST_P(VmBindAbiTest, OpsArrayStrides)
{
   const auto op = mapOp(bo, 0, kVa, kPage);
   EXPECT_EQ(bindRaw(vm, 0, 47, 1, &op), -EINVAL) << "stride below 48";
   EXPECT_EQ(bindRaw(vm, 0, 40, 1, &op), -EINVAL);
   EXPECT_EQ(bindRaw(vm, 0, 0, 1, &op), -EINVAL);
   EXPECT_FALSE(mapped(kVa));

   EXPECT_EQ(bindRaw(vm, 0, sizeof(op), 0, nullptr), 0) << "count 0";
   EXPECT_EQ(bindRaw(vm, 0, sizeof(op), 0, &op), 0) << "count 0";
   EXPECT_FALSE(mapped(kVa));

   // Two ops 64 bytes apart: the tails past the known 48 bytes are zero.
   uint8_t padded[2][64] = {};
   auto second = mapOp(bo, kPage, kVa + kPage, kPage);
   memcpy(padded[0], &op, sizeof(op));
   memcpy(padded[1], &second, sizeof(second));
   EXPECT_EQ(bindRaw(vm, 0, 64, 2, padded), 0);
   ASSERT_TRUE(mapped(kVa));
   EXPECT_EQ(translate(*file, vm, kVa + kPage)->phys, boPhys(*file, bo, kPage));

   ASSERT_EQ(bindOp(unmapOp(kVa, 2 * kPage)), 0);
   padded[1][60] = 1;
   EXPECT_EQ(bindRaw(vm, 0, 64, 2, padded), -E2BIG) << "nonzero tail";
}

} // namespace
} // namespace pan::mock
