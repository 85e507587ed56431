// Property test of VM_BIND: thousands of random map / sparse map / unmap ops,
// sent through the ioctl in batches, against a reference model that applies
// the split rules of ABI.md page by page. After every batch the GPU page walk
// must agree with the model at sampled addresses (and at each op's edges);
// now and then every page and the whole mapping tree are compared.
//
// Seeded and reproducible: PAN_MOCK_PROPERTY_SEED=<n> replays one seed; the
// seed is in every failure message.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "MockTestUtil.h"

namespace pan::mock {
namespace {

using namespace testutil;

constexpr uint64_t kWindowBase = kGiB - 32 * kMiB; // crosses a 1 GiB table boundary
constexpr uint64_t kWindowSize = 64 * kMiB;
constexpr uint64_t kWindowPages = kWindowSize / kPage;
constexpr uint64_t kOpsPerRun = 10000;
constexpr unsigned kSamplesPerBatch = 64;
constexpr unsigned kFullCheckEvery = 64; // batches

// What one page of the window holds in the reference model. `origin` is the
// index of the op that mapped it: remainders of one mapping keep it, so the
// mapping tree's entries are exactly the maximal runs of equal origin.
struct PageState {
   enum Kind : uint8_t { Unmapped, Bo, Sparse };
   Kind kind = Unmapped;
   uint8_t bo = 0;
   uint32_t flags = 0;
   uint64_t boOffset = 0; // of this page (Bo only)
   uint64_t origin = 0;
};

class ReferenceVm {
public:
   ReferenceVm() : pages_(kWindowPages) {}

   void apply(const drm_panthor_vm_bind_op &op, uint8_t boIndex, uint64_t origin)
   {
      const uint64_t first = (op.va - kWindowBase) / kPage;
      const uint64_t count = op.size / kPage;
      const uint32_t type = op.flags & DRM_PANTHOR_VM_BIND_OP_TYPE_MASK;
      const uint32_t modifiers = op.flags & ~DRM_PANTHOR_VM_BIND_OP_TYPE_MASK;
      for (uint64_t i = 0; i < count; i++) {
         PageState &page = pages_[first + i];
         if (type == kOpUnmap)
            page = PageState{};
         else if (modifiers & kSparse)
            page = PageState{PageState::Sparse, 0, modifiers, 0, origin};
         else
            page = PageState{PageState::Bo, boIndex, modifiers, op.bo_offset + i * kPage, origin};
      }
   }

   // Unmapped outside the window: no op ever reaches there.
   PageState at(uint64_t va) const
   {
      if (va < kWindowBase || va - kWindowBase >= kWindowSize)
         return {};
      return pages_[(va - kWindowBase) / kPage];
   }

   // Maximal runs of mapped pages with one origin: what the tree should hold.
   size_t runCount() const
   {
      size_t runs = 0;
      for (uint64_t i = 0; i < kWindowPages; i++) {
         const PageState &page = pages_[i];
         if (page.kind != PageState::Unmapped &&
             (i == 0 || pages_[i - 1].kind == PageState::Unmapped || pages_[i - 1].origin != page.origin))
            runs++;
      }
      return runs;
   }

private:
   std::vector<PageState> pages_;
};

struct TestBo {
   uint32_t handle;
   uint64_t size;
   std::shared_ptr<Bo> bo;
};

std::string
describe(const drm_panthor_vm_bind_op &op)
{
   std::ostringstream out;
   out << std::hex << "{flags 0x" << op.flags << " bo " << std::dec << op.bo_handle << std::hex
       << " offset 0x" << op.bo_offset << " va 0x" << op.va << " size 0x" << op.size << "}";
   return out.str();
}

class BindProperty {
public:
   explicit BindProperty(uint64_t seed) : seed_(seed), rng_(seed) {}

   void run()
   {
      dev_ = makeDevice(10);
      ASSERT_NE(dev_, nullptr);
      file_ = dev_->open();
      vmId_ = newVm(*file_);
      vm_ = file_->lookupVm(vmId_);
      ASSERT_NE(vm_, nullptr);
      for (uint64_t size : {64 * kKiB, kMiB + 12 * kKiB, 2 * kMiB, 4 * kMiB + 64 * kKiB, 8 * kMiB}) {
         const uint32_t handle = newBo(*file_, size);
         ASSERT_NE(handle, 0u);
         bos_.push_back({handle, size, file_->lookupBo(handle)});
      }
      dummy_ = dummyBase(*file_);
      ASSERT_NE(dummy_, 0u);
      ASSERT_EQ(file_->sparseDummy(&dummyBo_), 0);

      uint64_t done = 0;
      for (unsigned batch = 0; done < kOpsPerRun; batch++) {
         const uint64_t count = std::min<uint64_t>(1 + below(24), kOpsPerRun - done);
         std::vector<drm_panthor_vm_bind_op> ops;
         std::vector<uint8_t> boIndices;
         for (uint64_t i = 0; i < count; i++) {
            uint8_t boIndex = 0;
            ops.push_back(randomOp(&boIndex));
            boIndices.push_back(boIndex);
         }
         uint32_t reported = 0;
         const int r = bindOps(*file_, vmId_, ops, &reported);
         if (r != 0) {
            ADD_FAILURE() << "seed " << seed_ << " batch " << batch << ": VM_BIND " << r
                          << " at op " << reported << " "
                          << (reported < ops.size() ? describe(ops[reported]) : "?");
            return;
         }
         for (uint64_t i = 0; i < count; i++)
            model_.apply(ops[i], boIndices[i], done + i + 1);
         done += count;

         if (!checkBatch(ops) || (batch % kFullCheckEvery == 0 && !checkEverything())) {
            ADD_FAILURE() << "seed " << seed_ << " batch " << batch << " (ops " << done - count
                          << ".." << done - 1 << ") last op " << describe(ops.back());
            return;
         }
      }
      if (!checkEverything()) {
         ADD_FAILURE() << "seed " << seed_ << " after the last batch";
         return;
      }
      EXPECT_GT(blockLeavesSeen_, 0u) << "seed " << seed_ << ": no 2 MiB block was ever walked";

      ASSERT_EQ(bindOne(*file_, vmId_, unmapOp(kWindowBase, kWindowSize)), 0);
      EXPECT_EQ(vm_->mappingCount(), 0u);
      EXPECT_EQ(vm_->counters().tablePages, 1u) << "seed " << seed_ << ": table pages leaked";
      EXPECT_EQ(pagesInUse(*dev_, AllocSite::PageTablePages), 1u) << "seed " << seed_;
   }

private:
   uint64_t below(uint64_t n) { return n ? rng_() % n : 0; }

   uint32_t randomAttrs()
   {
      const uint32_t bits = uint32_t(below(8));
      return (bits & 1 ? kReadOnly : 0) | (bits & 2 ? kNoExec : 0) | (bits & 4 ? kUncached : 0);
   }

   // A page count in [1, limit], small ones often, so edges are many.
   uint64_t randomPages(uint64_t limit)
   {
      return 1 + below(below(2) ? std::min<uint64_t>(limit, 16) : limit);
   }

   drm_panthor_vm_bind_op randomOp(uint8_t *boIndex)
   {
      const uint64_t kind = below(100);
      const bool blocks = below(4) == 0;
      if (kind < 55) {
         *boIndex = uint8_t(below(bos_.size()));
         const uint64_t boSize = bos_[*boIndex].size;
         if (blocks && boSize >= kBlock) {
            const uint64_t size = kBlock * (1 + below(boSize / kBlock));
            const uint64_t offset = kBlock * below((boSize - size) / kBlock + 1);
            const uint64_t va = kWindowBase + kBlock * below((kWindowSize - size) / kBlock + 1);
            return mapOp(bos_[*boIndex].handle, offset, va, size, randomAttrs());
         }
         const uint64_t pages = randomPages(boSize / kPage);
         const uint64_t offset = kPage * below(boSize / kPage - pages + 1);
         const uint64_t va = kWindowBase + kPage * below(kWindowPages - pages + 1);
         return mapOp(bos_[*boIndex].handle, offset, va, pages * kPage, randomAttrs());
      }
      uint64_t size, va;
      if (blocks) {
         size = kBlock * (1 + below(8));
         va = kWindowBase + kBlock * below((kWindowSize - size) / kBlock + 1);
      } else {
         size = kPage * randomPages(kind < 75 ? 2048 : 4096);
         va = kWindowBase + kPage * below(kWindowPages - size / kPage + 1);
      }
      if (kind < 75)
         return sparseOp(va, size, kNoExec | randomAttrs());
      return unmapOp(va, size);
   }

   bool checkVa(uint64_t va)
   {
      const PageState expected = model_.at(va);
      const auto t = vm_->translate(va);
      std::ostringstream where;
      where << "seed " << seed_ << std::hex << " va 0x" << va << ": ";
      if (expected.kind == PageState::Unmapped) {
         if (t) {
            ADD_FAILURE() << where.str() << "translates to 0x" << t->phys << ", model: unmapped";
            return false;
         }
         return true;
      }
      if (!t) {
         ADD_FAILURE() << where.str() << "does not translate, model: mapped by op "
                       << std::dec << expected.origin;
         return false;
      }
      const uint64_t inPage = va % kPage;
      const uint64_t phys = expected.kind == PageState::Sparse
                               ? dummy_ + va % kBlock
                               : bos_[expected.bo].bo->backingAt(expected.boOffset + inPage).phys;
      const PteAttrs attrs = pteAttrsFromBindFlags(expected.flags);
      if (t->phys != phys || !(t->attrs == attrs)) {
         ADD_FAILURE() << where.str() << "walk gives phys 0x" << t->phys << " attrs "
                       << t->attrs.readOnly << t->attrs.noExec << t->attrs.uncached
                       << ", model: phys 0x" << phys << " attrs " << attrs.readOnly
                       << attrs.noExec << attrs.uncached << " (op " << std::dec
                       << expected.origin << ")";
         return false;
      }
      if (t->level == 2)
         blockLeavesSeen_++;
      return true;
   }

   bool checkBatch(const std::vector<drm_panthor_vm_bind_op> &ops)
   {
      for (unsigned i = 0; i < kSamplesPerBatch; i++) {
         if (!checkVa(kWindowBase + below(kWindowSize)))
            return false;
      }
      for (const drm_panthor_vm_bind_op &op : ops) {
         for (uint64_t va : {op.va - 1, op.va, op.va + op.size - 1, op.va + op.size}) {
            if (!checkVa(va))
               return false;
         }
      }
      return true;
   }

   // Every page of the window, and the tree: one mapping per maximal run of
   // pages mapped by the same op (remainders are never merged back).
   bool checkEverything()
   {
      for (uint64_t va = kWindowBase - kBlock; va < kWindowBase + kWindowSize + kBlock; va += kPage) {
         if (!checkVa(va + (va / kPage) % kPage))
            return false;
      }
      bool ok = true;
      uint64_t expectedStart = kWindowBase;
      vm_->forEachMapping([&](const Mapping &m) {
         if (!ok)
            return;
         const PageState first = model_.at(m.va);
         const PageState before = model_.at(m.va - kPage);
         const PageState after = model_.at(m.end());
         bool same = first.kind != PageState::Unmapped;
         for (uint64_t va = m.va; same && va < m.end(); va += kPage)
            same = model_.at(va).origin == first.origin;
         const bool maximal = (before.kind == PageState::Unmapped || before.origin != first.origin) &&
                              (after.kind == PageState::Unmapped || after.origin != first.origin);
         const bool rightBo = first.kind == PageState::Sparse
                                 ? m.bo == dummyBo_ && m.cycle == kBlock && m.boOffset == m.va % kBlock
                                 : m.bo == bos_[first.bo].bo && m.boOffset == first.boOffset;
         if (!same || !maximal || !rightBo || m.flags != first.flags || m.va < expectedStart) {
            ADD_FAILURE() << "seed " << seed_ << std::hex << ": tree mapping [0x" << m.va << ", 0x"
                          << m.end() << ") offset 0x" << m.boOffset << " flags 0x" << m.flags
                          << " disagrees with the model (op " << std::dec << first.origin << ")";
            ok = false;
         }
         expectedStart = m.end();
      });
      if (ok && vm_->mappingCount() != model_.runCount()) {
         ADD_FAILURE() << "seed " << seed_ << ": " << vm_->mappingCount()
                       << " mappings in the tree, the model has " << model_.runCount();
         ok = false;
      }
      return ok;
   }

   const uint64_t seed_;
   std::mt19937_64 rng_;
   std::shared_ptr<Device> dev_;
   std::shared_ptr<File> file_;
   uint32_t vmId_ = 0;
   std::shared_ptr<Vm> vm_;
   std::vector<TestBo> bos_;
   uint64_t dummy_ = 0;
   std::shared_ptr<Bo> dummyBo_;
   ReferenceVm model_;
   uint64_t blockLeavesSeen_ = 0;
};

std::vector<uint64_t>
seeds()
{
   if (const char *forced = getenv("PAN_MOCK_PROPERTY_SEED"))
      return {strtoull(forced, nullptr, 0)};
   return {0x5eed0001, 0x5eed0002, 0x5eed0003};
}

class BindPropertyTest : public ::testing::TestWithParam<uint64_t> {};

INSTANTIATE_TEST_SUITE_P(Seeds, BindPropertyTest, ::testing::ValuesIn(seeds()));

TEST_P(BindPropertyTest, RandomBindsMatchTheReferenceModel)
{
   SCOPED_TRACE(::testing::Message() << "seed " << GetParam()
                                     << " (replay with PAN_MOCK_PROPERTY_SEED=" << GetParam() << ")");
   BindProperty(GetParam()).run();
}

} // namespace
} // namespace pan::mock
