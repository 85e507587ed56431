// The VM's mapping tree, in the manner of the kernel's drm_gpuvm: an ordered set
// of non-overlapping VA ranges, each backed by a BO at an offset with map flags.
//
// Split rules (what panthor's VM_BIND does, see ../shared/ABI.md):
// - removing [va, va + size) drops every mapping inside it; a mapping only partly
//   inside keeps its outside parts as a "prev" remainder (before va) and/or a
//   "next" remainder (after va + size), with the same BO and flags and the BO
//   offset moved by the distance from the original start;
// - a MAP is a remove followed by an insert;
// - adjacent mappings are never merged, even when VA, BO and offset line up.
//
// Cyclic mappings (the sparse dummy BO) give a remainder the offset
// (offset + delta) mod cycle, so it stays "va mod cycle".
//
// Not internally locked: the owning VM serialises every call.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <vector>

namespace pan::mock {

class Bo;

struct Mapping {
   uint64_t va = 0;
   uint64_t size = 0;
   std::shared_ptr<Bo> bo;   // a mapping holds its BO alive, as gpuvm holds a GEM ref
   uint64_t boOffset = 0;
   uint32_t flags = 0;       // DRM_PANTHOR_VM_BIND_OP_MAP_* bits
   uint64_t cycle = 0;       // 0: linear; else BO offsets wrap at this size

   uint64_t end() const { return va + size; }
   // BO offset backing `addr` (va <= addr < end()).
   uint64_t boOffsetAt(uint64_t addr) const;
};

// What remove() did, so the caller can update page tables and counters.
struct RemoveResult {
   std::vector<Mapping> removed; // the parts that were inside the range, VA order
   bool prevRemainder = false;   // a mapping was cut and kept its part before va
   bool nextRemainder = false;   // a mapping was cut and kept its part after va + size
};

class MappingTree {
public:
   RemoveResult remove(uint64_t va, uint64_t size);
   // false (and no change) if [m.va, m.end()) overlaps a mapping or m.size == 0.
   bool insert(Mapping m);

   const Mapping *find(uint64_t va) const; // the mapping containing va, or null
   std::vector<Mapping> overlapping(uint64_t va, uint64_t size) const;
   void forEach(const std::function<void(const Mapping &)> &fn) const; // VA order

   size_t count() const { return byStart_.size(); }
   bool empty() const { return byStart_.empty(); }
   void clear() { byStart_.clear(); }

private:
   std::map<uint64_t, Mapping> byStart_; // key: Mapping::va
};

} // namespace pan::mock
