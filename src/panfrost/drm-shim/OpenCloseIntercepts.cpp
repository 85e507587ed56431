// open / close / dup / fcntl(F_DUPFD): opening a node makes a shim fd
// (FdTable), opening a path in the fake tree opens its stand-in, and the fd
// table follows every way an fd is duplicated or closed.
#undef _FILE_OFFSET_BITS
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "FdTable.h"
#include "Intercept.h"
#include "PathResolver.h"
#include "RealLibc.h"

using namespace pan::drmshim;

extern "C" {
int __open_2(const char *path, int flags);
int __open64_2(const char *path, int flags);
int __openat_2(int dirfd, const char *path, int flags);
int __openat64_2(int dirfd, const char *path, int flags);
}

namespace {

bool
takesMode(int flags)
{
   return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE;
}

int
openPath(int dirfd, const char *path, int flags, mode_t mode)
{
   const ResolvedPath resolved = resolvePath(dirfd, path, !(flags & O_NOFOLLOW));
   switch (resolved.kind) {
   case ResolvedPath::Kind::Node: {
      if (flags & O_DIRECTORY)
         return failWith(-ENOTDIR);
      if ((flags & O_CREAT) && (flags & O_EXCL))
         return failWith(-EEXIST);
      const int fd = FdTable::process().open(*resolved.node, flags);
      return fd < 0 ? failWith(fd) : fd;
   }
   case ResolvedPath::Kind::Redirected:
      return real::open(resolved.hostPath.c_str(), flags, mode);
   case ResolvedPath::Kind::PassThrough:
      break;
   }
   return dirfd == AT_FDCWD ? real::open(path, flags, mode) : real::openat(dirfd, path, flags, mode);
}

int
dupped(int original, int copy)
{
   if (copy >= 0)
      FdTable::process().duplicated(original, copy);
   return copy;
}

int
fcntlCall(int fd, int cmd, unsigned long arg)
{
   if (cmd != F_DUPFD && cmd != F_DUPFD_CLOEXEC)
      return real::fcntl(fd, cmd, arg);
   return dupped(fd, real::fcntl(fd, cmd, arg));
}

// mode_t is read only when open() takes one, as the C library does.
#define OPEN_MODE(flags, mode)                                                                     \
   mode_t mode = 0;                                                                                \
   if (takesMode(flags)) {                                                                         \
      va_list args;                                                                                \
      va_start(args, flags);                                                                       \
      mode = va_arg(args, mode_t);                                                                 \
      va_end(args);                                                                                \
   }

} // namespace

SHIM_EXPORT int
open(const char *path, int flags, ...)
{
   OPEN_MODE(flags, mode);
   return openPath(AT_FDCWD, path, flags, mode);
}

SHIM_EXPORT int
open64(const char *path, int flags, ...)
{
   OPEN_MODE(flags, mode);
   return openPath(AT_FDCWD, path, flags, mode);
}

SHIM_EXPORT int
openat(int dirfd, const char *path, int flags, ...)
{
   OPEN_MODE(flags, mode);
   return openPath(dirfd, path, flags, mode);
}

SHIM_EXPORT int
openat64(int dirfd, const char *path, int flags, ...)
{
   OPEN_MODE(flags, mode);
   return openPath(dirfd, path, flags, mode);
}

// The _FORTIFY_SOURCE entry points: open() with no mode argument.
SHIM_EXPORT int
__open_2(const char *path, int flags)
{
   return openPath(AT_FDCWD, path, flags, 0);
}

SHIM_EXPORT int
__open64_2(const char *path, int flags)
{
   return openPath(AT_FDCWD, path, flags, 0);
}

SHIM_EXPORT int
__openat_2(int dirfd, const char *path, int flags)
{
   return openPath(dirfd, path, flags, 0);
}

SHIM_EXPORT int
__openat64_2(int dirfd, const char *path, int flags)
{
   return openPath(dirfd, path, flags, 0);
}

SHIM_EXPORT int
close(int fd)
{
   return FdTable::process().close(fd);
}

SHIM_EXPORT int
close_range(unsigned first, unsigned last, int flags) noexcept
{
   if (!(flags & CLOSE_RANGE_CLOEXEC))
      FdTable::process().forgetRange(first, last);
   return real::closeRange(first, last, flags);
}

SHIM_EXPORT void
closefrom(int first) noexcept
{
   if (first >= 0)
      FdTable::process().forgetRange(unsigned(first), ~0u);
   real::closefrom(first);
}

SHIM_EXPORT int
dup(int fd) noexcept
{
   return dupped(fd, real::dup(fd));
}

SHIM_EXPORT int
dup2(int fd, int target) noexcept
{
   return dupped(fd, real::dup2(fd, target));
}

SHIM_EXPORT int
dup3(int fd, int target, int flags) noexcept
{
   return dupped(fd, real::dup3(fd, target, flags));
}

SHIM_EXPORT int
fcntl(int fd, int cmd, ...)
{
   va_list args;
   va_start(args, cmd);
   const unsigned long arg = va_arg(args, unsigned long);
   va_end(args);
   return fcntlCall(fd, cmd, arg);
}

SHIM_EXPORT int
fcntl64(int fd, int cmd, ...)
{
   va_list args;
   va_start(args, cmd);
   const unsigned long arg = va_arg(args, unsigned long);
   va_end(args);
   return fcntlCall(fd, cmd, arg);
}
