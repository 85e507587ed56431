#include "mock/SyncobjUserCopy.h"

#include <sys/uio.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

namespace pan::mock {

namespace {

// process_vm_readv/writev on our own pid checks the user range like the
// kernel's user copies do. Where a seccomp policy forbids them, fall back to a
// plain copy (only null is caught then).
std::atomic<bool> checkedCopyUnavailable{false};

enum class Direction { FromUser, ToUser };

int
checkedCopy(Direction direction, void *local, uint64_t user, size_t size)
{
   if (size == 0)
      return 0;
   if (user == 0)
      return -EFAULT;
   if (!checkedCopyUnavailable.load(std::memory_order_relaxed)) {
      iovec localIov{local, size};
      iovec remoteIov{reinterpret_cast<void *>(user), size};
      ssize_t copied = direction == Direction::FromUser
                          ? process_vm_readv(getpid(), &localIov, 1, &remoteIov, 1, 0)
                          : process_vm_writev(getpid(), &localIov, 1, &remoteIov, 1, 0);
      if (copied == ssize_t(size))
         return 0;
      if (copied >= 0 || errno == EFAULT)
         return -EFAULT;
      if (errno != ENOSYS && errno != EPERM)
         return -EFAULT;
      checkedCopyUnavailable.store(true, std::memory_order_relaxed);
   }
   if (direction == Direction::FromUser)
      memcpy(local, reinterpret_cast<const void *>(user), size);
   else
      memcpy(reinterpret_cast<void *>(user), local, size);
   return 0;
}

} // namespace

int
copyFromUser(void *destination, uint64_t userPointer, size_t size)
{
   return checkedCopy(Direction::FromUser, destination, userPointer, size);
}

int
copyToUser(uint64_t userPointer, const void *source, size_t size)
{
   return checkedCopy(Direction::ToUser, const_cast<void *>(source), userPointer, size);
}

} // namespace pan::mock
