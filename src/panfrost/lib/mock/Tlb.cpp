#include "mock/Tlb.h"

namespace pan::mock {

namespace {

constexpr uint64_t kPageSize = PhysicalMemory::kPageSize;
constexpr uint64_t kBlockSize = PhysicalMemory::kBlockSize;
constexpr unsigned kBlockLevel = 2;
constexpr unsigned kPageLevel = 3;

} // namespace

std::optional<Translation>
Tlb::lookup(uint64_t va) const
{
   const auto found = [va](const Map &map, uint64_t leafSize,
                           unsigned level) -> std::optional<Translation> {
      auto it = map.find(va & ~(leafSize - 1));
      if (it == map.end())
         return std::nullopt;
      Translation translation;
      translation.phys = it->second.leafPhys + (va & (leafSize - 1));
      translation.attrs = it->second.attrs;
      translation.level = level;
      translation.leafSize = leafSize;
      return translation;
   };
   if (auto page = found(pages_, kPageSize, kPageLevel))
      return page;
   return found(blocks_, kBlockSize, kBlockLevel);
}

void
Tlb::insert(uint64_t va, const Translation &translation)
{
   const bool block = translation.leafSize == kBlockSize;
   Map &map = block ? blocks_ : pages_;
   const uint64_t leafSize = block ? kBlockSize : kPageSize;
   if (size() >= kCapacity) {
      Map &victims = pages_.size() >= blocks_.size() ? pages_ : blocks_;
      victims.erase(victims.begin());
   }
   map[va & ~(leafSize - 1)] =
      Entry{translation.phys & ~(leafSize - 1), translation.attrs};
}

uint64_t
Tlb::invalidateIn(Map &map, uint64_t leafSize, uint64_t va, uint64_t size)
{
   if (map.empty() || size == 0)
      return 0;
   const uint64_t first = va & ~(leafSize - 1);
   // Saturate: a range reaching the top of the address space covers the rest.
   const uint64_t end = va + size < va ? UINT64_MAX : va + size;
   const uint64_t span = end - first;
   const uint64_t leaves = span / leafSize + (span % leafSize != 0);
   uint64_t dropped = 0;
   if (leaves > map.size()) {
      // A huge range (unmapping a sparse resource): walk the cache, not the range.
      for (auto it = map.begin(); it != map.end();) {
         if (it->first + leafSize > va && it->first < end) {
            it = map.erase(it);
            dropped++;
         } else {
            ++it;
         }
      }
      return dropped;
   }
   for (uint64_t i = 0; i < leaves; i++)
      dropped += map.erase(first + i * leafSize);
   return dropped;
}

uint64_t
Tlb::invalidate(uint64_t va, uint64_t size)
{
   return invalidateIn(pages_, kPageSize, va, size) + invalidateIn(blocks_, kBlockSize, va, size);
}

void
Tlb::flush()
{
   pages_.clear();
   blocks_.clear();
}

} // namespace pan::mock
