#include "mock/Mmu.h"

#include <algorithm>
#include <cstring>

namespace pan::mock {

namespace {

constexpr uint64_t kPageSize = PhysicalMemory::kPageSize;
// copyWithinGpu: how far ahead a miss probes each side (64 pages of TLB
// entries each, well within a slot's 1,024), and its bounce buffer.
constexpr uint64_t kProbeBytes = 256 * 1024;
constexpr uint64_t kBounceBytes = 16 * 1024;

bool
allows(const Translation &translation, AccessKind kind)
{
   return accessAllowed(translation.attrs.readOnly, translation.attrs.noExec, kind);
}

} // namespace

struct Mmu::Step {
   enum class What { Run, Miss, Fault, Aborted } what = What::Miss;
   uint8_t *host = nullptr; // Run
   uint64_t length = 0;     // Run
   uint64_t runId = 0;      // Run
   uint64_t generation = 0; // Miss: the slot's generation before the walk
   FaultInfo fault;         // Fault, Aborted
};

Mmu::Mmu(unsigned addressSpaces) : slots_(std::clamp(addressSpaces, 1u, 32u)) {}

Mmu::~Mmu() = default;

unsigned
Mmu::bindLocked(const Vm &vm)
{
   const AddressSpaceSlots::Binding binding = slots_.bind(vm);
   counters_.slotBinds += binding.bound;
   counters_.slotEvictions += binding.evicted;
   return binding.slot;
}

AccessResult
Mmu::access(Vm &vm, uint64_t va, uint64_t size, AccessKind kind, const RunVisitor &visit)
{
   AccessResult result;
   if (size == 0)
      return result;
   unsigned slot;
   {
      std::lock_guard lock(mutex_);
      slot = bindLocked(vm);
   }
   if (injectedFaultFires())
      return injectedFault(vm, slot, va, kind);
   uint64_t handledPage = ~0ull;
   while (result.bytesDone < size) {
      const uint64_t at = va + result.bytesDone;
      const uint64_t left = size - result.bytesDone;
      Step step;
      {
         std::lock_guard lock(mutex_);
         step = lookupLocked(vm, &slot, at, left, kind);
      }
      if (step.what == Step::What::Miss) {
         // The walk takes the VM's lock: never with ours held.
         const MmuWalk walk = vm.walkForMmu(at);
         if (walk.translation) {
            std::lock_guard lock(mutex_);
            step = fillLocked(vm, &slot, step.generation, at, *walk.translation, left, kind);
         } else {
            step.what = Step::What::Fault;
            step.fault = FaultInfo{at, faultStatus(FaultType::Translation, walk.faultLevel, kind),
                                   kind, false};
         }
      }

      switch (step.what) {
      case Step::What::Miss:
         continue; // the tables changed during the walk: walk again
      case Step::What::Run:
         visit(step.host, step.length, result.bytesDone);
         endRun(step.runId);
         result.bytesDone += step.length;
         continue;
      case Step::What::Aborted:
         result.aborted = true;
         result.fault = step.fault;
         return result;
      case Step::What::Fault:
         break;
      }

      FaultInfo fault = step.fault;
      latchFault(vm, slot, fault);
      const uint64_t page = at & ~(kPageSize - 1);
      if (page != handledPage && vm.handleFault(at, kind) == 0) {
         handledPage = page;
         fault.handled = true;
         result.fault = fault;
         result.faultsHandled++;
         std::lock_guard lock(mutex_);
         counters_.faultsHandled++;
         continue;
      }
      faultUnhandled(vm, slot, fault);
      result.fault = fault;
      return result;
   }
   return result;
}

AccessResult
Mmu::copyWithinGpu(Vm &vm, uint64_t dstVa, uint64_t srcVa, uint64_t size)
{
   AccessResult result;
   if (size == 0)
      return result;
   unsigned slot;
   {
      std::lock_guard lock(mutex_);
      slot = bindLocked(vm);
   }
   if (injectedFaultFires())
      return injectedFault(vm, slot, srcVa, AccessKind::Read);
   const auto noVisit = [](uint8_t *, uint64_t, uint64_t) {};
   uint64_t probedAt = UINT64_MAX; // where the last probe of both sides started
   while (result.bytesDone < size) {
      const uint64_t done = result.bytesDone;
      // Both sides from the TLB under one lock, both runs registered: a bind
      // of either range waits for the copy, and nothing here needs a VM's
      // lock while a run is in flight (which could deadlock with that bind).
      Step src, dst;
      {
         std::lock_guard lock(mutex_);
         src = lookupLocked(vm, &slot, srcVa + done, size - done, AccessKind::Read);
         if (src.what == Step::What::Run) {
            dst = lookupLocked(vm, &slot, dstVa + done, src.length, AccessKind::Write);
            if (dst.what != Step::What::Run)
               endRunLocked(src.runId);
         }
      }
      if (src.what == Step::What::Run && dst.what == Step::What::Run) {
         const uint64_t length = std::min(src.length, dst.length);
         // Aliased memory may overlap physically: memmove, not memcpy.
         std::memmove(dst.host, src.host, length);
         endRun(src.runId);
         endRun(dst.runId);
         result.bytesDone += length;
         continue;
      }
      // A miss or a fault on a side. First, ordinary accesses over a stretch
      // of each side walk the tables and run the fault handler with no run
      // held, filling the TLB; then the fast path is tried again. If it still
      // makes no progress right after that (the TLB evicted an entry it
      // needs), one chunk goes through a small bounce buffer instead, so every
      // round makes progress.
      const uint64_t stretch = std::min<uint64_t>(size - done, kProbeBytes);
      if (probedAt != done) {
         probedAt = done;
         for (const auto &[va, kind] : {std::pair{srcVa + done, AccessKind::Read},
                                        std::pair{dstVa + done, AccessKind::Write}}) {
            AccessResult probe = access(vm, va, stretch, kind, noVisit);
            result.faultsHandled += probe.faultsHandled;
            if (probe.fault)
               result.fault = probe.fault;
            if (!probe.ok()) {
               result.aborted = probe.aborted;
               return result;
            }
         }
         continue;
      }
      uint8_t bounce[kBounceBytes];
      const uint64_t chunk = std::min<uint64_t>(stretch, sizeof(bounce));
      for (AccessResult step : {copyFromGpu(vm, srcVa + done, bounce, chunk),
                                copyToGpu(vm, dstVa + done, bounce, chunk)}) {
         result.faultsHandled += step.faultsHandled;
         if (step.fault)
            result.fault = step.fault;
         if (!step.ok()) {
            result.aborted = step.aborted;
            return result;
         }
      }
      result.bytesDone += chunk;
   }
   return result;
}

Mmu::Step
Mmu::lookupLocked(const Vm &vm, unsigned *slot, uint64_t va, uint64_t maxLength, AccessKind kind)
{
   Step step;
   if (slots_.at(*slot).vm != &vm) {
      *slot = bindLocked(vm); // another VM took the slot meanwhile
   } else if (!slots_.at(*slot).enabled) {
      const AddressSpace &as = slots_.at(*slot);
      step.what = Step::What::Aborted;
      step.fault = FaultInfo{as.faultAddress, as.faultStatus,
                             AccessKind((as.faultStatus & faultstatus::kAccessTypeMask) >>
                                        faultstatus::kAccessTypeShift),
                             false};
      counters_.accessesAborted++;
      return step;
   }
   AddressSpace &as = slots_.at(*slot);
   slots_.touch(*slot);
   const std::optional<Translation> cached = as.tlb.lookup(va);
   if (!cached) {
      counters_.tlbMisses++;
      step.generation = as.generation;
      return step;
   }
   counters_.tlbHits++;
   if (!allows(*cached, kind)) {
      step.what = Step::What::Fault;
      step.fault = FaultInfo{va, faultStatus(FaultType::Permission, cached->level, kind), kind, false};
      return step;
   }
   step.what = Step::What::Run;
   step.host = reinterpret_cast<uint8_t *>(cached->phys);
   step.length = std::min(maxLength, cached->leafSize - (va & (cached->leafSize - 1)));
   extendRunLocked(*slot, kind, va, maxLength, &step);
   step.runId = beginRunLocked(vm, va, step.length);
   return step;
}

Mmu::Step
Mmu::fillLocked(const Vm &vm, unsigned *slot, uint64_t generation, uint64_t va,
                const Translation &translation, uint64_t maxLength, AccessKind kind)
{
   Step step;
   AddressSpace &as = slots_.at(*slot);
   // Invalidated, flushed, disabled or lost since the walk began: what the walk
   // read may be gone, so it is neither cached nor used.
   if (as.vm != &vm || as.generation != generation)
      return step;
   as.tlb.insert(va, translation);
   if (!allows(translation, kind)) {
      step.what = Step::What::Fault;
      step.fault =
         FaultInfo{va, faultStatus(FaultType::Permission, translation.level, kind), kind, false};
      return step;
   }
   step.what = Step::What::Run;
   step.host = reinterpret_cast<uint8_t *>(translation.phys);
   step.length = std::min(maxLength, translation.leafSize - (va & (translation.leafSize - 1)));
   extendRunLocked(*slot, kind, va, maxLength, &step);
   step.runId = beginRunLocked(vm, va, step.length);
   return step;
}

// Follows the run into the next leaves while the TLB has them, they continue
// the same physical range and allow the access: one copy instead of many.
void
Mmu::extendRunLocked(unsigned slot, AccessKind kind, uint64_t va, uint64_t maxLength, Step *step)
{
   const Tlb &tlb = slots_.at(slot).tlb;
   const uint64_t runPhys = reinterpret_cast<uint64_t>(step->host);
   while (step->length < maxLength) {
      const uint64_t next = va + step->length;
      const std::optional<Translation> cached = tlb.lookup(next);
      if (!cached || cached->phys != runPhys + step->length || !allows(*cached, kind))
         return;
      counters_.tlbHits++;
      step->length += std::min(maxLength - step->length,
                               cached->leafSize - (next & (cached->leafSize - 1)));
   }
}

uint64_t
Mmu::beginRunLocked(const Vm &vm, uint64_t va, uint64_t length)
{
   const uint64_t id = nextRunId_++;
   inFlight_.push_back(InFlightRun{id, &vm, va, va + length});
   return id;
}

void
Mmu::endRun(uint64_t id)
{
   std::lock_guard lock(mutex_);
   endRunLocked(id);
}

void
Mmu::endRunLocked(uint64_t id)
{
   auto it = std::find_if(inFlight_.begin(), inFlight_.end(),
                          [id](const InFlightRun &run) { return run.id == id; });
   if (it != inFlight_.end())
      inFlight_.erase(it);
   if (invalidationsWaiting_)
      runEnded_.notify_all();
}

bool
Mmu::runOverlapsLocked(const Vm &vm, uint64_t va, uint64_t size) const
{
   const uint64_t end = va + size < va ? UINT64_MAX : va + size;
   return std::any_of(inFlight_.begin(), inFlight_.end(), [&](const InFlightRun &run) {
      return run.vm == &vm && run.start < end && va < run.end;
   });
}

void
Mmu::latchFault(const Vm &vm, unsigned slot, const FaultInfo &fault)
{
   std::lock_guard lock(mutex_);
   AddressSpace &as = slots_.at(slot);
   if (as.vm != &vm)
      return;
   as.faultStatus = fault.status;
   as.faultAddress = fault.va;
}

void
Mmu::faultUnhandled(Vm &vm, unsigned slot, const FaultInfo &fault)
{
   {
      std::lock_guard lock(mutex_);
      counters_.faultsUnhandled++;
      AddressSpace &as = slots_.at(slot);
      if (as.vm == &vm) {
         // The handler may have run meanwhile: latch this fault again.
         as.faultStatus = fault.status;
         as.faultAddress = fault.va;
         slots_.disable(slot);
      }
   }
   vm.recordUnhandledFault(fault);
}

void
Mmu::injectFaultAt(uint64_t n)
{
   std::lock_guard lock(mutex_);
   injectCountdown_ = n;
}

bool
Mmu::injectedFaultFires()
{
   std::lock_guard lock(mutex_);
   return injectCountdown_ && --injectCountdown_ == 0;
}

AccessResult
Mmu::injectedFault(Vm &vm, unsigned slot, uint64_t va, AccessKind kind)
{
   const FaultInfo fault{va, faultStatus(FaultType::Translation, 3, kind), kind, false};
   latchFault(vm, slot, fault);
   faultUnhandled(vm, slot, fault);
   AccessResult result;
   result.fault = fault;
   return result;
}

void
Mmu::invalidateRange(const Vm &vm, uint64_t va, uint64_t size)
{
   std::unique_lock lock(mutex_);
   if (std::optional<unsigned> slot = slots_.find(vm)) {
      AddressSpace &as = slots_.at(*slot);
      as.generation++;
      counters_.tlbEntriesDropped += as.tlb.invalidate(va, size);
      counters_.tlbInvalidations++;
   }
   // Like the hardware's LOCK command: done once the transactions in the
   // region have drained. New ones cannot start: their walk needs the VM's lock.
   if (runOverlapsLocked(vm, va, size)) {
      invalidationsWaiting_++;
      runEnded_.wait(lock, [&] { return !runOverlapsLocked(vm, va, size); });
      invalidationsWaiting_--;
   }
}

void
Mmu::vmDestroyed(const Vm &vm)
{
   std::lock_guard lock(mutex_);
   slots_.release(vm);
}

MmuCounters
Mmu::counters() const
{
   std::lock_guard lock(mutex_);
   return counters_;
}

AddressSpaceState
Mmu::addressSpace(unsigned slot) const
{
   std::lock_guard lock(mutex_);
   if (slot >= slots_.count())
      return {};
   const AddressSpace &as = slots_.at(slot);
   return AddressSpaceState{as.vm, as.enabled, as.faultStatus, as.faultAddress, as.tlb.size()};
}

std::optional<unsigned>
Mmu::slotOf(const Vm &vm) const
{
   std::lock_guard lock(mutex_);
   return slots_.find(vm);
}

} // namespace pan::mock
