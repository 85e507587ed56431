// The per-slot translation cache on its own: page and block entries, range
// invalidation (small ranges and huge ones), and its size bound.
#include <gtest/gtest.h>

#include "mock/Tlb.h"

namespace pan::mock {
namespace {

constexpr uint64_t kPage = 4096;
constexpr uint64_t kBlock = 2ull << 20;
constexpr uint64_t kPhys = 0x7f0000000000;

Translation
leaf(uint64_t phys, uint64_t size, PteAttrs attrs = {})
{
   Translation t;
   t.phys = phys;
   t.leafSize = size;
   t.level = size == kBlock ? 2 : 3;
   t.attrs = attrs;
   return t;
}

TEST(MmuTlbTest, PageEntriesTranslateEveryByteOfTheirPage)
{
   Tlb tlb;
   tlb.insert(0x10000 + 123, leaf(kPhys + 123, kPage, {.readOnly = true}));
   const auto hit = tlb.lookup(0x10000 + 4000);
   ASSERT_TRUE(hit);
   EXPECT_EQ(hit->phys, kPhys + 4000);
   EXPECT_EQ(hit->level, 3u);
   EXPECT_TRUE(hit->attrs.readOnly);
   EXPECT_FALSE(tlb.lookup(0x10000 + kPage));
   EXPECT_FALSE(tlb.lookup(0x10000 - 1));
}

TEST(MmuTlbTest, BlockEntriesCoverTwoMiB)
{
   Tlb tlb;
   tlb.insert(4 * kBlock + 77, leaf(kPhys + 77, kBlock));
   const auto hit = tlb.lookup(4 * kBlock + kBlock - 1);
   ASSERT_TRUE(hit);
   EXPECT_EQ(hit->phys, kPhys + kBlock - 1);
   EXPECT_EQ(hit->level, 2u);
   EXPECT_EQ(hit->leafSize, kBlock);
   EXPECT_FALSE(tlb.lookup(5 * kBlock));
}

TEST(MmuTlbTest, InvalidateDropsEveryOverlappingLeaf)
{
   Tlb tlb;
   for (uint64_t i = 0; i < 8; i++)
      tlb.insert(i * kPage, leaf(kPhys + i * kPage, kPage));
   tlb.insert(kBlock, leaf(kPhys + kBlock, kBlock));
   // One byte of page 2 through one byte of page 4, and the block's last page.
   EXPECT_EQ(tlb.invalidate(2 * kPage + kPage - 1, kPage + 2), 3u);
   EXPECT_TRUE(tlb.lookup(kPage));
   EXPECT_FALSE(tlb.lookup(2 * kPage));
   EXPECT_FALSE(tlb.lookup(4 * kPage));
   EXPECT_TRUE(tlb.lookup(5 * kPage));
   EXPECT_EQ(tlb.invalidate(2 * kBlock - kPage, kPage), 1u) << "a partial range drops the whole block";
   EXPECT_FALSE(tlb.lookup(kBlock));
   EXPECT_EQ(tlb.size(), 5u);
}

TEST(MmuTlbTest, HugeRangesScanTheCacheInstead)
{
   Tlb tlb;
   tlb.insert(1ull << 40, leaf(kPhys, kPage));
   tlb.insert((1ull << 40) + 3 * kBlock, leaf(kPhys, kBlock));
   tlb.insert(1ull << 20, leaf(kPhys, kPage));
   EXPECT_EQ(tlb.invalidate(1ull << 39, 1ull << 41), 2u);
   EXPECT_EQ(tlb.size(), 1u);
   EXPECT_EQ(tlb.invalidate(0, UINT64_MAX), 1u) << "a range reaching the top saturates";
   EXPECT_EQ(tlb.size(), 0u);
}

TEST(MmuTlbTest, SizeIsBounded)
{
   Tlb tlb;
   for (uint64_t i = 0; i < 3 * Tlb::kCapacity; i++)
      tlb.insert(i * kPage, leaf(kPhys + i * kPage, kPage));
   EXPECT_EQ(tlb.size(), Tlb::kCapacity);
   const uint64_t last = (3 * Tlb::kCapacity - 1) * kPage;
   EXPECT_TRUE(tlb.lookup(last)) << "the newest entry is kept";
   tlb.flush();
   EXPECT_EQ(tlb.size(), 0u);
}

} // namespace
} // namespace pan::mock
