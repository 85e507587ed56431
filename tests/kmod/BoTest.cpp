#include <cstring>
#include <gtest/gtest.h>
#include <string>

#include "drm-uapi/panthor_drm.h"
#include "kmod/Bo.h"
#include "kmod/Device.h"
#include "kmod/Vm.h"
#include "MockAccess.h"
#include "mock/Bo.h"

namespace pan::kmod {
namespace {

using test::mockFile;
using test::openMock;

TEST(BoTest, SizeIsRoundedByTheKernel) {
   std::unique_ptr<Device> device = openMock(9);
   ASSERT_TRUE(device);
   Result<std::unique_ptr<Bo>> bo = Bo::create(*device, {.size = 5000});
   ASSERT_TRUE(bo) << bo.error().message;
   EXPECT_EQ(bo.value()->size(), 8192u);
   EXPECT_NE(bo.value()->handle(), 0u);
   EXPECT_EQ(bo.value()->flags(), BoFlags::None);
}

TEST(BoTest, ZeroSizeIsTheKernelsEinval) {
   std::unique_ptr<Device> device = openMock(9);
   ASSERT_TRUE(device);
   Result<std::unique_ptr<Bo>> bo = Bo::create(*device, {.size = 0});
   ASSERT_FALSE(bo);
   EXPECT_EQ(bo.error().errnum, EINVAL);
   EXPECT_EQ(bo.error().message, "BO_CREATE: EINVAL");
}

TEST(BoTest, DestructorClosesTheHandle) {
   std::unique_ptr<Device> device = openMock(9);
   ASSERT_TRUE(device);
   mock::File *file = mockFile(*device);
   ASSERT_TRUE(file);
   const size_t before = file->boCount();
   uint32_t handle = 0;
   {
      Result<std::unique_ptr<Bo>> bo = Bo::create(*device, {.size = 4096});
      ASSERT_TRUE(bo);
      handle = bo.value()->handle();
      EXPECT_EQ(file->boCount(), before + 1);
      EXPECT_TRUE(file->lookupBo(handle));
   }
   EXPECT_EQ(file->boCount(), before);
   EXPECT_FALSE(file->lookupBo(handle));
}

TEST(BoTest, MapIsCachedAndDataSurvivesRemap) {
   std::unique_ptr<Device> device = openMock(9);
   ASSERT_TRUE(device);
   Result<std::unique_ptr<Bo>> created = Bo::create(*device, {.size = 3 * 4096});
   ASSERT_TRUE(created);
   Bo &bo = *created.value();

   Result<void *> first = bo.map();
   ASSERT_TRUE(first) << first.error().message;
   const uint64_t mmapOffsets = device->ioctlCount(DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET);
   Result<void *> again = bo.map();
   ASSERT_TRUE(again);
   EXPECT_EQ(again.value(), first.value());
   EXPECT_EQ(device->ioctlCount(DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET), mmapOffsets);

   // New BOs read as zero.
   auto *bytes = static_cast<unsigned char *>(first.value());
   for (size_t i = 0; i < bo.size(); i += 1024)
      EXPECT_EQ(bytes[i], 0u);

   for (size_t i = 0; i < bo.size(); ++i)
      bytes[i] = static_cast<unsigned char>(i * 7 + 3);
   ASSERT_TRUE(bo.unmap());

   Result<void *> remapped = bo.map();
   ASSERT_TRUE(remapped);
   const auto *readBack = static_cast<const unsigned char *>(remapped.value());
   for (size_t i = 0; i < bo.size(); ++i)
      ASSERT_EQ(readBack[i], static_cast<unsigned char>(i * 7 + 3)) << "byte " << i;
}

TEST(BoTest, UnmapWhenNotMappedIsFine) {
   std::unique_ptr<Device> device = openMock(9);
   ASSERT_TRUE(device);
   Result<std::unique_ptr<Bo>> bo = Bo::create(*device, {.size = 4096});
   ASSERT_TRUE(bo);
   EXPECT_TRUE(bo.value()->unmap());
}

TEST(BoTest, NoMmapBoCannotBeMapped) {
   std::unique_ptr<Device> device = openMock(9);
   ASSERT_TRUE(device);
   Result<std::unique_ptr<Bo>> bo = Bo::create(*device, {.size = 4096, .flags = BoFlags::NoMmap});
   ASSERT_TRUE(bo);
   EXPECT_EQ(bo.value()->flags(), BoFlags::NoMmap);
   Result<void *> mapping = bo.value()->map();
   ASSERT_FALSE(mapping);
   EXPECT_EQ(mapping.error().errnum, EPERM);
}

TEST(BoTest, LabelsFrom14) {
   std::unique_ptr<Device> device = openMock(9);
   ASSERT_TRUE(device);
   Result<std::unique_ptr<Bo>> bo = Bo::create(*device, {.size = 4096});
   ASSERT_TRUE(bo);
   // A string_view that is not NUL-terminated where it ends.
   const std::string text = "sparse heap: tail";
   ASSERT_TRUE(bo.value()->setLabel(std::string_view(text).substr(0, 11)));
   std::shared_ptr<mock::Bo> mockBo = mockFile(*device)->lookupBo(bo.value()->handle());
   ASSERT_TRUE(mockBo);
   EXPECT_EQ(mockBo->label(), "sparse heap");
}

TEST(BoTest, LabelsBefore14FailWithoutAnIoctl) {
   std::unique_ptr<Device> device = openMock(3);
   ASSERT_TRUE(device);
   Result<std::unique_ptr<Bo>> bo = Bo::create(*device, {.size = 4096});
   ASSERT_TRUE(bo);
   const uint64_t before = device->ioctlStats().total;
   Result<void> label = bo.value()->setLabel("x");
   ASSERT_FALSE(label);
   EXPECT_EQ(label.error().errnum, ENOTSUP);
   EXPECT_EQ(device->ioctlStats().total, before);
}

TEST(BoTest, QueryInfoReportsCreateFlags) {
   std::unique_ptr<Device> device = openMock(9);
   ASSERT_TRUE(device);
   Result<std::unique_ptr<Bo>> bo =
      Bo::create(*device, {.size = 4096, .flags = BoFlags::WbMmap});
   ASSERT_TRUE(bo) << bo.error().message;
   Result<BoInfo> info = bo.value()->queryInfo();
   ASSERT_TRUE(info) << info.error().message;
   EXPECT_EQ(info->createFlags, uint32_t(DRM_PANTHOR_BO_WB_MMAP));
   EXPECT_EQ(info->extraFlags, 0u);
}

TEST(BoTest, QueryInfoAndWbMmapNeed17) {
   std::unique_ptr<Device> device = openMock(6);
   ASSERT_TRUE(device);
   Result<std::unique_ptr<Bo>> bo = Bo::create(*device, {.size = 4096});
   ASSERT_TRUE(bo);
   const uint64_t before = device->ioctlStats().total;
   Result<BoInfo> info = bo.value()->queryInfo();
   ASSERT_FALSE(info);
   EXPECT_EQ(info.error().errnum, ENOTSUP);
   Result<std::unique_ptr<Bo>> wb = Bo::create(*device, {.size = 4096, .flags = BoFlags::WbMmap});
   ASSERT_FALSE(wb);
   EXPECT_EQ(wb.error().errnum, EOPNOTSUPP);
   EXPECT_EQ(device->ioctlStats().total, before);
}

TEST(BoTest, AllocOnFaultBefore110IsNotSupported) {
   std::unique_ptr<Device> device = openMock(9);
   ASSERT_TRUE(device);
   const uint64_t before = device->ioctlStats().total;
   Result<std::unique_ptr<Bo>> bo = Bo::create(
      *device, {.size = 1 << 20, .flags = BoFlags::AllocOnFault, .allocOnFaultGranularity = 65536});
   ASSERT_FALSE(bo);
   EXPECT_EQ(bo.error().errnum, EOPNOTSUPP);
   EXPECT_EQ(device->ioctlStats().total, before);
}

TEST(BoTest, AllocOnFaultFrom110HasNoPagesYet) {
   std::unique_ptr<Device> device = openMock(10);
   ASSERT_TRUE(device);
   Result<std::unique_ptr<Bo>> bo = Bo::create(
      *device, {.size = 1 << 20, .flags = BoFlags::AllocOnFault, .allocOnFaultGranularity = 65536});
   ASSERT_TRUE(bo) << bo.error().message;
   std::shared_ptr<mock::Bo> mockBo = mockFile(*device)->lookupBo(bo.value()->handle());
   ASSERT_TRUE(mockBo);
   EXPECT_TRUE(mockBo->allocOnFault());
   EXPECT_EQ(mockBo->granularity(), 65536u);
   EXPECT_EQ(mockBo->residentBytes(), 0u);
}

TEST(BoTest, AllocOnFaultBadGranularityIsTheKernelsEinval) {
   std::unique_ptr<Device> device = openMock(10);
   ASSERT_TRUE(device);
   Result<std::unique_ptr<Bo>> bo = Bo::create(
      *device, {.size = 1 << 20, .flags = BoFlags::AllocOnFault, .allocOnFaultGranularity = 5000});
   ASSERT_FALSE(bo);
   EXPECT_EQ(bo.error().errnum, EINVAL);
}

TEST(BoTest, UnknownFlagsAreRejected) {
   std::unique_ptr<Device> device = openMock(10);
   ASSERT_TRUE(device);
   Result<std::unique_ptr<Bo>> bo =
      Bo::create(*device, {.size = 4096, .flags = static_cast<BoFlags>(1u << 9)});
   ASSERT_FALSE(bo);
   EXPECT_EQ(bo.error().errnum, EINVAL);
}

TEST(BoTest, ExclusiveBoIsPrivateToItsVm) {
   std::unique_ptr<Device> device = openMock(9);
   ASSERT_TRUE(device);
   Result<std::unique_ptr<Vm>> vm = Vm::create(*device);
   ASSERT_TRUE(vm);
   Result<std::unique_ptr<Bo>> bo =
      Bo::create(*device, {.size = 4096, .exclusiveVm = vm.value().get()});
   ASSERT_TRUE(bo) << bo.error().message;
   std::shared_ptr<mock::Bo> mockBo = mockFile(*device)->lookupBo(bo.value()->handle());
   ASSERT_TRUE(mockBo);
   EXPECT_EQ(mockBo->exclusiveVmId(), vm.value()->id());
}

TEST(BoFlagsTest, BitmaskOperators) {
   BoFlags flags = BoFlags::NoMmap;
   flags |= BoFlags::AllocOnFault;
   EXPECT_TRUE(hasFlag(flags, BoFlags::NoMmap));
   EXPECT_TRUE(hasFlag(flags, BoFlags::AllocOnFault));
   EXPECT_FALSE(hasFlag(flags, BoFlags::WbMmap));
   EXPECT_EQ(flags & ~BoFlags::NoMmap, BoFlags::AllocOnFault);
}

} // namespace
} // namespace pan::kmod
