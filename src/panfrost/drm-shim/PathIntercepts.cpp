// The other path-taking calls libdrm and its users make on the nodes and the
// sysfs entries: readlink (the subsystem and driver links), realpath (the
// device directory), access, fopen (uevent, and the attribute files fscanf
// reads). Paths in the fake tree go to their stand-ins; what realpath resolves
// inside the tree is given back as the path it stands for, so callers never see
// the tree's location.
#undef _FILE_OFFSET_BITS
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <algorithm>
#include <string>

#include "FakeTree.h"
#include "FdTable.h"
#include "Intercept.h"
#include "PathResolver.h"
#include "RealLibc.h"

using namespace pan::drmshim;

extern "C" {
char *__realpath_chk(const char *path, char *resolved, size_t resolvedLength);
[[noreturn]] void __chk_fail(void);
}

namespace {

constexpr const char kProcSelfFd[] = "/proc/self/fd/";

// readlink("/proc/self/fd/N") of a shim fd names the node, not the memfd.
const Node *
nodeOfProcFdLink(const char *path)
{
   if (strncmp(path, kProcSelfFd, sizeof(kProcSelfFd) - 1) != 0)
      return nullptr;
   const char *number = path + sizeof(kProcSelfFd) - 1;
   char *end = nullptr;
   const long fd = strtol(number, &end, 10);
   if (end == number || *end != '\0' || fd < 0 || fd > INT_MAX)
      return nullptr;
   const Node *node = nullptr;
   return FdTable::process().lookup(int(fd), &node) ? node : nullptr;
}

ssize_t
copyLink(const std::string &target, char *buf, size_t size)
{
   const size_t length = std::min(size, target.size()); // readlink does not terminate it
   memcpy(buf, target.data(), length);
   return ssize_t(length);
}

ssize_t
readLinkAt(int dirfd, const char *path, char *buf, size_t size)
{
   if (path && path[0] == '/') {
      if (const Node *node = nodeOfProcFdLink(path))
         return copyLink(std::string("/dev/dri/") + node->name, buf, size);
   }
   const ResolvedPath resolved = resolvePath(dirfd, path, false);
   switch (resolved.kind) {
   case ResolvedPath::Kind::Node:
      return failWith(-EINVAL); // not a symlink
   case ResolvedPath::Kind::Redirected:
      return real::readlink(resolved.hostPath.c_str(), buf, size);
   case ResolvedPath::Kind::PassThrough:
      break;
   }
   return dirfd == AT_FDCWD ? real::readlink(path, buf, size) : real::readlinkat(dirfd, path, buf, size);
}

char *
giveResolved(const std::string &path, char *resolved)
{
   if (path.size() >= PATH_MAX) {
      errno = ENAMETOOLONG;
      return nullptr;
   }
   if (!resolved)
      return strdup(path.c_str());
   memcpy(resolved, path.c_str(), path.size() + 1);
   return resolved;
}

char *
resolveRealPath(const char *path, char *resolved)
{
   const ResolvedPath resolvedPath = resolvePath(AT_FDCWD, path);
   switch (resolvedPath.kind) {
   case ResolvedPath::Kind::Node:
      return giveResolved(std::string("/dev/dri/") + resolvedPath.node->name, resolved);
   case ResolvedPath::Kind::Redirected: {
      char host[PATH_MAX];
      if (!real::realpath(resolvedPath.hostPath.c_str(), host))
         return nullptr;
      const FakeTree *tree = FakeTree::ifMade();
      const std::string result = tree ? tree->virtualPath(host).value_or(host) : host;
      return giveResolved(result, resolved);
   }
   case ResolvedPath::Kind::PassThrough:
      break;
   }
   return real::realpath(path, resolved);
}

int
accessAt(int dirfd, const char *path, int mode, int flags, bool effectiveIds)
{
   const ResolvedPath resolved = resolvePath(dirfd, path, !(flags & AT_SYMLINK_NOFOLLOW));
   switch (resolved.kind) {
   case ResolvedPath::Kind::Node:
      return (mode & X_OK) ? failWith(-EACCES) : 0; // crw-rw-rw-
   case ResolvedPath::Kind::Redirected:
      return real::faccessat(AT_FDCWD, resolved.hostPath.c_str(), mode, flags);
   case ResolvedPath::Kind::PassThrough:
      break;
   }
   if (dirfd == AT_FDCWD && !flags)
      return effectiveIds ? real::euidaccess(path, mode) : real::access(path, mode);
   return real::faccessat(dirfd, path, mode, flags);
}

// fopen() of a node opens it through the shim (fdopen of a shim fd); its
// fclose() closes the fd past the close intercept, so the File is only
// released once the fd number is seen reused (FdTable::lookup).
FILE *
openStream(const char *path, const char *mode)
{
   const ResolvedPath resolved = resolvePath(AT_FDCWD, path);
   switch (resolved.kind) {
   case ResolvedPath::Kind::Node: {
      const int fd = FdTable::process().open(*resolved.node, strchr(mode, 'e') ? O_CLOEXEC : 0);
      if (fd < 0) {
         errno = -fd;
         return nullptr;
      }
      FILE *stream = fdopen(fd, mode);
      if (!stream) {
         const int error = errno;
         FdTable::process().close(fd);
         errno = error;
      }
      return stream;
   }
   case ResolvedPath::Kind::Redirected:
      return real::fopen(resolved.hostPath.c_str(), mode);
   case ResolvedPath::Kind::PassThrough:
      break;
   }
   return real::fopen(path, mode);
}

} // namespace

SHIM_EXPORT ssize_t
readlink(const char *path, char *buf, size_t size) noexcept
{
   return readLinkAt(AT_FDCWD, path, buf, size);
}

SHIM_EXPORT ssize_t
readlinkat(int dirfd, const char *path, char *buf, size_t size) noexcept
{
   return readLinkAt(dirfd, path, buf, size);
}

SHIM_EXPORT char *
realpath(const char *path, char *resolved) noexcept
{
   return resolveRealPath(path, resolved);
}

SHIM_EXPORT char *
__realpath_chk(const char *path, char *resolved, size_t resolvedLength)
{
   if (resolvedLength < PATH_MAX)
      __chk_fail();
   return resolveRealPath(path, resolved);
}

SHIM_EXPORT int
access(const char *path, int mode) noexcept
{
   return accessAt(AT_FDCWD, path, mode, 0, false);
}

SHIM_EXPORT int
euidaccess(const char *path, int mode) noexcept
{
   return accessAt(AT_FDCWD, path, mode, 0, true);
}

SHIM_EXPORT int
eaccess(const char *path, int mode) noexcept
{
   return accessAt(AT_FDCWD, path, mode, 0, true);
}

SHIM_EXPORT int
faccessat(int dirfd, const char *path, int mode, int flags) noexcept
{
   return accessAt(dirfd, path, mode, flags, false);
}

SHIM_EXPORT FILE *
fopen(const char *path, const char *mode)
{
   return openStream(path, mode);
}

SHIM_EXPORT FILE *
fopen64(const char *path, const char *mode)
{
   return openStream(path, mode);
}
