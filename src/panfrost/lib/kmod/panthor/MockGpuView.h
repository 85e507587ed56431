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
   uint64_t memoryBudget() const override;

   Result<AccessResult> copyToGpu(uint32_t vmId, uint64_t va, const void *data,
                                  uint64_t size) override;
   Result<AccessResult> copyWithinGpu(uint32_t vmId, uint64_t dstVa, uint64_t srcVa,
                                      uint64_t size) override;
   Result<AccessResult> copyFromGpu(uint32_t vmId, uint64_t va, void *data,
                                    uint64_t size) override;
   Result<AccessResult> fill(uint32_t vmId, uint64_t va, uint64_t size, uint32_t pattern) override;
   Result<AccessResult> access(uint32_t vmId, uint64_t va, uint64_t size, Access kind,
                               const RunVisitor &visit) override;
   Counters counters() const override;
   Result<uint64_t> residentBytes(uint32_t boHandle) const override;
   Result<std::optional<Fault>> vmUnhandledFault(uint32_t vmId) const override;

private:
   std::shared_ptr<mock::File> file_;
};

} // namespace pan::kmod
