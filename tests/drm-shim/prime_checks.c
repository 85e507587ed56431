/* PRIME between two open()s of the node: the imported handle is the same BO
 * (the same bytes through either file's mapping). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xf86drm.h>

#include "shim_check.h"

enum { kSize = 0x4000 };

static unsigned char *
map_bo(int fd, uint32_t handle)
{
   uint64_t offset = 0;
   if (bo_mmap_offset(fd, handle, &offset))
      return NULL;
   void *map = mmap(NULL, kSize, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)offset);
   return map == MAP_FAILED ? NULL : map;
}

static void
check_prime_errnos(int fd, uint32_t bo)
{
   int prime = -1;
   CHECK_ERRNO(ENOENT, drmPrimeHandleToFD(fd, 0xdead, DRM_CLOEXEC, &prime) ? errno : 0);
   CHECK_ERRNO(EINVAL, drmPrimeHandleToFD(fd, bo, 0x1000, &prime) ? errno : 0);
   uint32_t handle = 0;
   CHECK_ERRNO(EINVAL, drmPrimeFDToHandle(fd, fd, &handle) ? errno : 0); /* not a dma-buf */
   CHECK_ERRNO(EBADF, drmPrimeFDToHandle(fd, -1, &handle) ? errno : 0);
}

void
check_prime(void)
{
   int exporter = open_render_node();
   int importer = open_render_node();
   CHECK(exporter >= 0 && importer >= 0 && exporter != importer);

   uint32_t bo = 0;
   CHECK_ERRNO(0, bo_create(exporter, kSize, 0, &bo));
   unsigned char *exported = map_bo(exporter, bo);
   CHECK(exported != NULL);
   if (exported)
      memset(exported, 0x5a, kSize);

   int prime = -1;
   CHECK(drmPrimeHandleToFD(exporter, bo, DRM_CLOEXEC | DRM_RDWR, &prime) == 0 && prime >= 0);
   CHECK(lseek(prime, 0, SEEK_END) == kSize); /* a dma-buf reports its size */

   uint32_t imported = 0, again = 0, own = 0;
   CHECK(drmPrimeFDToHandle(importer, prime, &imported) == 0 && imported != 0);
   CHECK(drmPrimeFDToHandle(importer, prime, &again) == 0 && again == imported);
   CHECK(drmPrimeFDToHandle(exporter, prime, &own) == 0 && own == bo);

   unsigned char *through_import = map_bo(importer, imported);
   CHECK(through_import != NULL);
   if (exported && through_import) {
      CHECK(through_import[0] == 0x5a && through_import[kSize - 1] == 0x5a);
      through_import[100] = 0xa5;
      CHECK(exported[100] == 0xa5);
   }

   if (expected_minor() >= 7) {
      /* panthor imports its own dma-bufs as the same object: not "imported". */
      struct drm_panthor_bo_query_info info = {.handle = imported};
      CHECK_ERRNO(0, shim_ioctl(importer, DRM_IOCTL_PANTHOR_BO_QUERY_INFO, &info));
      CHECK(info.extra_flags == 0);
   }

   /* The dma-buf keeps the BO alive once the exporter's handle is gone. */
   struct drm_gem_close gem_close = {.handle = bo};
   CHECK_ERRNO(0, shim_ioctl(exporter, DRM_IOCTL_GEM_CLOSE, &gem_close));
   uint32_t revived = 0;
   CHECK(drmPrimeFDToHandle(exporter, prime, &revived) == 0 && revived != 0);
   unsigned char *revived_map = map_bo(exporter, revived);
   CHECK(revived_map && revived_map[100] == 0xa5);

   check_prime_errnos(exporter, revived);

   if (exported)
      munmap(exported, kSize);
   if (through_import)
      munmap(through_import, kSize);
   if (revived_map)
      munmap(revived_map, kSize);
   close(prime);
   close(importer);
   close(exporter);
}
