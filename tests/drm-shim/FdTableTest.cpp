// The shim's fd table, driven directly (no LD_PRELOAD): each open is its own
// File, dup'd fds share it, and closing the last fd releases everything the
// File owned, down to the mock's page counters.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <thread>
#include <vector>

#include "FdTable.h"
#include "ShimTestUtil.h"

namespace pan::drmshim {
namespace {

using namespace testutil;

const Node &kRender = kNodes[1];
const Node &kCard = kNodes[0];

// Fills a File with one of everything that holds memory: a BO, a VM whose page
// tables map it, and a sparse map (the per-file dummy).
void
fillFile(mock::File &file)
{
   uint32_t bo = 0, vm = 0;
   ASSERT_EQ(createBo(file, 4 * kMiB, &bo), 0);
   ASSERT_EQ(createVm(file, &vm), 0);
   drm_panthor_vm_bind_op map{};
   map.flags = DRM_PANTHOR_VM_BIND_OP_TYPE_MAP;
   map.bo_handle = bo;
   map.va = 0x10000000;
   map.size = 4 * kMiB;
   ASSERT_EQ(bind(file, vm, map), 0);
   drm_panthor_vm_bind_op sparse{};
   sparse.flags = DRM_PANTHOR_VM_BIND_OP_TYPE_MAP | DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE |
                  DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC;
   sparse.va = 0x20000000;
   sparse.size = 8 * kMiB;
   ASSERT_EQ(bind(file, vm, sparse), 0);
}

TEST(FdTable, DeviceIsMadeAtTheFirstOpen)
{
   FdTable table(testOptions());
   EXPECT_EQ(table.device(), nullptr);
   const int fd = table.open(kRender, O_CLOEXEC);
   ASSERT_GE(fd, 0);
   ASSERT_NE(table.device(), nullptr);
   EXPECT_EQ(table.device()->minorVersion(), 10u);
   EXPECT_EQ(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
   EXPECT_EQ(table.close(fd), 0);
}

TEST(FdTable, EachOpenIsItsOwnFile)
{
   FdTable table(testOptions());
   const int first = table.open(kRender, 0);
   const int second = table.open(kCard, 0);
   ASSERT_GE(first, 0);
   ASSERT_GE(second, 0);
   const Node *node = nullptr;
   auto a = table.lookup(first, &node);
   EXPECT_EQ(node, &kRender);
   auto b = table.lookup(second, &node);
   EXPECT_EQ(node, &kCard);
   ASSERT_TRUE(a && b);
   EXPECT_NE(a, b);
   EXPECT_EQ(table.device()->openFiles(), 2u);
   a.reset();
   b.reset();
   table.close(first);
   table.close(second);
   EXPECT_EQ(table.device()->openFiles(), 0u);
}

TEST(FdTable, ClosingTheFdReleasesEverythingTheFileOwned)
{
   FdTable table(testOptions());
   const int fd = table.open(kRender, 0);
   ASSERT_GE(fd, 0);
   mock::Device &device = *table.device();
   fillFile(*table.lookup(fd));
   ASSERT_GT(device.memory().counters(mock::AllocSite::BoPages).pagesInUse, 1024u); // BO + dummy
   ASSERT_GT(device.memory().counters(mock::AllocSite::PageTablePages).pagesInUse, 0u);

   EXPECT_EQ(table.close(fd), 0);
   EXPECT_EQ(pagesInUse(device), 0u);
   EXPECT_EQ(device.openFiles(), 0u);
   EXPECT_EQ(table.fdCount(), 0u);
   EXPECT_EQ(table.lookup(fd), nullptr);
}

TEST(FdTable, DupSharesTheFileUntilTheLastFdCloses)
{
   FdTable table(testOptions());
   const int fd = table.open(kRender, 0);
   ASSERT_GE(fd, 0);
   fillFile(*table.lookup(fd));
   const int copy = dup(fd);
   ASSERT_GE(copy, 0);
   table.duplicated(fd, copy);
   EXPECT_EQ(table.lookup(copy), table.lookup(fd));

   table.close(fd);
   mock::Device &device = *table.device();
   EXPECT_GT(pagesInUse(device), 0u);
   ASSERT_NE(table.lookup(copy), nullptr);
   EXPECT_EQ(table.lookup(copy)->boCount(), 1u);

   table.close(copy);
   EXPECT_EQ(pagesInUse(device), 0u);
}

TEST(FdTable, Dup2OverANodeFdDropsIt)
{
   FdTable table(testOptions());
   const int fd = table.open(kRender, 0);
   ASSERT_GE(fd, 0);
   fillFile(*table.lookup(fd));
   const int other = memfd_create("not-a-node", MFD_CLOEXEC);
   ASSERT_GE(other, 0);
   ASSERT_EQ(dup2(other, fd), fd); // fd now names the other file
   table.duplicated(other, fd);
   EXPECT_EQ(table.lookup(fd), nullptr);
   EXPECT_EQ(pagesInUse(*table.device()), 0u);
   close(other);
   close(fd);
}

TEST(FdTable, AnFdClosedBehindItsBackIsForgotten)
{
   FdTable table(testOptions());
   const int fd = table.open(kRender, 0);
   ASSERT_GE(fd, 0);
   fillFile(*table.lookup(fd));
   ASSERT_EQ(close(fd), 0); // not through the table, as fclose() would
   const int reused = memfd_create("reused", MFD_CLOEXEC);
   ASSERT_EQ(reused, fd); // lowest free number
   EXPECT_EQ(table.lookup(reused), nullptr);
   EXPECT_EQ(table.fdCount(), 0u);
   EXPECT_EQ(pagesInUse(*table.device()), 0u);
   close(reused);
}

TEST(FdTable, ForgetRangeReleasesTheFiles)
{
   FdTable table(testOptions());
   const int fd = table.open(kRender, 0);
   ASSERT_GE(fd, 0);
   fillFile(*table.lookup(fd));
   table.forgetRange(unsigned(fd), unsigned(fd));
   EXPECT_EQ(table.fdCount(), 0u);
   EXPECT_EQ(pagesInUse(*table.device()), 0u);
   close(fd);
}

TEST(FdTable, ABadVersionKnobFailsTheOpen)
{
   FdTable table({.minorVersion = 42, .memoryBytes = 16 * kMiB});
   EXPECT_EQ(table.open(kRender, 0), -ENODEV);
   EXPECT_EQ(table.fdCount(), 0u);
}

TEST(FdTable, UnknownFdsAreNotNodes)
{
   FdTable table(testOptions());
   EXPECT_EQ(table.lookup(-1), nullptr);
   EXPECT_EQ(table.lookup(0), nullptr);
   EXPECT_EQ(table.close(-1), -1);
   EXPECT_EQ(errno, EBADF);
}

TEST(FdTable, BoMappingsThroughTheFileShareTheBosPages)
{
   FdTable table(testOptions());
   const int fd = table.open(kRender, 0);
   ASSERT_GE(fd, 0);
   auto file = table.lookup(fd);
   uint32_t bo = 0;
   ASSERT_EQ(createBo(*file, 8192, &bo), 0);
   drm_panthor_bo_mmap_offset offset{.handle = bo, .pad = 0, .offset = 0};
   ASSERT_EQ(file->ioctl(DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &offset), 0);
   int error = 0;
   auto *a = static_cast<uint8_t *>(file->mmap(nullptr, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, offset.offset, &error));
   auto *b = static_cast<uint8_t *>(file->mmap(nullptr, 8192, PROT_READ, MAP_SHARED, offset.offset, &error));
   ASSERT_TRUE(a && b);
   a[4096] = 0x42;
   EXPECT_EQ(b[4096], 0x42);
   munmap(a, 8192);
   munmap(b, 8192);
   file.reset();
   table.close(fd);
}

TEST(FdTable, ConcurrentOpensDupsAndClosesLeaveNothingBehind)
{
   FdTable table(testOptions());
   std::atomic<int> failures{0};
   std::vector<std::thread> threads;
   for (int t = 0; t < 8; t++) {
      threads.emplace_back([&] {
         for (int i = 0; i < 50; i++) {
            const int fd = table.open(kRender, O_CLOEXEC);
            auto file = fd >= 0 ? table.lookup(fd) : nullptr;
            uint32_t bo = 0;
            if (!file || createBo(*file, 64 * 1024, &bo) != 0) {
               failures++;
               continue;
            }
            const int copy = dup(fd);
            table.duplicated(fd, copy);
            table.close(fd);
            if (table.lookup(copy) != file || file->lookupBo(bo) == nullptr)
               failures++;
            file.reset();
            table.close(copy);
         }
      });
   }
   for (std::thread &thread : threads)
      thread.join();
   EXPECT_EQ(failures.load(), 0);
   EXPECT_EQ(table.fdCount(), 0u);
   EXPECT_EQ(table.device()->openFiles(), 0u);
   EXPECT_EQ(pagesInUse(*table.device()), 0u);
}

} // namespace
} // namespace pan::drmshim
