/* The kernel's errno for bad input, through the shim, and the isolation
 * between two open()s of the node. */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "shim_check.h"

static void
check_bo_errnos(int fd)
{
   CHECK_ERRNO(ENOENT, bo_mmap_offset(fd, 0xbeef, NULL));
   CHECK_ERRNO(EINVAL, bo_create(fd, 0, 0, NULL));
   CHECK_ERRNO(EINVAL, bo_create(fd, 4096, 0x80000000u, NULL)); /* unknown flag */

   uint32_t private_bo = 0;
   CHECK_ERRNO(0, bo_create(fd, 4096, DRM_PANTHOR_BO_NO_MMAP, &private_bo));
   CHECK_ERRNO(EPERM, bo_mmap_offset(fd, private_bo, NULL));

   struct drm_gem_close gem_close = {.handle = 0xbeef};
   CHECK_ERRNO(EINVAL, shim_ioctl(fd, DRM_IOCTL_GEM_CLOSE, &gem_close));

   uint32_t bo = 0;
   uint64_t offset = 0;
   CHECK_ERRNO(0, bo_create(fd, 4096, 0, &bo));
   CHECK_ERRNO(0, bo_mmap_offset(fd, bo, &offset));
   void *map = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, (off_t)offset);
   CHECK(map == MAP_FAILED && errno == EINVAL); /* GEM objects refuse private mappings */
   map = mmap(NULL, 8192, PROT_READ, MAP_SHARED, fd, (off_t)offset);
   CHECK(map == MAP_FAILED && errno == EINVAL); /* beyond the BO */
}

static void
check_vm_errnos(int fd)
{
   uint32_t vm = 0, bo = 0;
   CHECK_ERRNO(0, vm_create(fd, &vm));
   CHECK_ERRNO(0, bo_create(fd, 0x10000, 0, &bo));

   struct drm_panthor_vm_create bad_create;
   memset(&bad_create, 0, sizeof(bad_create));
   bad_create.flags = 1;
   CHECK_ERRNO(EINVAL, shim_ioctl(fd, DRM_IOCTL_PANTHOR_VM_CREATE, &bad_create));

   struct drm_panthor_vm_bind_op op = map_op(bo, 0x100000, 0x10000);
   CHECK_ERRNO(EINVAL, vm_bind(fd, 0x7777, 0, &op, 1)); /* unknown VM */
   op.va = 0x100800;
   CHECK_ERRNO(EINVAL, vm_bind(fd, vm, 0, &op, 1)); /* misaligned VA */
   op = map_op(0xbeef, 0x100000, 0x10000);
   CHECK_ERRNO(EINVAL, vm_bind(fd, vm, 0, &op, 1)); /* unknown BO: EINVAL, not ENOENT */
   op = map_op(bo, 0x100000, 0x20000);
   CHECK_ERRNO(EINVAL, vm_bind(fd, vm, 0, &op, 1)); /* beyond the BO */

   struct drm_panthor_vm_bind bind;
   memset(&bind, 0, sizeof(bind));
   op = map_op(bo, 0x100000, 0x10000);
   bind.vm_id = vm;
   bind.ops.stride = 40; /* smaller than struct drm_panthor_vm_bind_op */
   bind.ops.count = 1;
   bind.ops.array = (uint64_t)(uintptr_t)&op;
   CHECK_ERRNO(EINVAL, shim_ioctl(fd, DRM_IOCTL_PANTHOR_VM_BIND, &bind));
}

static void
check_unknown_requests(int fd)
{
   unsigned char scratch[64];
   memset(scratch, 0, sizeof(scratch));
   /* A driver ioctl number panthor does not have, and one the DRM core lacks. */
   CHECK_ERRNO(EINVAL, shim_ioctl(fd, DRM_IOWR(DRM_COMMAND_BASE + 0x30, struct drm_panthor_vm_bind), scratch));
   CHECK_ERRNO(EINVAL, shim_ioctl(fd, DRM_IOWR(0xef, struct drm_panthor_vm_bind), scratch));

   struct drm_panthor_dev_query query;
   memset(&query, 0, sizeof(query));
   query.type = 0x77;
   CHECK_ERRNO(EINVAL, shim_ioctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &query));
}

void
check_errnos(void)
{
   int fd = open_render_node();
   CHECK(fd >= 0);
   check_bo_errnos(fd);
   check_vm_errnos(fd);
   check_unknown_requests(fd);
   close(fd);
   /* A closed node fd is an ordinary closed fd. */
   CHECK_ERRNO(EBADF, bo_mmap_offset(fd, 1, NULL));
}

void
check_files_are_separate(void)
{
   int first = open_render_node();
   int second = open_render_node();
   CHECK(first >= 0 && second >= 0);
   uint32_t bo = 0, vm = 0;
   CHECK_ERRNO(0, bo_create(first, 4096, 0, &bo));
   CHECK_ERRNO(0, vm_create(first, &vm));

   CHECK_ERRNO(ENOENT, bo_mmap_offset(second, bo, NULL));
   struct drm_gem_close gem_close = {.handle = bo};
   CHECK_ERRNO(EINVAL, shim_ioctl(second, DRM_IOCTL_GEM_CLOSE, &gem_close));
   struct drm_panthor_vm_bind_op op = unmap_op(0x100000, 0x1000);
   CHECK_ERRNO(EINVAL, vm_bind(second, vm, 0, &op, 1));

   /* An offset given to one file cannot be mapped through another. */
   uint64_t offset = 0;
   CHECK_ERRNO(0, bo_mmap_offset(first, bo, &offset));
   void *map = mmap(NULL, 4096, PROT_READ, MAP_SHARED, second, (off_t)offset);
   CHECK(map == MAP_FAILED);

   /* Closing the first file releases its objects; the second is untouched. */
   close(first);
   CHECK_ERRNO(0, bo_create(second, 4096, 0, NULL));
   close(second);
}
