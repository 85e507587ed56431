// VM_BIND's split semantics (/work/shared/ABI.md, "VM_BIND semantics"), driven
// through the ioctl and checked twice: on the mapping tree (what user space
// asked for) and on the page tables (where the GPU's walk ends).
#include <gtest/gtest.h>

#include <vector>

#include "MockTestUtil.h"

namespace pan::mock {
namespace {

using namespace testutil;

constexpr uint64_t kVa = 1 * kGiB; // 2 MiB aligned

class VmBindTest : public ::testing::Test {
protected:
   void SetUp() override
   {
      ASSERT_NE(dev, nullptr);
      vmId = newVm(*file);
      vm = file->lookupVm(vmId);
      ASSERT_NE(vm, nullptr);
   }

   int bindOp(const drm_panthor_vm_bind_op &op) { return bindOne(*file, vmId, op); }

   // The walk of `va` ends at the byte of `bo` at `offset`, with these attributes.
   void expectBoByte(uint64_t va, uint32_t bo, uint64_t offset, PteAttrs attrs = {})
   {
      const auto t = vm->translate(va);
      ASSERT_TRUE(t) << std::hex << "va 0x" << va << " does not translate";
      EXPECT_EQ(t->phys, boPhys(*file, bo, offset)) << std::hex << "va 0x" << va;
      EXPECT_EQ(t->attrs, attrs) << std::hex << "va 0x" << va;
   }

   // Checks every page of [va, va + size) (first and last byte of each).
   void expectBoRange(uint64_t va, uint64_t size, uint32_t bo, uint64_t offset, PteAttrs attrs = {})
   {
      for (uint64_t at = 0; at < size; at += kPage) {
         expectBoByte(va + at, bo, offset + at, attrs);
         expectBoByte(va + at + kPage - 1, bo, offset + at + kPage - 1, attrs);
      }
   }

   void expectUnmapped(uint64_t va, uint64_t size)
   {
      for (uint64_t at = 0; at < size; at += kPage)
         EXPECT_FALSE(vm->translate(va + at)) << std::hex << "va 0x" << va + at;
   }

   // The tree holds [va, va + size) as one mapping of `bo` at `offset`.
   void expectMapping(uint64_t va, uint64_t size, uint32_t bo, uint64_t offset, uint32_t flags = 0)
   {
      const auto m = vm->mappingAt(va);
      ASSERT_TRUE(m) << std::hex << "no mapping at 0x" << va;
      EXPECT_EQ(m->va, va);
      EXPECT_EQ(m->size, size);
      EXPECT_EQ(m->bo, file->lookupBo(bo));
      EXPECT_EQ(m->boOffset, offset);
      EXPECT_EQ(m->flags, flags);
   }

   std::shared_ptr<Device> dev = makeDevice(10);
   std::shared_ptr<File> file = dev ? dev->open() : nullptr;
   uint32_t vmId = 0;
   std::shared_ptr<Vm> vm;
};

TEST_F(VmBindTest, MapOverTheMiddleKeepsPrevAndNext)
{
   const uint32_t a = newBo(*file, kMiB), b = newBo(*file, kMiB);
   ASSERT_EQ(bindOp(mapOp(a, 16 * kPage, kVa, 64 * kPage, kReadOnly)), 0);
   ASSERT_EQ(bindOp(mapOp(b, 8 * kPage, kVa + 16 * kPage, 16 * kPage)), 0);

   EXPECT_EQ(vm->mappingCount(), 3u);
   expectMapping(kVa, 16 * kPage, a, 16 * kPage, kReadOnly);
   expectMapping(kVa + 16 * kPage, 16 * kPage, b, 8 * kPage);
   expectMapping(kVa + 32 * kPage, 32 * kPage, a, 48 * kPage, kReadOnly);

   const PteAttrs ro{.readOnly = true};
   expectBoRange(kVa, 16 * kPage, a, 16 * kPage, ro);
   expectBoRange(kVa + 16 * kPage, 16 * kPage, b, 8 * kPage);
   expectBoRange(kVa + 32 * kPage, 32 * kPage, a, 48 * kPage, ro);
   EXPECT_FALSE(vm->translate(kVa + 64 * kPage));
}

TEST_F(VmBindTest, MapOverTheStartOrTheEnd)
{
   const uint32_t a = newBo(*file, kMiB), b = newBo(*file, kMiB);
   ASSERT_EQ(bindOp(mapOp(a, 0, kVa, 32 * kPage)), 0);
   // Over the start, reaching before it.
   ASSERT_EQ(bindOp(mapOp(b, 0, kVa - 4 * kPage, 12 * kPage)), 0);
   // Over the end, reaching past it.
   ASSERT_EQ(bindOp(mapOp(b, 64 * kPage, kVa + 28 * kPage, 8 * kPage, kNoExec)), 0);

   EXPECT_EQ(vm->mappingCount(), 3u);
   expectMapping(kVa - 4 * kPage, 12 * kPage, b, 0);
   expectMapping(kVa + 8 * kPage, 20 * kPage, a, 8 * kPage);
   expectMapping(kVa + 28 * kPage, 8 * kPage, b, 64 * kPage, kNoExec);

   expectBoRange(kVa - 4 * kPage, 12 * kPage, b, 0);
   expectBoRange(kVa + 8 * kPage, 20 * kPage, a, 8 * kPage);
   expectBoRange(kVa + 28 * kPage, 8 * kPage, b, 64 * kPage, {.noExec = true});
}

TEST_F(VmBindTest, PartialUnmaps)
{
   const uint32_t a = newBo(*file, kMiB);
   ASSERT_EQ(bindOp(mapOp(a, 0, kVa, 64 * kPage, kUncached)), 0);
   ASSERT_EQ(bindOp(unmapOp(kVa + 10 * kPage, 4 * kPage)), 0); // middle
   ASSERT_EQ(bindOp(unmapOp(kVa - 8 * kPage, 10 * kPage)), 0); // start
   ASSERT_EQ(bindOp(unmapOp(kVa + 60 * kPage, 16 * kPage)), 0); // end

   EXPECT_EQ(vm->mappingCount(), 2u);
   expectMapping(kVa + 2 * kPage, 8 * kPage, a, 2 * kPage, kUncached);
   expectMapping(kVa + 14 * kPage, 46 * kPage, a, 14 * kPage, kUncached);
   const PteAttrs uc{.uncached = true};
   expectUnmapped(kVa, 2 * kPage);
   expectBoRange(kVa + 2 * kPage, 8 * kPage, a, 2 * kPage, uc);
   expectUnmapped(kVa + 10 * kPage, 4 * kPage);
   expectBoRange(kVa + 14 * kPage, 46 * kPage, a, 14 * kPage, uc);
   expectUnmapped(kVa + 60 * kPage, 4 * kPage);
}

TEST_F(VmBindTest, MapAcrossSeveralMappings)
{
   const uint32_t a = newBo(*file, kMiB), c = newBo(*file, kMiB);
   for (int i = 0; i < 4; i++)
      ASSERT_EQ(bindOp(mapOp(a, i * 32 * kPage, kVa + i * 16 * kPage, 16 * kPage)), 0);
   ASSERT_EQ(vm->mappingCount(), 4u);
   // From the middle of the first to the middle of the last.
   ASSERT_EQ(bindOp(mapOp(c, 0, kVa + 8 * kPage, 48 * kPage)), 0);

   EXPECT_EQ(vm->mappingCount(), 3u);
   expectMapping(kVa, 8 * kPage, a, 0);
   expectMapping(kVa + 8 * kPage, 48 * kPage, c, 0);
   expectMapping(kVa + 56 * kPage, 8 * kPage, a, 3 * 32 * kPage + 8 * kPage);
   expectBoRange(kVa, 8 * kPage, a, 0);
   expectBoRange(kVa + 8 * kPage, 48 * kPage, c, 0);
   expectBoRange(kVa + 56 * kPage, 8 * kPage, a, 104 * kPage);

   // An unmap across several: two remainders, nothing in between.
   ASSERT_EQ(bindOp(unmapOp(kVa + 4 * kPage, 56 * kPage)), 0);
   EXPECT_EQ(vm->mappingCount(), 2u);
   expectMapping(kVa, 4 * kPage, a, 0);
   expectMapping(kVa + 60 * kPage, 4 * kPage, a, 108 * kPage);
   expectUnmapped(kVa + 4 * kPage, 56 * kPage);
}

TEST_F(VmBindTest, AdjacentMappingsAreNeverMerged)
{
   const uint32_t a = newBo(*file, kMiB);
   ASSERT_EQ(bindOp(mapOp(a, 0, kVa, 16 * kPage)), 0);
   ASSERT_EQ(bindOp(mapOp(a, 16 * kPage, kVa + 16 * kPage, 16 * kPage)), 0);
   EXPECT_EQ(vm->mappingCount(), 2u);

   // Re-filling a hole with the very mapping that was there leaves three.
   ASSERT_EQ(bindOp(unmapOp(kVa + 4 * kPage, 4 * kPage)), 0);
   ASSERT_EQ(bindOp(mapOp(a, 4 * kPage, kVa + 4 * kPage, 4 * kPage)), 0);
   EXPECT_EQ(vm->mappingCount(), 4u);
   expectMapping(kVa + 4 * kPage, 4 * kPage, a, 4 * kPage);
   expectBoRange(kVa, 32 * kPage, a, 0);
}

TEST_F(VmBindTest, AlignedMapsOfLargeBosUse2MiBBlocks)
{
   const uint32_t big = newBo(*file, 4 * kMiB + 64 * kKiB);
   ASSERT_EQ(file->lookupBo(big)->backingAt(0).contiguous, kBlock) << "precondition: 2 MiB pages";
   ASSERT_EQ(bindOp(mapOp(big, 0, kVa, 4 * kMiB + 64 * kKiB)), 0);
   for (uint64_t at : {uint64_t(0), kBlock - 1, kBlock, 4 * kMiB - 1}) {
      const auto t = vm->translate(kVa + at);
      ASSERT_TRUE(t);
      EXPECT_EQ(t->level, 2u) << std::hex << at;
      EXPECT_EQ(t->leafSize, kBlock);
      EXPECT_EQ(t->phys, boPhys(*file, big, at));
   }
   const auto tail = vm->translate(kVa + 4 * kMiB + kPage);
   ASSERT_TRUE(tail);
   EXPECT_EQ(tail->level, 3u) << "the 64 KiB past the last block";
   EXPECT_EQ(tail->phys, boPhys(*file, big, 4 * kMiB + kPage));

   // The second block alone, at another aligned VA.
   ASSERT_EQ(bindOp(mapOp(big, kBlock, kVa + 8 * kMiB, kBlock)), 0);
   EXPECT_EQ(vm->translate(kVa + 8 * kMiB + 77)->level, 2u);
   expectBoByte(kVa + 8 * kMiB + 77, big, kBlock + 77);

   // A BO offset off the 2 MiB grid can only use 4 KiB pages.
   ASSERT_EQ(bindOp(mapOp(big, kPage, kVa + 16 * kMiB, kBlock)), 0);
   EXPECT_EQ(vm->translate(kVa + 16 * kMiB)->level, 3u);
   expectBoRange(kVa + 16 * kMiB, kBlock, big, kPage);
}

TEST_F(VmBindTest, AnUnmapInsideABlockSplitsIt)
{
   const uint32_t big = newBo(*file, 4 * kMiB);
   ASSERT_EQ(bindOp(mapOp(big, 0, kVa, 4 * kMiB)), 0);
   ASSERT_EQ(vm->translate(kVa + kMiB)->level, 2u);
   const uint64_t tablesBefore = vm->counters().tablePages;

   const uint64_t hole = kVa + kMiB;
   ASSERT_EQ(bindOp(unmapOp(hole, kPage)), 0);
   EXPECT_FALSE(vm->translate(hole));
   EXPECT_FALSE(vm->translate(hole + kPage - 1));
   EXPECT_EQ(vm->counters().tablePages, tablesBefore + 1) << "one level-3 table for the split block";
   for (uint64_t va = kVa; va < kVa + kBlock; va += kPage) {
      if (va == hole)
         continue;
      const auto t = vm->translate(va + 5);
      ASSERT_TRUE(t) << std::hex << va;
      EXPECT_EQ(t->level, 3u);
      EXPECT_EQ(t->phys, boPhys(*file, big, va - kVa + 5));
   }
   const auto other = vm->translate(kVa + kBlock + 5);
   ASSERT_TRUE(other);
   EXPECT_EQ(other->level, 2u) << "the other block is untouched";
   EXPECT_EQ(vm->mappingCount(), 2u);
   expectMapping(kVa, kMiB, big, 0);
   expectMapping(hole + kPage, 3 * kMiB - kPage, big, kMiB + kPage);
}

TEST_F(VmBindTest, WholeBlocksAreReplacedOrUnmapped)
{
   const uint32_t big = newBo(*file, 4 * kMiB), other = newBo(*file, 2 * kMiB);
   ASSERT_EQ(bindOp(mapOp(big, 0, kVa, 4 * kMiB)), 0);
   ASSERT_EQ(bindOp(mapOp(other, 0, kVa, 2 * kMiB)), 0);
   const auto replaced = vm->translate(kVa + 99);
   ASSERT_TRUE(replaced);
   EXPECT_EQ(replaced->level, 2u);
   EXPECT_EQ(replaced->phys, boPhys(*file, other, 99));
   expectBoByte(kVa + kBlock + 99, big, kBlock + 99);

   ASSERT_EQ(bindOp(unmapOp(kVa + kBlock, kBlock)), 0);
   expectUnmapped(kVa + kBlock, kBlock);
   expectBoByte(kVa + 99, other, 99);
   EXPECT_EQ(vm->mappingCount(), 1u);
}

TEST_F(VmBindTest, SparseRangesRepeatTheDummyEvery2MiB)
{
   const uint64_t dummy = dummyBase(*file);
   ASSERT_NE(dummy, 0u);
   // Unaligned at both ends, with four whole 2 MiB stretches inside.
   const uint64_t start = kVa + kBlock - 8 * kPage, end = kVa + 5 * kBlock + 12 * kPage;
   ASSERT_EQ(bindOp(sparseOp(start, end - start)), 0);
   for (uint64_t va = start; va < end; va += 61 * kPage + 123) {
      const auto t = vm->translate(va);
      ASSERT_TRUE(t) << std::hex << va;
      EXPECT_EQ(t->phys, dummy + va % kBlock) << std::hex << va;
      EXPECT_EQ(t->attrs, PteAttrs{.noExec = true});
   }
   EXPECT_EQ(vm->translate(start)->level, 3u);
   EXPECT_EQ(vm->translate(kVa + 2 * kBlock)->level, 2u);
   EXPECT_EQ(vm->translate(kVa + 4 * kBlock + kBlock - 1)->level, 2u);
   EXPECT_EQ(vm->translate(end - 1)->level, 3u);
   EXPECT_FALSE(vm->translate(start - 1));
   EXPECT_FALSE(vm->translate(end));

   // Two VAs 2 MiB apart are the same byte.
   const uint64_t x = kVa + 2 * kBlock + 0x1234, y = x + 2 * kBlock;
   EXPECT_EQ(vm->translate(x)->phys, vm->translate(y)->phys);
   *physByte(vm->translate(x)->phys) = 0x9c;
   EXPECT_EQ(*physByte(vm->translate(y)->phys), 0x9c);
   EXPECT_EQ(*physByte(vm->translate(start + (x - start) % kBlock)->phys), 0x9c);
}

TEST_F(VmBindTest, SparseRemaindersKeepVaModulo2MiB)
{
   const uint64_t dummy = dummyBase(*file);
   const uint32_t a = newBo(*file, kMiB);
   ASSERT_EQ(bindOp(sparseOp(kVa, 4 * kBlock)), 0);
   ASSERT_EQ(bindOp(mapOp(a, 0, kVa + kBlock + 3 * kPage, 5 * kPage)), 0);
   EXPECT_EQ(vm->mappingCount(), 3u);
   for (uint64_t va : {kVa + 5, kVa + kBlock + 2 * kPage, kVa + kBlock + 8 * kPage + 9,
                       kVa + 3 * kBlock + 17}) {
      const auto t = vm->translate(va);
      ASSERT_TRUE(t);
      EXPECT_EQ(t->phys, dummy + va % kBlock) << std::hex << va;
   }
   expectBoRange(kVa + kBlock + 3 * kPage, 5 * kPage, a, 0);
   EXPECT_EQ(vm->translate(kVa + 2 * kBlock)->level, 2u) << "the blocks not touched stay blocks";
}

TEST_F(VmBindTest, EveryFileHasItsOwnDummy)
{
   std::shared_ptr<File> other = dev->open();
   const uint32_t otherVm = newVm(*other);
   ASSERT_EQ(bindOp(sparseOp(kVa, kBlock)), 0);
   ASSERT_EQ(bindOne(*other, otherVm, sparseOp(kVa, kBlock)), 0);
   const uint64_t mine = vm->translate(kVa)->phys;
   const uint64_t theirs = translate(*other, otherVm, kVa)->phys;
   EXPECT_EQ(mine, dummyBase(*file));
   EXPECT_EQ(theirs, dummyBase(*other));
   EXPECT_TRUE(mine + kBlock <= theirs || theirs + kBlock <= mine) << "the dummies overlap";
   *physByte(mine + 100) = 0x42;
   EXPECT_EQ(*physByte(theirs + 100), 0) << "a write to one file's dummy shows in the other's";
}

TEST_F(VmBindTest, MapFlagsAppearInTheWalk)
{
   const uint32_t a = newBo(*file, kMiB);
   const struct {
      uint32_t flags;
      PteAttrs attrs;
   } cases[] = {
      {0, {}},
      {kReadOnly, {.readOnly = true}},
      {kNoExec, {.noExec = true}},
      {kUncached, {.uncached = true}},
      {kReadOnly | kNoExec | kUncached, {true, true, true}},
   };
   uint64_t va = kVa;
   for (const auto &c : cases) {
      ASSERT_EQ(bindOp(mapOp(a, 0, va, 4 * kPage, c.flags)), 0);
      const auto t = vm->translate(va + kPage);
      ASSERT_TRUE(t);
      EXPECT_EQ(t->attrs, c.attrs) << "flags " << c.flags;
      va += kMiB;
   }
   ASSERT_EQ(bindOp(sparseOp(kVa + 16 * kMiB, kBlock, kNoExec | kReadOnly | kUncached)), 0);
   EXPECT_EQ(vm->translate(kVa + 16 * kMiB)->attrs, (PteAttrs{true, true, true}));
}

TEST_F(VmBindTest, UnmappingEverythingLeavesOnlyTheRoot)
{
   const uint32_t big = newBo(*file, 4 * kMiB), small = newBo(*file, 64 * kKiB);
   ASSERT_EQ(bindOp(mapOp(big, 0, kVa, 4 * kMiB)), 0);
   ASSERT_EQ(bindOp(mapOp(small, 0, kVa + 5 * kMiB, 64 * kKiB)), 0);
   ASSERT_EQ(bindOp(sparseOp(100 * kGiB - kBlock / 2, 3 * kBlock)), 0);
   ASSERT_EQ(bindOp(unmapOp(kVa + kMiB, kPage)), 0);
   EXPECT_GT(vm->counters().tablePages, 1u);

   ASSERT_EQ(bindOp(unmapOp(0, 200 * kGiB)), 0);
   EXPECT_EQ(vm->mappingCount(), 0u);
   EXPECT_EQ(vm->counters().tablePages, 1u);
   EXPECT_EQ(pagesInUse(*dev, AllocSite::PageTablePages), 1u);
}

TEST_F(VmBindTest, ClosingTheFileGivesBackEveryPage)
{
   const uint32_t big = newBo(*file, 4 * kMiB), small = newBo(*file, 64 * kKiB);
   const uint32_t vm2 = newVm(*file);
   ASSERT_EQ(bindOp(mapOp(big, 0, kVa, 4 * kMiB)), 0);
   ASSERT_EQ(bindOp(sparseOp(kVa + 8 * kMiB, 3 * kBlock)), 0);
   ASSERT_EQ(bindOne(*file, vm2, mapOp(small, 0, kVa, 64 * kKiB)), 0);
   vm.reset();

   ASSERT_EQ(destroyVm(*file, vmId), 0);
   ASSERT_EQ(destroyVm(*file, vm2), 0);
   ASSERT_EQ(closeBo(*file, big), 0);
   ASSERT_EQ(closeBo(*file, small), 0);
   EXPECT_EQ(pagesInUse(*dev, AllocSite::PageTablePages), 0u);
   EXPECT_EQ(pagesInUse(*dev, AllocSite::BoPages), kBlock / kPage) << "only the file's dummy";

   file.reset();
   for (AllocSite site : {AllocSite::BoPages, AllocSite::PageTablePages, AllocSite::FaultPages})
      EXPECT_EQ(pagesInUse(*dev, site), 0u) << "site " << unsigned(site);
   EXPECT_EQ(dev->openFiles(), 0u);
}

TEST_F(VmBindTest, ClosingTheFileWithEverythingLiveGivesBackEveryPage)
{
   const uint32_t big = newBo(*file, 4 * kMiB);
   ASSERT_EQ(bindOp(mapOp(big, 0, kVa, 4 * kMiB)), 0);
   ASSERT_EQ(bindOp(sparseOp(kVa + 8 * kMiB, 3 * kBlock)), 0);
   ASSERT_EQ(bindOp(unmapOp(kVa + kMiB, kPage)), 0);
   vm.reset();
   file.reset();
   for (AllocSite site : {AllocSite::BoPages, AllocSite::PageTablePages, AllocSite::FaultPages})
      EXPECT_EQ(pagesInUse(*dev, site), 0u) << "site " << unsigned(site);
}

} // namespace
} // namespace pan::mock
