#include "kmod/panthor/MockGpuView.h"

#include <cerrno>

#include "mock/Bo.h"
#include "mock/Device.h"
#include "mock/File.h"
#include "mock/Mmu.h"
#include "mock/Vm.h"

namespace pan::kmod {

namespace {

Result<std::shared_ptr<mock::Vm>>
findVm(const mock::File &file, uint32_t vmId)
{
   std::shared_ptr<mock::Vm> vm = file.lookupVm(vmId);
   if (!vm)
      return fail(EINVAL, "mock VM " + std::to_string(vmId));
   return vm;
}

MockGpu::Fault
toKmod(const mock::FaultInfo &fault)
{
   return MockGpu::Fault{fault.va, fault.status, MockGpu::Access(uint8_t(fault.kind)),
                         fault.handled};
}

MockGpu::AccessResult
toKmod(const mock::AccessResult &result)
{
   MockGpu::AccessResult out;
   out.bytesDone = result.bytesDone;
   if (result.fault)
      out.fault = toKmod(*result.fault);
   out.aborted = result.aborted;
   return out;
}

} // namespace

Result<std::vector<MockGpu::Mapping>>
MockGpuView::vmMappings(uint32_t vmId) const
{
   auto vm = findVm(*file_, vmId);
   if (!vm)
      return vm.error();
   std::vector<Mapping> out;
   vm.value()->forEachMapping([&](const mock::Mapping &m) {
      out.push_back(Mapping{m.va, m.size, file_->handleOf(m.bo.get()), m.boOffset, m.flags,
                            m.bo ? m.bo->label() : std::string()});
   });
   return out;
}

Result<MockGpu::PageTableUse>
MockGpuView::vmPageTableUse(uint32_t vmId) const
{
   auto vm = findVm(*file_, vmId);
   if (!vm)
      return vm.error();
   const mock::VmCounters counters = vm.value()->counters();
   return PageTableUse{counters.tablePages, counters.entriesWritten};
}

Result<std::optional<MockGpu::Translation>>
MockGpuView::translate(uint32_t vmId, uint64_t va) const
{
   auto vm = findVm(*file_, vmId);
   if (!vm)
      return vm.error();
   std::optional<mock::Translation> t = vm.value()->translate(va);
   if (!t)
      return std::optional<Translation>();
   return std::optional<Translation>(Translation{t->phys, t->level, t->attrs.readOnly, t->attrs.noExec});
}

uint64_t
MockGpuView::memoryInUse() const
{
   const mock::PhysicalMemory &memory = file_->device().memory();
   return memory.budgetBytes() - memory.freeBytes();
}

Result<MockGpu::AccessResult>
MockGpuView::copyToGpu(uint32_t vmId, uint64_t va, const void *data, uint64_t size)
{
   auto vm = findVm(*file_, vmId);
   if (!vm)
      return vm.error();
   return toKmod(file_->device().mmu().copyToGpu(*vm.value(), va, data, size));
}

Result<MockGpu::AccessResult>
MockGpuView::copyFromGpu(uint32_t vmId, uint64_t va, void *data, uint64_t size)
{
   auto vm = findVm(*file_, vmId);
   if (!vm)
      return vm.error();
   return toKmod(file_->device().mmu().copyFromGpu(*vm.value(), va, data, size));
}

Result<MockGpu::AccessResult>
MockGpuView::copyWithinGpu(uint32_t vmId, uint64_t dstVa, uint64_t srcVa, uint64_t size)
{
   auto vm = findVm(*file_, vmId);
   if (!vm)
      return vm.error();
   return toKmod(file_->device().mmu().copyWithinGpu(*vm.value(), dstVa, srcVa, size));
}

Result<MockGpu::AccessResult>
MockGpuView::fill(uint32_t vmId, uint64_t va, uint64_t size, uint32_t pattern)
{
   auto vm = findVm(*file_, vmId);
   if (!vm)
      return vm.error();
   return toKmod(file_->device().mmu().fill(*vm.value(), va, size, pattern));
}

Result<MockGpu::AccessResult>
MockGpuView::access(uint32_t vmId, uint64_t va, uint64_t size, Access kind,
                    const RunVisitor &visit)
{
   if (uint8_t(kind) > uint8_t(Access::Write))
      return fail(EINVAL, "mock GPU access kind");
   auto vm = findVm(*file_, vmId);
   if (!vm)
      return vm.error();
   return toKmod(file_->device().mmu().access(*vm.value(), va, size,
                                              mock::AccessKind(uint8_t(kind)), visit));
}

MockGpu::Counters
MockGpuView::counters() const
{
   const mock::MmuCounters c = file_->device().mmu().counters();
   return Counters{c.faultsHandled, c.faultsUnhandled, c.tlbInvalidations, c.tlbHits,
                   c.tlbMisses,     c.slotBinds,       c.slotEvictions};
}

Result<uint64_t>
MockGpuView::residentBytes(uint32_t boHandle) const
{
   std::shared_ptr<mock::Bo> bo = file_->lookupBo(boHandle);
   if (!bo)
      return fail(ENOENT, "mock BO " + std::to_string(boHandle));
   return bo->residentBytes();
}

Result<std::optional<MockGpu::Fault>>
MockGpuView::vmUnhandledFault(uint32_t vmId) const
{
   auto vm = findVm(*file_, vmId);
   if (!vm)
      return vm.error();
   const std::optional<mock::FaultInfo> fault = vm.value()->lastUnhandledFault();
   if (!fault)
      return std::optional<Fault>();
   return std::optional<Fault>(toKmod(*fault));
}

uint64_t
MockGpuView::memoryBudget() const
{
   return file_->device().memory().budgetBytes();
}

} // namespace pan::kmod
