#include "mock/PageTable.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <vector>

namespace pan::mock {
namespace {

constexpr uint64_t kKiB = 1024;
constexpr uint64_t kMiB = 1024 * kKiB;
constexpr uint64_t kGiB = 1024 * kMiB;
constexpr uint64_t kPage = 4 * kKiB;
constexpr uint64_t kBlock = 2 * kMiB;
constexpr uint64_t kL0Span = 512 * kGiB;

// What a BO looks like to map(): a list of physically contiguous pieces and holes.
class SegmentBacking {
public:
   void add(uint64_t phys, uint64_t size)
   {
      starts_.push_back(total_);
      segments_.push_back({phys, size});
      total_ += size;
   }
   void addHole(uint64_t size) { add(0, size); }
   uint64_t size() const { return total_; }

   Backing at(uint64_t offset) const
   {
      if (offset >= total_)
         return {};
      const size_t index = std::upper_bound(starts_.begin(), starts_.end(), offset) -
                           starts_.begin() - 1;
      const uint64_t within = offset - starts_[index];
      const Backing &segment = segments_[index];
      return {segment.phys ? segment.phys + within : 0, segment.contiguous - within};
   }
   BackingResolver resolver() const
   {
      return [this](uint64_t offset) { return at(offset); };
   }

private:
   std::vector<uint64_t> starts_;
   std::vector<Backing> segments_;
   uint64_t total_ = 0;
};

// The sparse dummy: VA A is backed by dummy offset A mod 2 MiB.
BackingResolver cyclicResolver(uint64_t dummy, uint64_t va)
{
   return [dummy, va](uint64_t offset) {
      const uint64_t within = (va + offset) % kBlock;
      return Backing{dummy + within, kBlock - within};
   };
}

void expectLeafBits(uint64_t descriptor, PteAttrs attrs)
{
   EXPECT_TRUE(descriptor & pte::kAccessFlag);
   EXPECT_EQ(descriptor & pte::kShInner, pte::kShInner);
   EXPECT_TRUE(descriptor & pte::kNotGlobal);
   EXPECT_TRUE(descriptor & pte::kApUnpriv);
   EXPECT_EQ(bool(descriptor & pte::kApReadOnly), attrs.readOnly);
   EXPECT_EQ(bool(descriptor & pte::kUxn), attrs.noExec);
   EXPECT_EQ(bool(descriptor & pte::kPxn), attrs.noExec);
   EXPECT_EQ((descriptor & pte::kAttrIndxMask) >> pte::kAttrIndxShift, attrs.uncached ? 1u : 0u);
}

class PageTableTest : public ::testing::Test {
protected:
   uint64_t allocate(unsigned order)
   {
      const auto phys = memory.allocate(order, AllocSite::BoPages);
      EXPECT_TRUE(phys);
      return phys.value_or(0);
   }
   bool map(uint64_t va, uint64_t size, const BackingResolver &resolver, PteAttrs attrs = {})
   {
      TablePagePool pool(memory);
      return pool.reserve(table.worstCaseTablePages(va, size, &resolver)) &&
             table.map(va, size, resolver, attrs, pool);
   }
   bool unmap(uint64_t va, uint64_t size)
   {
      TablePagePool pool(memory);
      return pool.reserve(table.worstCaseTablePages(va, size, nullptr)) &&
             table.unmap(va, size, pool);
   }
   uint64_t tablePagesInUse() const
   {
      return memory.counters(AllocSite::PageTablePages).pagesInUse;
   }

   PhysicalMemory memory{64 * kMiB};
   PageTable table{memory, 48};
};

TEST_F(PageTableTest, StartsWithTheRootOnly)
{
   ASSERT_TRUE(memory.valid());
   ASSERT_TRUE(table.valid());
   EXPECT_EQ(table.vaBits(), 48u);
   EXPECT_TRUE(memory.contains(table.rootPhys()));
   EXPECT_EQ(table.tablePages(), 1u);
   EXPECT_EQ(tablePagesInUse(), 1u);
   EXPECT_FALSE(table.walk(0));
   {
      PageTable other(memory, 48);
      EXPECT_EQ(tablePagesInUse(), 2u);
   }
   EXPECT_EQ(tablePagesInUse(), 1u);
}

TEST_F(PageTableTest, UnusableVaBitsGiveAnInvalidTable)
{
   for (unsigned vaBits : {0u, 49u, 64u}) {
      PageTable bad(memory, vaBits);
      EXPECT_FALSE(bad.valid());
      EXPECT_FALSE(bad.walk(0));
      TablePagePool pool(memory);
      const BackingResolver resolver = cyclicResolver(allocate(0), 0);
      EXPECT_FALSE(bad.map(0, kPage, resolver, {}, pool));
      EXPECT_FALSE(bad.unmap(0, kPage, pool));
   }
   EXPECT_EQ(tablePagesInUse(), 1u);
}

TEST_F(PageTableTest, PagesWalkToTheirBytes)
{
   SegmentBacking backing;
   std::vector<uint64_t> pages;
   for (int i = 0; i < 16; i++) {
      const uint64_t page = allocate(0);
      if (i % 2 == 0) {
         pages.push_back(page);
         backing.add(page, kPage);
         memory.hostPointer(page)[0x123] = static_cast<uint8_t>(i + 1);
      }
   }
   const uint64_t va = 0x12345000;
   ASSERT_TRUE(map(va, backing.size(), backing.resolver()));
   EXPECT_EQ(table.entriesWritten(), pages.size());
   EXPECT_EQ(table.tablePages(), 4u);
   EXPECT_EQ(tablePagesInUse(), 4u);

   for (size_t i = 0; i < pages.size(); i++) {
      const auto translation = table.walk(va + i * kPage + 0x123);
      ASSERT_TRUE(translation);
      EXPECT_EQ(translation->phys, pages[i] + 0x123);
      EXPECT_EQ(*memory.hostPointer(translation->phys), i * 2 + 1);
      EXPECT_EQ(translation->level, 3u);
      EXPECT_EQ(translation->leafSize, kPage);
      EXPECT_EQ(translation->descriptor & pte::kOutputAddressMask, pages[i]);
      EXPECT_TRUE(translation->descriptor & pte::kTableOrPage);
   }
   EXPECT_FALSE(table.walk(va - 1));
   EXPECT_FALSE(table.walk(va + backing.size()));
}

TEST_F(PageTableTest, AlignedBackingAndVaGiveBlocks)
{
   SegmentBacking backing;
   const uint64_t first = allocate(9);
   const uint64_t second = allocate(9);
   backing.add(second, kBlock);
   backing.add(first, kBlock);
   const uint64_t va = kGiB - kBlock; // the two blocks sit in different level-2 tables
   ASSERT_TRUE(map(va, backing.size(), backing.resolver()));
   EXPECT_EQ(table.entriesWritten(), 2u);
   EXPECT_EQ(table.tablePages(), 4u); // root, one level 1, two level 2

   const auto low = table.walk(va + 5);
   ASSERT_TRUE(low);
   EXPECT_EQ(low->level, 2u);
   EXPECT_EQ(low->leafSize, kBlock);
   EXPECT_EQ(low->phys, second + 5);
   EXPECT_FALSE(low->descriptor & pte::kTableOrPage);
   const auto high = table.walk(va + kBlock + 77);
   ASSERT_TRUE(high);
   EXPECT_EQ(high->level, 2u);
   EXPECT_EQ(high->phys, first + 77);
}

TEST_F(PageTableTest, MisalignedVaOrPhysGivePages)
{
   const uint64_t block = allocate(9);
   SegmentBacking whole;
   whole.add(block, kBlock);
   ASSERT_TRUE(map(kBlock + kPage, kBlock, whole.resolver()));
   EXPECT_EQ(table.entriesWritten(), 512u);
   const auto shifted = table.walk(kBlock + kPage + 9);
   ASSERT_TRUE(shifted);
   EXPECT_EQ(shifted->level, 3u);
   EXPECT_EQ(shifted->phys, block + 9);

   SegmentBacking offsetInBlock;
   offsetInBlock.add(block + kPage, kBlock - kPage);
   offsetInBlock.add(block, kPage);
   ASSERT_TRUE(map(8 * kBlock, kBlock, offsetInBlock.resolver()));
   EXPECT_EQ(table.entriesWritten(), 1024u);
   EXPECT_EQ(table.walk(8 * kBlock)->level, 3u);
   EXPECT_EQ(table.walk(8 * kBlock)->phys, block + kPage);
   EXPECT_EQ(table.walk(9 * kBlock - 1)->phys, block + kPage - 1);
}

TEST_F(PageTableTest, PagesUpToTheFirstAlignedSlotThenBlocks)
{
   const uint64_t low = allocate(9);
   const uint64_t high = allocate(9);
   ASSERT_EQ(high, low + kBlock); // lowest address first: adjacent
   SegmentBacking backing;
   backing.add(low + kPage, 2 * kBlock - kPage);
   const uint64_t va = 16 * kBlock + kPage; // same offset in the slot as the backing
   ASSERT_TRUE(map(va, backing.size(), backing.resolver()));
   EXPECT_EQ(table.entriesWritten(), 511u + 1u);
   EXPECT_EQ(table.walk(va)->level, 3u);
   EXPECT_EQ(table.walk(va)->phys, low + kPage);
   EXPECT_EQ(table.walk(17 * kBlock)->level, 2u);
   EXPECT_EQ(table.walk(17 * kBlock + 3)->phys, high + 3);
}

TEST_F(PageTableTest, AttributesRoundTrip)
{
   for (unsigned bits = 0; bits < 8; bits++) {
      const PteAttrs attrs{bool(bits & 1), bool(bits & 2), bool(bits & 4)};
      SegmentBacking backing;
      backing.add(allocate(0), kPage);
      const uint64_t va = (bits + 1) * kMiB;
      ASSERT_TRUE(map(va, kPage, backing.resolver(), attrs));
      const auto translation = table.walk(va);
      ASSERT_TRUE(translation);
      EXPECT_EQ(translation->attrs, attrs) << "bits " << bits;
      expectLeafBits(translation->descriptor, attrs);
   }
   const PteAttrs blockAttrs{true, true, false};
   ASSERT_TRUE(map(64 * kBlock, kBlock, cyclicResolver(allocate(9), 0), blockAttrs));
   const auto block = table.walk(64 * kBlock);
   ASSERT_TRUE(block);
   EXPECT_EQ(block->level, 2u);
   EXPECT_EQ(block->attrs, blockAttrs);
   expectLeafBits(block->descriptor, blockAttrs);
}

TEST_F(PageTableTest, PartialUnmapSplitsABlockAndKeepsTheRest)
{
   const uint64_t block = allocate(9);
   const uint64_t va = 2 * kBlock;
   const PteAttrs attrs{true, false, true};
   ASSERT_TRUE(map(va, kBlock, cyclicResolver(block, va), attrs));
   EXPECT_EQ(table.tablePages(), 3u);

   TablePagePool empty(memory);
   EXPECT_FALSE(table.unmap(va + 64 * kKiB, 64 * kKiB, empty)); // a split needs a page
   EXPECT_EQ(table.walk(va + 64 * kKiB)->level, 2u);

   ASSERT_TRUE(unmap(va + 64 * kKiB, 64 * kKiB));
   EXPECT_EQ(table.tablePages(), 4u);
   EXPECT_EQ(table.entriesWritten(), 1u + 512u);
   EXPECT_FALSE(table.walk(va + 64 * kKiB));
   EXPECT_FALSE(table.walk(va + 128 * kKiB - 1));
   for (uint64_t offset : {uint64_t(0), 64 * kKiB - 1, 128 * kKiB, kBlock - 1}) {
      const auto translation = table.walk(va + offset);
      ASSERT_TRUE(translation) << offset;
      EXPECT_EQ(translation->level, 3u);
      EXPECT_EQ(translation->phys, block + offset);
      EXPECT_EQ(translation->attrs, attrs);
      expectLeafBits(translation->descriptor, attrs);
   }

   ASSERT_TRUE(unmap(va, 64 * kKiB));
   EXPECT_EQ(table.tablePages(), 4u);
   ASSERT_TRUE(unmap(va + 128 * kKiB, kBlock - 128 * kKiB));
   EXPECT_EQ(table.tablePages(), 1u);
   EXPECT_EQ(tablePagesInUse(), 1u);
}

TEST_F(PageTableTest, UnmappingEverythingFreesEveryTablePage)
{
   const uint64_t dummy = allocate(9);
   ASSERT_TRUE(map(kPage, 3 * kPage, cyclicResolver(dummy, kPage)));
   ASSERT_TRUE(map(kGiB, 4 * kBlock, cyclicResolver(dummy, kGiB)));
   ASSERT_TRUE(map(kL0Span - kPage, 2 * kPage, cyclicResolver(dummy, kL0Span - kPage)));
   const uint64_t top = (1ull << 48) - kBlock;
   ASSERT_TRUE(map(top, kBlock, cyclicResolver(dummy, top)));
   EXPECT_EQ(table.walk(top + kBlock - 1)->phys, dummy + kBlock - 1);
   EXPECT_GT(table.tablePages(), 8u);
   EXPECT_EQ(tablePagesInUse(), table.tablePages());

   ASSERT_TRUE(unmap(0, 1ull << 48));
   EXPECT_EQ(table.tablePages(), 1u);
   EXPECT_EQ(tablePagesInUse(), 1u);
   for (uint64_t va : {kPage, kGiB, kL0Span - kPage, kL0Span, top})
      EXPECT_FALSE(table.walk(va));
}

TEST_F(PageTableTest, HolesStayUnmappedAndNeedNoTable)
{
   const uint64_t a = allocate(0), b = allocate(0), c = allocate(0);
   SegmentBacking backing;
   backing.add(a, kPage);
   backing.addHole(2 * kPage);
   backing.add(b, kPage);
   backing.addHole(kBlock); // one whole slot
   backing.add(c, kPage);
   const uint64_t va = kBlock - 4 * kPage;
   const BackingResolver resolver = backing.resolver();
   // Level-3 tables for slots 0 and 2 only, plus one level 1, one level 2 and 2 splits.
   EXPECT_EQ(table.worstCaseTablePages(va, backing.size(), &resolver), 6u);
   ASSERT_TRUE(map(va, backing.size(), resolver));
   EXPECT_EQ(table.tablePages(), 5u);
   EXPECT_EQ(table.entriesWritten(), 3u);
   EXPECT_EQ(table.walk(va)->phys, a);
   EXPECT_FALSE(table.walk(va + kPage));
   EXPECT_FALSE(table.walk(va + 2 * kPage));
   EXPECT_EQ(table.walk(va + 3 * kPage)->phys, b);
   EXPECT_FALSE(table.walk(kBlock));
   EXPECT_FALSE(table.walk(2 * kBlock - 1));
   EXPECT_EQ(table.walk(2 * kBlock + 5)->phys, c + 5);
}

TEST_F(PageTableTest, VasOutsideTheAddressSpaceAreRefused)
{
   const BackingResolver resolver = cyclicResolver(allocate(9), 0);
   const uint64_t limit = 1ull << 48;
   EXPECT_FALSE(table.walk(limit));
   EXPECT_FALSE(table.walk(~0ull));
   EXPECT_FALSE(map(limit, kPage, resolver));
   EXPECT_FALSE(map(limit - kPage, 2 * kPage, resolver));
   EXPECT_FALSE(map(~0ull & ~(kPage - 1), 2 * kPage, resolver)); // wraps
   EXPECT_FALSE(map(kPage + 1, kPage, resolver));
   EXPECT_FALSE(map(kPage, kPage + 1, resolver));
   EXPECT_FALSE(unmap(limit, kPage));
   EXPECT_FALSE(unmap(limit - kPage, 2 * kPage));
   EXPECT_TRUE(map(limit - kPage, kPage, resolver));
   EXPECT_TRUE(map(0, 0, resolver));

   PageTable small(memory, 39);
   TablePagePool pool(memory);
   ASSERT_TRUE(pool.reserve(8));
   EXPECT_FALSE(small.map(1ull << 39, kPage, resolver, {}, pool));
   EXPECT_FALSE(small.walk(1ull << 39));
   EXPECT_TRUE(small.map((1ull << 39) - kPage, kPage, resolver, {}, pool));
   EXPECT_TRUE(small.walk((1ull << 39) - 1));
}

TEST_F(PageTableTest, MappingOverALeafFails)
{
   const uint64_t page = allocate(0), other = allocate(0), block = allocate(9);
   SegmentBacking one, two;
   one.add(page, kPage);
   two.add(other, kPage);
   ASSERT_TRUE(map(4 * kBlock, kPage, one.resolver()));
   EXPECT_FALSE(map(4 * kBlock, kPage, two.resolver()));
   EXPECT_FALSE(map(4 * kBlock, kBlock, cyclicResolver(block, 0))); // a table is in the way
   EXPECT_EQ(table.walk(4 * kBlock)->phys, page);

   ASSERT_TRUE(map(6 * kBlock, kBlock, cyclicResolver(block, 0)));
   EXPECT_FALSE(map(6 * kBlock + kPage, kPage, two.resolver())); // a block is in the way
   EXPECT_EQ(table.walk(6 * kBlock + kPage)->phys, block + kPage);
   EXPECT_EQ(table.tablePages(), 4u);
   EXPECT_EQ(tablePagesInUse(), 4u);
}

TEST_F(PageTableTest, DryPoolFailsWithoutLeavingEmptyTables)
{
   const BackingResolver resolver = cyclicResolver(allocate(0), 0);
   TablePagePool empty(memory);
   EXPECT_FALSE(table.map(kGiB, kPage, resolver, {}, empty));
   EXPECT_EQ(table.tablePages(), 1u);

   TablePagePool tooSmall(memory);
   ASSERT_TRUE(tooSmall.reserve(2)); // level 1 and 2 fit, level 3 does not
   EXPECT_FALSE(table.map(kGiB, kPage, resolver, {}, tooSmall));
   EXPECT_EQ(tooSmall.size(), 0u);
   EXPECT_EQ(table.tablePages(), 1u);
   EXPECT_EQ(tablePagesInUse(), 1u);
   EXPECT_FALSE(table.walk(kGiB));
}

TEST_F(PageTableTest, BadBackingsAreRefused)
{
   TablePagePool pool(memory);
   ASSERT_TRUE(pool.reserve(8));
   const BackingResolver none;
   EXPECT_FALSE(table.map(0, kPage, none, {}, pool));
   const BackingResolver empty = [](uint64_t) { return Backing{}; };
   EXPECT_FALSE(table.map(0, kPage, empty, {}, pool));
   const BackingResolver outside = [](uint64_t) { return Backing{0x1000, kPage}; };
   EXPECT_FALSE(table.map(0, kPage, outside, {}, pool));
   const uint64_t page = allocate(0);
   const BackingResolver unaligned = [page](uint64_t) { return Backing{page + 8, kPage}; };
   EXPECT_FALSE(table.map(0, kPage, unaligned, {}, pool));
   EXPECT_FALSE(table.walk(0));
   EXPECT_EQ(table.tablePages(), 1u);
}

TEST_F(PageTableTest, PoolReservesAllOrNothing)
{
   {
      TablePagePool pool(memory);
      ASSERT_TRUE(pool.reserve(3));
      ASSERT_TRUE(pool.reserve(2)); // already there
      EXPECT_EQ(pool.size(), 3u);
      EXPECT_EQ(tablePagesInUse(), 4u);

      memory.failNth(AllocSite::PageTablePages, 3);
      EXPECT_FALSE(pool.reserve(10));
      EXPECT_EQ(pool.size(), 3u);
      EXPECT_EQ(tablePagesInUse(), 4u);

      const uint64_t taken = pool.take();
      EXPECT_TRUE(memory.contains(taken));
      EXPECT_EQ(pool.size(), 2u);
      memory.free(taken, 0, AllocSite::PageTablePages, false);
      pool.take();
      pool.take();
      EXPECT_EQ(pool.take(), 0u);
      EXPECT_FALSE(pool.reserve(uint64_t(1) << 62));
   }
   EXPECT_EQ(tablePagesInUse(), 1u + 2u); // the two pages taken and not freed
}

TEST_F(PageTableTest, SparseDummyUsesBlocksWhereAligned)
{
   const uint64_t dummy = allocate(9);
   const uint64_t va = 65 * kMiB, size = 100 * kMiB;
   const BackingResolver resolver = cyclicResolver(dummy, va);
   EXPECT_EQ(table.worstCaseTablePages(va, size, &resolver), 2u + 1u + 1u + 2u);
   ASSERT_TRUE(map(va, size, resolver));
   EXPECT_EQ(table.entriesWritten(), 256u + 49u + 256u);
   for (uint64_t offset = 0; offset < size; offset += 3 * kMiB + 12345) {
      const auto translation = table.walk(va + offset);
      ASSERT_TRUE(translation);
      EXPECT_EQ(translation->phys, dummy + (va + offset) % kBlock);
   }
   EXPECT_EQ(table.walk(66 * kMiB)->level, 2u);
   EXPECT_EQ(table.walk(66 * kMiB - 1)->level, 3u);
}

TEST_F(PageTableTest, UnmappingAGiBOfBlocksSplitsOnlyTheEdges)
{
   const uint64_t dummy = allocate(9);
   ASSERT_TRUE(map(kGiB, kGiB, cyclicResolver(dummy, 0)));
   EXPECT_EQ(table.entriesWritten(), 512u);
   EXPECT_EQ(table.tablePages(), 3u);

   ASSERT_TRUE(unmap(kGiB + kPage, kGiB - 2 * kPage));
   EXPECT_EQ(table.entriesWritten(), 512u + 2 * 512u);
   EXPECT_EQ(table.tablePages(), 5u);
   EXPECT_EQ(table.walk(kGiB)->phys, dummy);
   EXPECT_EQ(table.walk(2 * kGiB - 1)->phys, dummy + kBlock - 1);
   EXPECT_FALSE(table.walk(kGiB + kPage));
   EXPECT_FALSE(table.walk(kGiB + kMiB * 512));

   ASSERT_TRUE(unmap(0, 4 * kGiB));
   EXPECT_EQ(table.tablePages(), 1u);
}

// Random backings made of the pieces a BO can have: 2 MiB blocks (whole or from
// an offset), 64 KiB chunks, single pages and alloc-on-fault holes.
class RandomBackings {
public:
   RandomBackings(PhysicalMemory &memory, uint64_t seed) : rng_(seed)
   {
      for (int i = 0; i < 4; i++)
         blocks_.push_back(*memory.allocate(9, AllocSite::BoPages));
      for (int i = 0; i < 4; i++)
         chunks_.push_back(*memory.allocate(4, AllocSite::BoPages));
      for (int i = 0; i < 32; i++)
         pages_.push_back(*memory.allocate(0, AllocSite::BoPages));
   }

   SegmentBacking make(uint64_t size)
   {
      SegmentBacking backing;
      while (backing.size() < size) {
         switch (rng_() % 5) {
         case 0:
            backing.addHole(pick(kBlock / kPage + 1) * kPage + kPage);
            break;
         case 1:
         case 2: {
            const uint64_t skip = rng_() % 2 ? 0 : pick(kBlock / kPage) * kPage;
            backing.add(blocks_[pick(blocks_.size())] + skip, kBlock - skip);
            break;
         }
         case 3:
            backing.add(chunks_[pick(chunks_.size())], 64 * kKiB);
            break;
         default:
            backing.add(pages_[pick(pages_.size())], kPage);
            break;
         }
      }
      return backing;
   }

   uint64_t pick(uint64_t count) { return rng_() % count; }

private:
   std::mt19937_64 rng_;
   std::vector<uint64_t> blocks_, chunks_, pages_;
};

TEST_F(PageTableTest, WorstCaseBoundsWhatUnmapThenMapTake)
{
   RandomBackings backings(memory, 1234);
   const uint64_t window = kL0Span - 6 * kMiB, windowSize = 12 * kMiB;
   uint64_t mostUsed = 0;
   for (int i = 0; i < 400; i++) {
      const uint64_t va = window + backings.pick(windowSize / kPage) * kPage;
      const uint64_t size =
         std::min(backings.pick(6 * kMiB / kPage) * kPage + kPage, window + windowSize - va);
      TablePagePool pool(memory);
      if (i % 5 == 0) {
         ASSERT_TRUE(pool.reserve(table.worstCaseTablePages(va, size, nullptr)));
         ASSERT_TRUE(table.unmap(va, size, pool));
         continue;
      }
      const SegmentBacking backing = backings.make(size);
      const BackingResolver resolver = backing.resolver();
      const uint64_t bound = table.worstCaseTablePages(va, size, &resolver);
      ASSERT_TRUE(pool.reserve(bound));
      ASSERT_TRUE(table.unmap(va, size, pool)) << "iteration " << i;
      ASSERT_TRUE(table.map(va, size, resolver, {}, pool)) << "iteration " << i;
      mostUsed = std::max(mostUsed, bound - pool.size());
   }
   EXPECT_GT(mostUsed, 3u); // the cases did need tables
   ASSERT_TRUE(unmap(window, windowSize));
   EXPECT_EQ(table.tablePages(), 1u);
}

struct ReferencePage {
   uint64_t phys;
   PteAttrs attrs;
};

TEST_F(PageTableTest, RandomOperationsMatchAReference)
{
   RandomBackings backings(memory, 99);
   std::map<uint64_t, ReferencePage> reference; // by 4 KiB VA page
   const uint64_t window = kL0Span - 16 * kMiB, windowSize = 32 * kMiB;

   auto check = [&](uint64_t va) {
      const auto translation = table.walk(va);
      const auto expected = reference.find(va & ~(kPage - 1));
      if (expected == reference.end()) {
         EXPECT_FALSE(translation) << std::hex << va;
         return;
      }
      ASSERT_TRUE(translation) << std::hex << va;
      EXPECT_EQ(translation->phys, expected->second.phys + (va & (kPage - 1))) << std::hex << va;
      EXPECT_EQ(translation->attrs, expected->second.attrs) << std::hex << va;
   };

   for (int op = 0; op < 3000; op++) {
      uint64_t va = window + backings.pick(windowSize / kPage) * kPage;
      if (backings.pick(4) == 0)
         va &= ~(kBlock - 1);
      uint64_t size;
      switch (backings.pick(3)) {
      case 0: size = (backings.pick(16) + 1) * kPage; break;
      case 1: size = (backings.pick(1024) + 1) * kPage; break;
      default: size = (backings.pick(4) + 1) * kBlock; break;
      }
      size = std::min(size, window + windowSize - va);

      reference.erase(reference.lower_bound(va), reference.lower_bound(va + size));
      if (backings.pick(5) < 3) {
         const SegmentBacking backing = backings.make(size);
         const PteAttrs attrs{bool(backings.pick(2)), bool(backings.pick(2)),
                              bool(backings.pick(2))};
         ASSERT_TRUE(unmap(va, size));
         ASSERT_TRUE(map(va, size, backing.resolver(), attrs)) << "op " << op;
         for (uint64_t offset = 0; offset < size; offset += kPage) {
            const Backing at = backing.at(offset);
            if (at.phys)
               reference[va + offset] = {at.phys, attrs};
         }
      } else {
         ASSERT_TRUE(unmap(va, size)) << "op " << op;
      }
      ASSERT_EQ(tablePagesInUse(), table.tablePages());

      for (uint64_t edge : {va - 1, va, va + size - 1, va + size})
         check(edge);
      for (int sample = 0; sample < 16; sample++)
         check(window + backings.pick(windowSize));
      if (op % 500 == 499) {
         for (uint64_t page = window; page < window + windowSize; page += kPage)
            check(page + backings.pick(kPage));
      }
      if (HasFailure())
         FAIL() << "after op " << op;
   }

   ASSERT_TRUE(unmap(window, windowSize));
   EXPECT_EQ(table.tablePages(), 1u);
   EXPECT_EQ(tablePagesInUse(), 1u);
}

} // namespace
} // namespace pan::mock
