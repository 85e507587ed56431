// opendir / scandir of /dev/dri and of the sysfs directories libdrm lists
// (/sys/dev/char/226:N/device/drm): they open the fake tree's directories, so
// readdir, readdir64 and closedir work on them unchanged (glibc's scandir
// opens the directory internally, past the opendir intercept, hence its own).
#undef _FILE_OFFSET_BITS
#include <dirent.h>
#include <fcntl.h>

#include "Intercept.h"
#include "PathResolver.h"
#include "RealLibc.h"

using namespace pan::drmshim;

namespace {

DIR *
openDirectory(const char *path)
{
   const ResolvedPath resolved = resolvePath(AT_FDCWD, path);
   switch (resolved.kind) {
   case ResolvedPath::Kind::Node:
      errno = ENOTDIR;
      return nullptr;
   case ResolvedPath::Kind::Redirected:
      return real::opendir(resolved.hostPath.c_str());
   case ResolvedPath::Kind::PassThrough:
      break;
   }
   return real::opendir(path);
}

int
scanDirectory(const char *path, struct dirent ***list, real::DirentFilter filter,
              real::DirentCompare compare)
{
   const ResolvedPath resolved = resolvePath(AT_FDCWD, path);
   switch (resolved.kind) {
   case ResolvedPath::Kind::Node:
      return failWith(-ENOTDIR);
   case ResolvedPath::Kind::Redirected:
      return real::scandir(resolved.hostPath.c_str(), list, filter, compare);
   case ResolvedPath::Kind::PassThrough:
      break;
   }
   return real::scandir(path, list, filter, compare);
}

} // namespace

SHIM_EXPORT DIR *
opendir(const char *path)
{
   return openDirectory(path);
}

SHIM_EXPORT int
scandir(const char *path, struct dirent ***list, real::DirentFilter filter,
        real::DirentCompare compare)
{
   return scanDirectory(path, list, filter, compare);
}

// struct dirent64 is struct dirent on 64-bit targets.
SHIM_EXPORT int
scandir64(const char *path, struct dirent64 ***list, int (*filter)(const struct dirent64 *),
          int (*compare)(const struct dirent64 **, const struct dirent64 **))
{
   static_assert(sizeof(struct dirent) == sizeof(struct dirent64));
   return scanDirectory(path, reinterpret_cast<struct dirent ***>(list),
                        reinterpret_cast<real::DirentFilter>(filter),
                        reinterpret_cast<real::DirentCompare>(compare));
}
