// A transport in front of the mock that keeps a copy of every VM_BIND it
// forwards, so tests can check the exact ops and syncs kmod marshalled.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "drm-uapi/panthor_drm.h"
#include "kmod/Device.h"
#include "kmod/panthor/MockTransport.h"

namespace pan::kmod::test {

struct RecordedOp {
   drm_panthor_vm_bind_op op;
   std::vector<drm_panthor_sync_op> syncs;
};

struct RecordedBind {
   uint32_t vmId = 0;
   uint32_t flags = 0;
   std::vector<RecordedOp> ops;
};

class RecordingTransport final : public Transport {
public:
   explicit RecordingTransport(std::unique_ptr<MockTransport> inner) : inner_(std::move(inner)) {}

   int ioctl(unsigned long request, void *arg) override {
      if (request == DRM_IOCTL_PANTHOR_VM_BIND)
         record(*static_cast<const drm_panthor_vm_bind *>(arg));
      return inner_->ioctl(request, arg);
   }
   Result<void *> mmap(uint64_t offset, size_t size, int prot) override {
      return inner_->mmap(offset, size, prot);
   }
   int munmap(void *address, size_t size) override { return inner_->munmap(address, size); }
   bool isMock() const override { return true; }
   MockGpu *mockGpu() override { return inner_->mockGpu(); }

   MockTransport &inner() { return *inner_; }
   std::vector<RecordedBind> binds;

private:
   void record(const drm_panthor_vm_bind &bind) {
      RecordedBind recorded{bind.vm_id, bind.flags, {}};
      const auto *bytes = reinterpret_cast<const unsigned char *>(bind.ops.array);
      for (uint32_t i = 0; i < bind.ops.count; ++i) {
         const auto *op =
            reinterpret_cast<const drm_panthor_vm_bind_op *>(bytes + size_t(i) * bind.ops.stride);
         RecordedOp copy{*op, {}};
         const auto *syncs = reinterpret_cast<const drm_panthor_sync_op *>(op->syncs.array);
         for (uint32_t s = 0; s < op->syncs.count; ++s)
            copy.syncs.push_back(syncs[s]);
         recorded.ops.push_back(copy);
      }
      binds.push_back(std::move(recorded));
   }

   std::unique_ptr<MockTransport> inner_;
};

// A Device on a fresh mock at 1.<minor> whose VM_BINDs land in *recorder.
inline std::unique_ptr<Device> openRecordingMock(unsigned minor, RecordingTransport **recorder) {
   Result<std::unique_ptr<MockTransport>> mock = MockTransport::create(minor, 256ull << 20);
   if (!mock)
      return nullptr;
   auto transport = std::make_unique<RecordingTransport>(std::move(mock.value()));
   *recorder = transport.get();
   Result<std::unique_ptr<Device>> device = Device::fromTransport(std::move(transport));
   return device ? std::move(device.value()) : nullptr;
}

} // namespace pan::kmod::test
