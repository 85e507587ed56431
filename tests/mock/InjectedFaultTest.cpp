// DeviceOptions::injectGpuFaultAt: the chosen GPU access takes an unhandled
// translation fault through the ordinary fault path, and only that one.
#include <gtest/gtest.h>

#include "MockTestUtil.h"
#include "mock/Mmu.h"

namespace pan::mock {
namespace {

using namespace testutil;

TEST(InjectedFaultTest, TheChosenAccessFaultsAndNoOther)
{
   auto device = Device::create({.minorVersion = 10, .memoryBytes = 64 * kMiB, .injectGpuFaultAt = 2});
   ASSERT_TRUE(device);
   auto file = device->open();
   const uint32_t vm = newVm(*file);
   const uint32_t bo = newBo(*file, 64 * kKiB);
   ASSERT_EQ(bindOne(*file, vm, mapOp(bo, 0, 64 * kMiB, 64 * kKiB)), 0);
   Vm &v = *file->lookupVm(vm);
   Mmu &mmu = device->mmu();
   uint8_t data[16] = {1, 2, 3};

   EXPECT_TRUE(mmu.copyToGpu(v, 64 * kMiB, data, sizeof(data)).ok());
   const AccessResult second = mmu.copyFromGpu(v, 64 * kMiB, data, sizeof(data));
   ASSERT_FALSE(second.ok());
   ASSERT_TRUE(second.fault);
   EXPECT_FALSE(second.fault->handled);
   EXPECT_EQ(second.fault->va, 64 * kMiB);
   EXPECT_EQ(second.bytesDone, 0u);
   EXPECT_TRUE(v.hasUnhandledFault());
   EXPECT_FALSE(v.unusable()) << "an unhandled fault leaves the VM usable";
   EXPECT_EQ(mmu.counters().faultsUnhandled, 1u);

   // The next access re-enables the address space and works.
   EXPECT_TRUE(mmu.copyFromGpu(v, 64 * kMiB, data, sizeof(data)).ok());
   EXPECT_EQ(data[1], 2);
}

TEST(InjectedFaultTest, TheEnvironmentChoosesIt)
{
   setenv("PANTHOR_MOCK_INJECT_GPU_FAULT", "7", 1);
   EXPECT_EQ(DeviceOptions::fromEnvironment().injectGpuFaultAt, 7u);
   unsetenv("PANTHOR_MOCK_INJECT_GPU_FAULT");
   EXPECT_EQ(DeviceOptions::fromEnvironment().injectGpuFaultAt, 0u);
}

} // namespace
} // namespace pan::mock
