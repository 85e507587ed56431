// ioctl and mmap of a shim fd go to its pan::mock::File: every request, known
// or not, is answered by File::ioctl (an unknown one with EINVAL, as
// drm_ioctl() does), and an mmap at a BO_MMAP_OFFSET offset maps the BO's own
// pages (File::mmap). Everything else passes through; munmap and mremap need
// no interception, the mappings being ordinary shared mappings.
#undef _FILE_OFFSET_BITS
#include <stdarg.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include <new>

#include "FdTable.h"
#include "Intercept.h"
#include "RealLibc.h"

using namespace pan::drmshim;

namespace {

int
ioctlCall(int fd, unsigned long request, void *arg)
{
   std::shared_ptr<pan::mock::File> file = FdTable::process().lookup(fd);
   if (!file)
      return real::ioctl(fd, request, arg);
   try {
      const int result = file->ioctl(request, arg);
      return result < 0 ? failWith(result) : result;
   } catch (const std::bad_alloc &) {
      return failWith(-ENOMEM);
   }
}

void *
mmapCall(void *addr, size_t length, int prot, int flags, int fd, off_t offset)
{
   if (fd >= 0 && !(flags & MAP_ANONYMOUS)) {
      if (std::shared_ptr<pan::mock::File> file = FdTable::process().lookup(fd)) {
         int error = 0;
         void *mapped = nullptr;
         try {
            mapped = file->mmap(addr, length, prot, flags, uint64_t(offset), &error);
         } catch (const std::bad_alloc &) {
            error = ENOMEM;
         }
         if (!mapped) {
            errno = error;
            return MAP_FAILED;
         }
         return mapped;
      }
   }
   return real::mmap(addr, length, prot, flags, fd, offset);
}

} // namespace

SHIM_EXPORT int
ioctl(int fd, unsigned long request, ...) noexcept
{
   va_list args;
   va_start(args, request);
   void *arg = va_arg(args, void *);
   va_end(args);
   return ioctlCall(fd, request, arg);
}

SHIM_EXPORT void *
mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset) noexcept
{
   return mmapCall(addr, length, prot, flags, fd, offset);
}

SHIM_EXPORT void *
mmap64(void *addr, size_t length, int prot, int flags, int fd, off64_t offset) noexcept
{
   return mmapCall(addr, length, prot, flags, fd, offset);
}
