/* What a program sees of the device: the nodes in /dev/dri, what libdrm
 * learns from sysfs, the driver version, and DEV_QUERY. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <xf86drm.h>

#include "shim_check.h"

static int
str_eq(const char *a, const char *b)
{
   return a && b && strcmp(a, b) == 0;
}

static void
check_dev_dri_listing(void)
{
   int card = 0, render = 0, others = 0;
   DIR *dir = opendir("/dev/dri");
   CHECK(dir != NULL);
   if (!dir)
      return;
   struct dirent *entry;
   while ((entry = readdir(dir))) {
      if (strcmp(entry->d_name, "card0") == 0)
         card++;
      else if (strcmp(entry->d_name, "renderD128") == 0)
         render++;
      else if (entry->d_name[0] != '.' && strcmp(entry->d_name, "by-path") != 0)
         others++;
   }
   closedir(dir);
   CHECK(card == 1 && render == 1 && others == 0);
}

static void
check_stat(int fd)
{
   struct stat by_path, by_fd;
   CHECK(stat("/dev/dri/renderD128", &by_path) == 0);
   CHECK(S_ISCHR(by_path.st_mode));
   CHECK(major(by_path.st_rdev) == 226 && minor(by_path.st_rdev) == 128);
   CHECK(fstat(fd, &by_fd) == 0);
   CHECK(S_ISCHR(by_fd.st_mode) && by_fd.st_rdev == by_path.st_rdev);
   CHECK(by_fd.st_ino == by_path.st_ino);
   CHECK(stat("/dev/dri/card0", &by_path) == 0 && minor(by_path.st_rdev) == 0);
   CHECK(stat("/dev/dri/renderD129", &by_path) != 0);
   CHECK(access("/dev/dri/renderD128", R_OK | W_OK) == 0);

   struct statx extended;
   CHECK(statx(AT_FDCWD, "/dev/dri/renderD128", 0, STATX_BASIC_STATS, &extended) == 0);
   CHECK(S_ISCHR(extended.stx_mode) && extended.stx_rdev_major == 226 &&
         extended.stx_rdev_minor == 128);
   CHECK(statx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &extended) == 0);
   CHECK(extended.stx_rdev_minor == 128);

   char *real = realpath("/sys/dev/char/226:128/device", NULL);
   CHECK(str_eq(real, "/sys/devices/platform/fb000000.gpu"));
   free(real);
   real = realpath("/dev/dri/by-path/platform-fb000000.gpu-render", NULL);
   CHECK(str_eq(real, "/dev/dri/renderD128"));
   free(real);
}

static void
check_libdrm_device(int fd)
{
   drmVersionPtr version = drmGetVersion(fd);
   CHECK(version != NULL);
   if (version) {
      CHECK(str_eq(version->name, "panthor"));
      CHECK(version->version_major == 1);
      CHECK(version->version_minor == (int)expected_minor());
      drmFreeVersion(version);
   }

   CHECK(drmGetNodeTypeFromFd(fd) == DRM_NODE_RENDER);
   char *name = drmGetDeviceNameFromFd2(fd);
   CHECK(str_eq(name, "/dev/dri/renderD128"));
   free(name);
   name = drmGetRenderDeviceNameFromFd(fd);
   CHECK(str_eq(name, "/dev/dri/renderD128"));
   free(name);
   name = drmGetPrimaryDeviceNameFromFd(fd);
   CHECK(str_eq(name, "/dev/dri/card0"));
   free(name);

   drmDevicePtr device = NULL;
   CHECK(drmGetDevice2(fd, 0, &device) == 0);
   if (device) {
      CHECK(device->bustype == DRM_BUS_PLATFORM);
      CHECK(device->available_nodes == ((1 << DRM_NODE_PRIMARY) | (1 << DRM_NODE_RENDER)));
      CHECK(str_eq(device->nodes[DRM_NODE_RENDER], "/dev/dri/renderD128"));
      CHECK(str_eq(device->nodes[DRM_NODE_PRIMARY], "/dev/dri/card0"));
      CHECK(str_eq(device->businfo.platform->fullname, "/gpu@fb000000"));
      char **compatible = device->deviceinfo.platform->compatible;
      CHECK(str_eq(compatible[0], "rockchip,rk3588-mali"));
      CHECK(str_eq(compatible[1], "arm,mali-valhall-csf"));
      CHECK(compatible[2] == NULL);
      drmFreeDevice(&device);
   }
   CHECK(drmGetDevices2(0, NULL, 0) == 1);
}

void
check_device_identity(void)
{
   check_dev_dri_listing();
   int fd = open_render_node();
   CHECK(fd >= 0);
   if (fd < 0)
      return;
   check_stat(fd);
   check_libdrm_device(fd);
   close(fd);

   int card = open("/dev/dri/card0", O_RDWR | O_CLOEXEC);
   CHECK(card >= 0);
   CHECK(drmGetNodeTypeFromFd(card) == DRM_NODE_PRIMARY);
   drmVersionPtr version = drmGetVersion(card);
   CHECK(version && str_eq(version->name, "panthor"));
   drmFreeVersion(version);
   close(card);

   /* drmOpenWithType walks the minors and picks the node by driver name. */
   int by_name = drmOpenWithType("panthor", NULL, DRM_NODE_RENDER);
   CHECK(by_name >= 0);
   if (by_name >= 0)
      close(by_name);
}

void
check_queries(void)
{
   int fd = open_render_node();
   CHECK(fd >= 0);
   if (fd < 0)
      return;

   /* Two steps: the size with a NULL pointer, then the data. */
   struct drm_panthor_dev_query query;
   memset(&query, 0, sizeof(query));
   query.type = DRM_PANTHOR_DEV_QUERY_GPU_INFO;
   CHECK_ERRNO(0, shim_ioctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &query));
   CHECK(query.size == sizeof(struct drm_panthor_gpu_info));
   struct drm_panthor_gpu_info gpu;
   memset(&gpu, 0xff, sizeof(gpu));
   query.pointer = (uint64_t)(uintptr_t)&gpu;
   CHECK_ERRNO(0, shim_ioctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &query));
   CHECK(gpu.gpu_id >> 16 == 0xa867); /* Mali-G610 */
   CHECK((gpu.mmu_features & 0xff) == 48);
   CHECK(gpu.pad == 0);

   struct drm_panthor_mmu_info mmu;
   memset(&mmu, 0, sizeof(mmu));
   memset(&query, 0, sizeof(query));
   query.type = DRM_PANTHOR_DEV_QUERY_MMU_INFO;
   query.size = sizeof(mmu);
   query.pointer = (uint64_t)(uintptr_t)&mmu;
   if (expected_minor() >= 9) {
      CHECK_ERRNO(0, shim_ioctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &query));
      CHECK(mmu.page_size_bitmap == 0x201000);
   } else {
      CHECK_ERRNO(EINVAL, shim_ioctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &query));
   }
   close(fd);
}
