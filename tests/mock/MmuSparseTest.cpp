// Sparse mappings (1.9) as the GPU sees them through the MMU model: reads and
// writes land in the file's 2 MiB dummy, repeated along the VA, and one
// file's dummy is never another's.
#include <gtest/gtest.h>

#include "MmuTestFixture.h"

namespace pan::mock {
namespace {

using namespace testutil;

constexpr uint64_t kVa = 1 * kGiB;

class MmuSparseTest : public MmuFixture {};

TEST_F(MmuSparseTest, WritesLandInTheDummyAndAliasEveryTwoMiB)
{
   ASSERT_EQ(bindOne(*file, vmId, sparseOp(kVa, 8 * kMiB)), 0);
   const std::vector<uint8_t> data = {1, 2, 3, 4, 5, 6, 7, 8, 9};
   ASSERT_TRUE(write(kVa + 2 * kMiB - 4, data).ok()) << "across a block edge";

   EXPECT_EQ(read(kVa + 6 * kMiB - 4, data.size()), data);
   const std::vector<uint8_t> wrapped = read(kVa - 4 + 4 * kMiB, data.size());
   EXPECT_EQ(wrapped, data);
   // The dummy's own bytes: its end and its start.
   const uint64_t dummy = dummyBase(*file);
   ASSERT_NE(dummy, 0u);
   EXPECT_EQ(*physByte(dummy + 2 * kMiB - 4), 1);
   EXPECT_EQ(*physByte(dummy + 4), 9);
}

TEST_F(MmuSparseTest, AnUnalignedSparseRangeAliasesByVa)
{
   const uint64_t va = kVa + 3 * kPage;
   ASSERT_EQ(bindOne(*file, vmId, sparseOp(va, 4 * kMiB)), 0);
   const uint32_t value = 0xdeadbeef;
   ASSERT_TRUE(mmu().copyToGpu(*vm, va + 100, &value, 4).ok());
   uint32_t back = 0;
   ASSERT_TRUE(mmu().copyFromGpu(*vm, va + 2 * kMiB + 100, &back, 4).ok());
   EXPECT_EQ(back, value);
   EXPECT_EQ(*reinterpret_cast<uint32_t *>(physByte(dummyBase(*file) + 3 * kPage + 100)), value);
}

TEST_F(MmuSparseTest, SparseRangesAreNotExecutable)
{
   ASSERT_EQ(bindOne(*file, vmId, sparseOp(kVa, 2 * kMiB)), 0);
   uint8_t byte;
   const AccessResult result = mmu().copyFromGpu(*vm, kVa, &byte, 1, AccessKind::Execute);
   ASSERT_TRUE(result.fault);
   EXPECT_TRUE(result.fault->isPermission());
   EXPECT_EQ(result.fault->level(), 2u) << "a 2 MiB block of the dummy";
}

TEST_F(MmuSparseTest, TwoFilesNeverSeeEachOthersDummy)
{
   std::shared_ptr<File> other = dev->open();
   const uint32_t otherId = newVm(*other);
   std::shared_ptr<Vm> otherVm = other->lookupVm(otherId);
   ASSERT_EQ(bindOne(*file, vmId, sparseOp(kVa, 2 * kMiB)), 0);
   ASSERT_EQ(bindOne(*other, otherId, sparseOp(kVa, 2 * kMiB)), 0);

   ASSERT_TRUE(mmu().fillBytes(*vm, kVa, 2 * kMiB, 0xaa).ok());
   std::vector<uint8_t> seen(2 * kMiB);
   ASSERT_TRUE(mmu().copyFromGpu(*otherVm, kVa, seen.data(), seen.size()).ok());
   EXPECT_EQ(std::count(seen.begin(), seen.end(), 0xaa), 0) << "file A's bytes leaked to file B";

   ASSERT_TRUE(mmu().fillBytes(*otherVm, kVa, 2 * kMiB, 0xbb).ok());
   EXPECT_EQ(read(kVa + 12345, 1)[0], 0xaa);
   EXPECT_NE(dummyBase(*file), dummyBase(*other));
}

TEST_F(MmuSparseTest, AMapOverASparseRangeReplacesItForTheGpu)
{
   const uint32_t bo = newFilledBo(kPage, 50);
   ASSERT_EQ(bindOne(*file, vmId, sparseOp(kVa, 2 * kMiB)), 0);
   ASSERT_TRUE(mmu().fillBytes(*vm, kVa, 2 * kMiB, 0x33).ok());
   ASSERT_EQ(bindOne(*file, vmId, mapOp(bo, 0, kVa + kPage, kPage)), 0);
   EXPECT_EQ(read(kVa + kPage + 7, 1)[0], MmuFixture::pattern(50, 7));
   EXPECT_EQ(read(kVa + 7, 1)[0], 0x33);
   EXPECT_EQ(read(kVa + 2 * kPage, 1)[0], 0x33);
}

} // namespace
} // namespace pan::mock
