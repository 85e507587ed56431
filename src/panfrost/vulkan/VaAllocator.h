// The device's GPU virtual-address allocator: every allocation and every
// resource gets its VA range here (first fit, lowest address first, with
// alignment). Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>

namespace panvk {

// The device VA space starts above the lowest 4 GiB, so a small integer never
// looks like a valid GPU address.
constexpr uint64_t kDeviceVaStart = 1ull << 32;

class VaAllocator {
public:
   // Hands out [start, end); both page aligned.
   VaAllocator(uint64_t start, uint64_t end);

   // 0 when no free range of that size and alignment is left.
   uint64_t allocate(uint64_t size, uint64_t alignment);
   void free(uint64_t va, uint64_t size);

   uint64_t totalSize() const { return end_ - start_; }
   uint64_t freeBytes() const;
   // The largest range allocate() could still give (with 4 KiB alignment).
   uint64_t largestFreeRange() const;

private:
   const uint64_t start_, end_;
   mutable std::mutex mutex_;
   std::map<uint64_t, uint64_t> free_; // start -> size, never adjacent (merged)
};

} // namespace panvk
