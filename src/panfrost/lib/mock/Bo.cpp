#include "mock/Bo.h"

#include <bit>
#include <cerrno>

namespace pan::mock {

Bo::Bo(PhysicalMemory &memory, const CreateInfo &info)
   : memory_(memory), size_(info.size), flags_(info.flags), exclusiveVmId_(info.exclusiveVmId),
     granularity_(info.granularity)
{
}

int
Bo::create(PhysicalMemory &memory, const CreateInfo &info, std::shared_ptr<Bo> *out)
{
   std::shared_ptr<Bo> bo(new Bo(memory, info));
   if (!bo->allocOnFault()) {
      std::lock_guard lock(bo->mutex_);
      if (!bo->allocateRangeLocked(0, info.size, AllocSite::BoPages))
         return -ENOMEM; // the destructor gives back what was taken
   }
   *out = std::move(bo);
   return 0;
}

Bo::~Bo()
{
   const AllocSite site = allocOnFault() ? AllocSite::FaultPages : AllocSite::BoPages;
   for (const auto &[offset, extent] : extents_)
      memory_.free(extent.phys, extent.order, site);
}

bool
Bo::allocateRangeLocked(uint64_t offset, uint64_t size, AllocSite site)
{
   const uint64_t end = offset + size;
   while (offset < end) {
      // The largest block that is naturally aligned at this offset and fits.
      const uint64_t pagesLeft = (end - offset) / PhysicalMemory::kPageSize;
      const uint64_t alignPages = offset ? (offset & -offset) / PhysicalMemory::kPageSize
                                         : uint64_t(1) << PhysicalMemory::kMaxOrder;
      unsigned order = std::min<unsigned>(PhysicalMemory::kMaxOrder,
                                          std::bit_width(std::min(pagesLeft, alignPages)) - 1);
      std::optional<uint64_t> phys;
      for (;;) {
         phys = memory_.allocate(order, site);
         if (phys || order == 0)
            break;
         order--; // fragmented: smaller blocks still back the range, without 2 MiB leaves
      }
      if (!phys)
         return false;
      extents_.emplace(offset, Extent{*phys, order});
      residentBytes_ += PhysicalMemory::kPageSize << order;
      offset += PhysicalMemory::kPageSize << order;
   }
   return true;
}

Backing
Bo::backingAt(uint64_t offset) const
{
   std::lock_guard lock(mutex_);
   auto next = extents_.upper_bound(offset);
   if (next != extents_.begin()) {
      auto it = std::prev(next);
      const uint64_t inside = offset - it->first;
      if (inside < it->second.bytes())
         return Backing{it->second.phys + inside, it->second.bytes() - inside};
   }
   const uint64_t holeEnd = next == extents_.end() ? size_ : next->first;
   return Backing{0, holeEnd - offset};
}

bool
Bo::populateChunk(uint64_t offset)
{
   if (!allocOnFault() || offset >= size_)
      return false;
   std::lock_guard lock(mutex_);
   const uint64_t start = offset & ~(granularity_ - 1);
   if (extents_.count(start))
      return true; // another fault got here first
   const uint64_t size = std::min(granularity_, size_ - start);
   if (allocateRangeLocked(start, size, AllocSite::FaultPages))
      return true;
   // All or nothing: give back the part of the chunk that was taken.
   for (auto it = extents_.lower_bound(start); it != extents_.end() && it->first < start + size;) {
      memory_.free(it->second.phys, it->second.order, AllocSite::FaultPages, false);
      residentBytes_ -= it->second.bytes();
      it = extents_.erase(it);
   }
   return false;
}

uint64_t
Bo::residentBytes() const
{
   std::lock_guard lock(mutex_);
   return residentBytes_;
}

std::string
Bo::label() const
{
   std::lock_guard lock(mutex_);
   return label_;
}

void
Bo::setLabel(std::string label)
{
   std::lock_guard lock(mutex_);
   label_ = std::move(label);
}

} // namespace pan::mock
