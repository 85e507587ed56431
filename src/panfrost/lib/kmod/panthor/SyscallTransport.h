// Transport to a real DRM render node: ioctl(2) and mmap(2) on its fd.
#pragma once

#include <memory>
#include <string>

#include "kmod/Transport.h"

namespace pan::kmod {

class SyscallTransport final : public Transport {
public:
   // Opens `path` read-write, close-on-exec.
   static Result<std::unique_ptr<SyscallTransport>> open(const std::string &path);
   // Takes ownership of an already open fd.
   explicit SyscallTransport(int fd) : fd_(fd) {}
   ~SyscallTransport() override;
   SyscallTransport(const SyscallTransport &) = delete;
   SyscallTransport &operator=(const SyscallTransport &) = delete;

   // Restarts on EINTR and EAGAIN, as DRM clients must.
   int ioctl(unsigned long request, void *arg) override;
   Result<void *> mmap(uint64_t offset, size_t size, int prot) override;
   int munmap(void *address, size_t size) override;
   bool isMock() const override { return false; }

   int fd() const { return fd_; }

private:
   int fd_;
};

} // namespace pan::kmod
