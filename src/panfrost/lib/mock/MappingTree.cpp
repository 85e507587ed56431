#include "mock/MappingTree.h"

#include <algorithm>
#include <limits>

namespace pan::mock {

namespace {

constexpr uint64_t kMaxAddress = std::numeric_limits<uint64_t>::max();

// Last byte of [va, va + size) for size > 0. A range running past 2^64 is cut at
// the top of the address space, so callers that skipped validation still get a
// finite, well-defined walk.
uint64_t lastAddress(uint64_t va, uint64_t size)
{
   return size - 1 > kMaxAddress - va ? kMaxAddress : va + (size - 1);
}

} // namespace

uint64_t Mapping::boOffsetAt(uint64_t addr) const
{
   const uint64_t delta = addr - va;
   if (cycle == 0)
      return boOffset + delta;
   // Reduce both terms first so a large offset cannot overflow before the modulo.
   return (boOffset % cycle + delta % cycle) % cycle;
}

namespace {

// The first mapping that ends after `va`, i.e. the first one a range starting at
// `va` can touch. Mappings never overlap, so only the one starting at or before
// `va` can contain it.
template <typename MapT>
auto firstEndingAfter(MapT &byStart, uint64_t va)
{
   auto it = byStart.upper_bound(va);
   if (it != byStart.begin()) {
      auto before = std::prev(it);
      if (before->second.end() > va)
         return before;
   }
   return it;
}

} // namespace

RemoveResult MappingTree::remove(uint64_t va, uint64_t size)
{
   RemoveResult result;
   if (size == 0)
      return result;

   const uint64_t last = lastAddress(va, size);
   auto first = firstEndingAfter(byStart_, va);
   auto stop = first;
   while (stop != byStart_.end() && stop->first <= last)
      ++stop;
   if (first == stop)
      return result;

   // At most the first mapping leaves a prev remainder and the last one a next
   // remainder; they are re-inserted once the whole run is gone.
   std::vector<Mapping> remainders;
   for (auto it = first; it != stop; ++it) {
      const Mapping &m = it->second;
      const uint64_t mappingLast = m.end() - 1; // insert() keeps end() from wrapping

      if (m.va < va) {
         Mapping prev = m;
         prev.size = va - m.va;
         remainders.push_back(std::move(prev));
         result.prevRemainder = true;
      }

      const uint64_t insideStart = std::max(m.va, va);
      const uint64_t insideLast = std::min(mappingLast, last);
      Mapping inside = m;
      inside.va = insideStart;
      inside.size = insideLast - insideStart + 1;
      inside.boOffset = m.boOffsetAt(insideStart);
      result.removed.push_back(std::move(inside));

      if (mappingLast > last) {
         Mapping next = m;
         next.va = last + 1; // mappingLast > last, so this cannot wrap
         next.size = mappingLast - last;
         next.boOffset = m.boOffsetAt(next.va);
         remainders.push_back(std::move(next));
         result.nextRemainder = true;
      }
   }

   auto hint = byStart_.erase(first, stop);
   // Remainders are in VA order and all lie around the erased gap.
   for (auto it = remainders.rbegin(); it != remainders.rend(); ++it) {
      const uint64_t key = it->va;
      hint = byStart_.emplace_hint(hint, key, std::move(*it));
   }
   return result;
}

bool MappingTree::insert(Mapping m)
{
   // end() == 2^64 would read back as 0, so a mapping must end below the top.
   if (m.size == 0 || m.size > kMaxAddress - m.va)
      return false;

   auto after = byStart_.lower_bound(m.va);
   if (after != byStart_.end() && after->first < m.end())
      return false;
   if (after != byStart_.begin() && std::prev(after)->second.end() > m.va)
      return false;

   const uint64_t key = m.va;
   byStart_.emplace_hint(after, key, std::move(m));
   return true;
}

const Mapping *MappingTree::find(uint64_t va) const
{
   auto it = byStart_.upper_bound(va);
   if (it == byStart_.begin())
      return nullptr;
   --it;
   return it->second.end() > va ? &it->second : nullptr;
}

std::vector<Mapping> MappingTree::overlapping(uint64_t va, uint64_t size) const
{
   std::vector<Mapping> result;
   if (size == 0)
      return result;

   const uint64_t last = lastAddress(va, size);
   for (auto it = firstEndingAfter(byStart_, va);
        it != byStart_.end() && it->first <= last; ++it)
      result.push_back(it->second);
   return result;
}

void MappingTree::forEach(const std::function<void(const Mapping &)> &fn) const
{
   for (const auto &entry : byStart_)
      fn(entry.second);
}

} // namespace pan::mock
