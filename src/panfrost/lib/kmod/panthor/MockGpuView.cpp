#include "kmod/panthor/MockGpuView.h"

#include <cerrno>

#include "mock/Bo.h"
#include "mock/Device.h"
#include "mock/File.h"
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

} // namespace pan::kmod
