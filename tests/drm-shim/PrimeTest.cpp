// PRIME for the mock's BOs (src/panfrost/lib/mock/Prime.cpp), at the mock's
// own API: export/import between files of one device, the kernel's errno, and
// the dma-buf fd's hold on the BO.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "ShimTestUtil.h"
#include "mock/Bo.h"

namespace pan::drmshim {
namespace {

using namespace testutil;

class Prime : public ::testing::Test {
protected:
   void SetUp() override
   {
      device = mock::Device::create(testOptions());
      ASSERT_NE(device, nullptr);
      exporter = device->open();
      importer = device->open();
   }

   std::shared_ptr<mock::Device> device;
   std::shared_ptr<mock::File> exporter, importer;
};

TEST_F(Prime, ImportGivesAHandleToTheSameBo)
{
   uint32_t bo = 0, imported = 0, again = 0, own = 0;
   ASSERT_EQ(createBo(*exporter, 3 * 4096, &bo), 0);
   int fd = -1;
   ASSERT_EQ(exportBo(*exporter, bo, DRM_CLOEXEC | DRM_RDWR, &fd), 0);
   ASSERT_GE(fd, 0);
   EXPECT_EQ(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
   EXPECT_EQ(lseek(fd, 0, SEEK_END), 3 * 4096);

   ASSERT_EQ(importBo(*importer, fd, &imported), 0);
   EXPECT_NE(imported, 0u);
   EXPECT_EQ(importer->lookupBo(imported), exporter->lookupBo(bo));
   EXPECT_FALSE(importer->lookupBo(imported)->imported()); // panthor's own dma-buf: same object
   ASSERT_EQ(importBo(*importer, fd, &again), 0);
   EXPECT_EQ(again, imported);
   ASSERT_EQ(importBo(*exporter, fd, &own), 0);
   EXPECT_EQ(own, bo);

   const int copy = dup(fd);
   uint32_t throughCopy = 0;
   ASSERT_EQ(importBo(*importer, copy, &throughCopy), 0);
   EXPECT_EQ(throughCopy, imported);
   close(copy);
   close(fd);
}

TEST_F(Prime, ExportErrnos)
{
   uint32_t bo = 0, vm = 0, privateBo = 0;
   ASSERT_EQ(createBo(*exporter, 4096, &bo), 0);
   int fd = -1;
   EXPECT_EQ(exportBo(*exporter, 0xdead, 0, &fd), -ENOENT);
   EXPECT_EQ(exportBo(*exporter, bo, 0x1, &fd), -EINVAL);
   ASSERT_EQ(createVm(*exporter, &vm), 0);
   ASSERT_EQ(createBo(*exporter, 4096, &privateBo, 0, vm), 0);
   EXPECT_EQ(exportBo(*exporter, privateBo, 0, &fd), -EINVAL); // private to a VM
}

TEST_F(Prime, ImportErrnos)
{
   uint32_t handle = 0;
   EXPECT_EQ(importBo(*importer, -1, &handle), -EBADF);
   int pipeFds[2];
   ASSERT_EQ(pipe(pipeFds), 0);
   EXPECT_EQ(importBo(*importer, pipeFds[0], &handle), -EINVAL); // not a dma-buf
   close(pipeFds[0]);
   close(pipeFds[1]);

   // A dma-buf of another device is not modelled.
   auto other = mock::Device::create(testOptions());
   ASSERT_NE(other, nullptr);
   auto stranger = other->open();
   uint32_t bo = 0;
   ASSERT_EQ(createBo(*stranger, 4096, &bo), 0);
   int fd = -1;
   ASSERT_EQ(exportBo(*stranger, bo, DRM_CLOEXEC, &fd), 0);
   EXPECT_EQ(importBo(*importer, fd, &handle), -EINVAL);
   close(fd);
}

TEST_F(Prime, TheFdKeepsTheBoAliveUntilItIsClosed)
{
   uint32_t bo = 0;
   ASSERT_EQ(createBo(*exporter, 64 * 4096, &bo), 0);
   int fd = -1;
   ASSERT_EQ(exportBo(*exporter, bo, DRM_CLOEXEC, &fd), 0);
   drm_gem_close close{.handle = bo, .pad = 0};
   ASSERT_EQ(exporter->ioctl(DRM_IOCTL_GEM_CLOSE, &close), 0);
   EXPECT_EQ(pagesInUse(*device), 64u); // no handle left, the dma-buf holds it

   uint32_t revived = 0;
   ASSERT_EQ(importBo(*importer, fd, &revived), 0);
   close.handle = revived;
   ASSERT_EQ(importer->ioctl(DRM_IOCTL_GEM_CLOSE, &close), 0);
   ::close(fd);

   // The closed fd is noticed at the next export or import.
   uint32_t small = 0;
   int other = -1;
   ASSERT_EQ(createBo(*exporter, 4096, &small), 0);
   ASSERT_EQ(exportBo(*exporter, small, DRM_CLOEXEC, &other), 0);
   EXPECT_EQ(pagesInUse(*device), 1u);
   ::close(other);
}

} // namespace
} // namespace pan::drmshim
