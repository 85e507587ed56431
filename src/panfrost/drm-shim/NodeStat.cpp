#include "NodeStat.h"

#include <sys/sysmacros.h>

#include <cstring>
#include <ctime>

namespace pan::drmshim {

namespace {

// devtmpfs is the first anonymous-device file system a kernel mounts: dev 0:5
// on typical systems. The inode numbers only have to be stable and distinct.
constexpr unsigned kDevtmpfsMinor = 5;

ino_t
inodeOf(const Node &node)
{
   return 0x1000 + node.minor;
}

// The nodes "appeared" when the shim first described them.
const timespec &
creationTime()
{
   static const timespec time = [] {
      timespec now{};
      clock_gettime(CLOCK_REALTIME, &now);
      return now;
   }();
   return time;
}

} // namespace

void
fillNodeStat(const Node &node, struct stat *buf)
{
   memset(buf, 0, sizeof(*buf));
   buf->st_dev = makedev(0, kDevtmpfsMinor);
   buf->st_ino = inodeOf(node);
   buf->st_mode = S_IFCHR | 0666;
   buf->st_nlink = 1;
   buf->st_rdev = makedev(kDrmMajor, node.minor);
   buf->st_blksize = 4096;
   buf->st_atim = buf->st_mtim = buf->st_ctim = creationTime();
}

void
fillNodeStatx(const Node &node, struct statx *buf)
{
   memset(buf, 0, sizeof(*buf));
   const timespec &time = creationTime();
   const statx_timestamp stamp{time.tv_sec, uint32_t(time.tv_nsec), 0};
   buf->stx_mask = STATX_BASIC_STATS;
   buf->stx_blksize = 4096;
   buf->stx_nlink = 1;
   buf->stx_mode = S_IFCHR | 0666;
   buf->stx_ino = inodeOf(node);
   buf->stx_atime = buf->stx_ctime = buf->stx_mtime = stamp;
   buf->stx_rdev_major = kDrmMajor;
   buf->stx_rdev_minor = node.minor;
   buf->stx_dev_major = 0;
   buf->stx_dev_minor = kDevtmpfsMinor;
}

} // namespace pan::drmshim
