// A mock device with one open file and one VM, for tests of the GPU side:
// binds go through File::ioctl as user space sends them, accesses through the
// device's MMU as a GPU job makes them.
#pragma once

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "MockTestUtil.h"
#include "mock/Mmu.h"

namespace pan::mock::testutil {

// Exception type + access type, as FAULTSTATUS holds them.
constexpr uint32_t
expectedStatus(uint32_t exceptionType, AccessKind kind)
{
   return exceptionType | (uint32_t(kind) << 8);
}

// An alloc-on-fault BO through BO_CREATE (driver 1.10).
inline uint32_t
newAllocOnFaultBo(File &file, uint64_t size, uint32_t granularity, uint32_t extraFlags = 0)
{
   drm_panthor_bo_create args{};
   args.size = size;
   args.flags = DRM_PANTHOR_BO_ALLOC_ON_FAULT | extraFlags;
   args.alloc_on_fault_granularity = granularity;
   EXPECT_EQ(file.ioctl(DRM_IOCTL_PANTHOR_BO_CREATE, &args), 0) << "alloc-on-fault BO_CREATE";
   return args.handle;
}

inline uint32_t
vmState(File &file, uint32_t vm)
{
   drm_panthor_vm_get_state args{};
   args.vm_id = vm;
   EXPECT_EQ(file.ioctl(DRM_IOCTL_PANTHOR_VM_GET_STATE, &args), 0);
   return args.state;
}

class MmuFixture : public ::testing::Test {
protected:
   explicit MmuFixture(uint64_t memoryBytes = 256 * kMiB) : memoryBytes_(memoryBytes) {}

   void SetUp() override
   {
      dev = makeDevice(10, memoryBytes_);
      ASSERT_NE(dev, nullptr);
      file = dev->open();
      vmId = newVm(*file);
      vm = file->lookupVm(vmId);
      ASSERT_NE(vm, nullptr);
   }

   Mmu &mmu() { return dev->mmu(); }

   // A BO whose byte i is pattern(seed, i), written through its pages.
   uint32_t newFilledBo(uint64_t size, uint8_t seed)
   {
      const uint32_t handle = newBo(*file, size);
      std::shared_ptr<Bo> bo = file->lookupBo(handle);
      for (uint64_t offset = 0; bo && offset < size;) {
         const Backing backing = bo->backingAt(offset);
         uint8_t *bytes = physByte(backing.phys);
         for (uint64_t i = 0; i < backing.contiguous; i++)
            bytes[i] = pattern(seed, offset + i);
         offset += backing.contiguous;
      }
      return handle;
   }

   static uint8_t pattern(uint8_t seed, uint64_t offset)
   {
      return uint8_t(seed + offset * 7 + (offset >> 12) * 13);
   }

   uint8_t boByte(uint32_t handle, uint64_t offset)
   {
      const uint64_t phys = boPhys(*file, handle, offset);
      return phys ? *physByte(phys) : 0;
   }

   std::vector<uint8_t> read(uint64_t va, uint64_t size, AccessResult *result = nullptr)
   {
      std::vector<uint8_t> out(size);
      AccessResult r = mmu().copyFromGpu(*vm, va, out.data(), size);
      EXPECT_TRUE(r.ok() || result) << std::hex << "read of 0x" << va << " faulted at 0x"
                                    << (r.fault ? r.fault->va : 0);
      if (result)
         *result = r;
      return out;
   }

   AccessResult write(uint64_t va, const std::vector<uint8_t> &bytes)
   {
      return mmu().copyToGpu(*vm, va, bytes.data(), bytes.size());
   }

   uint64_t memoryBytes_;
   std::shared_ptr<Device> dev;
   std::shared_ptr<File> file;
   uint32_t vmId = 0;
   std::shared_ptr<Vm> vm;
};

} // namespace pan::mock::testutil
