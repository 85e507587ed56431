// The fixture of the SyncobjTable ioctl tests: one table and small helpers
// that fill the libdrm structs.
#pragma once

#include <gtest/gtest.h>

#include <time.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

#include "mock/SyncobjTable.h"

namespace pan::mock::test {

inline int64_t
monotonicNowNsec()
{
   timespec ts;
   clock_gettime(CLOCK_MONOTONIC, &ts);
   return int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

inline int64_t
inMs(int64_t ms)
{
   return monotonicNowNsec() + ms * 1'000'000;
}

inline uint64_t
userPtr(const void *pointer)
{
   return reinterpret_cast<uint64_t>(pointer);
}

inline void
sleepMs(int ms)
{
   std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

class SyncobjTableTest : public ::testing::Test {
protected:
   uint32_t create(uint32_t flags = 0)
   {
      drm_syncobj_create args{};
      args.flags = flags;
      EXPECT_EQ(table.create(args), 0);
      EXPECT_NE(args.handle, 0u);
      return args.handle;
   }

   int wait(std::vector<uint32_t> handles, uint32_t flags, int64_t timeoutNsec,
            uint32_t *first = nullptr)
   {
      drm_syncobj_wait args{};
      args.handles = userPtr(handles.data());
      args.count_handles = uint32_t(handles.size());
      args.flags = flags;
      args.timeout_nsec = timeoutNsec;
      args.first_signaled = 0xdead;
      int ret = table.wait(args);
      if (first)
         *first = args.first_signaled;
      return ret;
   }

   int timelineWait(std::vector<uint32_t> handles, std::vector<uint64_t> points, uint32_t flags,
                    int64_t timeoutNsec, uint32_t *first = nullptr)
   {
      drm_syncobj_timeline_wait args{};
      args.handles = userPtr(handles.data());
      args.points = userPtr(points.data());
      args.count_handles = uint32_t(handles.size());
      args.flags = flags;
      args.timeout_nsec = timeoutNsec;
      int ret = table.timelineWait(args);
      if (first)
         *first = args.first_signaled;
      return ret;
   }

   uint64_t query(uint32_t handle, uint32_t flags = 0)
   {
      uint64_t point = ~0ull;
      drm_syncobj_timeline_array args{};
      args.handles = userPtr(&handle);
      args.points = userPtr(&point);
      args.count_handles = 1;
      args.flags = flags;
      EXPECT_EQ(table.query(args), 0);
      return point;
   }

   int signalArray(SyncobjTable &on, std::vector<uint32_t> handles)
   {
      drm_syncobj_array args{};
      args.handles = userPtr(handles.data());
      args.count_handles = uint32_t(handles.size());
      return on.signal(args);
   }

   int exportFd(SyncobjTable &from, uint32_t handle, uint32_t flags, int *fd)
   {
      drm_syncobj_handle args{};
      args.handle = handle;
      args.flags = flags;
      args.fd = -1;
      int ret = from.handleToFd(args);
      *fd = args.fd;
      return ret;
   }

   int importFd(SyncobjTable &into, int fd, uint32_t flags, uint32_t *handle)
   {
      drm_syncobj_handle args{};
      args.fd = fd;
      args.flags = flags;
      args.handle = *handle;
      int ret = into.fdToHandle(args);
      *handle = args.handle;
      return ret;
   }

   std::shared_ptr<Fence> attachPending(uint32_t handle, uint64_t point = 0)
   {
      auto fence = Fence::create();
      table.lookup(handle)->attach(point, fence);
      return fence;
   }

   SyncobjTable table;
};

} // namespace pan::mock::test
