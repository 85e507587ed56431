// The GPU side of kmod::MockGpu: copies and fills through the mock MMU by VM
// id, faults reported in the result, and the MMU's counters.
#include <gtest/gtest.h>

#include <vector>

#include "kmod/Bo.h"
#include "kmod/Device.h"
#include "kmod/MockGpu.h"
#include "kmod/Vm.h"
#include "MockAccess.h"

namespace pan::kmod {
namespace {

using test::openMock;

constexpr uint64_t kPage = 4096;
constexpr uint64_t kBase = 0x40000000; // 1 GiB, 2 MiB aligned

class MockGpuTest : public ::testing::Test {
protected:
   void SetUp() override {
      device = openMock(10);
      ASSERT_TRUE(device);
      gpu = device->mockGpu();
      ASSERT_NE(gpu, nullptr);
      Result<std::unique_ptr<Vm>> created = Vm::create(*device);
      ASSERT_TRUE(created) << created.error().message;
      vm = std::move(created.value());
   }

   std::unique_ptr<Bo> makeBo(const BoCreateInfo &info) {
      Result<std::unique_ptr<Bo>> bo = Bo::create(*device, info);
      EXPECT_TRUE(bo) << bo.error().message;
      return bo ? std::move(bo.value()) : nullptr;
   }

   void bind(const VmOp &op) {
      Result<void> bound = vm->bind(std::span(&op, 1), Vm::BindMode::Immediate);
      ASSERT_TRUE(bound) << bound.error().message;
   }

   std::unique_ptr<Device> device;
   MockGpu *gpu = nullptr;
   std::unique_ptr<Vm> vm;
};

TEST_F(MockGpuTest, CopiesGoThroughTheMappingToTheBo) {
   std::unique_ptr<Bo> bo = makeBo({.size = 2 * kPage});
   ASSERT_TRUE(bo);
   bind(VmOp::map(*bo, 0, kBase, 2 * kPage));
   const std::vector<uint8_t> data = {9, 8, 7, 6, 5, 4, 3, 2, 1};
   Result<MockGpu::AccessResult> written = gpu->copyToGpu(vm->id(), kBase + kPage - 4, data.data(), data.size());
   ASSERT_TRUE(written) << written.error().message;
   EXPECT_TRUE(written->ok());
   EXPECT_EQ(written->bytesDone, data.size());

   // The CPU mapping of the BO sees the GPU's write.
   Result<void *> cpu = bo->map();
   ASSERT_TRUE(cpu);
   EXPECT_EQ(static_cast<uint8_t *>(cpu.value())[kPage - 4], 9);
   EXPECT_EQ(static_cast<uint8_t *>(cpu.value())[kPage + 4], 1);

   std::vector<uint8_t> back(data.size());
   Result<MockGpu::AccessResult> read = gpu->copyFromGpu(vm->id(), kBase + kPage - 4, back.data(), back.size());
   ASSERT_TRUE(read);
   EXPECT_TRUE(read->ok());
   EXPECT_EQ(back, data);
}

TEST_F(MockGpuTest, FillRepeatsItsPattern) {
   std::unique_ptr<Bo> bo = makeBo({.size = kPage});
   ASSERT_TRUE(bo);
   bind(VmOp::map(*bo, 0, kBase, kPage));
   Result<MockGpu::AccessResult> filled = gpu->fill(vm->id(), kBase + 4, 8, 0xa1b2c3d4);
   ASSERT_TRUE(filled && filled->ok());
   uint32_t words[4] = {};
   ASSERT_TRUE(gpu->copyFromGpu(vm->id(), kBase, words, sizeof(words))->ok());
   EXPECT_EQ(words[0], 0u);
   EXPECT_EQ(words[1], 0xa1b2c3d4u);
   EXPECT_EQ(words[2], 0xa1b2c3d4u);
   EXPECT_EQ(words[3], 0u);
}

TEST_F(MockGpuTest, AFaultIsReportedNotAnError) {
   std::unique_ptr<Bo> bo = makeBo({.size = kPage});
   ASSERT_TRUE(bo);
   bind(VmOp::map(*bo, 0, kBase, kPage, MapFlags::ReadOnly));
   const uint32_t value = 7;
   Result<MockGpu::AccessResult> result = gpu->copyToGpu(vm->id(), kBase, &value, 4);
   ASSERT_TRUE(result);
   EXPECT_FALSE(result->ok());
   ASSERT_TRUE(result->fault);
   EXPECT_EQ(result->fault->va, kBase);
   EXPECT_EQ(result->fault->access, MockGpu::Access::Write);
   EXPECT_EQ(result->fault->status, 0x3CBu); // permission fault, level 3, write
   EXPECT_FALSE(result->fault->handled);
   EXPECT_EQ(gpu->counters().faultsUnhandled, 1u);

   Result<std::optional<MockGpu::Fault>> recorded = gpu->vmUnhandledFault(vm->id());
   ASSERT_TRUE(recorded);
   ASSERT_TRUE(recorded.value());
   EXPECT_EQ(recorded.value()->va, kBase);
   Result<uint32_t> state = vm->state();
   ASSERT_TRUE(state);
   EXPECT_EQ(state.value(), uint32_t(DRM_PANTHOR_VM_STATE_USABLE));

   uint8_t byte;
   Result<MockGpu::AccessResult> unmapped = gpu->copyFromGpu(vm->id(), kBase + kPage, &byte, 1);
   ASSERT_TRUE(unmapped && unmapped->fault);
   EXPECT_EQ(unmapped->fault->status, 0x2C3u); // translation fault, level 3, read
}

TEST_F(MockGpuTest, AnUnknownVmIsEinval) {
   uint8_t byte = 0;
   Result<MockGpu::AccessResult> result = gpu->copyFromGpu(999, kBase, &byte, 1);
   ASSERT_FALSE(result);
   EXPECT_EQ(result.error().errnum, EINVAL);
   EXPECT_FALSE(gpu->copyToGpu(999, kBase, &byte, 1));
   EXPECT_FALSE(gpu->fill(999, kBase, 1, 0));
   EXPECT_FALSE(gpu->vmUnhandledFault(999));
   EXPECT_EQ(gpu->residentBytes(12345).error().errnum, ENOENT);
}

TEST_F(MockGpuTest, AllocOnFaultPopulatesOnTouch) {
   ASSERT_TRUE(device->features().allocOnFault);
   std::unique_ptr<Bo> heap =
      makeBo({.size = 1 << 20, .flags = BoFlags::AllocOnFault | BoFlags::NoMmap,
              .allocOnFaultGranularity = 64 * 1024});
   ASSERT_TRUE(heap);
   bind(VmOp::map(*heap, 0, kBase, 1 << 20, MapFlags::NoExec));
   EXPECT_EQ(gpu->residentBytes(heap->handle()).value(), 0u);

   for (uint64_t offset : {uint64_t(0), uint64_t(200000), uint64_t(900000)}) {
      const uint8_t value = 1;
      Result<MockGpu::AccessResult> touched = gpu->copyToGpu(vm->id(), kBase + offset, &value, 1);
      ASSERT_TRUE(touched);
      EXPECT_TRUE(touched->ok());
      ASSERT_TRUE(touched->fault);
      EXPECT_TRUE(touched->fault->handled);
   }
   EXPECT_EQ(gpu->residentBytes(heap->handle()).value(), 3u * 64 * 1024);
   EXPECT_EQ(gpu->counters().faultsHandled, 3u);
   Result<std::optional<MockGpu::Fault>> recorded = gpu->vmUnhandledFault(vm->id());
   ASSERT_TRUE(recorded);
   EXPECT_FALSE(recorded.value());
}

TEST_F(MockGpuTest, GenericAccessVisitsContiguousRuns) {
   std::unique_ptr<Bo> bo = makeBo({.size = 4 * kPage});
   ASSERT_TRUE(bo);
   bind(VmOp::map(*bo, 0, kBase, 4 * kPage));
   uint64_t total = 0, expectedOffset = 0;
   Result<MockGpu::AccessResult> result =
      gpu->access(vm->id(), kBase + 10, 3 * kPage, MockGpu::Access::Atomic,
                  [&](uint8_t *host, uint64_t length, uint64_t offset) {
                     EXPECT_NE(host, nullptr);
                     EXPECT_EQ(offset, expectedOffset);
                     expectedOffset += length;
                     total += length;
                  });
   ASSERT_TRUE(result && result->ok());
   EXPECT_EQ(total, 3 * kPage);
   EXPECT_FALSE(gpu->access(vm->id(), kBase, 1, MockGpu::Access(9), [](uint8_t *, uint64_t, uint64_t) {}));
}

TEST_F(MockGpuTest, UnbindingInvalidatesTheTlb) {
   std::unique_ptr<Bo> bo = makeBo({.size = kPage});
   ASSERT_TRUE(bo);
   bind(VmOp::map(*bo, 0, kBase, kPage));
   uint8_t byte;
   ASSERT_TRUE(gpu->copyFromGpu(vm->id(), kBase, &byte, 1)->ok());
   ASSERT_TRUE(gpu->copyFromGpu(vm->id(), kBase, &byte, 1)->ok());
   const MockGpu::Counters before = gpu->counters();
   EXPECT_GE(before.tlbHits, 1u);
   EXPECT_GE(before.slotBinds, 1u);
   bind(VmOp::unmap(kBase, kPage));
   EXPECT_EQ(gpu->counters().tlbInvalidations, before.tlbInvalidations + 1);
   Result<MockGpu::AccessResult> after = gpu->copyFromGpu(vm->id(), kBase, &byte, 1);
   ASSERT_TRUE(after);
   EXPECT_FALSE(after->ok());
}

} // namespace
} // namespace pan::kmod
