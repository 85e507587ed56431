#include "mock/PhysicalMemory.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmath>
#include <cstring>

namespace pan::mock {

namespace {

// Below this, zeroing with memset is cheaper than a syscall and keeps the pages.
constexpr uint64_t kPunchHoleThreshold = 64 * 1024;

uint64_t orderBytes(unsigned order)
{
   return PhysicalMemory::kPageSize << order;
}

size_t siteIndex(AllocSite site)
{
   return static_cast<size_t>(site);
}

bool validSite(AllocSite site)
{
   return siteIndex(site) < siteIndex(AllocSite::Count);
}

// Maps the memfd at a kBlockSize-aligned address, so the buddy allocator's
// alignment holds in host VA (and in the page tables' output addresses).
uint8_t *mapAligned(int fd, uint64_t size)
{
   const uint64_t reserveSize = size + PhysicalMemory::kBlockSize;
   void *reserve = mmap(nullptr, reserveSize, PROT_NONE,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
   if (reserve == MAP_FAILED)
      return nullptr;

   const uint64_t reserveStart = reinterpret_cast<uint64_t>(reserve);
   const uint64_t alignedStart =
      (reserveStart + PhysicalMemory::kBlockSize - 1) & ~(PhysicalMemory::kBlockSize - 1);
   void *arena = mmap(reinterpret_cast<void *>(alignedStart), size, PROT_READ | PROT_WRITE,
                      MAP_SHARED | MAP_FIXED, fd, 0);
   if (arena == MAP_FAILED) {
      munmap(reserve, reserveSize);
      return nullptr;
   }

   const uint64_t head = alignedStart - reserveStart;
   const uint64_t tail = reserveSize - head - size;
   if (head)
      munmap(reserve, head);
   if (tail)
      munmap(reinterpret_cast<void *>(alignedStart + size), tail);
   return static_cast<uint8_t *>(arena);
}

} // namespace

PhysicalMemory::PhysicalMemory(uint64_t budgetBytes)
{
   if (budgetBytes == 0 || budgetBytes > (1ull << 46))
      return;
   const uint64_t size = (budgetBytes + kBlockSize - 1) & ~(kBlockSize - 1);

   const int fd = memfd_create("panthor-mock-memory", MFD_CLOEXEC);
   if (fd < 0)
      return;
   uint8_t *base = nullptr;
   if (ftruncate(fd, static_cast<off_t>(size)) == 0)
      base = mapAligned(fd, size);
   if (!base) {
      close(fd);
      return;
   }

   try {
      for (uint64_t offset = 0; offset < size; offset += kBlockSize)
         freeLists_[kMaxOrder].insert(freeLists_[kMaxOrder].end(), offset);
   } catch (...) {
      freeLists_[kMaxOrder].clear();
      munmap(base, size);
      close(fd);
      return;
   }

   memfd_ = fd;
   base_ = base;
   size_ = size;
   freeBytes_ = size;
}

PhysicalMemory::~PhysicalMemory()
{
   if (base_)
      munmap(base_, size_);
   if (memfd_ >= 0)
      close(memfd_);
}

bool PhysicalMemory::contains(uint64_t phys) const
{
   const uint64_t start = reinterpret_cast<uint64_t>(base_);
   return base_ && phys >= start && phys - start < size_;
}

bool PhysicalMemory::injectedFailureLocked(AllocSite site)
{
   Injection &injection = injections_[siteIndex(site)];
   if (injection.countdown && --injection.countdown == 0)
      return true;
   if (injection.probability > 0.0) {
      // 53 random bits as a double in [0, 1): the same sequence on every
      // standard library, unlike std::uniform_real_distribution.
      const double draw = static_cast<double>(injection.rng() >> 11) * 0x1.0p-53;
      return draw < injection.probability;
   }
   return false;
}

std::optional<uint64_t> PhysicalMemory::allocate(unsigned order, AllocSite site)
{
   if (!validSite(site))
      return std::nullopt;
   std::lock_guard lock(mutex_);
   AllocSiteCounters &counters = counters_[siteIndex(site)];

   if (!valid() || order > kMaxOrder || injectedFailureLocked(site)) {
      counters.failures++;
      return std::nullopt;
   }

   unsigned found = order;
   while (found <= kMaxOrder && freeLists_[found].empty())
      found++;
   if (found > kMaxOrder) {
      counters.failures++;
      return std::nullopt;
   }

   const uint64_t offset = *freeLists_[found].begin();
   try {
      // Split down: the upper halves go back as free blocks of each lower order.
      // Inserting before erasing keeps the lists consistent if an insert throws.
      for (unsigned split = found; split > order; split--)
         freeLists_[split - 1].insert(offset + orderBytes(split - 1));
   } catch (...) {
      for (unsigned split = found; split > order; split--)
         freeLists_[split - 1].erase(offset + orderBytes(split - 1));
      counters.failures++;
      return std::nullopt;
   }
   freeLists_[found].erase(offset);

   freeBytes_ -= orderBytes(order);
   counters.allocations++;
   counters.pagesInUse += 1ull << order;
   return reinterpret_cast<uint64_t>(base_) + offset;
}

void PhysicalMemory::insertFreeLocked(uint64_t offset, unsigned order)
{
   while (order < kMaxOrder) {
      const uint64_t buddy = offset ^ orderBytes(order);
      auto it = freeLists_[order].find(buddy);
      if (it == freeLists_[order].end())
         break;
      freeLists_[order].erase(it);
      offset &= ~orderBytes(order);
      order++;
   }
   freeLists_[order].insert(offset);
}

void PhysicalMemory::free(uint64_t phys, unsigned order, AllocSite site, bool dirty)
{
   if (!validSite(site) || order > kMaxOrder || !contains(phys))
      return;
   const uint64_t bytes = orderBytes(order);
   const uint64_t offset = memfdOffset(phys);
   if ((offset & (bytes - 1)) || offset + bytes > size_)
      return;

   std::lock_guard lock(mutex_);
   // Refuse a block that overlaps free memory (a double free, or a wrong order):
   // accepting it would corrupt the free lists and hand pages out twice.
   for (unsigned o = 0; o <= kMaxOrder; o++) {
      const std::set<uint64_t> &list = freeLists_[o];
      if (o >= order) {
         if (list.count(offset & ~(orderBytes(o) - 1)))
            return;
      } else {
         auto it = list.lower_bound(offset);
         if (it != list.end() && *it < offset + bytes)
            return;
      }
   }

   if (dirty) {
      bool zeroed = false;
      if (bytes >= kPunchHoleThreshold)
         zeroed = fallocate(memfd_, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
                            static_cast<off_t>(offset), static_cast<off_t>(bytes)) == 0;
      if (!zeroed)
         std::memset(base_ + offset, 0, bytes);
   }

   try {
      insertFreeLocked(offset, order);
   } catch (...) {
      // Out of memory for a set node: the block is lost to the allocator, but
      // the lists stay consistent.
      return;
   }
   freeBytes_ += bytes;
   AllocSiteCounters &counters = counters_[siteIndex(site)];
   const uint64_t pages = 1ull << order;
   counters.pagesInUse = counters.pagesInUse > pages ? counters.pagesInUse - pages : 0;
}

uint64_t PhysicalMemory::freeBytes() const
{
   std::lock_guard lock(mutex_);
   return freeBytes_;
}

AllocSiteCounters PhysicalMemory::counters(AllocSite site) const
{
   if (!validSite(site))
      return {};
   std::lock_guard lock(mutex_);
   return counters_[siteIndex(site)];
}

void PhysicalMemory::failNth(AllocSite site, uint64_t n)
{
   if (!validSite(site))
      return;
   std::lock_guard lock(mutex_);
   injections_[siteIndex(site)].countdown = n;
}

void PhysicalMemory::failWithProbability(AllocSite site, double p, uint64_t seed)
{
   if (!validSite(site))
      return;
   std::lock_guard lock(mutex_);
   Injection &injection = injections_[siteIndex(site)];
   injection.probability = std::isnan(p) ? 0.0 : p;
   injection.rng.seed(seed);
}

void PhysicalMemory::clearFailures()
{
   std::lock_guard lock(mutex_);
   for (Injection &injection : injections_) {
      injection.countdown = 0;
      injection.probability = 0.0;
   }
}

} // namespace pan::mock
