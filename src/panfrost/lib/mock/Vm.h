// A GPU virtual address space of the mock: the mapping tree (what user space
// asked for) and the LPAE page tables (what the MMU walks), kept in step under
// one lock. Operations here are validated already (VmBind.cpp checks the ABI
// rules) and each one is all-or-nothing: the table pages it may need are
// reserved before anything changes.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

#include "mock/MappingTree.h"
#include "mock/PageTable.h"

namespace pan::mock {

class Bo;

struct VmCounters {
   uint64_t opsApplied = 0;     // map and unmap operations that changed the VM
   uint64_t tablePages = 0;     // page-table pages held now, root included
   uint64_t entriesWritten = 0; // leaf descriptors written, ever
};

class Vm {
public:
   // The sparse dummy is 2 MiB and repeats along the VA: offset = va mod 2 MiB.
   static constexpr uint64_t kDummySize = 2ull << 20;

   Vm(PhysicalMemory &memory, uint32_t id, unsigned vaBits, uint64_t userVaRange);
   ~Vm();

   bool valid() const { return pageTable_.valid(); }
   uint32_t id() const { return id_; }
   uint64_t userVaRange() const { return userVaRange_; }
   bool unusable() const;
   void markUnusable();

   // 0 or -ENOMEM (page-table pages); nothing changes on failure.
   int map(std::shared_ptr<Bo> bo, uint64_t boOffset, uint64_t va, uint64_t size, uint32_t flags);
   int mapSparse(std::shared_ptr<Bo> dummy, uint64_t va, uint64_t size, uint32_t flags);
   int unmap(uint64_t va, uint64_t size);

   std::optional<Translation> translate(uint64_t va) const;
   std::optional<Mapping> mappingAt(uint64_t va) const;
   void forEachMapping(const std::function<void(const Mapping &)> &fn) const;
   size_t mappingCount() const;
   VmCounters counters() const;

private:
   int replaceLocked(Mapping mapping, const BackingResolver *resolver);

   PhysicalMemory &memory_;
   const uint32_t id_;
   const uint64_t userVaRange_;
   mutable std::mutex mutex_;
   bool unusable_ = false;
   MappingTree mappings_;
   PageTable pageTable_;
   uint64_t opsApplied_ = 0;
};

PteAttrs pteAttrsFromBindFlags(uint32_t flags);

} // namespace pan::mock
