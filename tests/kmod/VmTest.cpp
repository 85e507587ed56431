#include <gtest/gtest.h>
#include <vector>

#include "drm-uapi/panthor_drm.h"
#include "kmod/Bo.h"
#include "kmod/Device.h"
#include "kmod/MockGpu.h"
#include "kmod/Syncobj.h"
#include "kmod/Vm.h"
#include "MockAccess.h"

namespace pan::kmod {
namespace {

using test::mockFile;
using test::openMock;
using test::translate;

constexpr uint64_t kPage = 4096;
constexpr uint64_t k2M = 2ull << 20;
constexpr uint64_t kBase = 0x10000000; // 256 MiB, inside any user VA range

class VmTest : public ::testing::Test {
protected:
   void SetUp() override {
      device = openMock(9);
      ASSERT_TRUE(device);
      Result<std::unique_ptr<Vm>> created = Vm::create(*device);
      ASSERT_TRUE(created) << created.error().message;
      vm = std::move(created.value());
   }

   std::unique_ptr<Bo> makeBo(uint64_t size) {
      Result<std::unique_ptr<Bo>> bo = Bo::create(*device, {.size = size});
      return bo ? std::move(bo.value()) : nullptr;
   }

   bool mapped(uint64_t va) { return translate(*device, vm->id(), va).has_value(); }

   std::unique_ptr<Device> device;
   std::unique_ptr<Vm> vm;
};

TEST_F(VmTest, CreateReportsIdRangeAndState) {
   EXPECT_NE(vm->id(), 0u);
   EXPECT_GT(vm->userVaRange(), 0u);
   EXPECT_LE(vm->userVaRange(), 1ull << device->vaBits());
   Result<uint32_t> state = vm->state();
   ASSERT_TRUE(state) << state.error().message;
   EXPECT_EQ(state.value(), uint32_t(DRM_PANTHOR_VM_STATE_USABLE));
   EXPECT_TRUE(mockFile(*device)->lookupVm(vm->id()));
}

TEST_F(VmTest, ExplicitRangeIsKept) {
   Result<std::unique_ptr<Vm>> small = Vm::create(*device, 1ull << 32);
   ASSERT_TRUE(small) << small.error().message;
   EXPECT_EQ(small.value()->userVaRange(), 1ull << 32);
   EXPECT_NE(small.value()->id(), vm->id());
}

TEST_F(VmTest, DestructorDestroysTheVm) {
   const uint32_t id = vm->id();
   vm.reset();
   EXPECT_FALSE(mockFile(*device)->lookupVm(id));
}

TEST_F(VmTest, ImmediateMapThenUnmap) {
   std::unique_ptr<Bo> bo = makeBo(4 * kPage);
   ASSERT_TRUE(bo);
   const VmOp map = VmOp::map(*bo, kPage, kBase, 2 * kPage, MapFlags::NoExec);
   Result<void> bound = vm->bind(std::span(&map, 1), Vm::BindMode::Immediate);
   ASSERT_TRUE(bound) << bound.error().message;

   EXPECT_FALSE(mapped(kBase - kPage));
   std::optional<mock::Translation> first = translate(*device, vm->id(), kBase);
   ASSERT_TRUE(first);
   EXPECT_TRUE(first->attrs.noExec);
   EXPECT_FALSE(first->attrs.readOnly);
   EXPECT_TRUE(mapped(kBase + 2 * kPage - 1));
   EXPECT_FALSE(mapped(kBase + 2 * kPage));

   // The mapping starts one page into the BO: its CPU view agrees with the GPU's.
   Result<void *> cpu = bo->map();
   ASSERT_TRUE(cpu);
   static_cast<unsigned char *>(cpu.value())[kPage + 5] = 0xab;
   EXPECT_EQ(*reinterpret_cast<const unsigned char *>(first->phys + 5), 0xab);

   const VmOp unmap = VmOp::unmap(kBase, 2 * kPage);
   ASSERT_TRUE(vm->bind(std::span(&unmap, 1), Vm::BindMode::Immediate));
   EXPECT_FALSE(mapped(kBase));
   EXPECT_FALSE(mapped(kBase + kPage));
}

TEST_F(VmTest, MockGpuSeesTheMapping) {
   MockGpu *gpu = device->mockGpu();
   ASSERT_NE(gpu, nullptr);
   std::unique_ptr<Bo> bo = makeBo(kPage);
   ASSERT_TRUE(bo);
   const VmOp map = VmOp::map(*bo, 0, kBase, kPage, MapFlags::ReadOnly);
   ASSERT_TRUE(vm->bind(std::span(&map, 1), Vm::BindMode::Immediate));

   Result<std::optional<MockGpu::Translation>> hit = gpu->translate(vm->id(), kBase + 8);
   ASSERT_TRUE(hit) << hit.error().message;
   ASSERT_TRUE(hit.value());
   EXPECT_TRUE(hit.value()->readOnly);
   EXPECT_EQ(hit.value()->physical, translate(*device, vm->id(), kBase + 8)->phys);
   Result<std::optional<MockGpu::Translation>> miss = gpu->translate(vm->id(), kBase + kPage);
   ASSERT_TRUE(miss);
   EXPECT_FALSE(miss.value());
}

TEST_F(VmTest, ReadOnlyAndUncachedReachThePageTables) {
   std::unique_ptr<Bo> bo = makeBo(kPage);
   ASSERT_TRUE(bo);
   const VmOp map = VmOp::map(*bo, 0, kBase, kPage, MapFlags::ReadOnly | MapFlags::Uncached);
   ASSERT_TRUE(vm->bind(std::span(&map, 1), Vm::BindMode::Immediate));
   std::optional<mock::Translation> t = translate(*device, vm->id(), kBase);
   ASSERT_TRUE(t);
   EXPECT_TRUE(t->attrs.readOnly);
   EXPECT_TRUE(t->attrs.uncached);
   EXPECT_FALSE(t->attrs.noExec);
}

TEST_F(VmTest, AllOpsGoInOneIoctl) {
   std::unique_ptr<Bo> bo = makeBo(kPage);
   ASSERT_TRUE(bo);
   std::vector<VmOp> ops;
   for (uint64_t i = 0; i < 10; ++i)
      ops.push_back(VmOp::map(*bo, 0, kBase + i * kPage, kPage));
   ops.push_back(VmOp::unmap(kBase + 3 * kPage, kPage));

   device->resetIoctlStats();
   ASSERT_TRUE(vm->bind(ops, Vm::BindMode::Immediate));
   EXPECT_EQ(vm->stats().ioctls, 1u);
   EXPECT_EQ(vm->stats().kernelOps, 11u);
   EXPECT_EQ(device->ioctlStats().vmBind, 1u);
   EXPECT_EQ(device->ioctlStats().vmBindOps, 11u);
   EXPECT_TRUE(mapped(kBase + 2 * kPage));
   EXPECT_FALSE(mapped(kBase + 3 * kPage));
   EXPECT_TRUE(mapped(kBase + 9 * kPage));

   vm->resetStats();
   EXPECT_EQ(vm->stats().ioctls, 0u);
   EXPECT_EQ(vm->stats().kernelOps, 0u);
}

TEST_F(VmTest, EmptyBindSendsNothing) {
   device->resetIoctlStats();
   EXPECT_TRUE(vm->bind({}, Vm::BindMode::Immediate));
   EXPECT_EQ(device->ioctlStats().total, 0u);
}

TEST_F(VmTest, FailingOpIndexAndEarlierOpsStayApplied) {
   std::unique_ptr<Bo> bo = makeBo(2 * kPage);
   ASSERT_TRUE(bo);
   const std::vector<VmOp> ops = {
      VmOp::map(*bo, 0, kBase, kPage),
      VmOp::map(*bo, 0, kBase + kPage, kPage),
      VmOp::map(*bo, kPage, kBase + 2 * kPage, 2 * kPage), // runs past the BO's end
      VmOp::map(*bo, 0, kBase + 8 * kPage, kPage),
   };
   Result<void> bound = vm->bind(ops, Vm::BindMode::Immediate);
   ASSERT_FALSE(bound);
   EXPECT_EQ(bound.error().errnum, EINVAL);
   ASSERT_TRUE(bound.error().opIndex);
   EXPECT_EQ(*bound.error().opIndex, 2u);
   EXPECT_EQ(bound.error().message, "VM_BIND op 2: EINVAL");

   EXPECT_TRUE(mapped(kBase));
   EXPECT_TRUE(mapped(kBase + kPage));
   EXPECT_FALSE(mapped(kBase + 2 * kPage));
   EXPECT_FALSE(mapped(kBase + 8 * kPage));
}

TEST_F(VmTest, WrappingRangeIsPassedToTheKernel) {
   std::unique_ptr<Bo> bo = makeBo(kPage);
   ASSERT_TRUE(bo);
   const VmOp wraps = VmOp::unmap(~0ull - kPage + 1, 2 * kPage);
   device->resetIoctlStats();
   Result<void> bound = vm->bind(std::span(&wraps, 1), Vm::BindMode::Immediate);
   ASSERT_FALSE(bound);
   EXPECT_EQ(bound.error().errnum, EINVAL);
   EXPECT_EQ(device->ioctlStats().vmBind, 1u);
   ASSERT_TRUE(bound.error().opIndex);
   EXPECT_EQ(*bound.error().opIndex, 0u);
}

TEST_F(VmTest, MapWithoutBoIsRejectedBeforeTheKernel) {
   std::unique_ptr<Bo> bo = makeBo(kPage);
   ASSERT_TRUE(bo);
   VmOp broken = VmOp::map(*bo, 0, kBase + kPage, kPage);
   broken.bo = nullptr;
   const std::vector<VmOp> ops = {VmOp::map(*bo, 0, kBase, kPage), broken};
   device->resetIoctlStats();
   Result<void> bound = vm->bind(ops, Vm::BindMode::Immediate);
   ASSERT_FALSE(bound);
   EXPECT_EQ(bound.error().errnum, EINVAL);
   ASSERT_TRUE(bound.error().opIndex);
   EXPECT_EQ(*bound.error().opIndex, 1u);
   EXPECT_EQ(device->ioctlStats().total, 0u);
   // Nothing was sent, so not even the good op is applied.
   EXPECT_FALSE(mapped(kBase));
}

TEST_F(VmTest, UnknownOpTypeIsRejected) {
   VmOp op = VmOp::unmap(kBase, kPage);
   op.type = static_cast<VmOp::Type>(42);
   Result<void> bound = vm->bind(std::span(&op, 1), Vm::BindMode::Immediate);
   ASSERT_FALSE(bound);
   EXPECT_EQ(bound.error().errnum, EINVAL);
}

TEST_F(VmTest, SyncsInImmediateModeAreTheKernelsEinval) {
   VmOp op = VmOp::unmap(kBase, kPage);
   op.signals.push_back({1, 0});
   Result<void> bound = vm->bind(std::span(&op, 1), Vm::BindMode::Immediate);
   ASSERT_FALSE(bound);
   EXPECT_EQ(bound.error().errnum, EINVAL);
}

TEST_F(VmTest, AsyncBindsChainThroughSyncobjs) {
   std::unique_ptr<Bo> bo = makeBo(kPage);
   ASSERT_TRUE(bo);
   Result<std::unique_ptr<Syncobj>> mappedSync = Syncobj::create(*device);
   Result<std::unique_ptr<Syncobj>> remappedSync = Syncobj::create(*device);
   ASSERT_TRUE(mappedSync && remappedSync);

   VmOp map = VmOp::map(*bo, 0, kBase, kPage);
   map.signals.push_back({mappedSync.value()->handle(), 0});
   Result<void> first = vm->bind(std::span(&map, 1), Vm::BindMode::Async);
   ASSERT_TRUE(first) << first.error().message;

   // Waits on the first job's fence (attached at submission), moves the page.
   std::vector<VmOp> move = {VmOp::unmap(kBase, kPage), VmOp::map(*bo, 0, kBase + kPage, kPage)};
   move.front().waits.push_back({mappedSync.value()->handle(), 0});
   move.back().signals.push_back({remappedSync.value()->handle(), 1});
   Result<void> second = vm->bind(move, Vm::BindMode::Async);
   ASSERT_TRUE(second) << second.error().message;

   Result<void> waited = remappedSync.value()->wait(1, absoluteTimeout(5'000'000'000));
   ASSERT_TRUE(waited) << waited.error().message;
   EXPECT_TRUE(mappedSync.value()->wait(0, 0));
   EXPECT_FALSE(mapped(kBase));
   EXPECT_TRUE(mapped(kBase + kPage));
   EXPECT_EQ(vm->stats().ioctls, 2u);
   EXPECT_EQ(vm->stats().kernelOps, 3u);
}

TEST_F(VmTest, AsyncWaitOnASyncobjWithoutFenceIsTheKernelsEinval) {
   Result<std::unique_ptr<Syncobj>> empty = Syncobj::create(*device);
   ASSERT_TRUE(empty);
   VmOp op = VmOp::unmap(kBase, kPage);
   op.waits.push_back({empty.value()->handle(), 0});
   Result<void> bound = vm->bind(std::span(&op, 1), Vm::BindMode::Async);
   ASSERT_FALSE(bound);
   EXPECT_EQ(bound.error().errnum, EINVAL);
}

TEST_F(VmTest, AsyncFailureHasNoOpIndex) {
   std::unique_ptr<Bo> bo = makeBo(kPage);
   ASSERT_TRUE(bo);
   const std::vector<VmOp> ops = {
      VmOp::map(*bo, 0, kBase, kPage),
      VmOp::map(*bo, 0, kBase + 1, kPage), // unaligned
   };
   Result<void> bound = vm->bind(ops, Vm::BindMode::Async);
   ASSERT_FALSE(bound);
   EXPECT_EQ(bound.error().errnum, EINVAL);
   EXPECT_FALSE(bound.error().opIndex);
   // Async ops are all checked before any is queued.
   EXPECT_FALSE(mapped(kBase));
}

TEST_F(VmTest, LargeAlignedMapUses2MiBBlocks) {
   std::unique_ptr<Bo> bo = makeBo(2 * k2M);
   ASSERT_TRUE(bo);
   const VmOp map = VmOp::map(*bo, 0, 64 * k2M, 2 * k2M);
   ASSERT_TRUE(vm->bind(std::span(&map, 1), Vm::BindMode::Immediate));
   std::optional<mock::Translation> t = translate(*device, vm->id(), 64 * k2M + 12345);
   ASSERT_TRUE(t);
   EXPECT_EQ(t->leafSize, k2M);
}

} // namespace
} // namespace pan::kmod
