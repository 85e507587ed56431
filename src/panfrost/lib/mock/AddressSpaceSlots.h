// The GPU's address-space slots (AS0..AS7 on the modelled Mali): each holds at
// most one VM, with its TLB and the fault registers the hardware latches.
//
// A VM gets a slot when the GPU first touches it: a free slot if there is one,
// else the least recently used slot is taken over (its TLB flushed), as
// panthor's LRU does. Unlike panthor, a slot whose VM is in the middle of an
// access can be taken too; that access simply binds again on its next page,
// so more VMs than slots always make progress.
//
// Not internally locked: the Mmu serialises every call.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "mock/Tlb.h"

namespace pan::mock {

class Vm;

struct AddressSpace {
   const Vm *vm = nullptr;
   // false after an unhandled fault: accesses through the slot fault until the
   // VM is bound again.
   bool enabled = false;
   // Bumped whenever translations cached or being walked for this slot may
   // have become stale (invalidation, flush, new owner, disable). A TLB fill
   // started at generation G is dropped if the slot is no longer at G.
   uint64_t generation = 0;
   uint64_t lastUse = 0;
   uint32_t faultStatus = 0;  // FAULTSTATUS of the last fault (0: none)
   uint64_t faultAddress = 0; // FAULTADDRESS of the last fault
   Tlb tlb;
};

class AddressSpaceSlots {
public:
   struct Binding {
      unsigned slot = 0;
      bool bound = false;   // the VM was not active in a slot and now is
      bool evicted = false; // another VM lost the slot for it
   };

   explicit AddressSpaceSlots(unsigned count) : slots_(count) {}

   // The slot of `vm`, binding it first if it has none or its slot is
   // disabled (which resets the slot: fault registers cleared, TLB flushed).
   Binding bind(const Vm &vm);
   std::optional<unsigned> find(const Vm &vm) const;
   // Frees the slot of `vm`, if any; true if there was one.
   bool release(const Vm &vm);
   void touch(unsigned slot) { slots_[slot].lastUse = ++clock_; }
   // Stops the slot serving accesses and forgets its translations.
   void disable(unsigned slot);
   // Drops every cached translation of the slot; ongoing fills are refused.
   void flush(unsigned slot);

   AddressSpace &at(unsigned slot) { return slots_[slot]; }
   const AddressSpace &at(unsigned slot) const { return slots_[slot]; }
   unsigned count() const { return unsigned(slots_.size()); }

private:
   void reset(AddressSpace &slot, const Vm *vm);

   std::vector<AddressSpace> slots_;
   uint64_t clock_ = 0;
};

} // namespace pan::mock
