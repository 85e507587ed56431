#include "RealLibc.h"

#include <dlfcn.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>

namespace pan::drmshim::real {

namespace {

// Resolved once per function, on first use: intercepts can run before any
// constructor of the shim (from other libraries' constructors).
template <typename Fn>
Fn
next(const char *name)
{
   return reinterpret_cast<Fn>(dlsym(RTLD_NEXT, name));
}

} // namespace

// Calls the C library's `symbol` with `args`, or fails with ENOSYS.
#define CALL_NEXT(type, symbol, failure, ...)                                                      \
   do {                                                                                            \
      static const auto fn = next<type>(symbol);                                                   \
      if (!fn) {                                                                                   \
         errno = ENOSYS;                                                                           \
         return failure;                                                                           \
      }                                                                                            \
      return fn(__VA_ARGS__);                                                                      \
   } while (0)

int
open(const char *path, int flags, mode_t mode)
{
   CALL_NEXT(int (*)(const char *, int, ...), "open", -1, path, flags, mode);
}

int
openat(int dirfd, const char *path, int flags, mode_t mode)
{
   CALL_NEXT(int (*)(int, const char *, int, ...), "openat", -1, dirfd, path, flags, mode);
}

int
close(int fd)
{
   CALL_NEXT(int (*)(int), "close", -1, fd);
}

int
dup(int fd)
{
   CALL_NEXT(int (*)(int), "dup", -1, fd);
}

int
dup2(int fd, int target)
{
   CALL_NEXT(int (*)(int, int), "dup2", -1, fd, target);
}

int
dup3(int fd, int target, int flags)
{
   CALL_NEXT(int (*)(int, int, int), "dup3", -1, fd, target, flags);
}

int
fcntl(int fd, int cmd, unsigned long arg)
{
   CALL_NEXT(int (*)(int, int, ...), "fcntl", -1, fd, cmd, arg);
}

int
closeRange(unsigned first, unsigned last, int flags)
{
   CALL_NEXT(int (*)(unsigned, unsigned, int), "close_range", -1, first, last, flags);
}

void
closefrom(int first)
{
   static const auto fn = next<void (*)(int)>("closefrom");
   if (fn)
      fn(first);
}

int
ioctl(int fd, unsigned long request, void *arg)
{
   CALL_NEXT(int (*)(int, unsigned long, ...), "ioctl", -1, fd, request, arg);
}

void *
mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset)
{
   CALL_NEXT(void *(*)(void *, size_t, int, int, int, off_t), "mmap", MAP_FAILED, addr, length,
             prot, flags, fd, offset);
}

int
fstat(int fd, struct stat *buf)
{
   CALL_NEXT(int (*)(int, struct stat *), "fstat", -1, fd, buf);
}

int
fstatat(int dirfd, const char *path, struct stat *buf, int flags)
{
   CALL_NEXT(int (*)(int, const char *, struct stat *, int), "fstatat", -1, dirfd, path, buf, flags);
}

int
statx(int dirfd, const char *path, int flags, unsigned mask, struct statx *buf)
{
   CALL_NEXT(int (*)(int, const char *, int, unsigned, struct statx *), "statx", -1, dirfd, path,
             flags, mask, buf);
}

DIR *
opendir(const char *path)
{
   CALL_NEXT(DIR *(*)(const char *), "opendir", nullptr, path);
}

int
scandir(const char *path, struct dirent ***list, DirentFilter filter, DirentCompare compare)
{
   CALL_NEXT(int (*)(const char *, struct dirent ***, DirentFilter, DirentCompare), "scandir", -1,
             path, list, filter, compare);
}

ssize_t
readlink(const char *path, char *buf, size_t size)
{
   CALL_NEXT(ssize_t (*)(const char *, char *, size_t), "readlink", -1, path, buf, size);
}

ssize_t
readlinkat(int dirfd, const char *path, char *buf, size_t size)
{
   CALL_NEXT(ssize_t (*)(int, const char *, char *, size_t), "readlinkat", -1, dirfd, path, buf,
             size);
}

char *
realpath(const char *path, char *resolved)
{
   CALL_NEXT(char *(*)(const char *, char *), "realpath", nullptr, path, resolved);
}

int
access(const char *path, int mode)
{
   CALL_NEXT(int (*)(const char *, int), "access", -1, path, mode);
}

int
faccessat(int dirfd, const char *path, int mode, int flags)
{
   CALL_NEXT(int (*)(int, const char *, int, int), "faccessat", -1, dirfd, path, mode, flags);
}

int
euidaccess(const char *path, int mode)
{
   CALL_NEXT(int (*)(const char *, int), "euidaccess", -1, path, mode);
}

FILE *
fopen(const char *path, const char *mode)
{
   CALL_NEXT(FILE *(*)(const char *, const char *), "fopen", nullptr, path, mode);
}

#undef CALL_NEXT

} // namespace pan::drmshim::real
