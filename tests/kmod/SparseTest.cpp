// Sparse maps through kmod on kernels with (1.9, 1.10) and without (1.8) the
// MAP_SPARSE flag: same caller-visible result, different kernel op counts.
#include <gtest/gtest.h>
#include <vector>

#include "drm-uapi/panthor_drm.h"
#include "kmod/Bo.h"
#include "kmod/Device.h"
#include "kmod/Vm.h"
#include "MockAccess.h"
#include "mock/Bo.h"

namespace pan::kmod {
namespace {

using test::mockFile;
using test::openMock;
using test::translate;

constexpr uint64_t kPage = 4096;
constexpr uint64_t k1M = 1ull << 20;
constexpr uint64_t k2M = 2ull << 20;

// 100,000,000 bytes rounded up to whole pages: 24,415 pages.
constexpr uint64_t kSparseSize = (100'000'000 + kPage - 1) / kPage * kPage;
static_assert(kSparseSize == 100'003'840);
// 1 MiB past a 2 MiB boundary, so the range starts and ends mid-block.
constexpr uint64_t kSparseVa = (4ull << 30) + k1M;

// Emulated pieces for [kSparseVa, kSparseVa + kSparseSize): a 1 MiB head up to
// the first 2 MiB boundary, then whole 2 MiB blocks, then what is left.
constexpr uint64_t kHead = k2M - kSparseVa % k2M;
constexpr uint64_t kWholeBlocks = (kSparseSize - kHead) / k2M;
constexpr uint64_t kTail = (kSparseSize - kHead) % k2M;
constexpr uint64_t kEmulatedOps = 1 + kWholeBlocks + (kTail ? 1 : 0);
static_assert(kHead == k1M && kWholeBlocks == 47 && kTail == 389'120);
static_assert(kEmulatedOps == 49);

class SparseTest : public ::testing::TestWithParam<unsigned> {
protected:
   void SetUp() override {
      device = openMock(GetParam());
      ASSERT_TRUE(device);
      Result<std::unique_ptr<Vm>> created = Vm::create(*device);
      ASSERT_TRUE(created) << created.error().message;
      vm = std::move(created.value());
      ASSERT_GT(vm->userVaRange(), kSparseVa + kSparseSize);
   }

   bool native() const { return GetParam() >= 9; }
   std::optional<mock::Translation> at(uint64_t va) { return translate(*device, vm->id(), va); }

   std::unique_ptr<Device> device;
   std::unique_ptr<Vm> vm;
};

TEST_P(SparseTest, HundredMegabytesInOneCall) {
   const VmOp op = VmOp::sparse(kSparseVa, kSparseSize);
   device->resetIoctlStats();
   Result<void> bound = vm->bind(std::span(&op, 1), Vm::BindMode::Immediate);
   ASSERT_TRUE(bound) << bound.error().message;

   EXPECT_EQ(vm->stats().ioctls, 1u);
   EXPECT_EQ(vm->stats().kernelOps, native() ? 1u : kEmulatedOps);
   EXPECT_EQ(device->ioctlStats().vmBind, 1u);
   EXPECT_EQ(device->ioctlStats().vmBindOps, native() ? 1u : kEmulatedOps);
   // The emulation's dummy BO is the only other ioctl.
   EXPECT_EQ(device->ioctlCount(DRM_IOCTL_PANTHOR_BO_CREATE), native() ? 0u : 1u);
   EXPECT_EQ(device->ioctlStats().total, native() ? 1u : 2u);
}

TEST_P(SparseTest, EverySampledVaTranslates) {
   const VmOp op = VmOp::sparse(kSparseVa, kSparseSize);
   ASSERT_TRUE(vm->bind(std::span(&op, 1), Vm::BindMode::Immediate));

   EXPECT_FALSE(at(kSparseVa - kPage));
   EXPECT_FALSE(at(kSparseVa + kSparseSize));
   std::vector<uint64_t> samples = {kSparseVa, kSparseVa + kSparseSize - 1,
                                    kSparseVa + kHead - 1, kSparseVa + kHead,
                                    kSparseVa + kSparseSize - kTail};
   for (uint64_t offset = 0; offset < kSparseSize; offset += 999'983) // a prime stride
      samples.push_back(kSparseVa + offset);
   for (uint64_t va : samples) {
      std::optional<mock::Translation> t = at(va);
      ASSERT_TRUE(t) << std::hex << "va 0x" << va;
      EXPECT_TRUE(t->attrs.noExec) << std::hex << "va 0x" << va;
      // The dummy repeats every 2 MiB, natively and emulated alike.
      if (va + k2M < kSparseVa + kSparseSize) {
         std::optional<mock::Translation> next = at(va + k2M);
         ASSERT_TRUE(next);
         EXPECT_EQ(next->phys, t->phys) << std::hex << "va 0x" << va;
      }
   }
}

TEST_P(SparseTest, AlignedStretchesUse2MiBBlocks) {
   const VmOp op = VmOp::sparse(kSparseVa, kSparseSize);
   ASSERT_TRUE(vm->bind(std::span(&op, 1), Vm::BindMode::Immediate));
   std::optional<mock::Translation> head = at(kSparseVa);
   std::optional<mock::Translation> middle = at(kSparseVa + kHead + 10 * k2M + 77);
   ASSERT_TRUE(head && middle);
   EXPECT_EQ(head->leafSize, kPage);
   EXPECT_EQ(middle->leafSize, k2M);
}

TEST_P(SparseTest, EmulationDummyIsPrivateAndCreatedOnce) {
   const VmOp first = VmOp::sparse(kSparseVa, 4 * k2M);
   const VmOp second = VmOp::sparse(kSparseVa + 8 * k2M, 3 * kPage);
   device->resetIoctlStats();
   ASSERT_TRUE(vm->bind(std::span(&first, 1), Vm::BindMode::Immediate));
   ASSERT_TRUE(vm->bind(std::span(&second, 1), Vm::BindMode::Immediate));
   if (native()) {
      EXPECT_EQ(vm->sparseDummy(), nullptr);
      EXPECT_EQ(device->ioctlCount(DRM_IOCTL_PANTHOR_BO_CREATE), 0u);
      return;
   }
   EXPECT_EQ(device->ioctlCount(DRM_IOCTL_PANTHOR_BO_CREATE), 1u);
   const Bo *dummy = vm->sparseDummy();
   ASSERT_NE(dummy, nullptr);
   EXPECT_EQ(dummy->size(), k2M);
   EXPECT_EQ(dummy->flags(), BoFlags::NoMmap);
   std::shared_ptr<mock::Bo> mockDummy = mockFile(*device)->lookupBo(dummy->handle());
   ASSERT_TRUE(mockDummy);
   EXPECT_EQ(mockDummy->exclusiveVmId(), vm->id());
}

TEST_P(SparseTest, MapOverSparseReplacesIt) {
   const VmOp sparse = VmOp::sparse(kSparseVa, 8 * k2M);
   ASSERT_TRUE(vm->bind(std::span(&sparse, 1), Vm::BindMode::Immediate));
   Result<std::unique_ptr<Bo>> bo = Bo::create(*device, {.size = 64 * 1024});
   ASSERT_TRUE(bo);
   const uint64_t tileVa = kSparseVa + 3 * k2M;
   const std::vector<VmOp> ops = {
      VmOp::map(*bo.value(), 0, tileVa, 64 * 1024),
      VmOp::unmap(tileVa + k2M, kPage),
   };
   ASSERT_TRUE(vm->bind(ops, Vm::BindMode::Immediate));

   std::shared_ptr<mock::Bo> mockBo = mockFile(*device)->lookupBo(bo.value()->handle());
   ASSERT_TRUE(mockBo);
   std::optional<mock::Translation> tile = at(tileVa + 100);
   ASSERT_TRUE(tile);
   EXPECT_EQ(tile->phys, mockBo->backingAt(0).phys + 100);
   EXPECT_FALSE(tile->attrs.noExec);
   EXPECT_TRUE(at(tileVa + 64 * 1024)); // still sparse
   EXPECT_FALSE(at(tileVa + k2M));       // unmapped hole
   EXPECT_TRUE(at(tileVa + k2M + kPage));
}

TEST_P(SparseTest, FailingOpIndexCountsCallerOps) {
   Result<std::unique_ptr<Bo>> bo = Bo::create(*device, {.size = kPage});
   ASSERT_TRUE(bo);
   const std::vector<VmOp> ops = {
      // Starts 1 MiB into a block: 11 kernel ops when emulated (1 MiB head,
      // 9 whole blocks, 1 MiB tail).
      VmOp::sparse(kSparseVa, 10 * k2M),
      VmOp::map(*bo.value(), 0, kSparseVa + 40 * k2M, kPage),
      VmOp::map(*bo.value(), 0, kSparseVa + 41 * k2M, 2 * kPage), // past the BO
      VmOp::sparse(kSparseVa + 50 * k2M, k2M), // 2 kernel ops when emulated
   };
   Result<void> bound = vm->bind(ops, Vm::BindMode::Immediate);
   ASSERT_FALSE(bound);
   EXPECT_EQ(bound.error().errnum, EINVAL);
   ASSERT_TRUE(bound.error().opIndex);
   EXPECT_EQ(*bound.error().opIndex, 2u);
   EXPECT_EQ(bound.error().message, "VM_BIND op 2: EINVAL");
   EXPECT_EQ(vm->stats().kernelOps, native() ? 4u : 11u + 1 + 1 + 2);
   EXPECT_TRUE(at(kSparseVa + 10 * k2M - 1));
   EXPECT_TRUE(at(kSparseVa + 40 * k2M));
   EXPECT_FALSE(at(kSparseVa + 50 * k2M));
}

TEST_P(SparseTest, BadSparseOpIsReportedAsItself) {
   Result<std::unique_ptr<Bo>> bo = Bo::create(*device, {.size = kPage});
   ASSERT_TRUE(bo);
   const std::vector<VmOp> ops = {
      VmOp::map(*bo.value(), 0, kSparseVa, kPage),
      VmOp::sparse(kSparseVa + k2M + 512, 3 * k2M), // unaligned VA
   };
   Result<void> bound = vm->bind(ops, Vm::BindMode::Immediate);
   ASSERT_FALSE(bound);
   EXPECT_EQ(bound.error().errnum, EINVAL);
   ASSERT_TRUE(bound.error().opIndex);
   EXPECT_EQ(*bound.error().opIndex, 1u);
   EXPECT_TRUE(at(kSparseVa));
}

TEST_P(SparseTest, SparseBeyondTheVaRangeIsTheKernelsEinval) {
   const uint64_t top = vm->userVaRange();
   const VmOp op = VmOp::sparse(top - k2M, 4 * k2M);
   Result<void> bound = vm->bind(std::span(&op, 1), Vm::BindMode::Immediate);
   ASSERT_FALSE(bound);
   EXPECT_EQ(bound.error().errnum, EINVAL);
   ASSERT_TRUE(bound.error().opIndex);
   EXPECT_EQ(*bound.error().opIndex, 0u);
}

TEST_P(SparseTest, SparseWithBoOrExecutableIsRejectedBeforeTheKernel) {
   Result<std::unique_ptr<Bo>> bo = Bo::create(*device, {.size = kPage});
   ASSERT_TRUE(bo);
   VmOp withBo = VmOp::sparse(kSparseVa, kPage);
   withBo.bo = bo.value().get();
   VmOp executable = VmOp::sparse(kSparseVa, kPage);
   executable.flags = MapFlags::Sparse;
   device->resetIoctlStats();
   for (const VmOp &op : {withBo, executable}) {
      Result<void> bound = vm->bind(std::span(&op, 1), Vm::BindMode::Immediate);
      ASSERT_FALSE(bound);
      EXPECT_EQ(bound.error().errnum, EINVAL);
      ASSERT_TRUE(bound.error().opIndex);
      EXPECT_EQ(*bound.error().opIndex, 0u);
   }
   EXPECT_EQ(device->ioctlStats().vmBind, 0u);
}

INSTANTIATE_TEST_SUITE_P(Minors, SparseTest, ::testing::Values(8u, 9u, 10u),
                         [](const ::testing::TestParamInfo<unsigned> &info) {
                            return "Panthor1_" + std::to_string(info.param);
                         });

} // namespace
} // namespace pan::kmod
