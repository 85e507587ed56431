// The syncobj ioctls that act on arrays of handles (wait, timeline wait,
// reset, signal, timeline signal, query) and transfer.
#include <cerrno>

#include "mock/SyncobjGuard.h"
#include "mock/SyncobjTable.h"
#include "mock/SyncobjUserCopy.h"
#include "mock/SyncobjWait.h"

namespace pan::mock {

int
SyncobjTable::resolve(uint64_t userHandles, uint32_t count,
                      std::vector<std::shared_ptr<Syncobj>> *syncobjs) const
{
   if (count > kMaxHandles)
      return -ENOMEM;
   std::vector<uint32_t> handles(count);
   if (int ret = copyFromUser(handles.data(), userHandles, sizeof(uint32_t) * count))
      return ret;
   syncobjs->clear();
   syncobjs->reserve(count);
   std::lock_guard lock(mutex_);
   for (uint32_t handle : handles) {
      std::shared_ptr<Syncobj> syncobj = handles_.lookup(handle);
      if (!syncobj)
         return -ENOENT;
      syncobjs->push_back(std::move(syncobj));
   }
   return 0;
}

int
SyncobjTable::readPoints(uint64_t userPoints, uint32_t count, std::vector<uint64_t> *points)
{
   points->assign(count, 0);
   if (!userPoints)
      return 0;
   return copyFromUser(points->data(), userPoints, sizeof(uint64_t) * count);
}

int
SyncobjTable::waitCommon(uint64_t userHandles, uint64_t userPoints, uint32_t count,
                         uint32_t flags, int64_t timeoutNsec, uint32_t *firstSignaled)
{
   if (count == 0)
      return -EINVAL;
   std::vector<std::shared_ptr<Syncobj>> syncobjs;
   if (int ret = resolve(userHandles, count, &syncobjs))
      return ret;
   std::vector<uint64_t> points;
   if (int ret = readPoints(userPoints, count, &points))
      return ret;
   return waitSyncobjs(syncobjs, points, flags, timeoutNsec, firstSignaled);
}

int
SyncobjTable::wait(drm_syncobj_wait &args)
{
   return guardAllocation([&] {
      if (args.flags & ~uint32_t(DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL |
                                 DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT))
         return -EINVAL;
      uint32_t first = ~0u;
      int ret = waitCommon(args.handles, 0, args.count_handles, args.flags, args.timeout_nsec,
                           &first);
      if (ret == 0)
         args.first_signaled = first;
      return ret;
   });
}

int
SyncobjTable::timelineWait(drm_syncobj_timeline_wait &args)
{
   return guardAllocation([&] {
      if (args.flags & ~uint32_t(DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL |
                                 DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT |
                                 DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE))
         return -EINVAL;
      uint32_t first = ~0u;
      int ret = waitCommon(args.handles, args.points, args.count_handles, args.flags,
                           args.timeout_nsec, &first);
      if (ret == 0)
         args.first_signaled = first;
      return ret;
   });
}

int
SyncobjTable::reset(const drm_syncobj_array &args)
{
   return guardAllocation([&] {
      if (args.pad != 0 || args.count_handles == 0)
         return -EINVAL;
      std::vector<std::shared_ptr<Syncobj>> syncobjs;
      if (int ret = resolve(args.handles, args.count_handles, &syncobjs))
         return ret;
      for (auto &syncobj : syncobjs)
         syncobj->reset();
      return 0;
   });
}

int
SyncobjTable::signal(const drm_syncobj_array &args)
{
   return guardAllocation([&] {
      if (args.pad != 0 || args.count_handles == 0)
         return -EINVAL;
      std::vector<std::shared_ptr<Syncobj>> syncobjs;
      if (int ret = resolve(args.handles, args.count_handles, &syncobjs))
         return ret;
      for (auto &syncobj : syncobjs)
         syncobj->replace(Fence::signaledStub());
      return 0;
   });
}

int
SyncobjTable::timelineSignal(const drm_syncobj_timeline_array &args)
{
   return guardAllocation([&] {
      if (args.flags != 0 || args.count_handles == 0)
         return -EINVAL;
      std::vector<std::shared_ptr<Syncobj>> syncobjs;
      if (int ret = resolve(args.handles, args.count_handles, &syncobjs))
         return ret;
      std::vector<uint64_t> points;
      if (int ret = readPoints(args.points, args.count_handles, &points))
         return ret;
      // Point 0 too becomes a timeline link here, as in the kernel (it does
      // not replace the payload the way SYNCOBJ_SIGNAL does).
      for (size_t i = 0; i < syncobjs.size(); i++)
         syncobjs[i]->addPoint(points[i], Fence::signaledStub());
      return 0;
   });
}

int
SyncobjTable::query(const drm_syncobj_timeline_array &args)
{
   return guardAllocation([&] {
      if (args.flags & ~uint32_t(DRM_SYNCOBJ_QUERY_FLAGS_LAST_SUBMITTED))
         return -EINVAL;
      if (args.count_handles == 0)
         return -EINVAL;
      std::vector<std::shared_ptr<Syncobj>> syncobjs;
      if (int ret = resolve(args.handles, args.count_handles, &syncobjs))
         return ret;
      const bool lastSubmitted = args.flags & DRM_SYNCOBJ_QUERY_FLAGS_LAST_SUBMITTED;
      for (size_t i = 0; i < syncobjs.size(); i++) {
         // One at a time, as the kernel copies: a fault leaves earlier ones written.
         uint64_t point = syncobjs[i]->queryPoint(lastSubmitted);
         if (int ret = copyToUser(args.points + i * sizeof(uint64_t), &point, sizeof(point)))
            return ret;
      }
      return 0;
   });
}

int
SyncobjTable::transfer(const drm_syncobj_transfer &args)
{
   return guardAllocation([&] {
      if (args.flags & ~uint32_t(DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT))
         return -EINVAL;
      if (args.pad)
         return -EINVAL;
      std::shared_ptr<Syncobj> source = lookup(args.src_handle);
      if (!source)
         return -ENOENT;
      std::shared_ptr<Syncobj> destination = lookup(args.dst_handle);
      if (!destination)
         return -ENOENT;
      std::shared_ptr<Fence> fence;
      if (int ret = findFence(source, args.src_point, args.flags, &fence))
         return ret;
      if (args.dst_point)
         destination->addPoint(args.dst_point, std::move(fence));
      else
         destination->replace(std::move(fence));
      return 0;
   });
}

} // namespace pan::mock
