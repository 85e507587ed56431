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

#include "mock/BindQueue.h"
#include "mock/Fault.h"
#include "mock/MappingTree.h"
#include "mock/PageTable.h"

namespace pan::mock {

class Bo;
class Vm;

// The GPU MMU, as a VM sees it: told what it must forget. A VM calls these
// with its own lock held, so an implementation must never call back into a VM
// while holding a lock of its own.
class VmObserver {
public:
   virtual ~VmObserver() = default;
   // Page-table entries in [va, va + size) changed or went: cached translations
   // of them must not be used again. Called before the pages they pointed to
   // can be freed.
   virtual void invalidateRange(const Vm &vm, uint64_t va, uint64_t size) = 0;
   virtual void vmDestroyed(const Vm &vm) = 0;
};

struct VmCounters {
   uint64_t opsApplied = 0;     // map and unmap operations that changed the VM
   uint64_t tablePages = 0;     // page-table pages held now, root included
   uint64_t entriesWritten = 0; // leaf descriptors written, ever
   uint64_t bindJobsRun = 0;    // async VM_BIND jobs that ran
};

// What the MMU's walk of one address found: a translation, or the level of
// the table whose descriptor was invalid (for FAULTSTATUS).
struct MmuWalk {
   std::optional<Translation> translation;
   unsigned faultLevel = 0;
};

class Vm {
public:
   // The sparse dummy is 2 MiB and repeats along the VA: offset = va mod 2 MiB.
   static constexpr uint64_t kDummySize = 2ull << 20;

   Vm(PhysicalMemory &memory, uint32_t id, unsigned vaBits, uint64_t userVaRange,
      VmObserver *observer = nullptr);
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

   // Queues an async VM_BIND job on this VM's bind queue (started on first use).
   void queueBindJob(BindQueue::Job job);

   std::optional<Translation> translate(uint64_t va) const;
   // Changes to the page tables so far; a translation read at generation G is
   // stale once generation() != G (what a TLB fill must check).
   uint64_t generation() const;
   std::optional<Mapping> mappingAt(uint64_t va) const;
   void forEachMapping(const std::function<void(const Mapping &)> &fn) const;
   size_t mappingCount() const;
   VmCounters counters() const;

   // The GPU side (VmFault.cpp). walkForMmu: the MMU's page walk. handleFault:
   // the kernel's fault handler; 0 if the access may be retried (an
   // alloc-on-fault chunk was populated and mapped, or the address became
   // accessible meanwhile), else -errno and the fault is unhandled.
   // Unhandled faults are sticky on the VM (groups on it become FATAL_FAULT);
   // the VM stays usable.
   MmuWalk walkForMmu(uint64_t va) const;
   int handleFault(uint64_t va, AccessKind kind);
   void recordUnhandledFault(const FaultInfo &fault);
   bool hasUnhandledFault() const;
   std::optional<FaultInfo> lastUnhandledFault() const;

private:
   int replaceLocked(Mapping mapping, const BackingResolver *resolver);

   PhysicalMemory &memory_;
   const uint32_t id_;
   const uint64_t userVaRange_;
   mutable std::mutex mutex_;
   bool unusable_ = false;
   MappingTree mappings_;
   PageTable pageTable_;
   VmObserver *observer_;
   uint64_t opsApplied_ = 0;
   uint64_t generation_ = 0;
   std::optional<FaultInfo> lastUnhandledFault_;
   std::unique_ptr<BindQueue> bindQueue_; // guarded by mutex_ until set
};

PteAttrs pteAttrsFromBindFlags(uint32_t flags);

} // namespace pan::mock
