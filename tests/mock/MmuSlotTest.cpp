// Address-space slots of the MMU model: 8 of them, bound on first access,
// taken over least-recently-used first, released when their VM goes.
#include <gtest/gtest.h>

#include "MmuTestFixture.h"

namespace pan::mock {
namespace {

using namespace testutil;

constexpr uint64_t kVa = 1 * kGiB;

class MmuSlotTest : public MmuFixture {
protected:
   void SetUp() override
   {
      MmuFixture::SetUp();
      vms.push_back(vm);
      ids.push_back(vmId);
      while (vms.size() < 9) {
         ids.push_back(newVm(*file));
         vms.push_back(file->lookupVm(ids.back()));
         ASSERT_NE(vms.back(), nullptr);
      }
      for (size_t i = 0; i < vms.size(); i++) {
         const uint32_t bo = newFilledBo(kPage, uint8_t(i * 16));
         ASSERT_EQ(bindOne(*file, ids[i], mapOp(bo, 0, kVa, kPage)), 0);
      }
   }

   // Reads a byte of VM i's page and checks it is that VM's.
   void touch(size_t i)
   {
      uint8_t byte = 0;
      const AccessResult result = mmu().copyFromGpu(*vms[i], kVa + 3, &byte, 1);
      ASSERT_TRUE(result.ok()) << "VM " << i;
      EXPECT_EQ(byte, MmuFixture::pattern(uint8_t(i * 16), 3)) << "VM " << i;
   }

   std::vector<std::shared_ptr<Vm>> vms;
   std::vector<uint32_t> ids;
};

TEST_F(MmuSlotTest, TheDeviceHasEightSlots)
{
   EXPECT_EQ(mmu().addressSpaceCount(), 8u);
   EXPECT_EQ(dev->gpuInfo().as_present, 0xffu);
   EXPECT_FALSE(mmu().slotOf(*vm)) << "no slot before the GPU touches the VM";
}

TEST_F(MmuSlotTest, NineVmsInTurnEvictAndAllStillWork)
{
   for (size_t i = 0; i < 8; i++)
      touch(i);
   EXPECT_EQ(mmu().counters().slotBinds, 8u);
   EXPECT_EQ(mmu().counters().slotEvictions, 0u);

   touch(8);
   EXPECT_EQ(mmu().counters().slotBinds, 9u);
   EXPECT_EQ(mmu().counters().slotEvictions, 1u);
   EXPECT_FALSE(mmu().slotOf(*vms[0])) << "the least recently used VM lost its slot";

   for (int round = 0; round < 3; round++) {
      for (size_t i = 0; i < vms.size(); i++)
         touch(i);
   }
   // Round robin over 9 VMs and 8 slots: every access binds and evicts.
   EXPECT_EQ(mmu().counters().slotEvictions, 1u + 27u);
   unsigned bound = 0;
   for (const auto &v : vms)
      bound += mmu().slotOf(*v).has_value();
   EXPECT_EQ(bound, 8u);
}

TEST_F(MmuSlotTest, TheLeastRecentlyUsedSlotIsTakenOver)
{
   for (size_t i = 0; i < 8; i++)
      touch(i);
   const unsigned slotOfFirst = *mmu().slotOf(*vms[0]);
   const unsigned slotOfSecond = *mmu().slotOf(*vms[1]);
   touch(0); // VM 1 is now the least recently used
   touch(8);
   EXPECT_EQ(mmu().slotOf(*vms[0]), slotOfFirst);
   EXPECT_FALSE(mmu().slotOf(*vms[1]));
   EXPECT_EQ(mmu().slotOf(*vms[8]), slotOfSecond);
   EXPECT_EQ(mmu().addressSpace(slotOfSecond).vm, vms[8].get());
   // The new owner starts with an empty TLB, filled by its own access only.
   EXPECT_EQ(mmu().addressSpace(slotOfSecond).tlbEntries, 1u);
}

TEST_F(MmuSlotTest, ADestroyedVmReleasesItsSlot)
{
   for (size_t i = 0; i < 8; i++)
      touch(i);
   const unsigned slot = *mmu().slotOf(*vms[3]);
   vms[3].reset();
   if (ids[3] == vmId)
      vm.reset();
   ASSERT_EQ(destroyVm(*file, ids[3]), 0);
   EXPECT_EQ(mmu().addressSpace(slot).vm, nullptr);
   EXPECT_FALSE(mmu().addressSpace(slot).enabled);
   EXPECT_EQ(mmu().addressSpace(slot).tlbEntries, 0u);

   touch(8); // takes the free slot: nobody is evicted
   EXPECT_EQ(mmu().counters().slotEvictions, 0u);
   EXPECT_EQ(mmu().slotOf(*vms[8]), slot);
}

TEST_F(MmuSlotTest, ClosingTheFileReleasesEverySlot)
{
   for (size_t i = 0; i < 8; i++)
      touch(i);
   vms.clear();
   vm.reset();
   file.reset();
   for (unsigned slot = 0; slot < mmu().addressSpaceCount(); slot++)
      EXPECT_EQ(mmu().addressSpace(slot).vm, nullptr) << "slot " << slot;
}

TEST_F(MmuSlotTest, VmsOfTwoFilesDoNotShareTranslations)
{
   std::shared_ptr<File> other = dev->open();
   const uint32_t otherId = newVm(*other);
   std::shared_ptr<Vm> otherVm = other->lookupVm(otherId);
   const uint32_t bo = newBo(*other, kPage);
   ASSERT_EQ(bindOne(*other, otherId, mapOp(bo, 0, kVa, kPage)), 0);
   ASSERT_TRUE(mmu().fillBytes(*otherVm, kVa, kPage, 0x77).ok());
   touch(0); // same VA in another VM: its own bytes
   uint8_t byte = 0;
   ASSERT_TRUE(mmu().copyFromGpu(*otherVm, kVa + 3, &byte, 1).ok());
   EXPECT_EQ(byte, 0x77);
   EXPECT_NE(mmu().slotOf(*otherVm), mmu().slotOf(*vms[0]));
}

} // namespace
} // namespace pan::mock
