/* Runs an unmodified libdrm program against the panthor drm-shim: started with
 * LD_PRELOAD=libpanthor_mock_drm_shim.so and PANTHOR_MOCK_VERSION=1.8/1.9/1.10,
 * it must see a panthor render node that behaves as the kernel's. Prints a
 * summary; exits non-zero if any check failed. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "shim_check.h"

static unsigned checks_run;
static unsigned checks_failed;

void
check_record(int ok, const char *file, int line, const char *what)
{
   checks_run++;
   if (!ok) {
      checks_failed++;
      fprintf(stderr, "FAILED %s:%d: %s\n", file, line, what);
   }
}

void
check_errno(int expected, int actual, const char *file, int line, const char *what)
{
   checks_run++;
   if (expected != actual) {
      checks_failed++;
      fprintf(stderr, "FAILED %s:%d: %s gave %s (%d), expected %s (%d)\n", file, line, what,
              actual ? strerror(actual) : "success", actual,
              expected ? strerror(expected) : "success", expected);
   }
}

unsigned
expected_minor(void)
{
   const char *knob = getenv("PANTHOR_MOCK_VERSION");
   if (!knob)
      return 10; /* the mock's default */
   if (strncmp(knob, "1.", 2) == 0)
      knob += 2;
   return (unsigned)strtoul(knob, NULL, 10);
}

int
shim_ioctl(int fd, unsigned long request, void *arg)
{
   return ioctl(fd, request, arg) == 0 ? 0 : errno;
}

int
open_render_node(void)
{
   return open("/dev/dri/renderD128", O_RDWR | O_CLOEXEC);
}

int
main(void)
{
   check_device_identity();
   check_queries();
   check_bo_and_mmap();
   check_vm_binds();
   check_prime();
   check_errnos();
   check_files_are_separate();
   check_fd_semantics();

   printf("drm-shim test, panthor 1.%u: %u checks, %u failed\n", expected_minor(), checks_run,
          checks_failed);
   return checks_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
