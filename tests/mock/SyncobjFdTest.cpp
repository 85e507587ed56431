// Syncobj export and import through fds (whole syncobjs and sync_files),
// between SyncobjTable instances of one process.
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <thread>
#include <vector>

#include "SyncobjTableFixture.h"

using namespace pan::mock;
using namespace pan::mock::test;

// ---- export / import --------------------------------------------------------

TEST_F(SyncobjTableTest, ExportImportBetweenTablesSharesTheSyncobj)
{
   SyncobjTable other;
   uint32_t handle = create();
   int fd = -1;
   ASSERT_EQ(exportFd(table, handle, 0, &fd), 0);
   ASSERT_GE(fd, 0);
   uint32_t imported = 0;
   ASSERT_EQ(importFd(other, fd, 0, &imported), 0);
   EXPECT_NE(imported, 0u);
   EXPECT_EQ(other.lookup(imported), table.lookup(handle));

   // A waiter on one table is woken by a signal through the other.
   std::thread signaller([&] {
      sleepMs(20);
      EXPECT_EQ(signalArray(other, {imported}), 0);
   });
   EXPECT_EQ(wait({handle}, DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT, inMs(5000)), 0);
   signaller.join();

   // Every import is a new handle, even in the exporting table.
   uint32_t again = 0;
   ASSERT_EQ(importFd(table, fd, 0, &again), 0);
   EXPECT_NE(again, handle);
   EXPECT_EQ(table.lookup(again), table.lookup(handle));
   close(fd);
}

TEST_F(SyncobjTableTest, DupedFdImportsAndTheFdKeepsTheSyncobjAlive)
{
   SyncobjTable other;
   uint32_t handle = create();
   std::weak_ptr<Syncobj> original = table.lookup(handle);
   int fd = -1;
   ASSERT_EQ(exportFd(table, handle, 0, &fd), 0);
   int copy = dup(fd);
   ASSERT_GE(copy, 0);
   close(fd);
   drm_syncobj_destroy destroy{handle, 0};
   ASSERT_EQ(table.destroy(destroy), 0);
   EXPECT_FALSE(original.expired());
   uint32_t imported = 0;
   ASSERT_EQ(importFd(other, copy, 0, &imported), 0);
   EXPECT_EQ(other.lookup(imported), original.lock());
   close(copy);
}

TEST_F(SyncobjTableTest, ExportImportErrors)
{
   uint32_t handle = create();
   int fd = -1;
   EXPECT_EQ(exportFd(table, handle + 10, 0, &fd), -EINVAL);
   EXPECT_EQ(exportFd(table, handle, 0x4, &fd), -EINVAL);
   drm_syncobj_handle withPad{};
   withPad.handle = handle;
   withPad.pad = 1;
   EXPECT_EQ(table.handleToFd(withPad), -EINVAL);
   EXPECT_EQ(table.fdToHandle(withPad), -EINVAL);

   uint32_t imported = 0;
   EXPECT_EQ(importFd(table, -1, 0, &imported), -EINVAL);
   EXPECT_EQ(importFd(table, 1000000, 0, &imported), -EINVAL);
   EXPECT_EQ(importFd(table, 0, 0x4, &imported), -EINVAL);
   // An fd that is not a syncobj.
   int unrelated = memfd_create("drm-syncobj", MFD_CLOEXEC);
   ASSERT_GE(unrelated, 0);
   EXPECT_EQ(importFd(table, unrelated, 0, &imported), -EINVAL);
   close(unrelated);
   EXPECT_EQ(table.count(), 1u);
}

TEST_F(SyncobjTableTest, SyncFileExportAndImport)
{
   SyncobjTable other;
   uint32_t source = create();
   int fd = -1;
   // No fence to export yet.
   EXPECT_EQ(exportFd(table, source, DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE, &fd), -EINVAL);
   EXPECT_EQ(exportFd(table, 99, DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE, &fd), -ENOENT);
   auto fence = attachPending(source);
   ASSERT_EQ(exportFd(table, source, DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE, &fd), 0);
   // The sync_file holds the fence of the time of export.
   drm_syncobj_array reset{};
   reset.handles = userPtr(&source);
   reset.count_handles = 1;
   EXPECT_EQ(table.reset(reset), 0);

   drm_syncobj_create create{};
   ASSERT_EQ(other.create(create), 0);
   uint32_t target = create.handle;
   EXPECT_EQ(importFd(other, fd, DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE, &target), 0);
   EXPECT_EQ(target, create.handle);
   EXPECT_EQ(other.lookup(target)->fenceFor(0), fence);

   uint32_t unknown = 77;
   EXPECT_EQ(importFd(other, fd, DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE, &unknown), -ENOENT);
   // A sync_file is not a syncobj fd, and the other way round.
   uint32_t imported = 0;
   EXPECT_EQ(importFd(other, fd, 0, &imported), -EINVAL);
   int syncobjFd = -1;
   ASSERT_EQ(exportFd(table, source, 0, &syncobjFd), 0);
   EXPECT_EQ(importFd(other, syncobjFd, DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE, &target),
             -EINVAL);
   close(syncobjFd);
   close(fd);
}
