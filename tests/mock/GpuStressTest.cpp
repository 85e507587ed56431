// Several threads bind (VM_BIND through File::ioctl) and access (through the
// MMU) at once, on one shared VM and on VMs of their own, more VMs than there
// are address-space slots. Each thread keeps a page-by-page model of what it
// bound and checks every access against it: how far it got, where it
// faulted, and the bytes it reads back. Meant to run under ThreadSanitizer.
//
// The rules that keep the test itself race-free (two GPU writes to one byte
// are a data race for TSan, as for any CPU): a thread binds only inside its
// own VA window, writes only to its own BOs, and only reads what others may
// see (the sparse dummy and a shared alloc-on-fault BO, which stay zero).
#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <sstream>
#include <thread>
#include <unordered_set>

#include "MmuTestFixture.h"

namespace pan::mock {
namespace {

using namespace testutil;

constexpr unsigned kThreads = 4;
constexpr unsigned kPrivateVmsPerThread = 3; // 12 + 1 VMs for 8 slots
constexpr unsigned kIterations = 2500;
constexpr uint64_t kWindowBase = 1 * kGiB;
constexpr uint64_t kWindowSize = 64 * kMiB;
constexpr uint64_t kStableSize = 2 * kMiB; // the start of each window in the shared VM
constexpr uint64_t kWindowPages = kWindowSize / kPage;
constexpr uint64_t kChurnBoSize = 2 * kMiB;
constexpr uint64_t kAofSize = 4 * kMiB;
// Replaced BOs live on while mapped: a bound keeps the memory in use modest.
constexpr unsigned kMaxReplacements = 40;
constexpr uint32_t kStableSerial = 0xffff;
constexpr uint32_t kAofGranularity = 64 * 1024;

enum class Page : uint8_t {
   Unmapped,
   Own,         // one of the thread's BOs: read and write
   OwnReadOnly, // mapped READONLY: writes fault
   SharedZero,  // the sparse dummy or the shared alloc-on-fault BO: read only, by convention
};

struct PageModel {
   Page state = Page::Unmapped;
   uint32_t backing = 0; // Own pages: (BO serial << 16) | page in the BO, to spot aliases
};

// One VA window of one VM, as the thread that owns the window bound it.
struct Window {
   std::shared_ptr<Vm> vm;
   uint32_t vmId = 0;
   uint64_t base = 0;
   bool shared = false; // other threads use the VM: no access may fault unhandled
   std::vector<PageModel> pages = std::vector<PageModel>(kWindowPages);
};

class GpuStressTest : public MmuFixture {
protected:
   GpuStressTest() : MmuFixture(1 * kGiB) {}
};

class Worker {
public:
   Worker(Device &device, File &file, unsigned index, std::shared_ptr<Vm> sharedVm,
          uint32_t sharedVmId, uint32_t sharedAof)
      : device_(device), file_(file), index_(index), rng_(1234 + index), sharedAof_(sharedAof)
   {
      windows_.resize(1 + kPrivateVmsPerThread);
      windows_[0].vm = std::move(sharedVm);
      windows_[0].vmId = sharedVmId;
      windows_[0].shared = true;
      for (unsigned i = 0; i < windows_.size(); i++)
         windows_[i].base = kWindowBase + index * kWindowSize;
      for (unsigned i = 1; i < windows_.size(); i++) {
         windows_[i].vmId = newVm(file_);
         windows_[i].vm = file_.lookupVm(windows_[i].vmId);
      }
      for (unsigned slot = 0; slot < 3; slot++)
         createBo(slot);
      stableBo_ = newBo(file_, kStableSize);
      stableShadow_.assign(kStableSize, 0);
      if (bindOne(file_, windows_[0].vmId, mapOp(stableBo_, 0, windows_[0].base, kStableSize)))
         fail("stable map");
      for (uint64_t p = 0; p < kStableSize / kPage; p++)
         windows_[0].pages[p] = PageModel{Page::Own, (kStableSerial << 16) | uint32_t(p)};
   }

   void run()
   {
      for (unsigned i = 0; i < kIterations && error_.empty(); i++) {
         switch (rng_() % 8) {
         case 0:
         case 1: bind(); break;
         case 2: stableAccess(); break;
         case 3:
            if (replacements_ < kMaxReplacements && below(4) == 0)
               replaceBo();
            break;
         default: churnAccess(); break;
         }
      }
      checkStable();
   }

   const std::string &error() const { return error_; }

private:
   void fail(const std::string &what)
   {
      if (error_.empty())
         error_ = "thread " + std::to_string(index_) + ": " + what;
   }

   uint64_t below(uint64_t n) { return rng_() % n; }

   // A random page range of the churn part of a window (never the stable part).
   void pickRange(uint64_t *firstPage, uint64_t *pageCount)
   {
      const uint64_t firstChurn = kStableSize / kPage;
      const bool blocks = below(4) == 0;
      const uint64_t unit = blocks ? kBlock / kPage : 1;
      const uint64_t units = (kWindowPages - firstChurn) / unit;
      *firstPage = firstChurn + below(units) * unit;
      const uint64_t maxCount = std::min<uint64_t>(kWindowPages - *firstPage, kChurnBoSize / kPage);
      *pageCount = std::min(maxCount, (1 + below(blocks ? 2 : 300)) * unit);
   }

   void bind()
   {
      Window &w = windows_[below(windows_.size())];
      uint64_t first, count;
      pickRange(&first, &count);
      const uint64_t va = w.base + first * kPage, size = count * kPage;
      const unsigned what = unsigned(below(6));
      drm_panthor_vm_bind_op op{};
      Page state = Page::Own;
      unsigned boSlot = 0;
      uint64_t boOffset = 0;
      switch (what) {
      case 0: op = unmapOp(va, size); state = Page::Unmapped; break;
      case 1: op = sparseOp(va, size); state = Page::SharedZero; break;
      case 2:
         boOffset = below((kAofSize - size) / kPage + 1) * kPage;
         op = mapOp(sharedAof_, boOffset, va, size);
         state = Page::SharedZero;
         break;
      default: {
         boSlot = unsigned(below(3));
         const uint64_t boSize = boSlot == 2 ? kAofSize : kChurnBoSize;
         boOffset = below((boSize - size) / kPage + 1) * kPage;
         if (va % kBlock == 0 && below(2))
            boOffset &= ~(kBlock - 1); // aligned: 2 MiB leaves where backed by blocks
         const bool readOnly = what == 5;
         op = mapOp(bos_[boSlot], boOffset, va, size, readOnly ? kReadOnly : 0);
         state = readOnly ? Page::OwnReadOnly : Page::Own;
      }
      }
      if (const int r = bindOne(file_, w.vmId, op)) {
         fail("VM_BIND failed: " + std::to_string(r));
         return;
      }
      for (uint64_t p = 0; p < count; p++) {
         const bool own = state == Page::Own || state == Page::OwnReadOnly;
         w.pages[first + p] = PageModel{
            state, own ? (serials_[boSlot] << 16) | uint32_t(boOffset / kPage + p) : 0};
      }
   }

   // A BO of the given kind in a slot, with a serial of its own.
   void createBo(unsigned slot)
   {
      bos_[slot] = slot == 2 ? newAllocOnFaultBo(file_, kAofSize, kAofGranularity)
                             : newBo(file_, kChurnBoSize);
      serials_[slot] = nextSerial_++;
   }

   // A new BO in a slot: the old one lives on while mapped, its pages go when
   // the last mapping does (possibly while other threads copy elsewhere).
   void replaceBo()
   {
      const unsigned slot = unsigned(below(3));
      const uint32_t old = bos_[slot];
      createBo(slot);
      if (closeBo(file_, old))
         fail("GEM_CLOSE");
      replacements_++;
   }

   void stableAccess()
   {
      Window &w = windows_[0];
      const uint64_t length = 1 + below(below(4) ? 300 : 3 * kPage);
      const uint64_t offset = below(kStableSize - length);
      if (below(2)) {
         std::vector<uint8_t> data(length);
         for (auto &byte : data)
            byte = uint8_t(rng_());
         const AccessResult r = device_.mmu().copyToGpu(*w.vm, w.base + offset, data.data(), length);
         if (!r.ok() || r.bytesDone != length)
            return fail("stable write faulted");
         std::copy(data.begin(), data.end(), stableShadow_.begin() + offset);
      } else {
         std::vector<uint8_t> data(length);
         const AccessResult r = device_.mmu().copyFromGpu(*w.vm, w.base + offset, data.data(), length);
         if (!r.ok() || !std::equal(data.begin(), data.end(), stableShadow_.begin() + offset))
            return fail("stable read differs");
      }
   }

   void checkStable()
   {
      Window &w = windows_[0];
      std::vector<uint8_t> data(kStableSize);
      const AccessResult r = device_.mmu().copyFromGpu(*w.vm, w.base, data.data(), kStableSize);
      if (!r.ok() || data != stableShadow_)
         fail("stable range differs at the end");
   }

   // Where an access of [first, first + count) pages would stop: the first
   // page that faults unhandled (count if none).
   static uint64_t stopPage(const Window &w, uint64_t first, uint64_t count, bool write)
   {
      for (uint64_t p = 0; p < count; p++) {
         const Page state = w.pages[first + p].state;
         if (state == Page::Unmapped || (write && state == Page::OwnReadOnly))
            return p;
      }
      return count;
   }

   void churnAccess()
   {
      Window &w = windows_[below(windows_.size())];
      const uint64_t length = 1 + below(below(8) ? 2 * kPage : 3 * kMiB);
      const uint64_t start = kStableSize + below(kWindowSize - kStableSize - length);
      const uint64_t firstPage = start / kPage;
      const uint64_t pageCount = (start + length - 1) / kPage - firstPage + 1;
      const bool write = below(2);
      uint64_t usable = length;
      // Never write what others read; never fault on the shared VM.
      for (uint64_t p = 0; p < pageCount; p++) {
         const Page state = w.pages[firstPage + p].state;
         const bool faults = state == Page::Unmapped || (write && state == Page::OwnReadOnly);
         if ((write && state == Page::SharedZero) || (w.shared && faults)) {
            const uint64_t pageStart = (firstPage + p) * kPage;
            usable = pageStart > start ? pageStart - start : 0;
            break;
         }
      }
      if (usable == 0)
         return;
      const uint64_t usablePages = (start + usable - 1) / kPage - firstPage + 1;
      const uint64_t stop = stopPage(w, firstPage, usablePages, write);
      const uint64_t expectedDone =
         stop == usablePages ? usable : std::max(start, (firstPage + stop) * kPage) - start;

      std::vector<uint8_t> data(usable);
      AccessResult r;
      if (write) {
         const uint8_t salt = uint8_t(rng_());
         for (uint64_t i = 0; i < usable; i++)
            data[i] = uint8_t(i * 13 + salt);
         r = device_.mmu().copyToGpu(*w.vm, w.base + start, data.data(), usable);
      } else {
         r = device_.mmu().copyFromGpu(*w.vm, w.base + start, data.data(), usable);
      }
      std::ostringstream where;
      where << std::hex << (write ? "write" : "read") << " of 0x" << usable << " at 0x" << w.base + start
            << " (VM " << w.vmId << ")";
      if (r.bytesDone != expectedDone)
         return fail(where.str() + ": did 0x" + hex(r.bytesDone) + ", expected 0x" + hex(expectedDone));
      if (expectedDone < usable) {
         if (!r.fault || r.fault->handled || r.fault->va != w.base + start + expectedDone)
            return fail(where.str() + ": wrong fault");
      } else if (!r.ok()) {
         return fail(where.str() + ": faulted");
      }
      if (write)
         verifyWrite(w, start, data, expectedDone, where.str());
      else
         verifyRead(w, start, data, expectedDone, where.str());
   }

   // Bytes written must read back, unless two pages of the range alias one
   // BO page (then the later write wins for both).
   void verifyWrite(const Window &w, uint64_t start, const std::vector<uint8_t> &data, uint64_t done,
                    const std::string &where)
   {
      if (done == 0)
         return;
      const uint64_t firstPage = start / kPage, lastPage = (start + done - 1) / kPage;
      std::unordered_set<uint32_t> seen;
      for (uint64_t p = firstPage; p <= lastPage; p++) {
         if (!seen.insert(w.pages[p].backing).second)
            return;
      }
      std::vector<uint8_t> back(done);
      const AccessResult r = device_.mmu().copyFromGpu(*w.vm, w.base + start, back.data(), done);
      if (!r.ok() || !std::equal(back.begin(), back.end(), data.begin()))
         fail(where + ": read back differs");
   }

   // What others may see is zero (nobody writes it).
   void verifyRead(const Window &w, uint64_t start, const std::vector<uint8_t> &data, uint64_t done,
                   const std::string &where)
   {
      for (uint64_t i = 0; i < done; i++) {
         if (w.pages[(start + i) / kPage].state == Page::SharedZero && data[i] != 0)
            return fail(where + ": shared zero page is not zero");
      }
   }

   static std::string hex(uint64_t v)
   {
      std::ostringstream s;
      s << std::hex << v;
      return s.str();
   }

   Device &device_;
   File &file_;
   unsigned index_;
   std::mt19937_64 rng_;
   uint32_t sharedAof_;
   uint32_t bos_[3] = {};
   uint32_t serials_[3] = {};
   uint32_t nextSerial_ = 1;
   unsigned replacements_ = 0;
   uint32_t stableBo_ = 0;
   std::vector<uint8_t> stableShadow_;
   std::vector<Window> windows_;
   std::string error_;
};

TEST_F(GpuStressTest, ConcurrentBindsAndAccesses)
{
   const uint32_t sharedAof = newAllocOnFaultBo(*file, kAofSize, kAofGranularity);
   std::vector<std::unique_ptr<Worker>> workers;
   for (unsigned t = 0; t < kThreads; t++)
      workers.push_back(std::make_unique<Worker>(*dev, *file, t, vm, vmId, sharedAof));
   std::vector<std::thread> threads;
   for (auto &worker : workers)
      threads.emplace_back([&worker] { worker->run(); });
   for (auto &thread : threads)
      thread.join();
   for (auto &worker : workers)
      EXPECT_EQ(worker->error(), "");

   const MmuCounters counters = mmu().counters();
   EXPECT_GT(counters.faultsHandled, 0u);
   EXPECT_GT(counters.faultsUnhandled, 0u);
   EXPECT_GT(counters.slotEvictions, 0u);
   EXPECT_GT(counters.tlbInvalidations, 0u);
   EXPECT_GT(counters.tlbHits, 0u);
   EXPECT_EQ(counters.accessesAborted, 0u) << "no unhandled fault on the shared VM";
   EXPECT_FALSE(vm->hasUnhandledFault());

   workers.clear();
   vm.reset();
   file.reset();
   for (unsigned site = 0; site < unsigned(AllocSite::Count); site++)
      EXPECT_EQ(pagesInUse(*dev, AllocSite(site)), 0u) << "site " << site;
}

// One thread maps a new BO over a range again and again, each time dropping
// the last reference to the previous BO (its pages are freed and zeroed),
// while others read the range: a read sees whole pages of one BO or another,
// never a freed page, and never faults.
TEST_F(GpuStressTest, RemapsUnderConcurrentReaders)
{
   constexpr uint64_t kVa = 1 * kGiB;
   constexpr uint64_t kSize = 4 * kMiB;
   constexpr unsigned kRemaps = 100;
   constexpr unsigned kReaders = 2;
   std::atomic<bool> done{false};
   std::vector<std::string> errors(kReaders);

   const auto remap = [&](uint8_t value) {
      const uint32_t handle = newBo(*file, kSize);
      std::shared_ptr<Bo> bo = file->lookupBo(handle);
      for (uint64_t offset = 0; bo && offset < kSize;) {
         const Backing backing = bo->backingAt(offset);
         std::memset(physByte(backing.phys), value, backing.contiguous);
         offset += backing.contiguous;
      }
      bo.reset();
      EXPECT_EQ(bindOne(*file, vmId, mapOp(handle, 0, kVa, kSize)), 0);
      // Now and then one page remapped inside a 2 MiB block: the block splits.
      if (value % 3 == 0) {
         EXPECT_EQ(bindOne(*file, vmId, mapOp(handle, kPage, kVa + kMiB, kPage)), 0);
      }
      EXPECT_EQ(closeBo(*file, handle), 0);
   };
   remap(1);

   std::vector<std::thread> readers;
   for (unsigned r = 0; r < kReaders; r++) {
      readers.emplace_back([&, r] {
         std::mt19937_64 rng(77 + r);
         std::vector<uint8_t> data(kMiB / 4);
         while (!done.load() && errors[r].empty()) {
            const uint64_t length = 1 + rng() % data.size();
            const uint64_t offset = rng() % (kSize - length);
            const AccessResult result = mmu().copyFromGpu(*vm, kVa + offset, data.data(), length);
            if (!result.ok()) {
               errors[r] = "read faulted";
               break;
            }
            // Page by page: one non-zero value throughout.
            for (uint64_t i = 0; i < length;) {
               const uint64_t pageEnd = ((offset + i) | (kPage - 1)) + 1 - offset;
               const uint64_t n = std::min(length, pageEnd) - i;
               if (data[i] == 0 || std::memcmp(&data[i], &data[i + 1], n - 1) != 0) {
                  errors[r] = "torn or freed page at offset " + std::to_string(offset + i);
                  break;
               }
               i += n;
            }
         }
      });
   }
   for (unsigned i = 1; i < kRemaps; i++)
      remap(uint8_t(1 + i % 255));
   done = true;
   for (auto &reader : readers)
      reader.join();
   for (const std::string &error : errors)
      EXPECT_EQ(error, "");
   EXPECT_GE(mmu().counters().tlbInvalidations, kRemaps - 1);
}

} // namespace
} // namespace pan::mock
