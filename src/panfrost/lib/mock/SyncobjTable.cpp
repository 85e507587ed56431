// The handle table itself and the ioctls that create, destroy, export and
// import syncobjs. The array ioctls are in SyncobjArrayIoctls.cpp.
#include "mock/SyncobjTable.h"

#include <cerrno>
#include <climits>

#include "mock/SyncobjFiles.h"
#include "mock/SyncobjGuard.h"

namespace pan::mock {

SyncobjTable::SyncobjTable() : handles_(1, INT32_MAX) {}

SyncobjTable::~SyncobjTable() = default;

std::shared_ptr<Syncobj>
SyncobjTable::lookup(uint32_t handle) const
{
   std::lock_guard lock(mutex_);
   return handles_.lookup(handle);
}

uint32_t
SyncobjTable::install(std::shared_ptr<Syncobj> syncobj)
{
   if (!syncobj)
      return 0;
   std::lock_guard lock(mutex_);
   return handles_.insert(std::move(syncobj));
}

size_t
SyncobjTable::count() const
{
   std::lock_guard lock(mutex_);
   return handles_.size();
}

int
SyncobjTable::create(drm_syncobj_create &args)
{
   return guardAllocation([&] {
      if (args.flags & ~uint32_t(DRM_SYNCOBJ_CREATE_SIGNALED))
         return -EINVAL;
      uint32_t handle = install(Syncobj::create(args.flags & DRM_SYNCOBJ_CREATE_SIGNALED));
      if (!handle)
         return -ENOSPC;
      args.handle = handle;
      return 0;
   });
}

int
SyncobjTable::destroy(const drm_syncobj_destroy &args)
{
   if (args.pad)
      return -EINVAL;
   std::shared_ptr<Syncobj> removed;
   {
      std::lock_guard lock(mutex_);
      removed = handles_.remove(args.handle);
   }
   // Released outside the lock: the last reference may go here.
   return removed ? 0 : -EINVAL;
}

int
SyncobjTable::handleToFd(drm_syncobj_handle &args)
{
   return guardAllocation([&] {
      if (args.pad)
         return -EINVAL;
      if (args.flags != 0 && args.flags != DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE)
         return -EINVAL;
      std::shared_ptr<Syncobj> syncobj = lookup(args.handle);
      int fd = -1;
      int ret;
      if (args.flags & DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE) {
         if (!syncobj)
            return -ENOENT;
         std::shared_ptr<Fence> fence = syncobj->fenceFor(0);
         if (!fence)
            return -EINVAL;
         ret = exportSyncFileFd(std::move(fence), &fd);
      } else {
         if (!syncobj)
            return -EINVAL;
         ret = exportSyncobjFd(std::move(syncobj), &fd);
      }
      if (ret == 0)
         args.fd = fd;
      return ret;
   });
}

int
SyncobjTable::fdToHandle(drm_syncobj_handle &args)
{
   return guardAllocation([&] {
      if (args.pad)
         return -EINVAL;
      if (args.flags != 0 && args.flags != DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE)
         return -EINVAL;
      if (args.flags & DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE) {
         std::shared_ptr<Fence> fence = importSyncFileFd(args.fd);
         if (!fence)
            return -EINVAL;
         std::shared_ptr<Syncobj> syncobj = lookup(args.handle);
         if (!syncobj)
            return -ENOENT;
         syncobj->replace(std::move(fence));
         return 0;
      }
      std::shared_ptr<Syncobj> syncobj = importSyncobjFd(args.fd);
      if (!syncobj)
         return -EINVAL;
      uint32_t handle = install(std::move(syncobj));
      if (!handle)
         return -ENOSPC;
      args.handle = handle;
      return 0;
   });
}

} // namespace pan::mock
