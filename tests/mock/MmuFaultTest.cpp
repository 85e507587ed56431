// Faults of the MMU model: permissions as the kernel sets them (READONLY ->
// write faults, NOEXEC -> execute faults), what the address space latches,
// what an unhandled fault does to the slot and the VM, and the TLB never
// serving a translation that a bind removed.
#include <gtest/gtest.h>

#include "MmuTestFixture.h"

namespace pan::mock {
namespace {

using namespace testutil;

constexpr uint64_t kVa = 1 * kGiB;

class MmuFaultTest : public MmuFixture {};

TEST_F(MmuFaultTest, WriteToReadOnlyIsAPermissionFault)
{
   const uint32_t bo = newFilledBo(2 * kPage, 9);
   ASSERT_EQ(bindOne(*file, vmId, mapOp(bo, 0, kVa, 2 * kPage, kReadOnly)), 0);
   read(kVa, 2 * kPage); // reads are allowed

   const std::vector<uint8_t> data(8, 0xee);
   const AccessResult result = write(kVa + kPage + 4, data);
   EXPECT_FALSE(result.ok());
   EXPECT_EQ(result.bytesDone, 0u);
   ASSERT_TRUE(result.fault);
   EXPECT_EQ(result.fault->va, kVa + kPage + 4);
   EXPECT_EQ(result.fault->status, expectedStatus(0xC8 + 3, AccessKind::Write));
   EXPECT_EQ(result.fault->status, 0x3CBu);
   EXPECT_TRUE(result.fault->isPermission());
   EXPECT_FALSE(result.fault->handled);
   EXPECT_EQ(boByte(bo, kPage + 4), MmuFixture::pattern(9, kPage + 4)) << "the write went through";

   // The slot latched the fault and is disabled; the VM records it and stays usable.
   const std::optional<unsigned> slot = mmu().slotOf(*vm);
   ASSERT_TRUE(slot);
   const AddressSpaceState as = mmu().addressSpace(*slot);
   EXPECT_FALSE(as.enabled);
   EXPECT_EQ(as.faultStatus, 0x3CBu);
   EXPECT_EQ(as.faultAddress, kVa + kPage + 4);
   EXPECT_TRUE(vm->hasUnhandledFault());
   ASSERT_TRUE(vm->lastUnhandledFault());
   EXPECT_EQ(*vm->lastUnhandledFault(), *result.fault);
   EXPECT_EQ(vmState(*file, vmId), uint32_t(DRM_PANTHOR_VM_STATE_USABLE));
   EXPECT_EQ(mmu().counters().faultsUnhandled, 1u);
   EXPECT_EQ(mmu().counters().faultsHandled, 0u);
}

TEST_F(MmuFaultTest, PermissionFaultOnA2MiBBlockReportsLevel2)
{
   const uint32_t bo = newBo(*file, 2 * kMiB);
   ASSERT_EQ(bindOne(*file, vmId, mapOp(bo, 0, kVa, 2 * kMiB, kReadOnly)), 0);
   const uint32_t value = 1;
   const AccessResult result = mmu().copyToGpu(*vm, kVa + kMiB, &value, 4);
   ASSERT_TRUE(result.fault);
   EXPECT_EQ(result.fault->status, expectedStatus(0xC8 + 2, AccessKind::Write));
}

TEST_F(MmuFaultTest, ExecuteOnNoExecFaultsAndReadDoesNot)
{
   const uint32_t code = newFilledBo(kPage, 1);
   const uint32_t data = newFilledBo(kPage, 2);
   ASSERT_EQ(bindOps(*file, vmId,
                     {mapOp(code, 0, kVa, kPage, kReadOnly), mapOp(data, 0, kVa + kPage, kPage, kNoExec)}),
             0);
   uint8_t bytes[16];
   EXPECT_TRUE(mmu().copyFromGpu(*vm, kVa, bytes, 16, AccessKind::Execute).ok());
   EXPECT_EQ(bytes[3], MmuFixture::pattern(1, 3));
   EXPECT_TRUE(mmu().copyFromGpu(*vm, kVa + kPage, bytes, 16, AccessKind::Read).ok());

   const AccessResult result = mmu().copyFromGpu(*vm, kVa + kPage - 8, bytes, 16, AccessKind::Execute);
   EXPECT_EQ(result.bytesDone, 8u) << "the executable page was fetched";
   ASSERT_TRUE(result.fault);
   EXPECT_EQ(result.fault->va, kVa + kPage);
   EXPECT_EQ(result.fault->status, expectedStatus(0xC8 + 3, AccessKind::Execute));
   EXPECT_EQ(result.fault->status, 0x1CBu);
   EXPECT_EQ(result.fault->kind, AccessKind::Execute);
}

TEST_F(MmuFaultTest, AtomicNeedsWritePermission)
{
   const uint32_t bo = newBo(*file, kPage);
   ASSERT_EQ(bindOne(*file, vmId, mapOp(bo, 0, kVa, kPage, kReadOnly)), 0);
   const AccessResult result =
      mmu().access(*vm, kVa + 8, 4, AccessKind::Atomic, [](uint8_t *, uint64_t, uint64_t) {});
   ASSERT_TRUE(result.fault);
   EXPECT_EQ(result.fault->status, expectedStatus(0xC8 + 3, AccessKind::Atomic));
   EXPECT_EQ(result.fault->status >> 8, 0u);
}

TEST_F(MmuFaultTest, TheNextAccessRebindsADisabledSlot)
{
   const uint32_t bo = newFilledBo(kPage, 4);
   ASSERT_EQ(bindOne(*file, vmId, mapOp(bo, 0, kVa, kPage)), 0);
   uint8_t byte;
   ASSERT_TRUE(mmu().copyFromGpu(*vm, kVa, &byte, 1).ok());
   ASSERT_FALSE(mmu().copyFromGpu(*vm, kVa + kPage, &byte, 1).ok());
   const unsigned slot = *mmu().slotOf(*vm);
   ASSERT_FALSE(mmu().addressSpace(slot).enabled);
   EXPECT_EQ(mmu().addressSpace(slot).tlbEntries, 0u) << "disabling flushes the TLB";
   const uint64_t bindsBefore = mmu().counters().slotBinds;

   ASSERT_TRUE(mmu().copyFromGpu(*vm, kVa + 1, &byte, 1).ok());
   EXPECT_EQ(byte, MmuFixture::pattern(4, 1));
   const AddressSpaceState as = mmu().addressSpace(*mmu().slotOf(*vm));
   EXPECT_TRUE(as.enabled);
   EXPECT_EQ(as.faultStatus, 0u) << "re-binding resets the fault registers";
   EXPECT_EQ(mmu().counters().slotBinds, bindsBefore + 1);
   EXPECT_TRUE(vm->hasUnhandledFault()) << "the VM's record is sticky";
}

// An access already running through the slot when another one faults
// unhandled on the same VM is stopped at its next page (the kernel kills
// every job on a faulted address space).
TEST_F(MmuFaultTest, AnUnhandledFaultAbortsOtherAccessesOnTheAddressSpace)
{
   // The spacer keeps `second` from being physically after `first`: two runs.
   const uint32_t first = newBo(*file, kPage);
   const uint32_t spacer = newBo(*file, kPage);
   const uint32_t second = newBo(*file, kPage);
   ASSERT_NE(boPhys(*file, first, 0) + kPage, boPhys(*file, second, 0));
   ASSERT_NE(spacer, 0u);
   ASSERT_EQ(bindOps(*file, vmId, {mapOp(first, 0, kVa, kPage), mapOp(second, 0, kVa + kPage, kPage)}), 0);

   bool faultedInside = false;
   const AccessResult result =
      mmu().access(*vm, kVa, 2 * kPage, AccessKind::Read, [&](uint8_t *, uint64_t, uint64_t offset) {
         if (offset == 0) {
            uint8_t byte;
            faultedInside = !mmu().copyFromGpu(*vm, kVa + 8 * kPage, &byte, 1).ok();
         }
      });
   EXPECT_TRUE(faultedInside);
   EXPECT_TRUE(result.aborted);
   EXPECT_FALSE(result.ok());
   EXPECT_EQ(result.bytesDone, kPage);
   ASSERT_TRUE(result.fault);
   EXPECT_EQ(result.fault->va, kVa + 8 * kPage) << "the fault latched in the slot";
   EXPECT_EQ(mmu().counters().accessesAborted, 1u);
}

// The TLB is filled, the mapping goes through VM_BIND, and the next access
// faults instead of reaching the old page; a new map is seen at once.
TEST_F(MmuFaultTest, UnmapInvalidatesTheTlb)
{
   const uint32_t oldBo = newFilledBo(2 * kMiB, 10);
   const uint32_t newBo_ = newFilledBo(2 * kMiB, 20);
   ASSERT_EQ(bindOne(*file, vmId, mapOp(oldBo, 0, kVa, 2 * kMiB)), 0);
   uint8_t byte = 0;
   ASSERT_TRUE(mmu().copyFromGpu(*vm, kVa + 5 * kPage, &byte, 1).ok());
   EXPECT_EQ(byte, MmuFixture::pattern(10, 5 * kPage));
   const MmuCounters warm = mmu().counters();
   ASSERT_TRUE(mmu().copyFromGpu(*vm, kVa + 5 * kPage + 1, &byte, 1).ok());
   EXPECT_EQ(mmu().counters().tlbHits, warm.tlbHits + 1) << "the translation is cached";
   EXPECT_EQ(mmu().counters().tlbMisses, warm.tlbMisses);

   // Unmapping one page splits the block; the rest stays reachable.
   ASSERT_EQ(bindOne(*file, vmId, unmapOp(kVa + 5 * kPage, kPage)), 0);
   EXPECT_EQ(mmu().counters().tlbInvalidations, warm.tlbInvalidations + 1);
   const AccessResult gone = mmu().copyFromGpu(*vm, kVa + 5 * kPage + 2, &byte, 1);
   ASSERT_TRUE(gone.fault) << "a stale translation was used";
   EXPECT_TRUE(gone.fault->isTranslation());
   EXPECT_EQ(gone.fault->level(), 3u);
   ASSERT_TRUE(mmu().copyFromGpu(*vm, kVa + 6 * kPage, &byte, 1).ok());
   EXPECT_EQ(byte, MmuFixture::pattern(10, 6 * kPage));

   // Remapped onto another BO: the new bytes, never the old ones.
   ASSERT_EQ(bindOne(*file, vmId, mapOp(newBo_, 0, kVa, 2 * kMiB)), 0);
   ASSERT_TRUE(mmu().copyFromGpu(*vm, kVa + 6 * kPage, &byte, 1).ok());
   EXPECT_EQ(byte, MmuFixture::pattern(20, 6 * kPage));
   ASSERT_TRUE(mmu().copyFromGpu(*vm, kVa + 5 * kPage, &byte, 1).ok());
   EXPECT_EQ(byte, MmuFixture::pattern(20, 5 * kPage));
}

// Writes after a remap land in the new BO, the old one keeps its bytes.
TEST_F(MmuFaultTest, WritesFollowARemap)
{
   const uint32_t a = newBo(*file, kPage);
   const uint32_t b = newBo(*file, kPage);
   ASSERT_EQ(bindOne(*file, vmId, mapOp(a, 0, kVa, kPage)), 0);
   ASSERT_TRUE(mmu().fillBytes(*vm, kVa, kPage, 0x11).ok());
   ASSERT_EQ(bindOne(*file, vmId, mapOp(b, 0, kVa, kPage)), 0);
   ASSERT_TRUE(mmu().fillBytes(*vm, kVa, kPage, 0x22).ok());
   EXPECT_EQ(boByte(a, 100), 0x11);
   EXPECT_EQ(boByte(b, 100), 0x22);
}

TEST_F(MmuFaultTest, InvalidationOfAnUnboundVmCountsNothing)
{
   const uint32_t bo = newBo(*file, kPage);
   ASSERT_EQ(bindOne(*file, vmId, mapOp(bo, 0, kVa, kPage)), 0);
   EXPECT_EQ(mmu().counters().tlbInvalidations, 0u) << "not in a slot: no lock-region needed";
   uint8_t byte;
   ASSERT_TRUE(mmu().copyFromGpu(*vm, kVa, &byte, 1).ok());
   ASSERT_EQ(bindOne(*file, vmId, unmapOp(kVa, kPage)), 0);
   EXPECT_EQ(mmu().counters().tlbInvalidations, 1u);
}

} // namespace
} // namespace pan::mock
