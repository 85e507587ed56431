// Alloc-on-fault BOs (driver 1.10) under the MMU model: a GPU fault inside
// the mapping populates and maps exactly one granularity-aligned chunk; what
// cannot be allocated is an unhandled fault that leaves the VM usable.
#include <gtest/gtest.h>

#include "MmuTestFixture.h"

namespace pan::mock {
namespace {

using namespace testutil;

constexpr uint64_t kVa = 1 * kGiB; // 2 MiB aligned
constexpr uint32_t k64K = 64 * 1024;

class AllocOnFaultTest : public MmuFixture {
protected:
   AccessResult touch(uint64_t va, uint8_t value = 0x5c)
   {
      return mmu().copyToGpu(*vm, va, &value, 1);
   }

   uint64_t resident(uint32_t handle) { return file->lookupBo(handle)->residentBytes(); }
   bool mapped(uint64_t va) { return vm->translate(va).has_value(); }
};

TEST_F(AllocOnFaultTest, AMapWritesNoEntries)
{
   const uint32_t bo = newAllocOnFaultBo(*file, 1 * kMiB, k64K);
   ASSERT_EQ(bindOne(*file, vmId, mapOp(bo, 0, kVa, 1 * kMiB)), 0);
   EXPECT_EQ(vm->counters().entriesWritten, 0u);
   EXPECT_FALSE(mapped(kVa));
   EXPECT_EQ(resident(bo), 0u);
}

TEST_F(AllocOnFaultTest, ThreeTouchesPopulateThreeChunks)
{
   const uint32_t bo = newAllocOnFaultBo(*file, 1 * kMiB, k64K);
   ASSERT_EQ(bindOne(*file, vmId, mapOp(bo, 0, kVa, 1 * kMiB)), 0);

   for (const uint64_t offset : {uint64_t(5), 3 * uint64_t(k64K) + 100, 9 * uint64_t(k64K) + k64K - 1}) {
      const AccessResult result = touch(kVa + offset);
      ASSERT_TRUE(result.ok());
      EXPECT_EQ(result.faultsHandled, 1u);
      ASSERT_TRUE(result.fault);
      EXPECT_TRUE(result.fault->handled);
      EXPECT_EQ(result.fault->va, kVa + offset);
      EXPECT_EQ(result.fault->status, expectedStatus(0xC0 + result.fault->level(), AccessKind::Write));
   }
   EXPECT_EQ(resident(bo), 3u * k64K);
   EXPECT_EQ(mmu().counters().faultsHandled, 3u);
   EXPECT_EQ(mmu().counters().faultsUnhandled, 0u);
   EXPECT_FALSE(vm->hasUnhandledFault());

   // Exactly the chunks: first and last byte of chunk 3 mapped, its neighbours not.
   EXPECT_TRUE(mapped(kVa + 3 * k64K));
   EXPECT_TRUE(mapped(kVa + 4 * k64K - 1));
   EXPECT_FALSE(mapped(kVa + 3 * k64K - 1));
   EXPECT_FALSE(mapped(kVa + 4 * k64K));
   const auto t = vm->translate(kVa + 3 * k64K + 100);
   ASSERT_TRUE(t);
   EXPECT_EQ(t->phys, boPhys(*file, bo, 3 * k64K + 100));
   EXPECT_EQ(*physByte(t->phys), 0x5c);

   // The same chunk again: no fault.
   const AccessResult again = touch(kVa + 3 * k64K + 7);
   EXPECT_TRUE(again.ok());
   EXPECT_FALSE(again.fault);
   EXPECT_EQ(mmu().counters().faultsHandled, 3u);
   EXPECT_EQ(resident(bo), 3u * k64K);
}

TEST_F(AllocOnFaultTest, AnAccessAcrossChunksFaultsOncePerChunk)
{
   const uint32_t bo = newAllocOnFaultBo(*file, 1 * kMiB, k64K);
   ASSERT_EQ(bindOne(*file, vmId, mapOp(bo, 0, kVa, 1 * kMiB)), 0);
   std::vector<uint8_t> data(3 * k64K, 0x42);
   const AccessResult result = write(kVa + k64K / 2, data);
   ASSERT_TRUE(result.ok());
   EXPECT_EQ(result.bytesDone, data.size());
   EXPECT_EQ(result.faultsHandled, 4u);
   EXPECT_EQ(resident(bo), 4u * k64K);
   const std::vector<uint8_t> back = read(kVa + k64K / 2, data.size());
   EXPECT_EQ(back, data);
   EXPECT_EQ(read(kVa, 1)[0], 0) << "populated chunks read as zero";
}

TEST_F(AllocOnFaultTest, TwoMiBGranularityOnAnAlignedVaUsesABlock)
{
   const uint32_t bo = newAllocOnFaultBo(*file, 8 * kMiB, 2 * kMiB);
   ASSERT_EQ(bindOne(*file, vmId, mapOp(bo, 0, kVa, 8 * kMiB)), 0);
   ASSERT_TRUE(touch(kVa + 2 * kMiB + 12345).ok());
   const auto t = vm->translate(kVa + 2 * kMiB);
   ASSERT_TRUE(t);
   EXPECT_EQ(t->level, 2u);
   EXPECT_EQ(t->leafSize, 2 * kMiB);
   EXPECT_FALSE(mapped(kVa + 2 * kMiB - 1));
   EXPECT_FALSE(mapped(kVa + 4 * kMiB));
   EXPECT_EQ(resident(bo), 2 * kMiB);
}

TEST_F(AllocOnFaultTest, TheChunkIsClippedToTheMapping)
{
   const uint32_t bo = newAllocOnFaultBo(*file, 1 * kMiB, k64K);
   // BO offsets [16K, 80K) at kVa: the mapping starts and ends inside chunks.
   ASSERT_EQ(bindOne(*file, vmId, mapOp(bo, 16 * kKiB, kVa, 64 * kKiB)), 0);
   ASSERT_TRUE(touch(kVa + 60 * kKiB).ok()); // BO offset 76K: chunk 1
   EXPECT_TRUE(mapped(kVa + 48 * kKiB));     // BO offset 64K: the chunk's start
   EXPECT_TRUE(mapped(kVa + 64 * kKiB - 1));
   EXPECT_FALSE(mapped(kVa + 48 * kKiB - 1));
   EXPECT_FALSE(mapped(kVa + 64 * kKiB));
   ASSERT_TRUE(touch(kVa).ok()); // BO offset 16K: chunk 0, mapped from the mapping's start
   EXPECT_TRUE(mapped(kVa));
   EXPECT_TRUE(mapped(kVa + 48 * kKiB - 1));
   EXPECT_FALSE(mapped(kVa - 1));
   EXPECT_EQ(resident(bo), 2u * k64K);
}

TEST_F(AllocOnFaultTest, UnmapSkipsUnpopulatedChunksAndChunksStayWithTheBo)
{
   const uint32_t bo = newAllocOnFaultBo(*file, 1 * kMiB, k64K);
   ASSERT_EQ(bindOne(*file, vmId, mapOp(bo, 0, kVa, 1 * kMiB)), 0);
   ASSERT_TRUE(touch(kVa + 2 * k64K).ok());
   ASSERT_EQ(bindOne(*file, vmId, unmapOp(kVa, 1 * kMiB)), 0);
   EXPECT_FALSE(mapped(kVa + 2 * k64K));
   EXPECT_EQ(vm->counters().tablePages, 1u) << "only the root is left";
   EXPECT_EQ(resident(bo), uint64_t(k64K));
   const AccessResult gone = touch(kVa + 2 * k64K);
   ASSERT_TRUE(gone.fault);
   EXPECT_FALSE(gone.fault->handled) << "no mapping: the handler has nothing to populate";
}

// Populated chunks are mapped by a later MAP of the BO range; the rest
// faults and populates there.
TEST_F(AllocOnFaultTest, ALaterMapElsewhereMapsOnlyPopulatedChunks)
{
   const uint32_t bo = newAllocOnFaultBo(*file, 1 * kMiB, k64K);
   ASSERT_EQ(bindOne(*file, vmId, mapOp(bo, 0, kVa, 1 * kMiB)), 0);
   ASSERT_TRUE(touch(kVa + 1 * k64K + 1, 0x91).ok());
   ASSERT_TRUE(touch(kVa + 5 * k64K + 1, 0x95).ok());

   const uint32_t otherId = newVm(*file);
   std::shared_ptr<Vm> other = file->lookupVm(otherId);
   const uint64_t otherVa = 3 * kGiB + 4 * kPage;
   ASSERT_EQ(bindOne(*file, otherId, mapOp(bo, 0, otherVa, 1 * kMiB)), 0);
   for (unsigned chunk = 0; chunk < 16; chunk++) {
      const bool populated = chunk == 1 || chunk == 5;
      EXPECT_EQ(other->translate(otherVa + chunk * k64K).has_value(), populated) << "chunk " << chunk;
   }
   uint8_t byte = 0;
   AccessResult result = mmu().copyFromGpu(*other, otherVa + 5 * k64K + 1, &byte, 1);
   EXPECT_TRUE(result.ok());
   EXPECT_FALSE(result.fault) << "populated: no fault";
   EXPECT_EQ(byte, 0x95);

   result = mmu().copyFromGpu(*other, otherVa + 7 * k64K, &byte, 1);
   EXPECT_TRUE(result.ok());
   EXPECT_EQ(result.faultsHandled, 1u);
   EXPECT_EQ(resident(bo), 3u * k64K);
   // The first VM sees the new chunk only after its own fault maps it.
   EXPECT_FALSE(mapped(kVa + 7 * k64K));
   EXPECT_TRUE(touch(kVa + 7 * k64K).ok());
   EXPECT_EQ(vm->translate(kVa + 7 * k64K)->phys, other->translate(otherVa + 7 * k64K)->phys);
   EXPECT_EQ(resident(bo), 3u * k64K);
}

TEST_F(AllocOnFaultTest, PermissionFaultsAreNeverHandled)
{
   const uint32_t bo = newAllocOnFaultBo(*file, 1 * kMiB, k64K);
   ASSERT_EQ(bindOne(*file, vmId, mapOp(bo, 0, kVa, 1 * kMiB, kReadOnly)), 0);
   const AccessResult result = touch(kVa + 10);
   EXPECT_FALSE(result.ok());
   EXPECT_EQ(result.faultsHandled, 1u) << "the translation fault populates";
   ASSERT_TRUE(result.fault);
   EXPECT_TRUE(result.fault->isPermission());
   EXPECT_FALSE(result.fault->handled);
   EXPECT_EQ(resident(bo), uint64_t(k64K));
   read(kVa + 10, 1); // reading is fine
   EXPECT_EQ(mmu().counters().faultsUnhandled, 1u);
}

// 4 KiB chunks: one order-0 allocation each, so the first failure is final
// (a larger chunk falls back to smaller blocks, as on a fragmented arena).
TEST_F(AllocOnFaultTest, AFailedChunkAllocationIsAnUnhandledFault)
{
   const uint32_t bo = newAllocOnFaultBo(*file, 1 * kMiB, kPage);
   ASSERT_EQ(bindOne(*file, vmId, mapOp(bo, 0, kVa, 1 * kMiB)), 0);
   dev->memory().failNth(AllocSite::FaultPages, 1);
   const AccessResult result = touch(kVa + 3 * k64K);
   EXPECT_FALSE(result.ok());
   EXPECT_EQ(result.bytesDone, 0u);
   ASSERT_TRUE(result.fault);
   EXPECT_FALSE(result.fault->handled);
   EXPECT_TRUE(result.fault->isTranslation());
   EXPECT_EQ(resident(bo), 0u);
   EXPECT_EQ(pagesInUse(*dev, AllocSite::FaultPages), 0u);
   EXPECT_EQ(mmu().counters().faultsUnhandled, 1u);
   EXPECT_EQ(mmu().counters().faultsHandled, 0u);
   EXPECT_TRUE(vm->hasUnhandledFault());
   EXPECT_EQ(vm->lastUnhandledFault()->va, kVa + 3 * k64K);
   EXPECT_EQ(vmState(*file, vmId), uint32_t(DRM_PANTHOR_VM_STATE_USABLE));

   // The next access (a new job) re-enables the slot and the fault is handled.
   EXPECT_TRUE(touch(kVa + 3 * k64K).ok());
   EXPECT_EQ(resident(bo), kPage);
   EXPECT_EQ(bindOne(*file, vmId, unmapOp(kVa, 1 * kMiB)), 0) << "the VM still takes binds";
}

TEST_F(AllocOnFaultTest, ALargerChunkFailsWhenEveryAllocationDoes)
{
   const uint32_t bo = newAllocOnFaultBo(*file, 1 * kMiB, k64K);
   ASSERT_EQ(bindOne(*file, vmId, mapOp(bo, 0, kVa, 1 * kMiB)), 0);
   dev->memory().failWithProbability(AllocSite::FaultPages, 1.0, 1);
   const AccessResult result = touch(kVa + k64K);
   dev->memory().clearFailures();
   ASSERT_TRUE(result.fault);
   EXPECT_FALSE(result.fault->handled);
   EXPECT_EQ(resident(bo), 0u);
   EXPECT_EQ(pagesInUse(*dev, AllocSite::FaultPages), 0u);
}

TEST_F(AllocOnFaultTest, AFailedTablePageReservationKeepsThePopulatedChunk)
{
   const uint32_t bo = newAllocOnFaultBo(*file, 1 * kMiB, k64K);
   ASSERT_EQ(bindOne(*file, vmId, mapOp(bo, 0, kVa, 1 * kMiB)), 0);
   const uint64_t tablesBefore = pagesInUse(*dev, AllocSite::PageTablePages);
   dev->memory().failNth(AllocSite::PageTablePages, 1);
   const AccessResult result = touch(kVa);
   ASSERT_TRUE(result.fault);
   EXPECT_FALSE(result.fault->handled);
   EXPECT_EQ(pagesInUse(*dev, AllocSite::PageTablePages), tablesBefore);
   EXPECT_EQ(resident(bo), uint64_t(k64K)) << "the chunk stays with the BO";

   const uint64_t faultPages = pagesInUse(*dev, AllocSite::FaultPages);
   EXPECT_TRUE(touch(kVa).ok());
   EXPECT_EQ(pagesInUse(*dev, AllocSite::FaultPages), faultPages) << "mapped, not allocated again";
}

// A small budget runs out: the fault is unhandled, and once everything is
// freed no page is left behind at any allocation site.
class AllocOnFaultBudgetTest : public AllocOnFaultTest {
protected:
   AllocOnFaultBudgetTest() { memoryBytes_ = 16 * kMiB; }
};

TEST_F(AllocOnFaultBudgetTest, ExhaustionIsUnhandledAndNothingLeaks)
{
   const uint32_t bo = newAllocOnFaultBo(*file, 64 * kMiB, 2 * kMiB);
   ASSERT_EQ(bindOne(*file, vmId, mapOp(bo, 0, kVa, 64 * kMiB)), 0);
   unsigned populated = 0;
   AccessResult result;
   for (; populated < 32; populated++) {
      result = touch(kVa + populated * 2 * kMiB + 17);
      if (!result.ok())
         break;
   }
   EXPECT_GT(populated, 0u);
   EXPECT_LT(populated, 8u) << "16 MiB cannot hold 8 chunks of 2 MiB and the tables";
   ASSERT_TRUE(result.fault);
   EXPECT_FALSE(result.fault->handled);
   EXPECT_TRUE(vm->hasUnhandledFault());
   EXPECT_EQ(vmState(*file, vmId), uint32_t(DRM_PANTHOR_VM_STATE_USABLE));
   EXPECT_EQ(resident(bo), populated * 2 * kMiB);
   EXPECT_GT(dev->memory().counters(AllocSite::FaultPages).failures, 0u);

   // Earlier chunks still hold their bytes.
   EXPECT_EQ(read(kVa + 17, 1)[0], 0x5c);

   vm.reset();
   file.reset();
   for (unsigned site = 0; site < unsigned(AllocSite::Count); site++)
      EXPECT_EQ(pagesInUse(*dev, AllocSite(site)), 0u) << "site " << site;
   EXPECT_EQ(dev->memory().freeBytes(), dev->memory().budgetBytes());
}

} // namespace
} // namespace pan::mock
