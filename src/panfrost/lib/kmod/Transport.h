// Where kmod's ioctls and mmaps go: the panthor render node (SyscallTransport)
// or the in-process mock kernel (MockTransport). Everything above this
// interface is identical for both, so every fallback path runs against the mock.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kmod/Result.h"

namespace pan::kmod {

class MockGpu;

class Transport {
public:
   virtual ~Transport() = default;

   // 0 or -errno; arg is the ioctl's struct, user pointers inside it are
   // pointers of this process.
   virtual int ioctl(unsigned long request, void *arg) = 0;
   // A shared CPU mapping of `size` bytes at the fake offset BO_MMAP_OFFSET gave.
   virtual Result<void *> mmap(uint64_t offset, size_t size, int prot) = 0;
   // 0 or -errno.
   virtual int munmap(void *address, size_t size) = 0;
   virtual bool isMock() const = 0;
   // The mock's window on kernel and GPU state; null on hardware.
   virtual MockGpu *mockGpu() { return nullptr; }
};

} // namespace pan::kmod
