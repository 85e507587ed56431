/* SPDX-License-Identifier: MIT */
/*
 * Compile-time checks of include/drm-uapi/panthor_drm.h against the panthor
 * ABI facts (struct sizes, field offsets and widths, ioctl request codes,
 * flag and enum values). Every check is a _Static_assert, so a mismatch is a
 * compile error; main() only reports the count.
 */
#include <stddef.h>
#include <stdio.h>

#include "drm-uapi/panthor_drm.h"

/* One assert: total size of a struct. */
#define SIZE(s, n) _Static_assert(sizeof(struct drm_panthor_##s) == (n), #s " size")
/* Two asserts: byte offset and byte width of a field. */
#define FIELD(s, f, off, width)                                                      \
	_Static_assert(offsetof(struct drm_panthor_##s, f) == (off), #s "." #f " offset"); \
	_Static_assert(sizeof(((struct drm_panthor_##s *)0)->f) == (width), #s "." #f " width")
/* One assert: ioctl request code. */
#define IOCTL(name, code) _Static_assert(DRM_IOCTL_PANTHOR_##name == (code), "ioctl " #name)
/* One assert: value of an enum constant or macro. */
#define VALUE(name, v) _Static_assert((unsigned long long)(unsigned)(name) == (v), #name)

/* ---- ioctl ids and request codes ---- */
VALUE(DRM_PANTHOR_DEV_QUERY, 0);
VALUE(DRM_PANTHOR_VM_CREATE, 1);
VALUE(DRM_PANTHOR_VM_DESTROY, 2);
VALUE(DRM_PANTHOR_VM_BIND, 3);
VALUE(DRM_PANTHOR_VM_GET_STATE, 4);
VALUE(DRM_PANTHOR_BO_CREATE, 5);
VALUE(DRM_PANTHOR_BO_MMAP_OFFSET, 6);
VALUE(DRM_PANTHOR_GROUP_CREATE, 7);
VALUE(DRM_PANTHOR_GROUP_DESTROY, 8);
VALUE(DRM_PANTHOR_GROUP_SUBMIT, 9);
VALUE(DRM_PANTHOR_GROUP_GET_STATE, 10);
VALUE(DRM_PANTHOR_TILER_HEAP_CREATE, 11);
VALUE(DRM_PANTHOR_TILER_HEAP_DESTROY, 12);
VALUE(DRM_PANTHOR_BO_SET_LABEL, 13);
VALUE(DRM_PANTHOR_SET_USER_MMIO_OFFSET, 14);
VALUE(DRM_PANTHOR_BO_SYNC, 15);
VALUE(DRM_PANTHOR_BO_QUERY_INFO, 16);
_Static_assert(DRM_COMMAND_BASE == 0x40, "DRM_COMMAND_BASE");

/* 0xC0000000 (read|write) | size << 16 | 'd' << 8 | (0x40 + id) */
IOCTL(DEV_QUERY, 0xC0106440);
IOCTL(VM_CREATE, 0xC0106441);
IOCTL(VM_DESTROY, 0xC0086442);
IOCTL(VM_BIND, 0xC0186443);
IOCTL(VM_GET_STATE, 0xC0086444);
IOCTL(BO_CREATE, 0xC0186445);
IOCTL(BO_MMAP_OFFSET, 0xC0106446);
IOCTL(GROUP_CREATE, 0xC0386447);
IOCTL(GROUP_DESTROY, 0xC0086448);
IOCTL(GROUP_SUBMIT, 0xC0186449);
IOCTL(GROUP_GET_STATE, 0xC010644A);
IOCTL(TILER_HEAP_CREATE, 0xC028644B);
IOCTL(TILER_HEAP_DESTROY, 0xC008644C);
IOCTL(BO_SET_LABEL, 0xC010644D);
IOCTL(SET_USER_MMIO_OFFSET, 0xC008644E);
IOCTL(BO_SYNC, 0xC010644F);
IOCTL(BO_QUERY_INFO, 0xC0106450);

/* ---- layouts ---- */
SIZE(obj_array, 16);
FIELD(obj_array, stride, 0, 4);
FIELD(obj_array, count, 4, 4);
FIELD(obj_array, array, 8, 8);

SIZE(sync_op, 16);
FIELD(sync_op, flags, 0, 4);
FIELD(sync_op, handle, 4, 4);
FIELD(sync_op, timeline_value, 8, 8);

SIZE(dev_query, 16);
FIELD(dev_query, type, 0, 4);
FIELD(dev_query, size, 4, 4);
FIELD(dev_query, pointer, 8, 8);

SIZE(gpu_info, 112);
FIELD(gpu_info, gpu_id, 0, 4);
FIELD(gpu_info, gpu_rev, 4, 4);
FIELD(gpu_info, csf_id, 8, 4);
FIELD(gpu_info, l2_features, 12, 4);
FIELD(gpu_info, tiler_features, 16, 4);
FIELD(gpu_info, mem_features, 20, 4);
FIELD(gpu_info, mmu_features, 24, 4);
FIELD(gpu_info, thread_features, 28, 4);
FIELD(gpu_info, max_threads, 32, 4);
FIELD(gpu_info, thread_max_workgroup_size, 36, 4);
FIELD(gpu_info, thread_max_barrier_size, 40, 4);
FIELD(gpu_info, coherency_features, 44, 4);
FIELD(gpu_info, texture_features, 48, 16);
FIELD(gpu_info, as_present, 64, 4);
FIELD(gpu_info, selected_coherency, 68, 4);
FIELD(gpu_info, shader_present, 72, 8);
FIELD(gpu_info, l2_present, 80, 8);
FIELD(gpu_info, tiler_present, 88, 8);
FIELD(gpu_info, core_features, 96, 4);
FIELD(gpu_info, pad, 100, 4);
FIELD(gpu_info, gpu_features, 104, 8);

SIZE(csif_info, 24);
FIELD(csif_info, csg_slot_count, 0, 4);
FIELD(csif_info, cs_slot_count, 4, 4);
FIELD(csif_info, cs_reg_count, 8, 4);
FIELD(csif_info, scoreboard_slot_count, 12, 4);
FIELD(csif_info, unpreserved_cs_reg_count, 16, 4);
FIELD(csif_info, pad, 20, 4);

SIZE(timestamp_info, 56);
FIELD(timestamp_info, timestamp_frequency, 0, 8);
FIELD(timestamp_info, current_timestamp, 8, 8);
FIELD(timestamp_info, timestamp_offset, 16, 8);
FIELD(timestamp_info, flags, 24, 4);
FIELD(timestamp_info, duration_nsec, 28, 4);
FIELD(timestamp_info, cycle_count, 32, 8);
FIELD(timestamp_info, cpu_timestamp_sec, 40, 8);
FIELD(timestamp_info, cpu_timestamp_nsec, 48, 8);
VALUE(DRM_PANTHOR_TIMESTAMP_INFO_SIZE_V1, 24);
_Static_assert(offsetof(struct drm_panthor_timestamp_info, flags) ==
		       DRM_PANTHOR_TIMESTAMP_INFO_SIZE_V1,
	       "pre-1.8 timestamp_info is a prefix of the 1.8 one");

SIZE(group_priorities_info, 4);
FIELD(group_priorities_info, allowed_mask, 0, 1);
FIELD(group_priorities_info, pad, 1, 3);

SIZE(mmu_info, 8);
FIELD(mmu_info, page_size_bitmap, 0, 8);

SIZE(vm_create, 16);
FIELD(vm_create, flags, 0, 4);
FIELD(vm_create, id, 4, 4);
FIELD(vm_create, user_va_range, 8, 8);

SIZE(vm_destroy, 8);
FIELD(vm_destroy, id, 0, 4);
FIELD(vm_destroy, pad, 4, 4);

SIZE(vm_bind_op, 48);
FIELD(vm_bind_op, flags, 0, 4);
FIELD(vm_bind_op, bo_handle, 4, 4);
FIELD(vm_bind_op, bo_offset, 8, 8);
FIELD(vm_bind_op, va, 16, 8);
FIELD(vm_bind_op, size, 24, 8);
FIELD(vm_bind_op, syncs, 32, 16);

SIZE(vm_bind, 24);
FIELD(vm_bind, vm_id, 0, 4);
FIELD(vm_bind, flags, 4, 4);
FIELD(vm_bind, ops, 8, 16);

SIZE(vm_get_state, 8);
FIELD(vm_get_state, vm_id, 0, 4);
FIELD(vm_get_state, state, 4, 4);

SIZE(bo_create, 24);
FIELD(bo_create, size, 0, 8);
FIELD(bo_create, flags, 8, 4);
FIELD(bo_create, exclusive_vm_id, 12, 4);
FIELD(bo_create, handle, 16, 4);
FIELD(bo_create, pad, 20, 4);
FIELD(bo_create, alloc_on_fault_granularity, 20, 4);
_Static_assert(offsetof(struct drm_panthor_bo_create, pad) ==
		       offsetof(struct drm_panthor_bo_create, alloc_on_fault_granularity),
	       "bo_create.pad and alloc_on_fault_granularity alias");

SIZE(bo_mmap_offset, 16);
FIELD(bo_mmap_offset, handle, 0, 4);
FIELD(bo_mmap_offset, pad, 4, 4);
FIELD(bo_mmap_offset, offset, 8, 8);

SIZE(queue_create, 8);
FIELD(queue_create, priority, 0, 1);
FIELD(queue_create, pad, 1, 3);
FIELD(queue_create, ringbuf_size, 4, 4);

SIZE(group_create, 56);
FIELD(group_create, queues, 0, 16);
FIELD(group_create, max_compute_cores, 16, 1);
FIELD(group_create, max_fragment_cores, 17, 1);
FIELD(group_create, max_tiler_cores, 18, 1);
FIELD(group_create, priority, 19, 1);
FIELD(group_create, pad, 20, 4);
FIELD(group_create, compute_core_mask, 24, 8);
FIELD(group_create, fragment_core_mask, 32, 8);
FIELD(group_create, tiler_core_mask, 40, 8);
FIELD(group_create, vm_id, 48, 4);
FIELD(group_create, group_handle, 52, 4);

SIZE(group_destroy, 8);
FIELD(group_destroy, group_handle, 0, 4);
FIELD(group_destroy, pad, 4, 4);

SIZE(queue_submit, 40);
FIELD(queue_submit, queue_index, 0, 4);
FIELD(queue_submit, stream_size, 4, 4);
FIELD(queue_submit, stream_addr, 8, 8);
FIELD(queue_submit, latest_flush, 16, 4);
FIELD(queue_submit, pad, 20, 4);
FIELD(queue_submit, syncs, 24, 16);

SIZE(group_submit, 24);
FIELD(group_submit, group_handle, 0, 4);
FIELD(group_submit, pad, 4, 4);
FIELD(group_submit, queue_submits, 8, 16);

SIZE(group_get_state, 16);
FIELD(group_get_state, group_handle, 0, 4);
FIELD(group_get_state, state, 4, 4);
FIELD(group_get_state, fatal_queues, 8, 4);
FIELD(group_get_state, pad, 12, 4);

SIZE(tiler_heap_create, 40);
FIELD(tiler_heap_create, vm_id, 0, 4);
FIELD(tiler_heap_create, initial_chunk_count, 4, 4);
FIELD(tiler_heap_create, chunk_size, 8, 4);
FIELD(tiler_heap_create, max_chunks, 12, 4);
FIELD(tiler_heap_create, target_in_flight, 16, 4);
FIELD(tiler_heap_create, handle, 20, 4);
FIELD(tiler_heap_create, tiler_heap_ctx_gpu_va, 24, 8);
FIELD(tiler_heap_create, first_heap_chunk_gpu_va, 32, 8);

SIZE(tiler_heap_destroy, 8);
FIELD(tiler_heap_destroy, handle, 0, 4);
FIELD(tiler_heap_destroy, pad, 4, 4);

SIZE(bo_set_label, 16);
FIELD(bo_set_label, handle, 0, 4);
FIELD(bo_set_label, pad, 4, 4);
FIELD(bo_set_label, label, 8, 8);

SIZE(set_user_mmio_offset, 8);
FIELD(set_user_mmio_offset, offset, 0, 8);

SIZE(bo_sync_op, 24);
FIELD(bo_sync_op, handle, 0, 4);
FIELD(bo_sync_op, type, 4, 4);
FIELD(bo_sync_op, offset, 8, 8);
FIELD(bo_sync_op, size, 16, 8);

SIZE(bo_sync, 16);
FIELD(bo_sync, ops, 0, 16);

SIZE(bo_query_info, 16);
FIELD(bo_query_info, handle, 0, 4);
FIELD(bo_query_info, extra_flags, 4, 4);
FIELD(bo_query_info, create_flags, 8, 4);
FIELD(bo_query_info, pad, 12, 4);

/* ---- values ---- */
VALUE(DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_MASK, 0xFF);
VALUE(DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ, 0);
VALUE(DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ, 1);
VALUE(DRM_PANTHOR_SYNC_OP_WAIT, 0);
VALUE(DRM_PANTHOR_SYNC_OP_SIGNAL, 0x80000000);

VALUE(DRM_PANTHOR_DEV_QUERY_GPU_INFO, 0);
VALUE(DRM_PANTHOR_DEV_QUERY_CSIF_INFO, 1);
VALUE(DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO, 2);
VALUE(DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO, 3);
VALUE(DRM_PANTHOR_DEV_QUERY_MMU_INFO, 4);

VALUE(DRM_PANTHOR_VM_BIND_OP_MAP_READONLY, 0x1);
VALUE(DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC, 0x2);
VALUE(DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED, 0x4);
VALUE(DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE, 0x8);
VALUE(DRM_PANTHOR_VM_BIND_OP_TYPE_MASK, 0xF0000000);
VALUE(DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, 0);
VALUE(DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP, 0x10000000);
VALUE(DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY, 0x20000000);

VALUE(DRM_PANTHOR_VM_BIND_ASYNC, 0x1);

VALUE(DRM_PANTHOR_VM_STATE_USABLE, 0);
VALUE(DRM_PANTHOR_VM_STATE_UNUSABLE, 1);

VALUE(DRM_PANTHOR_BO_NO_MMAP, 0x1);
VALUE(DRM_PANTHOR_BO_WB_MMAP, 0x2);
VALUE(DRM_PANTHOR_BO_ALLOC_ON_FAULT, 0x4);

VALUE(PANTHOR_GROUP_PRIORITY_LOW, 0);
VALUE(PANTHOR_GROUP_PRIORITY_MEDIUM, 1);
VALUE(PANTHOR_GROUP_PRIORITY_HIGH, 2);
VALUE(PANTHOR_GROUP_PRIORITY_REALTIME, 3);

VALUE(DRM_PANTHOR_GROUP_STATE_TIMEDOUT, 0x1);
VALUE(DRM_PANTHOR_GROUP_STATE_FATAL_FAULT, 0x2);
VALUE(DRM_PANTHOR_GROUP_STATE_INNOCENT, 0x4);

VALUE(DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH, 0);
VALUE(DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH_AND_INVALIDATE, 1);

VALUE(DRM_PANTHOR_BO_IS_IMPORTED, 0x1);

_Static_assert(DRM_PANTHOR_USER_MMIO_OFFSET_32BIT == 0x80000000000ull, "MMIO 32-bit");
_Static_assert(DRM_PANTHOR_USER_MMIO_OFFSET_64BIT == 0x100000000000000ull, "MMIO 64-bit");
_Static_assert(DRM_PANTHOR_USER_MMIO_OFFSET ==
		       (sizeof(void *) == 8 ? 0x100000000000000ull : 0x80000000000ull),
	       "MMIO offset follows the pointer size");

/* Total number of _Static_assert above (each FIELD() is two). */
#define PANTHOR_ABI_STATIC_CHECKS 351

int main(void)
{
	/* The initialiser helper must produce a valid obj_array. */
	struct drm_panthor_sync_op ops[2] = { { 0, 0, 0 }, { 0, 0, 0 } };
	struct drm_panthor_obj_array arr = DRM_PANTHOR_OBJ_ARRAY(2, ops);

	if (arr.stride != sizeof(ops[0]) || arr.count != 2 || arr.array == 0)
		return 1;

	printf("panthor ABI: %d static checks passed\n", PANTHOR_ABI_STATIC_CHECKS);
	return 0;
}
