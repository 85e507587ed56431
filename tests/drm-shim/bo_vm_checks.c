/* BOs seen through mmap, and VM_BIND in both modes (with a timeline syncobj
 * for the asynchronous one), including the 1.9 sparse map. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <xf86drm.h>

#include "shim_check.h"

static void *
map_bo(int fd, uint32_t handle, size_t size)
{
   uint64_t offset = 0;
   if (bo_mmap_offset(fd, handle, &offset))
      return NULL;
   void *map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)offset);
   return map == MAP_FAILED ? NULL : map;
}

void
check_bo_and_mmap(void)
{
   int fd = open_render_node();
   CHECK(fd >= 0);

   struct drm_panthor_bo_create create;
   memset(&create, 0, sizeof(create));
   create.size = 5000;
   CHECK_ERRNO(0, shim_ioctl(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &create));
   CHECK(create.size == 8192 && create.handle != 0);

   unsigned char *writer = map_bo(fd, create.handle, 8192);
   unsigned char *reader = map_bo(fd, create.handle, 8192);
   CHECK(writer && reader && writer != reader);
   if (writer && reader) {
      CHECK(reader[0] == 0 && reader[8191] == 0); /* new BOs read as zero */
      for (unsigned i = 0; i < 8192; i++)
         writer[i] = (unsigned char)(i * 7 + 1);
      int same = 1;
      for (unsigned i = 0; i < 8192; i++)
         same &= reader[i] == (unsigned char)(i * 7 + 1);
      CHECK(same);
   }
   if (writer)
      munmap(writer, 8192);
   if (reader)
      munmap(reader, 8192);

   struct drm_gem_close gem_close = {.handle = create.handle};
   CHECK_ERRNO(0, shim_ioctl(fd, DRM_IOCTL_GEM_CLOSE, &gem_close));
   close(fd);
}

static int64_t
deadline_in_seconds(int seconds)
{
   struct timespec now;
   clock_gettime(CLOCK_MONOTONIC, &now);
   return (int64_t)(now.tv_sec + seconds) * 1000000000 + now.tv_nsec;
}

static void
check_sync_binds(int fd, uint32_t vm, uint32_t bo)
{
   struct drm_panthor_vm_bind_op op = map_op(bo, 0x100000, 0x10000);
   CHECK_ERRNO(0, vm_bind(fd, vm, 0, &op, 1));
   op = unmap_op(0x100000, 0x10000);
   CHECK_ERRNO(0, vm_bind(fd, vm, 0, &op, 1));

   struct drm_panthor_vm_get_state state = {.vm_id = vm};
   CHECK_ERRNO(0, shim_ioctl(fd, DRM_IOCTL_PANTHOR_VM_GET_STATE, &state));
   CHECK(state.state == DRM_PANTHOR_VM_STATE_USABLE);
}

static void
check_async_binds(int fd, uint32_t vm, uint32_t bo)
{
   uint32_t timeline = 0;
   CHECK(drmSyncobjCreate(fd, 0, &timeline) == 0);

   struct drm_panthor_sync_op signal_one = {
      .flags = DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ | DRM_PANTHOR_SYNC_OP_SIGNAL,
      .handle = timeline,
      .timeline_value = 1,
   };
   struct drm_panthor_sync_op signal_two = signal_one;
   signal_two.timeline_value = 2;

   struct drm_panthor_vm_bind_op op = map_op(bo, 0x200000, 0x10000);
   op.syncs.stride = sizeof(signal_one);
   op.syncs.count = 1;
   op.syncs.array = (uint64_t)(uintptr_t)&signal_one;
   CHECK_ERRNO(0, vm_bind(fd, vm, DRM_PANTHOR_VM_BIND_ASYNC, &op, 1));

   op = unmap_op(0x200000, 0x10000);
   op.syncs.stride = sizeof(signal_two);
   op.syncs.count = 1;
   op.syncs.array = (uint64_t)(uintptr_t)&signal_two;
   CHECK_ERRNO(0, vm_bind(fd, vm, DRM_PANTHOR_VM_BIND_ASYNC, &op, 1));

   uint64_t point = 1;
   CHECK(drmSyncobjTimelineWait(fd, &timeline, &point, 1, deadline_in_seconds(10),
                                DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT, NULL) == 0);
   point = 2;
   CHECK(drmSyncobjTimelineWait(fd, &timeline, &point, 1, deadline_in_seconds(10),
                                DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT, NULL) == 0);
   uint64_t signalled = 0;
   CHECK(drmSyncobjQuery(fd, &timeline, &signalled, 1) == 0 && signalled == 2);

   /* An op with syncs in synchronous mode is refused. */
   CHECK_ERRNO(EINVAL, vm_bind(fd, vm, 0, &op, 1));
   CHECK(drmSyncobjDestroy(fd, timeline) == 0);
}

static void
check_sparse_bind(int fd, uint32_t vm)
{
   struct drm_panthor_vm_bind_op op;
   memset(&op, 0, sizeof(op));
   op.flags = DRM_PANTHOR_VM_BIND_OP_TYPE_MAP | DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE |
              DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC;
   op.va = 0x4000000;
   op.size = 0x600000; /* three 2 MiB stretches of the dummy in one op */
   if (expected_minor() >= 9) {
      CHECK_ERRNO(0, vm_bind(fd, vm, 0, &op, 1));
      op.flags &= ~(uint32_t)DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC;
      CHECK_ERRNO(EINVAL, vm_bind(fd, vm, 0, &op, 1)); /* sparse needs NOEXEC */
   } else {
      CHECK_ERRNO(EINVAL, vm_bind(fd, vm, 0, &op, 1)); /* no such flag before 1.9 */
   }
}

void
check_vm_binds(void)
{
   int fd = open_render_node();
   CHECK(fd >= 0);
   uint32_t bo = 0, vm = 0;
   CHECK_ERRNO(0, bo_create(fd, 0x10000, 0, &bo));
   CHECK_ERRNO(0, vm_create(fd, &vm));
   CHECK(vm != 0);

   check_sync_binds(fd, vm, bo);
   check_async_binds(fd, vm, bo);
   check_sparse_bind(fd, vm);

   struct drm_panthor_vm_destroy destroy = {.id = vm};
   CHECK_ERRNO(0, shim_ioctl(fd, DRM_IOCTL_PANTHOR_VM_DESTROY, &destroy));
   CHECK_ERRNO(EINVAL, shim_ioctl(fd, DRM_IOCTL_PANTHOR_VM_DESTROY, &destroy));
   close(fd);
}
