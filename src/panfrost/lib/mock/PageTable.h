// AArch64 LPAE stage-1 translation tables, 4 KiB granule, 4 levels (the format
// panthor programs into the Mali MMU): the real bytes a GPU MMU would walk.
//
// Table pages come from PhysicalMemory and hold 512 little-endian u64
// descriptors. Output addresses are PhysicalMemory physical addresses (host
// addresses). Leaves are 4 KiB pages at level 3 or 2 MiB blocks at level 2 (the
// page sizes panthor reports; no 1 GiB blocks). Table pages that become empty
// are freed.
//
// Not internally locked: the owning VM serialises every call.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "PhysicalMemory.h"

namespace pan::mock {

// Descriptor bits we write (the VMSAv8-64 stage-1 layout).
namespace pte {
constexpr uint64_t kValid = 1ull << 0;
constexpr uint64_t kTableOrPage = 1ull << 1; // table (levels 0-2) or page (level 3)
constexpr uint64_t kAttrIndxShift = 2;       // MAIR index: 0 write-back cached, 1 non-cacheable
constexpr uint64_t kAttrIndxMask = 7ull << kAttrIndxShift;
constexpr uint64_t kApUnpriv = 1ull << 6;    // AP[1]: accessible at EL0 (set on every leaf)
constexpr uint64_t kApReadOnly = 1ull << 7;  // AP[2]
constexpr uint64_t kShInner = 3ull << 8;
constexpr uint64_t kAccessFlag = 1ull << 10;
constexpr uint64_t kNotGlobal = 1ull << 11;
constexpr uint64_t kPxn = 1ull << 53;
constexpr uint64_t kUxn = 1ull << 54;        // execute-never, what the GPU checks
constexpr uint64_t kOutputAddressMask = 0x0000fffffffff000ull;
} // namespace pte

struct PteAttrs {
   bool readOnly = false;
   bool noExec = false;
   bool uncached = false;
   bool operator==(const PteAttrs &) const = default;
};

// What backs a VA range at a given offset into it: the physical address and how
// many bytes from there are physically contiguous (both 4 KiB multiples).
// phys == 0 means a hole of `contiguous` bytes that map() leaves unmapped
// (an alloc-on-fault chunk not populated yet).
struct Backing {
   uint64_t phys = 0;
   uint64_t contiguous = 0;
};
using BackingResolver = std::function<Backing(uint64_t offsetInRange)>;

// Pages reserved before an operation so that map/unmap never fail halfway
// (what panthor's op context pre-allocation does). Unused pages go back clean.
class TablePagePool {
public:
   explicit TablePagePool(PhysicalMemory &memory) : memory_(memory) {}
   ~TablePagePool();
   TablePagePool(const TablePagePool &) = delete;
   TablePagePool &operator=(const TablePagePool &) = delete;

   // Tops the pool up to `count` pages; false (and nothing kept) if memory says no.
   bool reserve(uint64_t count);
   // 0 if the pool is empty (a bug in the caller's reservation).
   uint64_t take();
   uint64_t size() const { return pages_.size(); }

private:
   PhysicalMemory &memory_;
   std::vector<uint64_t> pages_;
};

struct Translation {
   uint64_t phys = 0;      // physical address of the translated byte
   PteAttrs attrs;
   unsigned level = 0;     // 2 = 2 MiB block, 3 = 4 KiB page
   uint64_t leafSize = 0;  // 2 MiB or 4 KiB
   uint64_t descriptor = 0;
};

class PageTable {
public:
   PageTable(PhysicalMemory &memory, unsigned vaBits);
   ~PageTable(); // frees every table page (not the pages the leaves point to)
   PageTable(const PageTable &) = delete;
   PageTable &operator=(const PageTable &) = delete;

   bool valid() const { return root_ != 0; }
   unsigned vaBits() const { return vaBits_; }
   uint64_t rootPhys() const { return root_; }

   // Upper bound of the table pages that unmap(va, size) followed by
   // map(va, size, resolver) can take from a pool. resolver may be null (unmap only).
   uint64_t worstCaseTablePages(uint64_t va, uint64_t size, const BackingResolver *resolver) const;

   // Maps [va, va + size), which must hold no valid leaf. Uses a 2 MiB block
   // wherever va and phys are 2 MiB aligned and 2 MiB are contiguous, 4 KiB
   // pages elsewhere. false only if the pool ran dry (caller bug).
   bool map(uint64_t va, uint64_t size, const BackingResolver &resolver, PteAttrs attrs,
            TablePagePool &pool);

   // Clears every leaf in [va, va + size). A 2 MiB block only partly inside is
   // split into a level-3 table that keeps the rest. Tables left empty are freed.
   bool unmap(uint64_t va, uint64_t size, TablePagePool &pool);

   std::optional<Translation> walk(uint64_t va) const;

   uint64_t tablePages() const { return tablePages_; }     // including the root
   uint64_t entriesWritten() const { return entriesWritten_; } // leaf descriptors written, ever

private:
   uint64_t *entries(uint64_t tablePhys) const;
   bool rangeValid(uint64_t va, uint64_t size) const;
   bool tableEmpty(uint64_t tablePhys) const;
   void freeTable(uint64_t tablePhys);
   void freeSubtree(uint64_t tablePhys, unsigned level);
   // The table at targetLevel covering va, inserting missing ones from the pool;
   // 0 if the pool is dry or a block already covers va.
   uint64_t tableFor(uint64_t va, unsigned targetLevel, TablePagePool &pool);
   bool writeRun(uint64_t va, uint64_t phys, uint64_t size, bool block, uint64_t attributeBits,
                 TablePagePool &pool);
   // Turns a level-2 block descriptor into a table of the 512 equivalent pages.
   bool splitBlock(uint64_t &descriptor, TablePagePool &pool);
   bool unmapRange(uint64_t tablePhys, unsigned level, uint64_t tableVa, uint64_t start,
                   uint64_t end, TablePagePool &pool);
   void pruneEmptyTables(uint64_t tablePhys, unsigned level, uint64_t tableVa, uint64_t start,
                         uint64_t end);

   PhysicalMemory &memory_;
   unsigned vaBits_;
   uint64_t root_ = 0;
   uint64_t tablePages_ = 0;
   uint64_t entriesWritten_ = 0;
};

} // namespace pan::mock
