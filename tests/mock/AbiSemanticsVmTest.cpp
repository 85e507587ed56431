// ABI semantics of the mock kernel (/work/shared/ABI.md): VM_CREATE,
// VM_DESTROY and VM_GET_STATE, at driver versions 1.8, 1.9 and 1.10.
#include <gtest/gtest.h>

#include <set>

#include "MockTestUtil.h"

namespace pan::mock {
namespace {

using namespace testutil;

constexpr uint64_t kFullVa = 1ull << 48;

class VmTest : public ::testing::TestWithParam<unsigned> {
protected:
   std::shared_ptr<Device> dev = makeDevice(GetParam());
   std::shared_ptr<File> file = dev ? dev->open() : nullptr;
};

INSTANTIATE_TEST_SUITE_P(Minor, VmTest, ::testing::Values(8u, 9u, 10u));

TEST_P(VmTest, FlagsMustBeZero)
{
   for (uint32_t flags : {1u, 2u, 0x80000000u}) {
      drm_panthor_vm_create args{};
      args.flags = flags;
      EXPECT_EQ(file->ioctl(DRM_IOCTL_PANTHOR_VM_CREATE, &args), -EINVAL) << "flags " << flags;
   }
   EXPECT_EQ(file->vmCount(), 0u);
}

TEST_P(VmTest, IdsStartAtOneAndThe33rdVmFails)
{
   std::set<uint32_t> ids;
   for (int i = 0; i < 32; i++) {
      uint32_t id = 0;
      ASSERT_EQ(createVm(*file, &id), 0) << "VM " << i;
      EXPECT_GE(id, 1u);
      ids.insert(id);
   }
   EXPECT_EQ(ids.size(), 32u);
   EXPECT_EQ(*ids.begin(), 1u);

   // ABI.md gives no errno for the 33rd; the mock answers EBUSY, what the
   // kernel's id allocator reports when its range is full (File.cpp).
   uint32_t extra = 0;
   EXPECT_EQ(createVm(*file, &extra), -EBUSY);
   EXPECT_EQ(file->vmCount(), 32u);

   // A destroyed VM makes room for one more.
   ASSERT_EQ(destroyVm(*file, 7), 0);
   EXPECT_EQ(createVm(*file, &extra), 0);
   EXPECT_EQ(createVm(*file, &extra), -EBUSY);
}

TEST_P(VmTest, ZeroRangePicksADefaultAndReturnsIt)
{
   drm_panthor_vm_create args{};
   ASSERT_EQ(file->ioctl(DRM_IOCTL_PANTHOR_VM_CREATE, &args), 0);
   EXPECT_NE(args.user_va_range, 0u);
   EXPECT_LE(args.user_va_range, kFullVa - kKernelVaReserve);
   // The mock's default is everything but the kernel's reserve (File.cpp).
   EXPECT_EQ(args.user_va_range, kFullVa - kKernelVaReserve);
   EXPECT_EQ(file->lookupVm(args.id)->userVaRange(), args.user_va_range);
}

TEST_P(VmTest, AnExplicitRangeIsKept)
{
   drm_panthor_vm_create args{};
   args.user_va_range = 4 * kGiB;
   ASSERT_EQ(file->ioctl(DRM_IOCTL_PANTHOR_VM_CREATE, &args), 0);
   EXPECT_EQ(args.user_va_range, 4 * kGiB);

   args = {};
   args.user_va_range = kFullVa - kKernelVaReserve;
   EXPECT_EQ(file->ioctl(DRM_IOCTL_PANTHOR_VM_CREATE, &args), 0) << "everything up to the reserve";
}

TEST_P(VmTest, ARangeIntoTheKernelReserveIsEinval)
{
   for (uint64_t range : {kFullVa - kKernelVaReserve + kPage, kFullVa - kPage, kFullVa,
                          kFullVa * 2, ~uint64_t(0)}) {
      drm_panthor_vm_create args{};
      args.user_va_range = range;
      EXPECT_EQ(file->ioctl(DRM_IOCTL_PANTHOR_VM_CREATE, &args), -EINVAL) << std::hex << range;
   }
   EXPECT_EQ(file->vmCount(), 0u);
}

TEST_P(VmTest, DestroyUnknownIdOrNonZeroPadIsEinval)
{
   const uint32_t id = newVm(*file);
   EXPECT_EQ(destroyVm(*file, 0), -EINVAL);
   EXPECT_EQ(destroyVm(*file, id + 1), -EINVAL);
   EXPECT_EQ(destroyVm(*file, 0xffffffffu), -EINVAL);

   drm_panthor_vm_destroy args{};
   args.id = id;
   args.pad = 1;
   EXPECT_EQ(file->ioctl(DRM_IOCTL_PANTHOR_VM_DESTROY, &args), -EINVAL);
   EXPECT_NE(file->lookupVm(id), nullptr) << "a refused destroy keeps the VM";

   EXPECT_EQ(destroyVm(*file, id), 0);
   EXPECT_EQ(file->lookupVm(id), nullptr);
   EXPECT_EQ(destroyVm(*file, id), -EINVAL) << "already destroyed";
}

TEST_P(VmTest, VmIdsArePerFile)
{
   std::shared_ptr<File> other = dev->open();
   const uint32_t mine = newVm(*file);
   EXPECT_EQ(destroyVm(*other, mine), -EINVAL);
   EXPECT_NE(file->lookupVm(mine), nullptr);
   EXPECT_EQ(newVm(*other), 1u) << "ids start at 1 in every file";
}

TEST_P(VmTest, GetState)
{
   const uint32_t id = newVm(*file);
   drm_panthor_vm_get_state args{};
   args.vm_id = id;
   args.state = 0xdead;
   ASSERT_EQ(file->ioctl(DRM_IOCTL_PANTHOR_VM_GET_STATE, &args), 0);
   EXPECT_EQ(args.state, uint32_t(DRM_PANTHOR_VM_STATE_USABLE));

   args.vm_id = id + 1;
   EXPECT_EQ(file->ioctl(DRM_IOCTL_PANTHOR_VM_GET_STATE, &args), -EINVAL);
   args.vm_id = 0;
   EXPECT_EQ(file->ioctl(DRM_IOCTL_PANTHOR_VM_GET_STATE, &args), -EINVAL);
}

} // namespace
} // namespace pan::mock
