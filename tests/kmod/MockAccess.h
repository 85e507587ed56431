// Test-only reach into the mock behind a kmod Device: its file and the page
// tables of a VM, to check what a bind really did. Only kmod tests include the
// mock; the kmod library itself never does outside MockTransport.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "kmod/Device.h"
#include "kmod/panthor/MockTransport.h"
#include "mock/File.h"
#include "mock/PageTable.h"
#include "mock/Vm.h"
#include "RecordingTransport.h"

namespace pan::kmod::test {

inline mock::File *mockFile(Device &device) {
   if (auto *transport = dynamic_cast<MockTransport *>(&device.transport()))
      return &transport->mockFile();
   if (auto *recording = dynamic_cast<RecordingTransport *>(&device.transport()))
      return &recording->inner().mockFile();
   return nullptr;
}

// The MMU's view of `va` in VM `vmId`: nullopt when it would fault.
inline std::optional<mock::Translation> translate(Device &device, uint32_t vmId, uint64_t va) {
   mock::File *file = mockFile(device);
   if (!file)
      return std::nullopt;
   std::shared_ptr<mock::Vm> vm = file->lookupVm(vmId);
   if (!vm)
      return std::nullopt;
   return vm->translate(va);
}

// A Device on a fresh mock at driver 1.<minor>.
inline std::unique_ptr<Device> openMock(unsigned minor) {
   OpenOptions options;
   options.backend = OpenOptions::Backend::Mock;
   options.mockMinorVersion = minor;
   options.mockMemoryBytes = 256ull << 20;
   Result<std::unique_ptr<Device>> device = Device::open(options);
   if (!device)
      return nullptr;
   return std::move(device.value());
}

} // namespace pan::kmod::test
