// GPU accesses through the MMU model: copies of any size and alignment land
// on the bytes the page tables point at, across page and 2 MiB block edges.
#include <gtest/gtest.h>

#include <random>

#include "MmuTestFixture.h"

namespace pan::mock {
namespace {

using namespace testutil;

constexpr uint64_t kVa = 1 * kGiB; // 2 MiB aligned

class MmuAccessTest : public MmuFixture {};

TEST_F(MmuAccessTest, CopyFromGpuReadsTheMappedBoBytes)
{
   const uint32_t bo = newFilledBo(4 * kPage, 3);
   ASSERT_EQ(bindOne(*file, vmId, mapOp(bo, kPage, kVa, 2 * kPage)), 0);

   const std::vector<uint8_t> bytes = read(kVa + 10, 2 * kPage - 20);
   for (uint64_t i = 0; i < bytes.size(); i++)
      ASSERT_EQ(bytes[i], MmuFixture::pattern(3, kPage + 10 + i)) << "byte " << i;
}

TEST_F(MmuAccessTest, CopyToGpuWritesTheBoPages)
{
   const uint32_t bo = newBo(*file, 3 * kPage);
   ASSERT_EQ(bindOne(*file, vmId, mapOp(bo, 0, kVa, 3 * kPage)), 0);
   std::vector<uint8_t> data(kPage + 3);
   for (size_t i = 0; i < data.size(); i++)
      data[i] = uint8_t(i * 31 + 1);

   const AccessResult result = write(kVa + kPage - 1, data);
   ASSERT_TRUE(result.ok());
   EXPECT_EQ(result.bytesDone, data.size());
   EXPECT_FALSE(result.fault);
   for (size_t i = 0; i < data.size(); i++)
      ASSERT_EQ(boByte(bo, kPage - 1 + i), data[i]) << "byte " << i;
   EXPECT_EQ(boByte(bo, kPage - 2), 0);
   EXPECT_EQ(boByte(bo, 2 * kPage + 2), 0);
}

// Random copies over a mapping made of 2 MiB blocks and one made of 4 KiB
// pages (not 2 MiB aligned), checked against a host shadow of the memory.
TEST_F(MmuAccessTest, OddSizesAndAlignmentsCrossPagesAndBlocks)
{
   const uint64_t size = 6 * kMiB;
   const uint32_t blocks = newBo(*file, size);
   const uint32_t pages = newBo(*file, size);
   const uint64_t pagesVa = kVa + 16 * kMiB + kPage; // not 2 MiB aligned: 4 KiB leaves only
   ASSERT_EQ(bindOps(*file, vmId, {mapOp(blocks, 0, kVa, size), mapOp(pages, 0, pagesVa, size)}), 0);
   ASSERT_EQ(vm->translate(kVa)->level, 2u);
   ASSERT_EQ(vm->translate(pagesVa)->level, 3u);

   std::mt19937_64 rng(42);
   for (const uint64_t base : {kVa, pagesVa}) {
      std::vector<uint8_t> shadow(size, 0);
      for (int round = 0; round < 200; round++) {
         const uint64_t length = 1 + rng() % (round % 4 == 0 ? 3 * kMiB : 3 * kPage);
         const uint64_t offset = rng() % (size - length);
         std::vector<uint8_t> data(length);
         const uint64_t salt = rng();
         for (uint64_t i = 0; i < length; i++)
            data[i] = uint8_t((i * 131 + salt) >> (i % 3));
         ASSERT_TRUE(mmu().copyToGpu(*vm, base + offset, data.data(), length).ok());
         std::copy(data.begin(), data.end(), shadow.begin() + offset);

         const uint64_t readLength = 1 + rng() % (2 * kMiB + 5);
         const uint64_t readOffset = rng() % (size - readLength);
         const std::vector<uint8_t> got = read(base + readOffset, readLength);
         ASSERT_TRUE(std::equal(got.begin(), got.end(), shadow.begin() + readOffset))
            << std::hex << "read 0x" << readLength << " at +0x" << readOffset;
      }
      // The BO's own pages hold the same bytes.
      const uint32_t bo = base == kVa ? blocks : pages;
      for (uint64_t offset = 0; offset < size; offset += 4099)
         ASSERT_EQ(boByte(bo, offset), shadow[offset]) << std::hex << "offset 0x" << offset;
   }
}

TEST_F(MmuAccessTest, ARunSpansContiguousPagesAndBlocks)
{
   const uint32_t bo = newBo(*file, 4 * kMiB);
   ASSERT_EQ(bindOne(*file, vmId, mapOp(bo, 0, kVa, 4 * kMiB)), 0);
   uint64_t runs = 0;
   const AccessResult result =
      mmu().access(*vm, kVa + 5, 4 * kMiB - 10, AccessKind::Read,
                   [&](uint8_t *, uint64_t, uint64_t) { runs++; });
   ASSERT_TRUE(result.ok());
   EXPECT_EQ(result.bytesDone, 4 * kMiB - 10);
   // Two 2 MiB blocks: physically contiguous or not, at most one run each
   // (plus one more once the first block is in the TLB).
   EXPECT_LE(runs, 3u);
}

TEST_F(MmuAccessTest, FillRepeatsThePatternFromItsStart)
{
   const uint32_t bo = newBo(*file, 2 * kPage);
   ASSERT_EQ(bindOne(*file, vmId, mapOp(bo, 0, kVa, 2 * kPage)), 0);
   ASSERT_TRUE(mmu().fill(*vm, kVa + kPage - 3, 11, 0x44332211).ok());
   const uint8_t expected[] = {0x11, 0x22, 0x33, 0x44, 0x11, 0x22, 0x33, 0x44, 0x11, 0x22, 0x33};
   for (unsigned i = 0; i < 11; i++)
      EXPECT_EQ(boByte(bo, kPage - 3 + i), expected[i]) << "byte " << i;
   EXPECT_EQ(boByte(bo, kPage - 4), 0);
   EXPECT_EQ(boByte(bo, kPage + 8), 0);

   ASSERT_TRUE(mmu().fillBytes(*vm, kVa, 5, 0xab).ok());
   EXPECT_EQ(boByte(bo, 4), 0xab);
   EXPECT_EQ(boByte(bo, 5), 0);
}

TEST_F(MmuAccessTest, ZeroSizedAccessTouchesNothing)
{
   const AccessResult result = mmu().copyToGpu(*vm, kVa, nullptr, 0);
   EXPECT_TRUE(result.ok());
   EXPECT_EQ(result.bytesDone, 0u);
   EXPECT_EQ(mmu().counters().slotBinds, 0u);
}

// Translation faults report the level whose descriptor was invalid.
TEST_F(MmuAccessTest, TranslationFaultLevels)
{
   const uint32_t bo = newBo(*file, kPage);
   ASSERT_EQ(bindOne(*file, vmId, mapOp(bo, 0, kVa, kPage)), 0);
   uint8_t byte;
   const struct {
      uint64_t va;
      unsigned level;
   } cases[] = {
      {kVa + kPage, 3},         // same level-3 table
      {kVa + 2 * kMiB, 2},      // same level-2 table, empty slot
      {kVa + 1 * kGiB, 1},      // same level-1 table, no level-2 table
      {kVa + 512 * kGiB, 0},    // nothing under this level-0 entry
      {1ull << 48, 0},          // beyond the VA size
   };
   for (const auto &c : cases) {
      const AccessResult result = mmu().copyFromGpu(*vm, c.va, &byte, 1);
      ASSERT_TRUE(result.fault) << std::hex << c.va;
      EXPECT_FALSE(result.fault->handled);
      EXPECT_EQ(result.fault->va, c.va);
      EXPECT_EQ(result.fault->status, expectedStatus(0xC0 + c.level, AccessKind::Read))
         << std::hex << "va 0x" << c.va;
      EXPECT_TRUE(result.fault->isTranslation());
      EXPECT_EQ(result.fault->level(), c.level);
   }
}

// A copy stops at the first byte it cannot translate; what came before it
// was transferred, like a GPU job killed by a fault.
TEST_F(MmuAccessTest, AccessStopsAtTheFaultingByte)
{
   const uint32_t bo = newBo(*file, 2 * kPage);
   ASSERT_EQ(bindOne(*file, vmId, mapOp(bo, 0, kVa, 2 * kPage)), 0);
   std::vector<uint8_t> data(3 * kPage, 0x5a);
   const AccessResult result = write(kVa + 100, data);
   EXPECT_FALSE(result.ok());
   EXPECT_EQ(result.bytesDone, 2 * kPage - 100);
   ASSERT_TRUE(result.fault);
   EXPECT_EQ(result.fault->va, kVa + 2 * kPage);
   EXPECT_EQ(result.fault->kind, AccessKind::Write);
   EXPECT_EQ(boByte(bo, 2 * kPage - 1), 0x5a);
   EXPECT_EQ(boByte(bo, 99), 0);
}

} // namespace
} // namespace pan::mock
