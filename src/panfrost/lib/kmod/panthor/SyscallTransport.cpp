#include "kmod/panthor/SyscallTransport.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

namespace pan::kmod {

Result<std::unique_ptr<SyscallTransport>> SyscallTransport::open(const std::string &path) {
   const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
   if (fd < 0)
      return fail(errno, "open " + path);
   return std::make_unique<SyscallTransport>(fd);
}

SyscallTransport::~SyscallTransport() {
   if (fd_ >= 0)
      ::close(fd_);
}

int SyscallTransport::ioctl(unsigned long request, void *arg) {
   int ret;
   do {
      ret = ::ioctl(fd_, request, arg);
   } while (ret == -1 && (errno == EINTR || errno == EAGAIN));
   return ret == -1 ? -errno : 0;
}

Result<void *> SyscallTransport::mmap(uint64_t offset, size_t size, int prot) {
   void *address = ::mmap(nullptr, size, prot, MAP_SHARED, fd_, static_cast<off_t>(offset));
   if (address == MAP_FAILED)
      return fail(errno, "mmap");
   return address;
}

int SyscallTransport::munmap(void *address, size_t size) {
   return ::munmap(address, size) == 0 ? 0 : -errno;
}

} // namespace pan::kmod
