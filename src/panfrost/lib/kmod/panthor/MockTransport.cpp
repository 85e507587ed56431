#include "kmod/panthor/MockTransport.h"

#include <sys/mman.h>

#include "kmod/panthor/MockGpuView.h"
#include "mock/Device.h"
#include "mock/File.h"

namespace pan::kmod {

Result<std::unique_ptr<MockTransport>> MockTransport::create(unsigned minorVersion,
                                                             uint64_t memoryBytes) {
   mock::DeviceOptions options = mock::DeviceOptions::fromEnvironment();
   if (minorVersion != 0)
      options.minorVersion = minorVersion;
   if (memoryBytes != 0)
      options.memoryBytes = memoryBytes;
   std::shared_ptr<mock::Device> device = mock::Device::create(options);
   if (!device)
      return fail(EINVAL, "mock panthor 1." + std::to_string(options.minorVersion) +
                             " device");
   return open(std::move(device));
}

Result<std::unique_ptr<MockTransport>> MockTransport::open(std::shared_ptr<mock::Device> device) {
   if (!device)
      return fail(EINVAL, "mock device");
   std::shared_ptr<mock::File> file = device->open();
   if (!file)
      return fail(ENOMEM, "mock device open");
   return std::unique_ptr<MockTransport>(new MockTransport(std::move(device), std::move(file)));
}

MockTransport::MockTransport(std::shared_ptr<mock::Device> device,
                             std::shared_ptr<mock::File> file)
   : device_(std::move(device)), file_(std::move(file)),
     gpuView_(std::make_unique<MockGpuView>(file_)) {}

MockTransport::~MockTransport() = default;

MockGpu *MockTransport::mockGpu() {
   return gpuView_.get();
}

int MockTransport::ioctl(unsigned long request, void *arg) {
   return file_->ioctl(request, arg);
}

Result<void *> MockTransport::mmap(uint64_t offset, size_t size, int prot) {
   int error = 0;
   void *address = file_->mmap(nullptr, size, prot, MAP_SHARED, offset, &error);
   if (!address)
      return fail(error ? error : ENOMEM, "mmap");
   return address;
}

int MockTransport::munmap(void *address, size_t size) {
   return ::munmap(address, size) == 0 ? 0 : -errno;
}

} // namespace pan::kmod
