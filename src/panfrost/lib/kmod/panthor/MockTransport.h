// Transport to the in-process mock panthor kernel: one mock device and one open
// file of it, as if the process had opened a render node. The only kmod file
// that sees the mock; this header only forward-declares its types.
#pragma once

#include <cstdint>
#include <memory>

#include "kmod/Transport.h"

namespace pan::mock {
class Device;
class File;
} // namespace pan::mock

namespace pan::kmod {

class MockGpuView;

class MockTransport final : public Transport {
public:
   // A new mock device and an open file on it. minorVersion 0 and
   // memoryBytes 0 keep the mock's defaults (PANTHOR_MOCK_VERSION,
   // PANTHOR_MOCK_MEMORY_MB or its built-in values).
   static Result<std::unique_ptr<MockTransport>> create(unsigned minorVersion,
                                                         uint64_t memoryBytes);
   // Another file on an existing mock device.
   static Result<std::unique_ptr<MockTransport>> open(std::shared_ptr<mock::Device> device);
   ~MockTransport() override;

   int ioctl(unsigned long request, void *arg) override;
   Result<void *> mmap(uint64_t offset, size_t size, int prot) override;
   int munmap(void *address, size_t size) override;
   bool isMock() const override { return true; }
   MockGpu *mockGpu() override;

   // For tests and the mock executor: the model behind this transport.
   mock::Device &mockDevice() { return *device_; }
   const std::shared_ptr<mock::Device> &sharedMockDevice() const { return device_; }
   mock::File &mockFile() { return *file_; }

private:
   MockTransport(std::shared_ptr<mock::Device> device, std::shared_ptr<mock::File> file);

   // Destroyed bottom-up: the view and the file go before the device.
   std::shared_ptr<mock::Device> device_;
   std::shared_ptr<mock::File> file_;
   std::unique_ptr<MockGpuView> gpuView_;
};

} // namespace pan::kmod
