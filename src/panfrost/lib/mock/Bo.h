// A GEM object of the mock: its size, creation flags and physical pages.
//
// Ordinary BOs get all their pages at creation, in the largest naturally
// aligned blocks the allocator has (2 MiB blocks at 2 MiB-aligned offsets), so a
// map of an aligned range can use 2 MiB page-table blocks. The kernel allocates
// shmem pages lazily and pins them at first map; the mock allocates earlier so
// that running out of memory is ENOMEM on BO_CREATE, where user space can handle
// it, rather than a failure inside a bind.
//
// Alloc-on-fault BOs (1.10) get no pages at creation: each granularity-aligned
// chunk is populated on the first GPU fault inside it, with an allocation that
// may fail, and then stays with the BO until it is freed.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "mock/PageTable.h"
#include "mock/PhysicalMemory.h"

namespace pan::mock {

class Bo {
public:
   struct CreateInfo {
      uint64_t size = 0;          // already rounded to the page size
      uint32_t flags = 0;         // DRM_PANTHOR_BO_*
      uint32_t exclusiveVmId = 0; // 0 = shareable
      uint64_t granularity = 0;   // alloc-on-fault chunk size, else 0
   };

   // -ENOMEM if the pages cannot be had (nothing kept).
   static int create(PhysicalMemory &memory, const CreateInfo &info, std::shared_ptr<Bo> *out);
   ~Bo();
   Bo(const Bo &) = delete;
   Bo &operator=(const Bo &) = delete;

   uint64_t size() const { return size_; }
   uint32_t flags() const { return flags_; }
   uint32_t exclusiveVmId() const { return exclusiveVmId_; }
   bool allocOnFault() const { return granularity_ != 0; }
   uint64_t granularity() const { return granularity_; }

   // What backs `offset`: the physical address and the contiguous bytes from
   // there, or a hole (phys 0) up to the next populated chunk.
   Backing backingAt(uint64_t offset) const;
   // Alloc-on-fault: populates the chunk holding `offset` (AllocSite::FaultPages).
   // true if it is populated afterwards.
   bool populateChunk(uint64_t offset);
   uint64_t residentBytes() const;

   std::string label() const;
   void setLabel(std::string label);

   // The fake offset user space passes to mmap (assigned by the device once).
   uint64_t mmapOffset() const { return mmapOffset_; }
   void setMmapOffset(uint64_t offset) { mmapOffset_ = offset; }
   bool imported() const { return imported_; }
   void setImported() { imported_ = true; }

private:
   struct Extent {
      uint64_t phys;
      unsigned order;
      uint64_t bytes() const { return PhysicalMemory::kPageSize << order; }
   };

   Bo(PhysicalMemory &memory, const CreateInfo &info);
   // Fills [offset, offset + size) with blocks; false on failure (the caller frees).
   bool allocateRangeLocked(uint64_t offset, uint64_t size, AllocSite site);

   PhysicalMemory &memory_;
   const uint64_t size_;
   const uint32_t flags_;
   const uint32_t exclusiveVmId_;
   const uint64_t granularity_;
   uint64_t mmapOffset_ = 0;
   bool imported_ = false;

   mutable std::mutex mutex_;
   std::map<uint64_t, Extent> extents_; // key: BO offset of the extent
   uint64_t residentBytes_ = 0;
   std::string label_;
};

} // namespace pan::mock
