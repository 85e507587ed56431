// The C library's own definitions of the functions the drm-shim intercepts
// (the next definition after the shim's, found with dlsym(RTLD_NEXT)), so the
// shim can pass calls through and do its own I/O without recursing into itself.
//
// Each returns what the C library returns; if the C library lacks the symbol,
// -1 (or nullptr) with errno ENOSYS.
#pragma once

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>

namespace pan::drmshim::real {

int open(const char *path, int flags, mode_t mode);
int openat(int dirfd, const char *path, int flags, mode_t mode);
int close(int fd);
int dup(int fd);
int dup2(int fd, int target);
int dup3(int fd, int target, int flags);
// The third argument is passed on as the caller gave it (an int or a pointer).
int fcntl(int fd, int cmd, unsigned long arg);
int closeRange(unsigned first, unsigned last, int flags);
void closefrom(int first);

int ioctl(int fd, unsigned long request, void *arg);
void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset);

int fstat(int fd, struct stat *buf);
int fstatat(int dirfd, const char *path, struct stat *buf, int flags);
int statx(int dirfd, const char *path, int flags, unsigned mask, struct statx *buf);

DIR *opendir(const char *path);
using DirentFilter = int (*)(const struct dirent *);
using DirentCompare = int (*)(const struct dirent **, const struct dirent **);
int scandir(const char *path, struct dirent ***list, DirentFilter filter, DirentCompare compare);
ssize_t readlink(const char *path, char *buf, size_t size);
ssize_t readlinkat(int dirfd, const char *path, char *buf, size_t size);
char *realpath(const char *path, char *resolved);
int access(const char *path, int mode);
int faccessat(int dirfd, const char *path, int mode, int flags);
int euidaccess(const char *path, int mode);
FILE *fopen(const char *path, const char *mode);

} // namespace pan::drmshim::real
