/* SPDX-License-Identifier: MIT */
/*
 * User-space ABI of the panthor DRM driver (Arm Mali CSF GPUs).
 *
 * Written for this project from its own ABI notes. Struct, field, enum and
 * macro names follow the upstream kernel's so code written against the
 * kernel header compiles unchanged; layouts and numbers match so the same
 * binary talks to a real panthor kernel.
 *
 * Conventions:
 *  - all integers are fixed-width __u8/__u32/__u64 from libdrm's drm.h;
 *  - every "pad" field must be zero, otherwise the kernel returns -EINVAL;
 *  - user pointers are carried in __u64 fields.
 *
 * Driver minor versions mentioned below ("since 1.x") are the DRM driver
 * version reported by DRM_IOCTL_VERSION (major 1).
 */
#ifndef PANTHOR_DRM_H
#define PANTHOR_DRM_H

#include "drm.h"

#if defined(__cplusplus)
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Ioctl numbers                                                            */
/* ------------------------------------------------------------------------ */

/* Driver-specific ioctl indices, relative to DRM_COMMAND_BASE. */
enum drm_panthor_ioctl_id {
	DRM_PANTHOR_DEV_QUERY = 0,
	DRM_PANTHOR_VM_CREATE = 1,
	DRM_PANTHOR_VM_DESTROY = 2,
	DRM_PANTHOR_VM_BIND = 3,
	DRM_PANTHOR_VM_GET_STATE = 4,
	DRM_PANTHOR_BO_CREATE = 5,
	DRM_PANTHOR_BO_MMAP_OFFSET = 6,
	DRM_PANTHOR_GROUP_CREATE = 7,
	DRM_PANTHOR_GROUP_DESTROY = 8,
	DRM_PANTHOR_GROUP_SUBMIT = 9,
	DRM_PANTHOR_GROUP_GET_STATE = 10,
	DRM_PANTHOR_TILER_HEAP_CREATE = 11,
	DRM_PANTHOR_TILER_HEAP_DESTROY = 12,
	/* Since 1.4. */
	DRM_PANTHOR_BO_SET_LABEL = 13,
	/* Since 1.5. */
	DRM_PANTHOR_SET_USER_MMIO_OFFSET = 14,
	/* Since 1.7. */
	DRM_PANTHOR_BO_SYNC = 15,
	/* Since 1.7. */
	DRM_PANTHOR_BO_QUERY_INFO = 16,
};

/* ------------------------------------------------------------------------ */
/* Generic helpers                                                          */
/* ------------------------------------------------------------------------ */

/*
 * A user-space array of objects. The kernel reads @count elements spaced
 * @stride bytes apart starting at @array. A stride larger than the struct the
 * kernel knows is accepted if the extra bytes are zero (else -E2BIG); a smaller
 * one is -EINVAL.
 */
struct drm_panthor_obj_array {
	__u32 stride;
	__u32 count;
	__u64 array; /* user pointer */
};

/*
 * Initialiser for a drm_panthor_obj_array from an element count and a pointer
 * to the first element (unsigned long is pointer-sized on Linux ABIs).
 */
#define DRM_PANTHOR_OBJ_ARRAY(cnt, ptr) \
	{ .stride = sizeof((ptr)[0]), .count = (cnt), .array = (__u64)(unsigned long)(ptr) }

/* Flags of struct drm_panthor_sync_op. */
enum drm_panthor_sync_op_flags {
	/* Bits holding the handle type. */
	DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_MASK = 0xff,
	/* Binary syncobj (timeline_value must be 0). */
	DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ = 0,
	/* Timeline syncobj, point given by timeline_value. */
	DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ = 1,
	/* Wait on the syncobj before the job runs. */
	DRM_PANTHOR_SYNC_OP_WAIT = 0,
	/* Attach the job's fence to the syncobj. */
	DRM_PANTHOR_SYNC_OP_SIGNAL = (int)(1u << 31),
};

/* One wait or signal operation on a DRM syncobj. */
struct drm_panthor_sync_op {
	__u32 flags; /* enum drm_panthor_sync_op_flags */
	__u32 handle; /* syncobj handle */
	__u64 timeline_value; /* timeline point, 0 for binary syncobjs */
};

/* ------------------------------------------------------------------------ */
/* DEV_QUERY                                                                */
/* ------------------------------------------------------------------------ */

/* What DRM_IOCTL_PANTHOR_DEV_QUERY returns. */
enum drm_panthor_dev_query_type {
	/* struct drm_panthor_gpu_info */
	DRM_PANTHOR_DEV_QUERY_GPU_INFO = 0,
	/* struct drm_panthor_csif_info */
	DRM_PANTHOR_DEV_QUERY_CSIF_INFO = 1,
	/* struct drm_panthor_timestamp_info, since 1.1 */
	DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO = 2,
	/* struct drm_panthor_group_priorities_info, since 1.2 */
	DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO = 3,
	/* struct drm_panthor_mmu_info, since 1.9 */
	DRM_PANTHOR_DEV_QUERY_MMU_INFO = 4,
};

/* GPU identification and capabilities (DRM_PANTHOR_DEV_QUERY_GPU_INFO). */
struct drm_panthor_gpu_info {
	__u32 gpu_id;
	__u32 gpu_rev;
	__u32 csf_id;
	__u32 l2_features;
	__u32 tiler_features;
	__u32 mem_features;
	/* Low 8 bits: number of GPU virtual address bits. */
	__u32 mmu_features;
	__u32 thread_features;
	__u32 max_threads;
	__u32 thread_max_workgroup_size;
	__u32 thread_max_barrier_size;
	__u32 coherency_features;
	__u32 texture_features[4];
	__u32 as_present;
	/* Coherency protocol in use, since 1.7. */
	__u32 selected_coherency;
	__u64 shader_present;
	__u64 l2_present;
	__u64 tiler_present;
	__u32 core_features;
	__u32 pad;
	__u64 gpu_features;
};

/* Command-stream interface limits (DRM_PANTHOR_DEV_QUERY_CSIF_INFO). */
struct drm_panthor_csif_info {
	__u32 csg_slot_count;
	__u32 cs_slot_count;
	__u32 cs_reg_count;
	__u32 scoreboard_slot_count;
	__u32 unpreserved_cs_reg_count;
	__u32 pad;
};

/*
 * GPU/CPU timestamps (DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO), since 1.1.
 * Before 1.8 the struct ended after timestamp_offset
 * (DRM_PANTHOR_TIMESTAMP_INFO_SIZE_V1 bytes); 1.8 added the remaining fields,
 * with @flags as an in/out field.
 */
struct drm_panthor_timestamp_info {
	__u64 timestamp_frequency;
	__u64 current_timestamp;
	__u64 timestamp_offset;
	/* Since 1.8. */
	__u32 flags;
	__u32 duration_nsec;
	__u64 cycle_count;
	__u64 cpu_timestamp_sec;
	__u64 cpu_timestamp_nsec;
};

/* Size of struct drm_panthor_timestamp_info before driver version 1.8. */
#define DRM_PANTHOR_TIMESTAMP_INFO_SIZE_V1 24

/*
 * Group priorities the caller may use (DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO),
 * since 1.2. Bit N of @allowed_mask set = enum drm_panthor_group_priority N allowed.
 */
struct drm_panthor_group_priorities_info {
	__u8 allowed_mask;
	__u8 pad[3];
};

/* MMU page sizes (DRM_PANTHOR_DEV_QUERY_MMU_INFO), since 1.9. */
struct drm_panthor_mmu_info {
	/* Bitmap of supported page sizes (bit N = 2^N bytes). */
	__u64 page_size_bitmap;
};

/* Argument of DRM_IOCTL_PANTHOR_DEV_QUERY. */
struct drm_panthor_dev_query {
	__u32 type; /* enum drm_panthor_dev_query_type */
	/*
	 * In: size of the buffer at @pointer. Out (when @pointer is 0): size of
	 * the object. The kernel copies min(size, actual) bytes, zero-filling
	 * the rest of the caller's buffer.
	 */
	__u32 size;
	__u64 pointer; /* user pointer, may be 0 to query the size */
};

/* ------------------------------------------------------------------------ */
/* VMs                                                                      */
/* ------------------------------------------------------------------------ */

/* Argument of DRM_IOCTL_PANTHOR_VM_CREATE. */
struct drm_panthor_vm_create {
	__u32 flags; /* must be zero */
	__u32 id; /* out: VM id */
	/* In/out: size of the user VA range, 0 to let the kernel choose. */
	__u64 user_va_range;
};

/* Argument of DRM_IOCTL_PANTHOR_VM_DESTROY. */
struct drm_panthor_vm_destroy {
	__u32 id;
	__u32 pad;
};

/* Flags of struct drm_panthor_vm_bind_op. */
enum drm_panthor_vm_bind_op_flags {
	/* MAP only: GPU may not write. */
	DRM_PANTHOR_VM_BIND_OP_MAP_READONLY = 1 << 0,
	/* MAP only: GPU may not execute. */
	DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC = 1 << 1,
	/* MAP only: uncached GPU mapping. */
	DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED = 1 << 2,
	/*
	 * MAP only, since 1.9: back the range with a per-file kernel dummy
	 * object. bo_handle and bo_offset must be 0 and MAP_NOEXEC set.
	 */
	DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE = 1 << 3,
	/* Bits holding the operation type. */
	DRM_PANTHOR_VM_BIND_OP_TYPE_MASK = (int)(0xfu << 28),
	DRM_PANTHOR_VM_BIND_OP_TYPE_MAP = 0 << 28,
	DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP = 1 << 28,
	/* No mapping change, only the sync operations. */
	DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY = 2 << 28,
};

/* One map/unmap/sync-only operation of a VM_BIND. */
struct drm_panthor_vm_bind_op {
	__u32 flags; /* enum drm_panthor_vm_bind_op_flags */
	__u32 bo_handle; /* MAP only */
	__u64 bo_offset; /* MAP only, page-aligned */
	__u64 va; /* page-aligned */
	__u64 size; /* page-aligned */
	/* Array of struct drm_panthor_sync_op; async mode only. */
	struct drm_panthor_obj_array syncs;
};

/* Flags of struct drm_panthor_vm_bind. */
enum drm_panthor_vm_bind_flags {
	/* Queue the ops as a job on the VM's bind queue. */
	DRM_PANTHOR_VM_BIND_ASYNC = 1 << 0,
};

/*
 * Argument of DRM_IOCTL_PANTHOR_VM_BIND. On a synchronous failure ops.count is
 * overwritten with the index of the failing op.
 */
struct drm_panthor_vm_bind {
	__u32 vm_id;
	__u32 flags; /* enum drm_panthor_vm_bind_flags */
	/* Array of struct drm_panthor_vm_bind_op. */
	struct drm_panthor_obj_array ops;
};

/* VM states reported by VM_GET_STATE. */
enum drm_panthor_vm_state {
	DRM_PANTHOR_VM_STATE_USABLE = 0,
	/* An async bind failed; further async binds are rejected. */
	DRM_PANTHOR_VM_STATE_UNUSABLE = 1,
};

/* Argument of DRM_IOCTL_PANTHOR_VM_GET_STATE. */
struct drm_panthor_vm_get_state {
	__u32 vm_id;
	__u32 state; /* out: enum drm_panthor_vm_state */
};

/* ------------------------------------------------------------------------ */
/* Buffer objects                                                           */
/* ------------------------------------------------------------------------ */

/* Flags of struct drm_panthor_bo_create. */
enum drm_panthor_bo_flags {
	/* The BO can never be CPU-mapped. */
	DRM_PANTHOR_BO_NO_MMAP = 1 << 0,
	/* CPU mappings are write-back cached, since 1.7. */
	DRM_PANTHOR_BO_WB_MMAP = 1 << 1,
	/*
	 * Pages are allocated on GPU fault, in chunks of
	 * alloc_on_fault_granularity bytes. NOT an upstream flag: this is this
	 * project's definition of a proposed, unmerged extension (the original
	 * proposal's bit 1 now belongs to WB_MMAP). Available from driver
	 * version 1.10 in the project's mock only.
	 */
	DRM_PANTHOR_BO_ALLOC_ON_FAULT = 1 << 2,
};

/* Argument of DRM_IOCTL_PANTHOR_BO_CREATE. */
struct drm_panthor_bo_create {
	__u64 size; /* in/out: rounded up to the page size */
	__u32 flags; /* enum drm_panthor_bo_flags */
	/* VM the BO is private to, or 0 for a shareable BO. */
	__u32 exclusive_vm_id;
	__u32 handle; /* out, never 0 */
	union {
		/* Must be 0 unless DRM_PANTHOR_BO_ALLOC_ON_FAULT is set. */
		__u32 pad;
		/*
		 * With DRM_PANTHOR_BO_ALLOC_ON_FAULT (project extension, 1.10
		 * in the mock): power of two, >= 4096 and <= size.
		 */
		__u32 alloc_on_fault_granularity;
	};
};

/* Argument of DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET. */
struct drm_panthor_bo_mmap_offset {
	__u32 handle;
	__u32 pad;
	__u64 offset; /* out: fake offset to pass to mmap() */
};

/* Argument of DRM_IOCTL_PANTHOR_BO_SET_LABEL, since 1.4. */
struct drm_panthor_bo_set_label {
	__u32 handle;
	__u32 pad;
	/* User pointer to a NUL-terminated string of at most 4096 bytes, or 0. */
	__u64 label;
};

/* Kind of cache maintenance in struct drm_panthor_bo_sync_op (1.7). */
enum drm_panthor_bo_sync_op_type {
	DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH = 0,
	DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH_AND_INVALIDATE = 1,
};

/* One CPU cache maintenance operation on a BO range, since 1.7. */
struct drm_panthor_bo_sync_op {
	__u32 handle;
	__u32 type; /* enum drm_panthor_bo_sync_op_type */
	__u64 offset;
	__u64 size;
};

/* Argument of DRM_IOCTL_PANTHOR_BO_SYNC, since 1.7. */
struct drm_panthor_bo_sync {
	/* Array of struct drm_panthor_bo_sync_op. */
	struct drm_panthor_obj_array ops;
};

/* Kernel-side BO properties reported by BO_QUERY_INFO (1.7). */
enum drm_panthor_bo_extra_flags {
	/* The BO was imported through PRIME. */
	DRM_PANTHOR_BO_IS_IMPORTED = 1 << 0,
};

/* Argument of DRM_IOCTL_PANTHOR_BO_QUERY_INFO, since 1.7. */
struct drm_panthor_bo_query_info {
	__u32 handle;
	__u32 extra_flags; /* out: enum drm_panthor_bo_extra_flags */
	__u32 create_flags; /* out: enum drm_panthor_bo_flags */
	__u32 pad;
};

/* ------------------------------------------------------------------------ */
/* Scheduling groups and queues                                             */
/* ------------------------------------------------------------------------ */

/* Description of one queue of a group. */
struct drm_panthor_queue_create {
	__u8 priority; /* 0..15, within the group */
	__u8 pad[3];
	__u32 ringbuf_size; /* power of two */
};

/* Group priorities. HIGH and REALTIME need privilege (else -EACCES). */
enum drm_panthor_group_priority {
	PANTHOR_GROUP_PRIORITY_LOW = 0,
	PANTHOR_GROUP_PRIORITY_MEDIUM = 1,
	PANTHOR_GROUP_PRIORITY_HIGH = 2,
	PANTHOR_GROUP_PRIORITY_REALTIME = 3,
};

/* Argument of DRM_IOCTL_PANTHOR_GROUP_CREATE. */
struct drm_panthor_group_create {
	/* Array of struct drm_panthor_queue_create. */
	struct drm_panthor_obj_array queues;
	__u8 max_compute_cores;
	__u8 max_fragment_cores;
	__u8 max_tiler_cores;
	__u8 priority; /* enum drm_panthor_group_priority */
	__u32 pad;
	__u64 compute_core_mask;
	__u64 fragment_core_mask;
	__u64 tiler_core_mask;
	__u32 vm_id;
	__u32 group_handle; /* out */
};

/* Argument of DRM_IOCTL_PANTHOR_GROUP_DESTROY. */
struct drm_panthor_group_destroy {
	__u32 group_handle;
	__u32 pad;
};

/* One command-stream submission to a queue of a group. */
struct drm_panthor_queue_submit {
	__u32 queue_index;
	__u32 stream_size; /* bytes */
	__u64 stream_addr; /* GPU VA of the command stream */
	__u32 latest_flush;
	__u32 pad;
	/* Array of struct drm_panthor_sync_op. */
	struct drm_panthor_obj_array syncs;
};

/* Argument of DRM_IOCTL_PANTHOR_GROUP_SUBMIT. */
struct drm_panthor_group_submit {
	__u32 group_handle;
	__u32 pad;
	/* Array of struct drm_panthor_queue_submit. */
	struct drm_panthor_obj_array queue_submits;
};

/* Bits of drm_panthor_group_get_state.state. */
enum drm_panthor_group_state_flags {
	DRM_PANTHOR_GROUP_STATE_TIMEDOUT = 1 << 0,
	DRM_PANTHOR_GROUP_STATE_FATAL_FAULT = 1 << 1,
	/* Since 1.3. */
	DRM_PANTHOR_GROUP_STATE_INNOCENT = 1 << 2,
};

/* Argument of DRM_IOCTL_PANTHOR_GROUP_GET_STATE. */
struct drm_panthor_group_get_state {
	__u32 group_handle;
	__u32 state; /* out: enum drm_panthor_group_state_flags */
	__u32 fatal_queues; /* out: bitmask of faulted queues */
	__u32 pad;
};

/* ------------------------------------------------------------------------ */
/* Tiler heaps                                                              */
/* ------------------------------------------------------------------------ */

/* Argument of DRM_IOCTL_PANTHOR_TILER_HEAP_CREATE. */
struct drm_panthor_tiler_heap_create {
	__u32 vm_id;
	__u32 initial_chunk_count;
	__u32 chunk_size;
	__u32 max_chunks;
	__u32 target_in_flight;
	__u32 handle; /* out */
	__u64 tiler_heap_ctx_gpu_va; /* out */
	__u64 first_heap_chunk_gpu_va; /* out */
};

/* Argument of DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY. */
struct drm_panthor_tiler_heap_destroy {
	__u32 handle;
	__u32 pad;
};

/* ------------------------------------------------------------------------ */
/* User MMIO                                                                */
/* ------------------------------------------------------------------------ */

/* Default mmap() offsets of the user MMIO page (since 1.5 settable). */
#define DRM_PANTHOR_USER_MMIO_OFFSET_32BIT (1ull << 43)
#define DRM_PANTHOR_USER_MMIO_OFFSET_64BIT (1ull << 56)
#define DRM_PANTHOR_USER_MMIO_OFFSET \
	(sizeof(void *) < 8 ? DRM_PANTHOR_USER_MMIO_OFFSET_32BIT : \
			      DRM_PANTHOR_USER_MMIO_OFFSET_64BIT)

/* Argument of DRM_IOCTL_PANTHOR_SET_USER_MMIO_OFFSET, since 1.5. */
struct drm_panthor_set_user_mmio_offset {
	__u64 offset;
};

/* ------------------------------------------------------------------------ */
/* Ioctl request codes                                                      */
/* ------------------------------------------------------------------------ */

#define DRM_IOCTL_PANTHOR_DEV_QUERY \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_PANTHOR_DEV_QUERY, struct drm_panthor_dev_query)
#define DRM_IOCTL_PANTHOR_VM_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_PANTHOR_VM_CREATE, struct drm_panthor_vm_create)
#define DRM_IOCTL_PANTHOR_VM_DESTROY \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_PANTHOR_VM_DESTROY, struct drm_panthor_vm_destroy)
#define DRM_IOCTL_PANTHOR_VM_BIND \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_PANTHOR_VM_BIND, struct drm_panthor_vm_bind)
#define DRM_IOCTL_PANTHOR_VM_GET_STATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_PANTHOR_VM_GET_STATE, struct drm_panthor_vm_get_state)
#define DRM_IOCTL_PANTHOR_BO_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_PANTHOR_BO_CREATE, struct drm_panthor_bo_create)
#define DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_PANTHOR_BO_MMAP_OFFSET, struct drm_panthor_bo_mmap_offset)
#define DRM_IOCTL_PANTHOR_GROUP_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_PANTHOR_GROUP_CREATE, struct drm_panthor_group_create)
#define DRM_IOCTL_PANTHOR_GROUP_DESTROY \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_PANTHOR_GROUP_DESTROY, struct drm_panthor_group_destroy)
#define DRM_IOCTL_PANTHOR_GROUP_SUBMIT \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_PANTHOR_GROUP_SUBMIT, struct drm_panthor_group_submit)
#define DRM_IOCTL_PANTHOR_GROUP_GET_STATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_PANTHOR_GROUP_GET_STATE, struct drm_panthor_group_get_state)
#define DRM_IOCTL_PANTHOR_TILER_HEAP_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_PANTHOR_TILER_HEAP_CREATE, struct drm_panthor_tiler_heap_create)
#define DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_PANTHOR_TILER_HEAP_DESTROY, struct drm_panthor_tiler_heap_destroy)
#define DRM_IOCTL_PANTHOR_BO_SET_LABEL \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_PANTHOR_BO_SET_LABEL, struct drm_panthor_bo_set_label)
#define DRM_IOCTL_PANTHOR_SET_USER_MMIO_OFFSET \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_PANTHOR_SET_USER_MMIO_OFFSET, struct drm_panthor_set_user_mmio_offset)
#define DRM_IOCTL_PANTHOR_BO_SYNC \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_PANTHOR_BO_SYNC, struct drm_panthor_bo_sync)
#define DRM_IOCTL_PANTHOR_BO_QUERY_INFO \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_PANTHOR_BO_QUERY_INFO, struct drm_panthor_bo_query_info)

#if defined(__cplusplus)
}
#endif

#endif /* PANTHOR_DRM_H */
