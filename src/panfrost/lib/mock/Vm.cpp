#include "mock/Vm.h"

#include <cerrno>

#include "drm-uapi/panthor_drm.h"
#include "mock/Bo.h"

namespace pan::mock {

PteAttrs
pteAttrsFromBindFlags(uint32_t flags)
{
   return PteAttrs{
      .readOnly = (flags & DRM_PANTHOR_VM_BIND_OP_MAP_READONLY) != 0,
      .noExec = (flags & DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC) != 0,
      .uncached = (flags & DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED) != 0,
   };
}

Vm::Vm(PhysicalMemory &memory, uint32_t id, unsigned vaBits, uint64_t userVaRange,
       VmObserver *observer)
   : memory_(memory), id_(id), userVaRange_(userVaRange), pageTable_(memory, vaBits),
     observer_(observer)
{
}

// The MMU lets go of the address space first. Then members go in reverse
// order: the page tables, then the mappings and their BO references, so no
// table ever points at a freed page.
Vm::~Vm()
{
   // Jobs call into this VM: the queue stops (and its worker ends) first.
   bindQueue_.reset();
   if (observer_)
      observer_->vmDestroyed(*this);
}

bool
Vm::unusable() const
{
   std::lock_guard lock(mutex_);
   return unusable_;
}

void
Vm::markUnusable()
{
   std::lock_guard lock(mutex_);
   unusable_ = true;
}

int
Vm::replaceLocked(Mapping mapping, const BackingResolver *resolver)
{
   const uint64_t va = mapping.va, size = mapping.size;
   TablePagePool pool(memory_);
   if (!pool.reserve(pageTable_.worstCaseTablePages(va, size, resolver)))
      return -ENOMEM;

   // The removed mappings (and so their BO references) live until the page
   // tables no longer point at their pages.
   RemoveResult removed = mappings_.remove(va, size);
   pageTable_.unmap(va, size, pool);
   generation_++;
   if (observer_)
      observer_->invalidateRange(*this, va, size);
   if (resolver) {
      pageTable_.map(va, size, *resolver, pteAttrsFromBindFlags(mapping.flags), pool);
      mappings_.insert(std::move(mapping));
   }
   opsApplied_++;
   return 0;
}

int
Vm::map(std::shared_ptr<Bo> bo, uint64_t boOffset, uint64_t va, uint64_t size, uint32_t flags)
{
   const Bo *raw = bo.get();
   BackingResolver resolver = [raw, boOffset](uint64_t offset) {
      return raw->backingAt(boOffset + offset);
   };
   std::lock_guard lock(mutex_);
   return replaceLocked(Mapping{va, size, std::move(bo), boOffset, flags, 0}, &resolver);
}

int
Vm::mapSparse(std::shared_ptr<Bo> dummy, uint64_t va, uint64_t size, uint32_t flags)
{
   const Bo *raw = dummy.get();
   BackingResolver resolver = [raw, va](uint64_t offset) {
      const uint64_t dummyOffset = (va + offset) % kDummySize;
      Backing backing = raw->backingAt(dummyOffset);
      backing.contiguous = std::min(backing.contiguous, kDummySize - dummyOffset);
      return backing;
   };
   std::lock_guard lock(mutex_);
   return replaceLocked(Mapping{va, size, std::move(dummy), va % kDummySize, flags, kDummySize},
                        &resolver);
}

int
Vm::unmap(uint64_t va, uint64_t size)
{
   std::lock_guard lock(mutex_);
   return replaceLocked(Mapping{va, size, nullptr, 0, 0, 0}, nullptr);
}

void
Vm::queueBindJob(BindQueue::Job job)
{
   BindQueue *queue;
   {
      std::lock_guard lock(mutex_);
      if (!bindQueue_)
         bindQueue_ = std::make_unique<BindQueue>();
      queue = bindQueue_.get();
   }
   queue->push(std::move(job));
}

std::optional<Translation>
Vm::translate(uint64_t va) const
{
   std::lock_guard lock(mutex_);
   return pageTable_.walk(va);
}

uint64_t
Vm::generation() const
{
   std::lock_guard lock(mutex_);
   return generation_;
}

std::optional<Mapping>
Vm::mappingAt(uint64_t va) const
{
   std::lock_guard lock(mutex_);
   const Mapping *m = mappings_.find(va);
   return m ? std::optional<Mapping>(*m) : std::nullopt;
}

void
Vm::forEachMapping(const std::function<void(const Mapping &)> &fn) const
{
   std::lock_guard lock(mutex_);
   mappings_.forEach(fn);
}

size_t
Vm::mappingCount() const
{
   std::lock_guard lock(mutex_);
   return mappings_.count();
}

VmCounters
Vm::counters() const
{
   std::lock_guard lock(mutex_);
   return VmCounters{opsApplied_, pageTable_.tablePages(), pageTable_.entriesWritten(),
                     bindQueue_ ? bindQueue_->jobsRun() : 0};
}

} // namespace pan::mock
