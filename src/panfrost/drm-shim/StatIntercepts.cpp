// The stat family: a node (by path, or a shim fd) is a character device
// (NodeStat.h); a path in the fake tree is its stand-in; anything else passes
// through. glibc 2.33+ exports stat/fstat/lstat/fstatat (and *64) as real
// functions, which is what programs built against it call (libdrm 2.4.114 on
// Debian 12 calls stat64 and fstat64); the __xstat family is what programs
// built against older glibc call, so both are defined. glibc does not export a
// newfstatat symbol (that is the syscall fstatat uses), so there is none here.
#undef _FILE_OFFSET_BITS
#include <fcntl.h>
#include <sys/stat.h>

#include "FdTable.h"
#include "Intercept.h"
#include "NodeStat.h"
#include "PathResolver.h"
#include "RealLibc.h"

using namespace pan::drmshim;

static_assert(sizeof(struct stat) == sizeof(struct stat64), "stat and stat64 must agree");

extern "C" {
int __xstat(int version, const char *path, struct stat *buf);
int __xstat64(int version, const char *path, struct stat64 *buf);
int __lxstat(int version, const char *path, struct stat *buf);
int __lxstat64(int version, const char *path, struct stat64 *buf);
int __fxstat(int version, int fd, struct stat *buf);
int __fxstat64(int version, int fd, struct stat64 *buf);
int __fxstatat(int version, int dirfd, const char *path, struct stat *buf, int flags);
int __fxstatat64(int version, int dirfd, const char *path, struct stat64 *buf, int flags);
}

namespace {

int
statFd(int fd, struct stat *buf)
{
   const Node *node = nullptr;
   if (FdTable::process().lookup(fd, &node)) {
      fillNodeStat(*node, buf);
      return 0;
   }
   return real::fstat(fd, buf);
}

int
statAt(int dirfd, const char *path, struct stat *buf, int flags)
{
   if ((flags & AT_EMPTY_PATH) && path && !*path)
      return statFd(dirfd, buf);
   const ResolvedPath resolved = resolvePath(dirfd, path, !(flags & AT_SYMLINK_NOFOLLOW));
   switch (resolved.kind) {
   case ResolvedPath::Kind::Node:
      fillNodeStat(*resolved.node, buf);
      return 0;
   case ResolvedPath::Kind::Redirected:
      return real::fstatat(AT_FDCWD, resolved.hostPath.c_str(), buf, flags);
   case ResolvedPath::Kind::PassThrough:
      break;
   }
   return real::fstatat(dirfd, path, buf, flags);
}

int
statxAt(int dirfd, const char *path, int flags, unsigned mask, struct statx *buf)
{
   const Node *node = nullptr;
   if ((flags & AT_EMPTY_PATH) && path && !*path) {
      if (FdTable::process().lookup(dirfd, &node)) {
         fillNodeStatx(*node, buf);
         return 0;
      }
      return real::statx(dirfd, path, flags, mask, buf);
   }
   const ResolvedPath resolved = resolvePath(dirfd, path, !(flags & AT_SYMLINK_NOFOLLOW));
   switch (resolved.kind) {
   case ResolvedPath::Kind::Node:
      fillNodeStatx(*resolved.node, buf);
      return 0;
   case ResolvedPath::Kind::Redirected:
      return real::statx(AT_FDCWD, resolved.hostPath.c_str(), flags, mask, buf);
   case ResolvedPath::Kind::PassThrough:
      break;
   }
   return real::statx(dirfd, path, flags, mask, buf);
}

struct stat *
asStat(struct stat64 *buf)
{
   return reinterpret_cast<struct stat *>(buf);
}

} // namespace

SHIM_EXPORT int
stat(const char *path, struct stat *buf) noexcept
{
   return statAt(AT_FDCWD, path, buf, 0);
}

SHIM_EXPORT int
stat64(const char *path, struct stat64 *buf) noexcept
{
   return statAt(AT_FDCWD, path, asStat(buf), 0);
}

SHIM_EXPORT int
lstat(const char *path, struct stat *buf) noexcept
{
   return statAt(AT_FDCWD, path, buf, AT_SYMLINK_NOFOLLOW);
}

SHIM_EXPORT int
lstat64(const char *path, struct stat64 *buf) noexcept
{
   return statAt(AT_FDCWD, path, asStat(buf), AT_SYMLINK_NOFOLLOW);
}

SHIM_EXPORT int
fstat(int fd, struct stat *buf) noexcept
{
   return statFd(fd, buf);
}

SHIM_EXPORT int
fstat64(int fd, struct stat64 *buf) noexcept
{
   return statFd(fd, asStat(buf));
}

SHIM_EXPORT int
fstatat(int dirfd, const char *path, struct stat *buf, int flags) noexcept
{
   return statAt(dirfd, path, buf, flags);
}

SHIM_EXPORT int
fstatat64(int dirfd, const char *path, struct stat64 *buf, int flags) noexcept
{
   return statAt(dirfd, path, asStat(buf), flags);
}

SHIM_EXPORT int
statx(int dirfd, const char *path, int flags, unsigned mask, struct statx *buf) noexcept
{
   return statxAt(dirfd, path, flags, mask, buf);
}

// The pre-2.33 entry points. `version` names the struct layout; on the 64-bit
// targets the shim supports, the one glibc's headers asked for is the layout of
// today's struct stat, so it is not checked.
SHIM_EXPORT int
__xstat(int, const char *path, struct stat *buf)
{
   return statAt(AT_FDCWD, path, buf, 0);
}

SHIM_EXPORT int
__xstat64(int, const char *path, struct stat64 *buf)
{
   return statAt(AT_FDCWD, path, asStat(buf), 0);
}

SHIM_EXPORT int
__lxstat(int, const char *path, struct stat *buf)
{
   return statAt(AT_FDCWD, path, buf, AT_SYMLINK_NOFOLLOW);
}

SHIM_EXPORT int
__lxstat64(int, const char *path, struct stat64 *buf)
{
   return statAt(AT_FDCWD, path, asStat(buf), AT_SYMLINK_NOFOLLOW);
}

SHIM_EXPORT int
__fxstat(int, int fd, struct stat *buf)
{
   return statFd(fd, buf);
}

SHIM_EXPORT int
__fxstat64(int, int fd, struct stat64 *buf)
{
   return statFd(fd, asStat(buf));
}

SHIM_EXPORT int
__fxstatat(int, int dirfd, const char *path, struct stat *buf, int flags)
{
   return statAt(dirfd, path, buf, flags);
}

SHIM_EXPORT int
__fxstatat64(int, int dirfd, const char *path, struct stat64 *buf, int flags)
{
   return statAt(dirfd, path, asStat(buf), flags);
}
