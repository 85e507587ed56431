// The GPU MMU of the mock device: every GPU-side memory access goes through
// here. It binds the VM to an address-space slot, translates through the
// slot's TLB or a walk of the VM's LPAE tables, checks the leaf's
// permissions, and on a fault latches FAULTSTATUS / FAULTADDRESS and calls the
// kernel's fault handler (Vm::handleFault), as panthor's IRQ handler does.
//
// Handled fault: the access is retried (once per page). Unhandled fault: the
// access stops there (bytes before it were transferred, as on a GPU), the slot
// is disabled and the VM records the fault (groups on it become FATAL_FAULT);
// the VM stays usable. Other accesses already running through that slot stop
// at their next page ("aborted"); the next access to the VM binds it again
// and so re-enables the slot, as panthor does when the next job on the VM
// starts.
//
// Thread safety: any thread may access and any thread may change VMs at the
// same time. The VM calls invalidateRange() with its lock held, before pages
// can be freed; it returns once no access still copies to or from the range,
// so a freed page is never touched. Hence a visitor must not call into the
// mock (binds, VM destruction): that would wait for itself.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <vector>

#include "mock/AddressSpaceSlots.h"
#include "mock/Fault.h"
#include "mock/Vm.h"

namespace pan::mock {

struct AccessResult {
   uint64_t bytesDone = 0;
   // The last fault met, if any: the access stopped at it unless fault->handled.
   std::optional<FaultInfo> fault;
   uint32_t faultsHandled = 0;
   // Stopped because another access's unhandled fault disabled the address
   // space; `fault` is then the fault latched in the slot.
   bool aborted = false;

   bool ok() const { return !aborted && (!fault || fault->handled); }
};

struct MmuCounters {
   uint64_t faultsHandled = 0;
   uint64_t faultsUnhandled = 0;
   uint64_t tlbInvalidations = 0; // lock-region invalidations of a bound VM
   uint64_t tlbEntriesDropped = 0;
   uint64_t tlbHits = 0;
   uint64_t tlbMisses = 0;
   uint64_t slotBinds = 0;
   uint64_t slotEvictions = 0;
   uint64_t accessesAborted = 0;
};

// One address-space slot as the registers show it.
struct AddressSpaceState {
   const Vm *vm = nullptr;
   bool enabled = false;
   uint32_t faultStatus = 0;
   uint64_t faultAddress = 0;
   size_t tlbEntries = 0;
};

class Mmu final : public VmObserver {
public:
   static constexpr unsigned kAddressSpaces = 8; // gpu_info.as_present = 0xff

   // Called for each physically contiguous run of the access, in order:
   // `host` is where the run's bytes are, `offset` how far into the access
   // the run starts. Must not call into the mock (see above).
   using RunVisitor = std::function<void(uint8_t *host, uint64_t length, uint64_t offset)>;

   explicit Mmu(unsigned addressSpaces = kAddressSpaces);
   ~Mmu() override;
   Mmu(const Mmu &) = delete;
   Mmu &operator=(const Mmu &) = delete;

   // [va, va + size) of any size and alignment, as `kind`.
   AccessResult access(Vm &vm, uint64_t va, uint64_t size, AccessKind kind,
                       const RunVisitor &visit);

   // The GPU side of transfers (GpuAccess.cpp).
   AccessResult copyToGpu(Vm &vm, uint64_t va, const void *data, uint64_t size);
   AccessResult copyFromGpu(Vm &vm, uint64_t va, void *data, uint64_t size,
                            AccessKind kind = AccessKind::Read);
   // Repeats the little-endian `pattern` from va on (vkCmdFillBuffer's rule).
   AccessResult fill(Vm &vm, uint64_t va, uint64_t size, uint32_t pattern);
   AccessResult fillBytes(Vm &vm, uint64_t va, uint64_t size, uint8_t value);
   // [srcVa, srcVa + size) to [dstVa, dstVa + size) in one VM, GPU to GPU:
   // one host copy per pair of physically contiguous runs. Faults on either
   // side stop it as an access does; bytesDone counts the bytes copied.
   AccessResult copyWithinGpu(Vm &vm, uint64_t dstVa, uint64_t srcVa, uint64_t size);

   // The n-th access from now (1 = the next) takes an unhandled translation
   // fault, whatever the tables say: an injected hardware fault for tests of
   // the layers above (DeviceOptions::injectGpuFaultAt). 0 turns it off.
   void injectFaultAt(uint64_t n);

   MmuCounters counters() const;
   unsigned addressSpaceCount() const { return slots_.count(); }
   AddressSpaceState addressSpace(unsigned slot) const;
   std::optional<unsigned> slotOf(const Vm &vm) const;

   // VmObserver.
   void invalidateRange(const Vm &vm, uint64_t va, uint64_t size) override;
   void vmDestroyed(const Vm &vm) override;

private:
   // A run being copied now without the lock: invalidations of its range wait.
   struct InFlightRun {
      uint64_t id;
      const Vm *vm;
      uint64_t start, end;
   };
   struct Step; // what one locked look-up decided (Mmu.cpp)

   unsigned bindLocked(const Vm &vm);
   Step lookupLocked(const Vm &vm, unsigned *slot, uint64_t va, uint64_t maxLength,
                     AccessKind kind);
   Step fillLocked(const Vm &vm, unsigned *slot, uint64_t generation, uint64_t va,
                   const Translation &translation, uint64_t maxLength, AccessKind kind);
   void extendRunLocked(unsigned slot, AccessKind kind, uint64_t va, uint64_t maxLength,
                        Step *step);
   uint64_t beginRunLocked(const Vm &vm, uint64_t va, uint64_t length);
   void endRun(uint64_t id);
   void endRunLocked(uint64_t id);
   bool runOverlapsLocked(const Vm &vm, uint64_t va, uint64_t size) const;
   // Latches the fault in the slot if `vm` still holds it.
   void latchFault(const Vm &vm, unsigned slot, const FaultInfo &fault);
   void faultUnhandled(Vm &vm, unsigned slot, const FaultInfo &fault);
   // Counts an access; true when it is the one chosen by injectFaultAt().
   bool injectedFaultFires();
   AccessResult injectedFault(Vm &vm, unsigned slot, uint64_t va, AccessKind kind);

   mutable std::mutex mutex_;
   std::condition_variable runEnded_;
   AddressSpaceSlots slots_;
   std::vector<InFlightRun> inFlight_;
   uint64_t nextRunId_ = 1;
   unsigned invalidationsWaiting_ = 0;
   MmuCounters counters_;
   uint64_t injectCountdown_ = 0; // guarded by mutex_; 0 = off
};

} // namespace pan::mock
