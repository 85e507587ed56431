// kmod::MockGpu over one open file of the mock kernel.
#pragma once

#include <memory>

#include "kmod/MockGpu.h"

namespace pan::mock {
class File;
} // namespace pan::mock

namespace pan::kmod {

class MockGpuView final : public MockGpu {
public:
   explicit MockGpuView(std::shared_ptr<mock::File> file) : file_(std::move(file)) {}

   Result<std::vector<Mapping>> vmMappings(uint32_t vmId) const override;
   Result<PageTableUse> vmPageTableUse(uint32_t vmId) const override;
   Result<std::optional<Translation>> translate(uint32_t vmId, uint64_t va) const override;
   uint64_t memoryInUse() const override;

private:
   std::shared_ptr<mock::File> file_;
};

} // namespace pan::kmod
