/* The drm-shim test program's shared helpers: a check counter that never
 * aborts (every check runs and is reported), and thin ioctl wrappers that
 * return 0 or the errno, so expected errors read as `CHECK_ERRNO(EINVAL, ...)`.
 *
 * The program links nothing of the project: only libdrm and the ABI header,
 * as any user of a panthor render node would. */
#pragma once

#include <stdint.h>

#include "drm-uapi/panthor_drm.h"

void check_record(int ok, const char *file, int line, const char *what);

#define CHECK(cond) check_record(!!(cond), __FILE__, __LINE__, #cond)
#define CHECK_ERRNO(expected, call) check_errno((expected), (call), __FILE__, __LINE__, #call)
void check_errno(int expected, int actual, const char *file, int line, const char *what);

/* The driver minor version the shim was asked for (PANTHOR_MOCK_VERSION). */
unsigned expected_minor(void);

/* ioctl() returning 0 or errno. */
int shim_ioctl(int fd, unsigned long request, void *arg);
int open_render_node(void);

int bo_create(int fd, uint64_t size, uint32_t flags, uint32_t *handle);
int bo_mmap_offset(int fd, uint32_t handle, uint64_t *offset);
int vm_create(int fd, uint32_t *id);
int vm_bind(int fd, uint32_t vm_id, uint32_t flags, struct drm_panthor_vm_bind_op *ops, uint32_t count);
struct drm_panthor_vm_bind_op map_op(uint32_t bo, uint64_t va, uint64_t size);
struct drm_panthor_vm_bind_op unmap_op(uint64_t va, uint64_t size);

void check_device_identity(void);
void check_queries(void);
void check_bo_and_mmap(void);
void check_vm_binds(void);
void check_prime(void);
void check_errnos(void);
void check_files_are_separate(void);
void check_fd_semantics(void);
