#include "mock/AddressSpaceSlots.h"

namespace pan::mock {

std::optional<unsigned>
AddressSpaceSlots::find(const Vm &vm) const
{
   for (unsigned i = 0; i < slots_.size(); i++) {
      if (slots_[i].vm == &vm)
         return i;
   }
   return std::nullopt;
}

void
AddressSpaceSlots::reset(AddressSpace &slot, const Vm *vm)
{
   slot.vm = vm;
   slot.enabled = vm != nullptr;
   slot.generation++;
   slot.faultStatus = 0;
   slot.faultAddress = 0;
   slot.tlb.flush();
}

AddressSpaceSlots::Binding
AddressSpaceSlots::bind(const Vm &vm)
{
   Binding binding;
   if (std::optional<unsigned> held = find(vm)) {
      binding.slot = *held;
      if (!slots_[*held].enabled) {
         reset(slots_[*held], &vm); // re-enabled, as the kernel does for the next job
         binding.bound = true;
      }
      touch(*held);
      return binding;
   }
   unsigned victim = 0;
   for (unsigned i = 0; i < slots_.size(); i++) {
      if (!slots_[i].vm) {
         victim = i;
         break;
      }
      if (slots_[i].lastUse < slots_[victim].lastUse)
         victim = i;
   }
   binding.slot = victim;
   binding.bound = true;
   binding.evicted = slots_[victim].vm != nullptr;
   reset(slots_[victim], &vm);
   touch(victim);
   return binding;
}

bool
AddressSpaceSlots::release(const Vm &vm)
{
   std::optional<unsigned> held = find(vm);
   if (!held)
      return false;
   reset(slots_[*held], nullptr);
   return true;
}

void
AddressSpaceSlots::disable(unsigned slot)
{
   slots_[slot].enabled = false;
   flush(slot);
}

void
AddressSpaceSlots::flush(unsigned slot)
{
   slots_[slot].generation++;
   slots_[slot].tlb.flush();
}

} // namespace pan::mock
