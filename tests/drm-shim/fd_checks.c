/* A node fd behaves as an fd: dup'd copies share the open file, dup2 over it
 * or close ends it, /proc/self/fd names the node, and a forked child does not
 * share the parent's device (the mock cannot follow it into another process). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "shim_check.h"

static void
check_dup_shares_the_file(int fd, uint32_t bo)
{
   int copy = dup(fd);
   int copy2 = fcntl(fd, F_DUPFD_CLOEXEC, 100);
   CHECK(copy >= 0 && copy2 >= 100);
   CHECK((fcntl(copy2, F_GETFD) & FD_CLOEXEC) != 0);
   CHECK_ERRNO(0, bo_mmap_offset(copy, bo, NULL));
   CHECK_ERRNO(0, bo_mmap_offset(copy2, bo, NULL));
   close(copy);
   CHECK_ERRNO(0, bo_mmap_offset(copy2, bo, NULL));
   CHECK_ERRNO(EBADF, bo_mmap_offset(copy, bo, NULL));

   /* dup2 of another file over a node fd ends that fd's use of the node. */
   int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
   CHECK(dup2(devnull, copy2) == copy2);
   CHECK_ERRNO(ENOTTY, bo_mmap_offset(copy2, bo, NULL));
   close(copy2);
   close(devnull);
   CHECK_ERRNO(0, bo_mmap_offset(fd, bo, NULL)); /* the original is untouched */
}

static void
check_proc_fd_link(int fd)
{
   char path[64], target[PATH_MAX];
   snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
   ssize_t length = readlink(path, target, sizeof(target) - 1);
   CHECK(length > 0);
   if (length > 0) {
      target[length] = '\0';
      CHECK(strcmp(target, "/dev/dri/renderD128") == 0);
   }
}

static void
check_fork(int fd, uint32_t bo)
{
   pid_t child = fork();
   if (child == 0) {
      /* Inherited node fds are plain files here; new opens get a device of
       * the child's own. Exit status: which step failed. */
      if (bo_mmap_offset(fd, bo, NULL) != ENOTTY)
         _exit(1);
      int own = open_render_node();
      if (own < 0 || bo_create(own, 4096, 0, NULL) != 0)
         _exit(2);
      _exit(0);
   }
   CHECK(child > 0);
   int status = -1;
   CHECK(waitpid(child, &status, 0) == child);
   CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
   CHECK_ERRNO(0, bo_mmap_offset(fd, bo, NULL)); /* the parent's file is unaffected */
}

void
check_fd_semantics(void)
{
   int fd = open_render_node();
   CHECK(fd >= 0);
   uint32_t bo = 0;
   CHECK_ERRNO(0, bo_create(fd, 4096, 0, &bo));
   check_dup_shares_the_file(fd, bo);
   check_proc_fd_link(fd);
   check_fork(fd, bo);
   close(fd);
}
