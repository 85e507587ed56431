// The mock GPU's system memory: one memfd-backed arena mapped once into the
// process (the "direct map"), handed out by a buddy allocator in blocks of
// 2^order pages (order 0 = 4 KiB ... order 9 = 2 MiB).
//
// A physical address is the host address of the page in the direct map, so the
// page tables can hold it as their output address and a page walk ends at the
// real byte. The memfd lets other mappings (user mmap of a BO, the drm-shim)
// share the very same pages.
#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <set>

namespace pan::mock {

// Who asks for memory: failure injection and counters are per site.
enum class AllocSite : unsigned { BoPages, PageTablePages, FaultPages, Count };

struct AllocSiteCounters {
   uint64_t allocations = 0;     // successful allocate() calls
   uint64_t failures = 0;        // allocate() calls that returned nullopt
   uint64_t pagesInUse = 0;      // 4 KiB pages currently held by this site
};

class PhysicalMemory {
public:
   static constexpr uint64_t kPageSize = 4096;
   static constexpr unsigned kMaxOrder = 9; // 2 MiB
   static constexpr uint64_t kBlockSize = kPageSize << kMaxOrder;

   // budgetBytes is rounded up to 2 MiB. Creation of the memfd or the mapping
   // failing is reported through valid() (no exceptions across the mock).
   explicit PhysicalMemory(uint64_t budgetBytes);
   ~PhysicalMemory();
   PhysicalMemory(const PhysicalMemory &) = delete;
   PhysicalMemory &operator=(const PhysicalMemory &) = delete;

   bool valid() const { return base_ != nullptr; }

   // 2^order contiguous pages, aligned to their size, reading as zero.
   // nullopt when the budget has no such block or an injected failure fires.
   std::optional<uint64_t> allocate(unsigned order, AllocSite site);
   // Gives a block back. `dirty` = it may have been written: its pages are
   // zeroed (so the next owner reads zero) and, for large blocks, handed back to
   // the host.
   void free(uint64_t phys, unsigned order, AllocSite site, bool dirty = true);

   // Translation helpers: phys addresses are direct-map host addresses.
   uint8_t *hostPointer(uint64_t phys) const { return reinterpret_cast<uint8_t *>(phys); }
   bool contains(uint64_t phys) const;
   int memfd() const { return memfd_; }
   uint64_t memfdOffset(uint64_t phys) const { return phys - reinterpret_cast<uint64_t>(base_); }

   uint64_t budgetBytes() const { return size_; }
   uint64_t freeBytes() const;
   AllocSiteCounters counters(AllocSite site) const;

   // Failure injection for one site: fail the nth allocation from now
   // (1 = the next), or each one with probability p (seeded, reproducible).
   void failNth(AllocSite site, uint64_t n);
   void failWithProbability(AllocSite site, double p, uint64_t seed);
   void clearFailures();

private:
   struct Injection {
      uint64_t countdown = 0; // 0 = off
      double probability = 0.0;
      std::mt19937_64 rng;
   };

   bool injectedFailureLocked(AllocSite site);
   void insertFreeLocked(uint64_t offset, unsigned order);

   mutable std::mutex mutex_;
   int memfd_ = -1;
   uint8_t *base_ = nullptr;
   uint64_t size_ = 0;
   uint64_t freeBytes_ = 0;
   // Free blocks per order, as offsets from base_ (ordered: lowest address first,
   // so allocation is deterministic).
   std::array<std::set<uint64_t>, kMaxOrder + 1> freeLists_;
   std::array<AllocSiteCounters, static_cast<size_t>(AllocSite::Count)> counters_{};
   std::array<Injection, static_cast<size_t>(AllocSite::Count)> injections_{};
};

} // namespace pan::mock
