#include "VaAllocator.h"

#include <algorithm>

namespace panvk {

VaAllocator::VaAllocator(uint64_t start, uint64_t end) : start_(start), end_(end)
{
   if (end > start)
      free_.emplace(start, end - start);
}

uint64_t
VaAllocator::allocate(uint64_t size, uint64_t alignment)
{
   if (!size || !alignment || (alignment & (alignment - 1)))
      return 0;
   std::lock_guard lock(mutex_);
   for (auto it = free_.begin(); it != free_.end(); ++it) {
      const uint64_t start = it->first, length = it->second;
      const uint64_t aligned = (start + alignment - 1) & ~(alignment - 1);
      if (aligned < start || aligned - start >= length || length - (aligned - start) < size)
         continue;
      // Split the free range into what is left before and after.
      free_.erase(it);
      if (aligned > start)
         free_.emplace(start, aligned - start);
      const uint64_t end = aligned + size, rangeEnd = start + length;
      if (end < rangeEnd)
         free_.emplace(end, rangeEnd - end);
      return aligned;
   }
   return 0;
}

void
VaAllocator::free(uint64_t va, uint64_t size)
{
   if (!va || !size)
      return;
   std::lock_guard lock(mutex_);
   auto [it, inserted] = free_.emplace(va, size);
   if (!inserted)
      return; // a double free: ignore rather than corrupt the list
   // Merge with the neighbours.
   auto next = std::next(it);
   if (next != free_.end() && it->first + it->second == next->first) {
      it->second += next->second;
      free_.erase(next);
   }
   if (it != free_.begin()) {
      auto prev = std::prev(it);
      if (prev->first + prev->second == it->first) {
         prev->second += it->second;
         free_.erase(it);
      }
   }
}

uint64_t
VaAllocator::freeBytes() const
{
   std::lock_guard lock(mutex_);
   uint64_t total = 0;
   for (const auto &[start, size] : free_)
      total += size;
   return total;
}

uint64_t
VaAllocator::largestFreeRange() const
{
   std::lock_guard lock(mutex_);
   uint64_t largest = 0;
   for (const auto &[start, size] : free_)
      largest = std::max(largest, size);
   return largest;
}

} // namespace panvk
