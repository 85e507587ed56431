#include "mock/MappingTree.h"

#include <gtest/gtest.h>

#include <limits>
#include <optional>
#include <ostream>
#include <random>

#include "drm-uapi/panthor_drm.h"

namespace pan::mock {
namespace {

constexpr uint64_t kPage = 0x1000;
constexpr uint64_t kCycle = 0x200000; // the sparse dummy BO's size
constexpr uint64_t kTop = std::numeric_limits<uint64_t>::max();
constexpr uint32_t kRo = DRM_PANTHOR_VM_BIND_OP_MAP_READONLY;
constexpr uint32_t kNx = DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC;
constexpr uint32_t kSparse = DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE | kNx;

// Distinct non-null BO identities without a Bo definition: each aliases one int
// of a shared array (never dereferenced as a Bo). Id 0 is the null BO.
class FakeBos {
public:
   static constexpr int kCount = 6;

   std::shared_ptr<Bo> get(int id) const
   {
      if (id == 0)
         return nullptr;
      return std::shared_ptr<Bo>(storage_, static_cast<Bo *>(static_cast<void *>(&storage_[id])));
   }

   int idOf(const std::shared_ptr<Bo> &bo) const
   {
      for (int id = 0; id < kCount; ++id)
         if (get(id).get() == bo.get())
            return id;
      return -1;
   }

private:
   std::shared_ptr<int[]> storage_ = std::make_shared<int[]>(kCount);
};

// A mapping as the tests write it: the BO named by its FakeBos id.
struct Spec {
   uint64_t va = 0;
   uint64_t size = 0;
   int bo = 0;
   uint64_t boOffset = 0;
   uint32_t flags = 0;
   uint64_t cycle = 0;
   bool operator==(const Spec &) const = default;
};

std::ostream &operator<<(std::ostream &os, const Spec &s)
{
   return os << std::hex << "{va 0x" << s.va << " size 0x" << s.size << " bo " << s.bo
             << " off 0x" << s.boOffset << " flags 0x" << s.flags << " cycle 0x" << s.cycle
             << "}";
}

class Fixture {
public:
   Mapping mapping(const Spec &s) const
   {
      return Mapping{s.va, s.size, bos.get(s.bo), s.boOffset, s.flags, s.cycle};
   }
   Spec spec(const Mapping &m) const
   {
      return Spec{m.va, m.size, bos.idOf(m.bo), m.boOffset, m.flags, m.cycle};
   }
   std::vector<Spec> specs(const std::vector<Mapping> &ms) const
   {
      std::vector<Spec> out;
      for (const Mapping &m : ms)
         out.push_back(spec(m));
      return out;
   }
   std::vector<Spec> contents() const
   {
      std::vector<Spec> out;
      tree.forEach([&](const Mapping &m) { out.push_back(spec(m)); });
      return out;
   }
   void fill(const std::vector<Spec> &mappings)
   {
      for (const Spec &s : mappings)
         ASSERT_TRUE(tree.insert(mapping(s))) << s;
   }

   FakeBos bos;
   MappingTree tree;
};

// One split scenario: the tree before, one MAP (remove + insert, as VM_BIND does)
// or UNMAP, and everything the operation must produce.
struct SplitCase {
   const char *name;
   std::vector<Spec> before;
   uint64_t va = 0;
   uint64_t size = 0;
   std::optional<Spec> map; // absent: a plain remove of [va, va + size)
   std::vector<Spec> after;
   std::vector<Spec> removed;
   bool prev = false;
   bool next = false;
};

SplitCase mapCase(const char *name, std::vector<Spec> before, Spec map, std::vector<Spec> after,
                  std::vector<Spec> removed, bool prev, bool next)
{
   return {name, std::move(before), map.va, map.size, map, std::move(after), std::move(removed),
           prev, next};
}

SplitCase unmapCase(const char *name, std::vector<Spec> before, uint64_t va, uint64_t size,
                    std::vector<Spec> after, std::vector<Spec> removed, bool prev, bool next)
{
   return {name, std::move(before), va, size, std::nullopt, std::move(after), std::move(removed),
           prev, next};
}

const Spec kA{0x10000, 0x10000, 1, 0x1000, kNx}; // [0x10000, 0x20000) of BO 1 at 0x1000
const Spec kDummy{0x1ff000, 0x3000, 5, 0x1ff000, kSparse, kCycle};

const std::vector<SplitCase> kSplitCases = {
   mapCase("MapIntoEmpty", {}, {0x10000, 0x4000, 2, 0x2000, kRo},
           {{0x10000, 0x4000, 2, 0x2000, kRo}}, {}, false, false),
   mapCase("MapOverMiddle", {kA}, {0x14000, 0x2000, 2, 0, 0},
           {{0x10000, 0x4000, 1, 0x1000, kNx}, {0x14000, 0x2000, 2, 0, 0},
            {0x16000, 0xa000, 1, 0x7000, kNx}},
           {{0x14000, 0x2000, 1, 0x5000, kNx}}, true, true),
   mapCase("MapOverStart", {kA}, {0xe000, 0x4000, 2, 0, 0},
           {{0xe000, 0x4000, 2, 0, 0}, {0x12000, 0xe000, 1, 0x3000, kNx}},
           {{0x10000, 0x2000, 1, 0x1000, kNx}}, false, true),
   mapCase("MapOverEnd", {kA}, {0x1c000, 0x8000, 2, 0, 0},
           {{0x10000, 0xc000, 1, 0x1000, kNx}, {0x1c000, 0x8000, 2, 0, 0}},
           {{0x1c000, 0x4000, 1, 0xd000, kNx}}, true, false),
   mapCase("MapExactlyOver", {kA}, {0x10000, 0x10000, 2, 0x40000, kRo},
           {{0x10000, 0x10000, 2, 0x40000, kRo}}, {kA}, false, false),
   mapCase("MapAcrossSeveralWithPartialEnds",
           {{0x10000, 0x4000, 1, 0, 0}, {0x16000, 0x4000, 2, 0x10000, kRo},
            {0x1a000, 0x4000, 3, 0x20000, kNx}},
           {0x12000, 0xa000, 4, 0x8000, 0},
           {{0x10000, 0x2000, 1, 0, 0}, {0x12000, 0xa000, 4, 0x8000, 0},
            {0x1c000, 0x2000, 3, 0x22000, kNx}},
           {{0x12000, 0x2000, 1, 0x2000, 0}, {0x16000, 0x4000, 2, 0x10000, kRo},
            {0x1a000, 0x2000, 3, 0x20000, kNx}},
           true, true),
   mapCase("MapNextToSameBoStaysSeparate", {{0x10000, 0x4000, 1, 0, 0}},
           {0x14000, 0x4000, 1, 0x4000, 0},
           {{0x10000, 0x4000, 1, 0, 0}, {0x14000, 0x4000, 1, 0x4000, 0}}, {}, false, false),
   mapCase("RemapSameBackingStaysSplit", {kA}, {0x14000, 0x2000, 1, 0x5000, kNx},
           {{0x10000, 0x4000, 1, 0x1000, kNx}, {0x14000, 0x2000, 1, 0x5000, kNx},
            {0x16000, 0xa000, 1, 0x7000, kNx}},
           {{0x14000, 0x2000, 1, 0x5000, kNx}}, true, true),
   unmapCase("RemoveNothingInEmpty", {}, 0x10000, 0x4000, {}, {}, false, false),
   unmapCase("RemoveNothingInGap", {{0x10000, 0x4000, 1, 0, 0}, {0x18000, 0x4000, 2, 0, 0}},
             0x14000, 0x4000, {{0x10000, 0x4000, 1, 0, 0}, {0x18000, 0x4000, 2, 0, 0}}, {},
             false, false),
   unmapCase("RemoveEndingAtMappingStart", {kA}, 0xc000, 0x4000, {kA}, {}, false, false),
   unmapCase("RemoveStartingAtMappingEnd", {kA}, 0x20000, 0x4000, {kA}, {}, false, false),
   unmapCase("RemoveSizeZero", {kA}, 0x14000, 0, {kA}, {}, false, false),
   unmapCase("RemoveExactlyTheSecondOfTwoAdjacent",
             {{0x10000, 0x4000, 1, 0, 0}, {0x14000, 0x4000, 2, 0, 0}}, 0x14000, 0x4000,
             {{0x10000, 0x4000, 1, 0, 0}}, {{0x14000, 0x4000, 2, 0, 0}}, false, false),
   unmapCase("RemoveBothAdjacentAtTheirOuterBoundaries",
             {{0x10000, 0x4000, 1, 0, 0}, {0x14000, 0x4000, 2, 0, 0}}, 0x10000, 0x8000, {},
             {{0x10000, 0x4000, 1, 0, 0}, {0x14000, 0x4000, 2, 0, 0}}, false, false),
   unmapCase("RemoveAcrossTheBoundaryOfTwoAdjacent",
             {{0x10000, 0x4000, 1, 0, 0}, {0x14000, 0x4000, 2, 0x8000, 0}}, 0x12000, 0x4000,
             {{0x10000, 0x2000, 1, 0, 0}, {0x16000, 0x2000, 2, 0xa000, 0}},
             {{0x12000, 0x2000, 1, 0x2000, 0}, {0x14000, 0x2000, 2, 0x8000, 0}}, true, true),
   unmapCase("CyclicNextRemainderWraps", {kDummy}, 0x1ff000, 0x1000,
             {{0x200000, 0x2000, 5, 0, kSparse, kCycle}},
             {{0x1ff000, 0x1000, 5, 0x1ff000, kSparse, kCycle}}, false, true),
   unmapCase("CyclicCutInsideAfterTheWrap", {kDummy}, 0x200000, 0x1000,
             {{0x1ff000, 0x1000, 5, 0x1ff000, kSparse, kCycle},
              {0x201000, 0x1000, 5, 0x1000, kSparse, kCycle}},
             {{0x200000, 0x1000, 5, 0, kSparse, kCycle}}, true, true),
   unmapCase("RangeRunningPastTopOfAddressSpace",
             {kA, {0xffff'ffff'ffff'0000, 0x8000, 2, 0, 0}}, 0xffff'ffff'ffff'4000, kTop,
             {kA, {0xffff'ffff'ffff'0000, 0x4000, 2, 0, 0}},
             {{0xffff'ffff'ffff'4000, 0x4000, 2, 0x4000, 0}}, true, false),
   unmapCase("WholeAddressSpace", {kA, {0xffff'ffff'ffff'0000, 0x8000, 2, 0, 0}}, 0, kTop, {},
             {kA, {0xffff'ffff'ffff'0000, 0x8000, 2, 0, 0}}, false, false),
};

class MappingTreeSplit : public testing::TestWithParam<SplitCase> {};

TEST_P(MappingTreeSplit, ProducesExactTree)
{
   const SplitCase &c = GetParam();
   Fixture f;
   f.fill(c.before);

   RemoveResult result = f.tree.remove(c.va, c.size);
   if (c.map) {
      ASSERT_TRUE(f.tree.insert(f.mapping(*c.map)));
   }

   EXPECT_EQ(f.contents(), c.after);
   EXPECT_EQ(f.specs(result.removed), c.removed);
   EXPECT_EQ(result.prevRemainder, c.prev);
   EXPECT_EQ(result.nextRemainder, c.next);
   EXPECT_EQ(f.tree.count(), c.after.size());
}

INSTANTIATE_TEST_SUITE_P(Cases, MappingTreeSplit, testing::ValuesIn(kSplitCases),
                         [](const testing::TestParamInfo<SplitCase> &info) {
                            return std::string(info.param.name);
                         });

TEST(MappingTree, BoOffsetAtLinearAndCyclic)
{
   const Mapping linear{0x10000, 0x4000, nullptr, 0x3000, 0, 0};
   EXPECT_EQ(linear.boOffsetAt(0x10000), 0x3000u);
   EXPECT_EQ(linear.boOffsetAt(0x13fff), 0x6fffu);

   const Mapping cyclic{0x1ff000, 0x203000, nullptr, 0x1ff000, kSparse, kCycle};
   EXPECT_EQ(cyclic.boOffsetAt(0x1ff000), 0x1ff000u);
   EXPECT_EQ(cyclic.boOffsetAt(0x200000), 0u);
   EXPECT_EQ(cyclic.boOffsetAt(0x3ff000), 0x1ff000u);
   EXPECT_EQ(cyclic.boOffsetAt(0x400000), 0u);
   EXPECT_EQ(cyclic.boOffsetAt(0x401234), 0x1234u);
}

TEST(MappingTree, InsertRefusesOverlapsAndEmptyOrWrappingRanges)
{
   Fixture f;
   f.fill({{0x10000, 0x4000, 1, 0, 0}, {0x20000, 0x4000, 2, 0, 0}});
   const std::vector<Spec> before = f.contents();

   const std::vector<Spec> refused = {
      {0x0e000, 0x4000, 3, 0, 0},   // over the start of the first
      {0x13000, 0x2000, 3, 0, 0},   // over its end
      {0x11000, 0x1000, 3, 0, 0},   // strictly inside
      {0x10000, 0x4000, 3, 0, 0},   // exactly on it
      {0x0f000, 0x20000, 3, 0, 0},  // containing both
      {0x13000, 0xe000, 3, 0, 0},   // bridging the gap into the second
      {0x13fff, 0x1000, 3, 0, 0},   // its last byte only
      {0x0f001, 0x1000, 3, 0, 0},   // its first byte only
      {0x18000, 0, 3, 0, 0},        // empty
      {0xffff'ffff'ffff'f000, 0x2000, 3, 0, 0}, // wraps past 2^64
      {0xffff'ffff'ffff'f000, 0x1000, 3, 0, 0}, // ends exactly at 2^64
   };
   for (const Spec &s : refused) {
      EXPECT_FALSE(f.tree.insert(f.mapping(s))) << s;
      EXPECT_EQ(f.contents(), before) << s;
   }

   // Filling the gap exactly is no overlap.
   EXPECT_TRUE(f.tree.insert(f.mapping({0x14000, 0xc000, 3, 0, 0})));
   EXPECT_EQ(f.tree.count(), 3u);
}

TEST(MappingTree, FindAndOverlapping)
{
   Fixture f;
   f.fill({{0x10000, 0x4000, 1, 0, 0}, {0x14000, 0x4000, 2, 0, 0}, {0x20000, 0x1000, 3, 0, 0}});

   EXPECT_EQ(f.tree.find(0xffff), nullptr);
   ASSERT_NE(f.tree.find(0x10000), nullptr);
   EXPECT_EQ(f.tree.find(0x10000)->va, 0x10000u);
   EXPECT_EQ(f.tree.find(0x13fff)->va, 0x10000u);
   EXPECT_EQ(f.tree.find(0x14000)->va, 0x14000u);
   EXPECT_EQ(f.tree.find(0x18000), nullptr);
   EXPECT_EQ(f.tree.find(0x20fff)->va, 0x20000u);
   EXPECT_EQ(f.tree.find(0x21000), nullptr);
   EXPECT_EQ(f.tree.find(kTop), nullptr);

   EXPECT_EQ(f.specs(f.tree.overlapping(0x13fff, 0x10000)),
             (std::vector<Spec>{{0x10000, 0x4000, 1, 0, 0}, {0x14000, 0x4000, 2, 0, 0},
                                {0x20000, 0x1000, 3, 0, 0}}));
   EXPECT_EQ(f.specs(f.tree.overlapping(0x14000, 0x1)),
             (std::vector<Spec>{{0x14000, 0x4000, 2, 0, 0}}));
   EXPECT_TRUE(f.tree.overlapping(0x18000, 0x8000).empty());
   EXPECT_TRUE(f.tree.overlapping(0x10000, 0).empty());
   EXPECT_EQ(f.tree.overlapping(0x1f000, kTop).size(), 1u);

   f.tree.clear();
   EXPECT_TRUE(f.tree.empty());
   EXPECT_EQ(f.tree.find(0x10000), nullptr);
}

TEST(MappingTree, RemainderKeepsItsBoAlive)
{
   Fixture f;
   auto bo = f.bos.get(1);
   const long baseline = bo.use_count();
   f.fill({{0x10000, 0x4000, 1, 0, 0}});
   RemoveResult r = f.tree.remove(0x11000, 0x1000);
   EXPECT_EQ(bo.use_count(), baseline + 3); // prev, next and the removed part
   r.removed.clear();
   f.tree.clear();
   EXPECT_EQ(bo.use_count(), baseline);
}

// Randomized remove/insert against a per-page model of the address space.
class PageModel {
public:
   struct Page {
      int bo;
      uint64_t boOffset;
      uint32_t flags;
      uint64_t cycle;
   };

   void map(const Spec &s)
   {
      for (uint64_t delta = 0; delta < s.size; delta += kPage) {
         uint64_t offset = s.boOffset + delta;
         pages_[s.va + delta] = {s.bo, s.cycle ? offset % s.cycle : offset, s.flags, s.cycle};
      }
   }
   // Pages of [va, va + size) (to 2^64 if that wraps), removed and returned.
   std::map<uint64_t, Page> unmap(uint64_t va, uint64_t size)
   {
      auto first = pages_.lower_bound(va);
      auto stop = size > kTop - va ? pages_.end() : pages_.lower_bound(va + size);
      std::map<uint64_t, Page> taken(first, stop);
      pages_.erase(first, stop);
      return taken;
   }
   bool anyIn(uint64_t va, uint64_t size) const
   {
      auto it = pages_.lower_bound(va);
      return it != pages_.end() && it->first < va + size;
   }
   const std::map<uint64_t, Page> &pages() const { return pages_; }

private:
   std::map<uint64_t, Page> pages_;
};

// Every page of `mappings` is in `expected` with the same backing, and nothing else is.
void expectSamePages(const Fixture &f, const std::vector<Mapping> &mappings,
                     const std::map<uint64_t, PageModel::Page> &expected, const char *what)
{
   uint64_t pageCount = 0;
   uint64_t previousEnd = 0;
   for (const Mapping &m : mappings) {
      ASSERT_GT(m.size, 0u) << what;
      ASSERT_GE(m.va, previousEnd) << what << ": overlap or out of order at " << f.spec(m);
      previousEnd = m.end();
      for (uint64_t va = m.va; va < m.end(); va += kPage) {
         auto it = expected.find(va);
         ASSERT_NE(it, expected.end()) << what << ": unexpected page 0x" << std::hex << va;
         const PageModel::Page &p = it->second;
         ASSERT_EQ(f.bos.idOf(m.bo), p.bo) << what << " at 0x" << std::hex << va;
         ASSERT_EQ(m.boOffsetAt(va), p.boOffset) << what << " at 0x" << std::hex << va;
         ASSERT_EQ(m.flags, p.flags) << what;
         ASSERT_EQ(m.cycle, p.cycle) << what;
         ++pageCount;
      }
   }
   ASSERT_EQ(pageCount, expected.size()) << what;
}

TEST(MappingTree, RandomizedAgainstPageModel)
{
   constexpr uint64_t kBase = 0x100000;
   constexpr uint64_t kWindowPages = 512;
   constexpr uint64_t kSmallCycle = 16 * kPage;
   std::mt19937_64 rng(20250614);
   auto below = [&](uint64_t n) { return std::uniform_int_distribution<uint64_t>(0, n - 1)(rng); };

   Fixture f;
   PageModel model;
   for (int step = 0; step < 10000; ++step) {
      SCOPED_TRACE(step);
      const uint64_t va = kBase + below(kWindowPages) * kPage;
      const uint64_t size = (1 + below(64)) * kPage;
      const bool cyclic = below(4) == 0;
      const Spec s{va, size, static_cast<int>(below(FakeBos::kCount)),
                   cyclic ? below(16) * kPage : below(1024) * kPage,
                   static_cast<uint32_t>(below(16)), cyclic ? kSmallCycle : 0};
      const uint64_t kind = below(100);

      if (kind < 20) {
         const bool free = !model.anyIn(va, size);
         ASSERT_EQ(f.tree.insert(f.mapping(s)), free) << s;
         if (free)
            model.map(s);
      } else {
         // Now and then a range that runs past 2^64, as an unvalidated caller might pass.
         const uint64_t removeSize = kind == 99 ? kTop : size;
         RemoveResult r = f.tree.remove(va, removeSize);
         const auto taken = model.unmap(va, removeSize);
         expectSamePages(f, r.removed, taken, "removed");
         if (kind < 60) {
            ASSERT_TRUE(f.tree.insert(f.mapping(s))) << s;
            model.map(s);
         }
      }

      std::vector<Mapping> all;
      f.tree.forEach([&](const Mapping &m) { all.push_back(m); });
      ASSERT_EQ(all.size(), f.tree.count());
      expectSamePages(f, all, model.pages(), "tree");

      for (int sample = 0; sample < 8; ++sample) {
         const uint64_t addr = kBase - 4 * kPage + below((kWindowPages + 72) * kPage);
         const Mapping *m = f.tree.find(addr);
         auto it = model.pages().find(addr & ~(kPage - 1));
         if (it == model.pages().end()) {
            ASSERT_EQ(m, nullptr) << std::hex << addr;
            continue;
         }
         ASSERT_NE(m, nullptr) << std::hex << addr;
         ASSERT_EQ(f.bos.idOf(m->bo), it->second.bo);
         ASSERT_EQ(m->boOffsetAt(addr), it->second.boOffset + (addr & (kPage - 1)));
      }

      const uint64_t queryVa = kBase + below(kWindowPages) * kPage;
      const uint64_t querySize = 1 + below(64 * kPage);
      std::vector<Mapping> expected;
      for (const Mapping &m : all)
         if (m.va < queryVa + querySize && m.end() > queryVa)
            expected.push_back(m);
      ASSERT_EQ(f.specs(f.tree.overlapping(queryVa, querySize)), f.specs(expected));
   }
}

} // namespace
} // namespace pan::mock
