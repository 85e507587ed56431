// The GPU side of a VM: the page walk the MMU does on a TLB miss, and the
// kernel's fault handler, which populates alloc-on-fault chunks.
#include <algorithm>
#include <cerrno>

#include "mock/Bo.h"
#include "mock/Vm.h"

namespace pan::mock {

namespace {

constexpr unsigned kLeafLevel = 3;

// The level whose descriptor stopped a walk of `va` that found no leaf:
// what a translation fault reports. Reads the tables the hardware way, from
// the root (the AS's TRANSTAB); phys addresses are host addresses.
unsigned
translationFaultLevel(const PageTable &table, uint64_t va)
{
   if (!table.valid() || va >= (1ull << table.vaBits()))
      return 0;
   uint64_t tablePhys = table.rootPhys();
   for (unsigned level = 0; level < kLeafLevel; level++) {
      const unsigned index = (va >> (39 - 9 * level)) & 511;
      const uint64_t descriptor = reinterpret_cast<const uint64_t *>(tablePhys)[index];
      const bool isTable = (descriptor & (pte::kValid | pte::kTableOrPage)) ==
                           (pte::kValid | pte::kTableOrPage);
      if (!isTable)
         return level;
      tablePhys = descriptor & pte::kOutputAddressMask;
   }
   return kLeafLevel;
}

} // namespace

MmuWalk
Vm::walkForMmu(uint64_t va) const
{
   std::lock_guard lock(mutex_);
   MmuWalk walk;
   walk.translation = pageTable_.walk(va);
   if (!walk.translation)
      walk.faultLevel = translationFaultLevel(pageTable_, va);
   return walk;
}

int
Vm::handleFault(uint64_t va, AccessKind kind)
{
   std::lock_guard lock(mutex_);
   // Another fault (or a bind) got here first; a permission fault stays one.
   if (const std::optional<Translation> now = pageTable_.walk(va))
      return accessAllowed(now->attrs.readOnly, now->attrs.noExec, kind) ? 0 : -EACCES;

   const Mapping *mapping = mappings_.find(va);
   if (!mapping || !mapping->bo || mapping->cycle || !mapping->bo->allocOnFault())
      return -EFAULT;
   Bo &bo = *mapping->bo;

   // The granularity-aligned chunk of the BO holding the address, and the
   // part of it that this mapping shows.
   const uint64_t boOffset = mapping->boOffsetAt(va);
   const uint64_t chunkStart = boOffset & ~(bo.granularity() - 1);
   const uint64_t chunkEnd = std::min(chunkStart + bo.granularity(), bo.size());
   const uint64_t before = boOffset - chunkStart;
   const uint64_t vaStart = va - mapping->va >= before ? va - before : mapping->va;
   const uint64_t vaEnd = std::min(mapping->end(), va + (chunkEnd - boOffset));

   // A chunk already populated (through another mapping or VM) is only mapped.
   if (!bo.populateChunk(boOffset))
      return -ENOMEM;
   const uint64_t startOffset = mapping->boOffsetAt(vaStart);
   const BackingResolver resolver = [&bo, startOffset](uint64_t offset) {
      return bo.backingAt(startOffset + offset);
   };
   // The chunk stays with the BO if the tables cannot grow: a later fault or
   // map uses it.
   TablePagePool pool(memory_);
   if (!pool.reserve(pageTable_.worstCaseTablePages(vaStart, vaEnd - vaStart, &resolver)))
      return -ENOMEM;
   // Every leaf of a mapping's chunk is written together, so with `va`
   // unmapped the whole range is: map() cannot meet a valid leaf.
   if (!pageTable_.map(vaStart, vaEnd - vaStart, resolver, pteAttrsFromBindFlags(mapping->flags),
                       pool))
      return -EFAULT;
   generation_++;
   return 0;
}

void
Vm::recordUnhandledFault(const FaultInfo &fault)
{
   std::lock_guard lock(mutex_);
   lastUnhandledFault_ = fault;
   lastUnhandledFault_->handled = false;
}

bool
Vm::hasUnhandledFault() const
{
   std::lock_guard lock(mutex_);
   return lastUnhandledFault_.has_value();
}

std::optional<FaultInfo>
Vm::lastUnhandledFault() const
{
   std::lock_guard lock(mutex_);
   return lastUnhandledFault_;
}

} // namespace pan::mock
