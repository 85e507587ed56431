#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <gtest/gtest.h>
#include <optional>
#include <string>

#include "drm-uapi/panthor_drm.h"
#include "kmod/Device.h"
#include "kmod/panthor/MockTransport.h"
#include "MockAccess.h"

namespace pan::kmod {
namespace {

using test::openMock;

class DeviceVersionTest : public ::testing::TestWithParam<unsigned> {};

TEST_P(DeviceVersionTest, ReportsVersionAndFeatures) {
   const unsigned minor = GetParam();
   std::unique_ptr<Device> device = openMock(minor);
   ASSERT_TRUE(device);
   EXPECT_TRUE(device->isMock());
   EXPECT_EQ(device->driverVersion().major, 1);
   EXPECT_EQ(device->driverVersion().minor, int(minor));

   const Features &features = device->features();
   EXPECT_EQ(features.nativeSparseMap, minor >= 9);
   EXPECT_EQ(features.allocOnFault, minor >= 10);
   EXPECT_TRUE(features.boLabels);
   EXPECT_TRUE(features.boQueryInfo);
   EXPECT_TRUE(features.wbMmap);
}

TEST_P(DeviceVersionTest, ReadsGpuProperties) {
   std::unique_ptr<Device> device = openMock(GetParam());
   ASSERT_TRUE(device);
   EXPECT_EQ(device->vaBits(), 48u);
   EXPECT_NE(device->gpuInfo().gpu_id, 0u);
   EXPECT_NE(device->gpuInfo().shader_present, 0u);
   EXPECT_NE(device->csifInfo().csg_slot_count, 0u);
   // Either from MMU_INFO (1.9+) or the assumption before it: 4 KiB | 2 MiB.
   EXPECT_EQ(device->pageSizeBitmap(), (1ull << 12) | (1ull << 21));
}

INSTANTIATE_TEST_SUITE_P(Minors, DeviceVersionTest, ::testing::Values(8u, 9u, 10u));

TEST(DeviceTest, OldKernelLacksLabelsAndQueryInfo) {
   std::unique_ptr<Device> device = openMock(3);
   ASSERT_TRUE(device);
   EXPECT_FALSE(device->features().boLabels);
   EXPECT_FALSE(device->features().boQueryInfo);
   EXPECT_FALSE(device->features().wbMmap);
   EXPECT_FALSE(device->features().nativeSparseMap);
}

TEST(DeviceTest, MmuInfoQueriedOnlyFrom19) {
   std::unique_ptr<Device> old = openMock(8);
   std::unique_ptr<Device> recent = openMock(9);
   ASSERT_TRUE(old && recent);
   // GPU_INFO and CSIF_INFO take two DEV_QUERYs each (size, then data);
   // MMU_INFO adds two more from 1.9.
   EXPECT_EQ(old->ioctlCount(DRM_IOCTL_PANTHOR_DEV_QUERY), 4u);
   EXPECT_EQ(recent->ioctlCount(DRM_IOCTL_PANTHOR_DEV_QUERY), 6u);
}

class ScopedEnv {
public:
   ScopedEnv(const char *name, const char *value) : name_(name) {
      if (const char *old = std::getenv(name))
         old_ = old;
      if (value)
         setenv(name, value, 1);
      else
         unsetenv(name);
   }
   ~ScopedEnv() {
      if (old_)
         setenv(name_, old_->c_str(), 1);
      else
         unsetenv(name_);
   }

private:
   const char *name_;
   std::optional<std::string> old_;
};

TEST(DeviceTest, AutoWithPanKmodMockOpensTheMock) {
   ScopedEnv kmod("PAN_KMOD", "mock");
   ScopedEnv version("PANTHOR_MOCK_VERSION", "1.9");
   Result<std::unique_ptr<Device>> device = Device::open({});
   ASSERT_TRUE(device) << device.error().message;
   EXPECT_TRUE(device.value()->isMock());
   EXPECT_EQ(device.value()->driverVersion().minor, 9);
}

TEST(DeviceTest, MockMinorVersionOverridesEnvironment) {
   ScopedEnv kmod("PAN_KMOD", "mock");
   ScopedEnv version("PANTHOR_MOCK_VERSION", "1.9");
   OpenOptions options;
   options.mockMinorVersion = 8;
   Result<std::unique_ptr<Device>> device = Device::open(options);
   ASSERT_TRUE(device) << device.error().message;
   EXPECT_EQ(device.value()->driverVersion().minor, 8);
}

TEST(DeviceTest, UnknownPanKmodValueIsAnError) {
   ScopedEnv kmod("PAN_KMOD", "nouveau");
   Result<std::unique_ptr<Device>> device = Device::open({});
   ASSERT_FALSE(device);
   EXPECT_EQ(device.error().errnum, EINVAL);
   EXPECT_NE(device.error().message.find("PAN_KMOD"), std::string::npos);
}

TEST(DeviceTest, HardwareOnMissingNodeFails) {
   OpenOptions options;
   options.backend = OpenOptions::Backend::Hardware;
   options.path = "/nonexistent/renderD128";
   Result<std::unique_ptr<Device>> device = Device::open(options);
   ASSERT_FALSE(device);
   EXPECT_EQ(device.error().errnum, ENOENT);
}

TEST(DeviceTest, MockVersionOutOfRangeFails) {
   OpenOptions options;
   options.backend = OpenOptions::Backend::Mock;
   options.mockMinorVersion = 99;
   Result<std::unique_ptr<Device>> device = Device::open(options);
   EXPECT_FALSE(device);
}

// Answers DRM_IOCTL_VERSION as another driver would, and nothing else.
class OtherDriverTransport final : public Transport {
public:
   explicit OtherDriverTransport(const char *name, int major = 1) : name_(name), major_(major) {}
   int ioctl(unsigned long request, void *arg) override {
      if (request != DRM_IOCTL_VERSION)
         return -EINVAL;
      auto *version = static_cast<drm_version *>(arg);
      version->version_major = major_;
      const size_t length = std::strlen(name_);
      if (version->name && version->name_len)
         std::memcpy(version->name, name_, std::min<size_t>(length, version->name_len));
      version->name_len = length;
      return 0;
   }
   Result<void *> mmap(uint64_t, size_t, int) override { return fail(ENODEV, "mmap"); }
   int munmap(void *, size_t) override { return -EINVAL; }
   bool isMock() const override { return false; }

private:
   const char *name_;
   int major_;
};

TEST(DeviceTest, RejectsOtherDrivers) {
   Result<std::unique_ptr<Device>> device =
      Device::fromTransport(std::make_unique<OtherDriverTransport>("i915"));
   ASSERT_FALSE(device);
   EXPECT_EQ(device.error().errnum, ENODEV);
   EXPECT_NE(device.error().message.find("i915"), std::string::npos);
}

TEST(DeviceTest, RejectsPanthorMajor2) {
   Result<std::unique_ptr<Device>> device =
      Device::fromTransport(std::make_unique<OtherDriverTransport>("panthor", 2));
   ASSERT_FALSE(device);
   EXPECT_EQ(device.error().errnum, ENODEV);
}

TEST(DeviceTest, PanthorWhoseQueriesFailReportsTheQuery) {
   Result<std::unique_ptr<Device>> device =
      Device::fromTransport(std::make_unique<OtherDriverTransport>("panthor"));
   ASSERT_FALSE(device);
   EXPECT_EQ(device.error().errnum, EINVAL);
   EXPECT_NE(device.error().message.find("GPU_INFO"), std::string::npos);
}

TEST(DeviceTest, NullTransportIsAnError) {
   Result<std::unique_ptr<Device>> device = Device::fromTransport(nullptr);
   ASSERT_FALSE(device);
   EXPECT_EQ(device.error().errnum, EINVAL);
}

TEST(DeviceTest, CountsIoctls) {
   std::unique_ptr<Device> device = openMock(9);
   ASSERT_TRUE(device);
   device->resetIoctlStats();
   EXPECT_EQ(device->ioctlStats().total, 0u);

   drm_panthor_vm_get_state state{};
   state.vm_id = 12345;
   EXPECT_EQ(device->ioctl(DRM_IOCTL_PANTHOR_VM_GET_STATE, &state), -EINVAL);
   drm_panthor_vm_bind bind{};
   bind.vm_id = 12345;
   bind.ops.count = 7;
   bind.ops.stride = sizeof(drm_panthor_vm_bind_op);
   EXPECT_LT(device->ioctl(DRM_IOCTL_PANTHOR_VM_BIND, &bind), 0);

   const IoctlStats stats = device->ioctlStats();
   EXPECT_EQ(stats.total, 2u);
   EXPECT_EQ(stats.vmBind, 1u);
   EXPECT_EQ(stats.vmBindOps, 7u);
   EXPECT_EQ(device->ioctlCount(DRM_IOCTL_PANTHOR_VM_GET_STATE), 1u);
   EXPECT_EQ(device->ioctlCount(DRM_IOCTL_PANTHOR_BO_CREATE), 0u);
}

TEST(DeviceTest, TwoDevicesAreIsolatedMocks) {
   std::unique_ptr<Device> a = openMock(9);
   std::unique_ptr<Device> b = openMock(9);
   ASSERT_TRUE(a && b);
   EXPECT_NE(test::mockFile(*a), test::mockFile(*b));
}

} // namespace
} // namespace pan::kmod
