// The translation cache of one address-space slot: leaf translations (4 KiB
// pages and 2 MiB blocks) that the MMU walked, so that later accesses skip the
// walk. Only successful translations are cached, never faults, so mapping into
// a hole needs no invalidation; anything that changes or removes a leaf must
// invalidate its range before the page it pointed to is reused.
//
// Not internally locked: the Mmu serialises every call.
#pragma once

#include <cstdint>
#include <optional>
#include <unordered_map>

#include "mock/PageTable.h"

namespace pan::mock {

class Tlb {
public:
   // Entries kept per slot; one more evicts an arbitrary one.
   static constexpr size_t kCapacity = 1024;

   // The cached translation of `va` (phys of that byte, attributes, level).
   std::optional<Translation> lookup(uint64_t va) const;
   void insert(uint64_t va, const Translation &translation);
   // Drops every entry whose leaf overlaps [va, va + size); returns how many.
   uint64_t invalidate(uint64_t va, uint64_t size);
   void flush();
   size_t size() const { return pages_.size() + blocks_.size(); }

private:
   struct Entry {
      uint64_t leafPhys = 0; // physical address of the leaf's first byte
      PteAttrs attrs;
   };
   using Map = std::unordered_map<uint64_t, Entry>; // key: VA of the leaf's first byte

   static uint64_t invalidateIn(Map &map, uint64_t leafSize, uint64_t va, uint64_t size);

   Map pages_;  // 4 KiB leaves (level 3)
   Map blocks_; // 2 MiB leaves (level 2)
};

} // namespace pan::mock
