/* Thin wrappers over the panthor ioctls, each returning 0 or the errno. */
#include <string.h>

#include "shim_check.h"

int
bo_create(int fd, uint64_t size, uint32_t flags, uint32_t *handle)
{
   struct drm_panthor_bo_create args;
   memset(&args, 0, sizeof(args));
   args.size = size;
   args.flags = flags;
   int err = shim_ioctl(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &args);
   if (!err && handle)
      *handle = args.handle;
   return err;
}

int
bo_mmap_offset(int fd, uint32_t handle, uint64_t *offset)
{
   struct drm_panthor_bo_mmap_offset args;
   memset(&args, 0, sizeof(args));
   args.handle = handle;
   int err = shim_ioctl(fd, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &args);
   if (!err && offset)
      *offset = args.offset;
   return err;
}

int
vm_create(int fd, uint32_t *id)
{
   struct drm_panthor_vm_create args;
   memset(&args, 0, sizeof(args));
   int err = shim_ioctl(fd, DRM_IOCTL_PANTHOR_VM_CREATE, &args);
   if (!err && id)
      *id = args.id;
   return err;
}

int
vm_bind(int fd, uint32_t vm_id, uint32_t flags, struct drm_panthor_vm_bind_op *ops, uint32_t count)
{
   struct drm_panthor_vm_bind args;
   memset(&args, 0, sizeof(args));
   args.vm_id = vm_id;
   args.flags = flags;
   args.ops.stride = sizeof(*ops);
   args.ops.count = count;
   args.ops.array = (uint64_t)(uintptr_t)ops;
   return shim_ioctl(fd, DRM_IOCTL_PANTHOR_VM_BIND, &args);
}

struct drm_panthor_vm_bind_op
map_op(uint32_t bo, uint64_t va, uint64_t size)
{
   struct drm_panthor_vm_bind_op op;
   memset(&op, 0, sizeof(op));
   op.flags = DRM_PANTHOR_VM_BIND_OP_TYPE_MAP;
   op.bo_handle = bo;
   op.va = va;
   op.size = size;
   return op;
}

struct drm_panthor_vm_bind_op
unmap_op(uint64_t va, uint64_t size)
{
   struct drm_panthor_vm_bind_op op;
   memset(&op, 0, sizeof(op));
   op.flags = DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP;
   op.va = va;
   op.size = size;
   return op;
}
