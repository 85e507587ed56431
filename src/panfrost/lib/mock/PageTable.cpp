#include "mock/PageTable.h"

#include <algorithm>

namespace pan::mock {

namespace {

constexpr unsigned kLeafLevel = 3;
constexpr unsigned kBlockLevel = 2;
constexpr unsigned kEntriesPerTable = 512;
constexpr unsigned kMaxVaBits = 48; // what four levels of a 4 KiB granule resolve
constexpr uint64_t kPageSize = PhysicalMemory::kPageSize;
constexpr uint64_t kBlockSize = PhysicalMemory::kBlockSize;
constexpr uint64_t kTableDescriptor = pte::kValid | pte::kTableOrPage;

unsigned levelShift(unsigned level)
{
   return 39 - 9 * level;
}

uint64_t entrySpan(unsigned level)
{
   return 1ull << levelShift(level);
}

unsigned entryIndex(uint64_t va, unsigned level)
{
   return (va >> levelShift(level)) & (kEntriesPerTable - 1);
}

bool isTable(uint64_t descriptor, unsigned level)
{
   return level < kLeafLevel && (descriptor & kTableDescriptor) == kTableDescriptor;
}

// Attribute bits of a leaf, without kValid / kTableOrPage (they depend on the level).
uint64_t leafAttributeBits(PteAttrs attrs)
{
   uint64_t bits = pte::kAccessFlag | pte::kShInner | pte::kNotGlobal | pte::kApUnpriv;
   if (attrs.readOnly)
      bits |= pte::kApReadOnly;
   if (attrs.noExec)
      bits |= pte::kUxn | pte::kPxn;
   if (attrs.uncached)
      bits |= 1ull << pte::kAttrIndxShift;
   return bits;
}

PteAttrs decodeAttrs(uint64_t descriptor)
{
   PteAttrs attrs;
   attrs.readOnly = descriptor & pte::kApReadOnly;
   attrs.noExec = descriptor & pte::kUxn;
   attrs.uncached = ((descriptor & pte::kAttrIndxMask) >> pte::kAttrIndxShift) == 1;
   return attrs;
}

// A stretch that map() writes one way: one 2 MiB block, or 4 KiB pages that stay
// inside one 2 MiB slot.
struct LeafRun {
   uint64_t va = 0;
   uint64_t phys = 0;
   uint64_t size = 0;
   bool block = false;
};

// Cuts [va, va + size) into the leaf runs map() writes. worstCaseTablePages()
// plans with the same function, so its bound follows map()'s choices exactly.
// false if the resolver answers something unusable or `emit` returns false.
template <typename Emit>
bool planLeafRuns(uint64_t va, uint64_t size, const BackingResolver &resolver, Emit &&emit)
{
   uint64_t offset = 0;
   while (offset < size) {
      const Backing backing = resolver(offset);
      const uint64_t length = std::min(backing.contiguous & ~(kPageSize - 1), size - offset);
      if (length == 0 || (backing.phys & (kPageSize - 1)))
         return false;
      if (backing.phys == 0) {
         offset += length;
         continue;
      }
      for (uint64_t done = 0; done < length;) {
         LeafRun run;
         run.va = va + offset + done;
         run.phys = backing.phys + done;
         const uint64_t left = length - done;
         run.block = !(run.va & (kBlockSize - 1)) && !(run.phys & (kBlockSize - 1)) &&
                     left >= kBlockSize;
         run.size = run.block ? kBlockSize
                              : std::min(left, kBlockSize - (run.va & (kBlockSize - 1)));
         if (!emit(run))
            return false;
         done += run.size;
      }
      offset += length;
   }
   return true;
}

} // namespace

TablePagePool::~TablePagePool()
{
   for (uint64_t page : pages_)
      memory_.free(page, 0, AllocSite::PageTablePages, false);
}

bool TablePagePool::reserve(uint64_t count)
{
   const size_t before = pages_.size();
   if (count <= before)
      return true;
   try {
      pages_.reserve(count);
   } catch (...) {
      return false;
   }
   while (pages_.size() < count) {
      const std::optional<uint64_t> page = memory_.allocate(0, AllocSite::PageTablePages);
      if (!page) {
         while (pages_.size() > before) {
            memory_.free(pages_.back(), 0, AllocSite::PageTablePages, false);
            pages_.pop_back();
         }
         return false;
      }
      pages_.push_back(*page);
   }
   return true;
}

uint64_t TablePagePool::take()
{
   if (pages_.empty())
      return 0;
   const uint64_t page = pages_.back();
   pages_.pop_back();
   return page;
}

PageTable::PageTable(PhysicalMemory &memory, unsigned vaBits) : memory_(memory), vaBits_(vaBits)
{
   if (vaBits == 0 || vaBits > kMaxVaBits)
      return;
   if (const std::optional<uint64_t> root = memory_.allocate(0, AllocSite::PageTablePages)) {
      root_ = *root;
      tablePages_ = 1;
   }
}

PageTable::~PageTable()
{
   if (root_)
      freeSubtree(root_, 0);
}

uint64_t *PageTable::entries(uint64_t tablePhys) const
{
   return reinterpret_cast<uint64_t *>(memory_.hostPointer(tablePhys));
}

bool PageTable::rangeValid(uint64_t va, uint64_t size) const
{
   if (!valid())
      return false; // vaBits_ may be out of range then
   const uint64_t limit = 1ull << vaBits_;
   return !(va & (kPageSize - 1)) && !(size & (kPageSize - 1)) && va < limit &&
          size <= limit - va;
}

void PageTable::freeTable(uint64_t tablePhys)
{
   memory_.free(tablePhys, 0, AllocSite::PageTablePages, true);
   tablePages_--;
}

void PageTable::freeSubtree(uint64_t tablePhys, unsigned level)
{
   if (level < kLeafLevel) {
      const uint64_t *table = entries(tablePhys);
      for (unsigned i = 0; i < kEntriesPerTable; i++) {
         if (isTable(table[i], level))
            freeSubtree(table[i] & pte::kOutputAddressMask, level + 1);
      }
   }
   freeTable(tablePhys);
}

bool PageTable::tableEmpty(uint64_t tablePhys) const
{
   const uint64_t *table = entries(tablePhys);
   return std::none_of(table, table + kEntriesPerTable,
                       [](uint64_t descriptor) { return descriptor & pte::kValid; });
}

uint64_t PageTable::tableFor(uint64_t va, unsigned targetLevel, TablePagePool &pool)
{
   uint64_t tablePhys = root_;
   for (unsigned level = 0; level < targetLevel; level++) {
      uint64_t &descriptor = entries(tablePhys)[entryIndex(va, level)];
      if (!(descriptor & pte::kValid)) {
         const uint64_t page = pool.take();
         if (!page)
            return 0;
         descriptor = page | kTableDescriptor;
         tablePages_++;
      } else if (!isTable(descriptor, level)) {
         return 0; // a block already maps this range
      }
      tablePhys = descriptor & pte::kOutputAddressMask;
   }
   return tablePhys;
}

uint64_t PageTable::worstCaseTablePages(uint64_t va, uint64_t size,
                                        const BackingResolver *resolver) const
{
   // Unmap splits at most the two blocks straddling the range's edges.
   uint64_t pages = 2;
   if (!resolver || !*resolver || size == 0 || va + size < va)
      return pages;

   const uint64_t last = va + size - 1;
   pages += (last >> levelShift(0)) - (va >> levelShift(0)) + 1; // level-1 tables
   pages += (last >> levelShift(1)) - (va >> levelShift(1)) + 1; // level-2 tables
   uint64_t countedSlot = ~0ull;
   planLeafRuns(va, size, *resolver, [&](const LeafRun &run) {
      const uint64_t slot = run.va >> levelShift(kBlockLevel);
      if (!run.block && slot != countedSlot) {
         countedSlot = slot;
         pages++; // a level-3 table for this slot
      }
      return true;
   });
   return pages;
}

bool PageTable::writeRun(uint64_t va, uint64_t phys, uint64_t size, bool block,
                         uint64_t attributeBits, TablePagePool &pool)
{
   // Leaves must end in the arena: the MMU model dereferences them.
   if (!memory_.contains(phys) || !memory_.contains(phys + size - 1) ||
       (phys & ~pte::kOutputAddressMask))
      return false;

   const uint64_t tablePhys = tableFor(va, block ? kBlockLevel : kLeafLevel, pool);
   if (!tablePhys)
      return false;
   uint64_t *table = entries(tablePhys);

   if (block) {
      uint64_t &descriptor = table[entryIndex(va, kBlockLevel)];
      if (descriptor & pte::kValid)
         return false;
      descriptor = phys | attributeBits | pte::kValid;
      entriesWritten_++;
      return true;
   }

   const unsigned first = entryIndex(va, kLeafLevel);
   const uint64_t count = size / kPageSize;
   for (uint64_t i = 0; i < count; i++) {
      uint64_t &descriptor = table[first + i];
      if (descriptor & pte::kValid)
         return false;
      descriptor = (phys + i * kPageSize) | attributeBits | kTableDescriptor;
      entriesWritten_++;
   }
   return true;
}

bool PageTable::map(uint64_t va, uint64_t size, const BackingResolver &resolver, PteAttrs attrs,
                    TablePagePool &pool)
{
   if (!resolver || !rangeValid(va, size))
      return false;
   const uint64_t attributeBits = leafAttributeBits(attrs);
   const bool mapped = planLeafRuns(va, size, resolver, [&](const LeafRun &run) {
      return writeRun(run.va, run.phys, run.size, run.block, attributeBits, pool);
   });
   // A failure may leave freshly inserted tables without a leaf: free them so
   // the tree keeps its invariant (every table but the root holds a valid entry).
   if (!mapped && size)
      pruneEmptyTables(root_, 0, 0, va, va + size);
   return mapped;
}

void PageTable::pruneEmptyTables(uint64_t tablePhys, unsigned level, uint64_t tableVa,
                                 uint64_t start, uint64_t end)
{
   uint64_t *table = entries(tablePhys);
   const uint64_t span = entrySpan(level);
   const unsigned lastIndex = entryIndex(end - 1, level);
   for (unsigned i = entryIndex(start, level); i <= lastIndex; i++) {
      if (!isTable(table[i], level))
         continue;
      const uint64_t entryVa = tableVa + i * span;
      const uint64_t child = table[i] & pte::kOutputAddressMask;
      if (level + 1 < kLeafLevel)
         pruneEmptyTables(child, level + 1, entryVa, std::max(start, entryVa),
                          std::min(end, entryVa + span));
      if (tableEmpty(child)) {
         freeTable(child);
         table[i] = 0;
      }
   }
}

bool PageTable::splitBlock(uint64_t &descriptor, TablePagePool &pool)
{
   const uint64_t page = pool.take();
   if (!page)
      return false;
   const uint64_t blockPhys = descriptor & pte::kOutputAddressMask;
   const uint64_t pageBits = (descriptor & ~pte::kOutputAddressMask) | pte::kTableOrPage;
   uint64_t *table = entries(page);
   for (unsigned i = 0; i < kEntriesPerTable; i++)
      table[i] = (blockPhys + i * kPageSize) | pageBits;
   entriesWritten_ += kEntriesPerTable;
   tablePages_++;
   descriptor = page | kTableDescriptor;
   return true;
}

bool PageTable::unmapRange(uint64_t tablePhys, unsigned level, uint64_t tableVa, uint64_t start,
                           uint64_t end, TablePagePool &pool)
{
   uint64_t *table = entries(tablePhys);
   const uint64_t span = entrySpan(level);
   const unsigned lastIndex = entryIndex(end - 1, level);
   for (unsigned i = entryIndex(start, level); i <= lastIndex; i++) {
      uint64_t &descriptor = table[i];
      if (!(descriptor & pte::kValid))
         continue; // nothing mapped below: skip the whole subtree
      const uint64_t entryVa = tableVa + i * span;
      const uint64_t lo = std::max(start, entryVa);
      const uint64_t hi = std::min(end, entryVa + span);
      const bool whole = lo == entryVa && hi == entryVa + span;

      if (!isTable(descriptor, level)) {
         if (whole) {
            descriptor = 0;
            continue;
         }
         // Only a level-2 block can be partly covered (we never write larger ones).
         if (level != kBlockLevel || !splitBlock(descriptor, pool))
            return false;
      }

      const uint64_t child = descriptor & pte::kOutputAddressMask;
      if (whole) {
         freeSubtree(child, level + 1);
         descriptor = 0;
         continue;
      }
      const bool cleared = unmapRange(child, level + 1, entryVa, lo, hi, pool);
      if (tableEmpty(child)) {
         freeTable(child);
         descriptor = 0;
      }
      if (!cleared)
         return false;
   }
   return true;
}

bool PageTable::unmap(uint64_t va, uint64_t size, TablePagePool &pool)
{
   if (!rangeValid(va, size))
      return false;
   if (size == 0)
      return true;
   return unmapRange(root_, 0, 0, va, va + size, pool);
}

std::optional<Translation> PageTable::walk(uint64_t va) const
{
   if (!valid() || va >= (1ull << vaBits_))
      return std::nullopt;
   uint64_t tablePhys = root_;
   for (unsigned level = 0; level <= kLeafLevel; level++) {
      const uint64_t descriptor = entries(tablePhys)[entryIndex(va, level)];
      if (!(descriptor & pte::kValid))
         return std::nullopt;
      if (isTable(descriptor, level)) {
         tablePhys = descriptor & pte::kOutputAddressMask;
         continue;
      }
      const bool page = level == kLeafLevel && (descriptor & pte::kTableOrPage);
      if (level != kBlockLevel && !page)
         return std::nullopt; // not a descriptor we write (1 GiB block, reserved encoding)
      Translation translation;
      translation.leafSize = entrySpan(level);
      translation.phys = (descriptor & pte::kOutputAddressMask & ~(translation.leafSize - 1)) |
                         (va & (translation.leafSize - 1));
      translation.attrs = decodeAttrs(descriptor);
      translation.level = level;
      translation.descriptor = descriptor;
      return translation;
   }
   return std::nullopt;
}

} // namespace pan::mock
