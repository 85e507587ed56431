// The VM_BIND structs kmod hands the kernel, checked field by field.
#include <gtest/gtest.h>
#include <vector>

#include "drm-uapi/panthor_drm.h"
#include "kmod/Bo.h"
#include "kmod/Device.h"
#include "kmod/Syncobj.h"
#include "kmod/Vm.h"
#include "MockAccess.h"
#include "RecordingTransport.h"

namespace pan::kmod {
namespace {

using test::openRecordingMock;
using test::RecordingTransport;

constexpr uint64_t kPage = 4096;
constexpr uint64_t k2M = 2ull << 20;

class BindMarshallingTest : public ::testing::Test {
protected:
   void open(unsigned minor) {
      device = openRecordingMock(minor, &recorder);
      ASSERT_TRUE(device);
      Result<std::unique_ptr<Vm>> created = Vm::create(*device);
      ASSERT_TRUE(created);
      vm = std::move(created.value());
   }

   std::unique_ptr<Device> device;
   RecordingTransport *recorder = nullptr;
   std::unique_ptr<Vm> vm;
};

TEST_F(BindMarshallingTest, MapUnmapAndFlags) {
   open(9);
   Result<std::unique_ptr<Bo>> bo = Bo::create(*device, {.size = 4 * kPage});
   ASSERT_TRUE(bo);
   const std::vector<VmOp> ops = {
      VmOp::map(*bo.value(), kPage, 0x100000, 2 * kPage, MapFlags::ReadOnly | MapFlags::Uncached),
      VmOp::unmap(0x100000, kPage),
   };
   ASSERT_TRUE(vm->bind(ops, Vm::BindMode::Immediate));
   ASSERT_EQ(recorder->binds.size(), 1u);
   const test::RecordedBind &bind = recorder->binds[0];
   EXPECT_EQ(bind.vmId, vm->id());
   EXPECT_EQ(bind.flags, 0u);
   ASSERT_EQ(bind.ops.size(), 2u);

   const drm_panthor_vm_bind_op &map = bind.ops[0].op;
   EXPECT_EQ(map.flags, uint32_t(DRM_PANTHOR_VM_BIND_OP_TYPE_MAP |
                                 DRM_PANTHOR_VM_BIND_OP_MAP_READONLY |
                                 DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED));
   EXPECT_EQ(map.bo_handle, bo.value()->handle());
   EXPECT_EQ(map.bo_offset, kPage);
   EXPECT_EQ(map.va, 0x100000u);
   EXPECT_EQ(map.size, 2 * kPage);
   EXPECT_EQ(map.syncs.count, 0u);

   const drm_panthor_vm_bind_op &unmap = bind.ops[1].op;
   EXPECT_EQ(unmap.flags, uint32_t(DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP));
   EXPECT_EQ(unmap.bo_handle, 0u);
   EXPECT_EQ(unmap.bo_offset, 0u);
}

TEST_F(BindMarshallingTest, NativeSparseIsOneFlaggedOp) {
   open(9);
   Result<std::unique_ptr<Syncobj>> timeline = Syncobj::create(*device);
   Result<std::unique_ptr<Syncobj>> binary = Syncobj::create(*device, true);
   ASSERT_TRUE(timeline && binary);
   VmOp op = VmOp::sparse(3 * k2M + kPage, 5 * k2M);
   op.waits.push_back({binary.value()->handle(), 0});
   op.signals.push_back({timeline.value()->handle(), 7});
   Result<void> bound = vm->bind(std::span(&op, 1), Vm::BindMode::Async);
   ASSERT_TRUE(bound) << bound.error().message;

   ASSERT_EQ(recorder->binds.size(), 1u);
   EXPECT_EQ(recorder->binds[0].flags, uint32_t(DRM_PANTHOR_VM_BIND_ASYNC));
   ASSERT_EQ(recorder->binds[0].ops.size(), 1u);
   const test::RecordedOp &sent = recorder->binds[0].ops[0];
   EXPECT_EQ(sent.op.flags, uint32_t(DRM_PANTHOR_VM_BIND_OP_TYPE_MAP |
                                     DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC |
                                     DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE));
   EXPECT_EQ(sent.op.bo_handle, 0u);
   EXPECT_EQ(sent.op.bo_offset, 0u);
   EXPECT_EQ(sent.op.va, 3 * k2M + kPage);
   EXPECT_EQ(sent.op.size, 5 * k2M);
   EXPECT_EQ(sent.op.syncs.stride, sizeof(drm_panthor_sync_op));
   ASSERT_EQ(sent.syncs.size(), 2u);
   EXPECT_EQ(sent.syncs[0].flags, uint32_t(DRM_PANTHOR_SYNC_OP_WAIT |
                                           DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ));
   EXPECT_EQ(sent.syncs[0].handle, binary.value()->handle());
   EXPECT_EQ(sent.syncs[0].timeline_value, 0u);
   EXPECT_EQ(sent.syncs[1].flags, uint32_t(DRM_PANTHOR_SYNC_OP_SIGNAL |
                                           DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ));
   EXPECT_EQ(sent.syncs[1].handle, timeline.value()->handle());
   EXPECT_EQ(sent.syncs[1].timeline_value, 7u);
}

TEST_F(BindMarshallingTest, EmulatedSparsePiecesAndSyncPlacement) {
   open(8);
   Result<std::unique_ptr<Syncobj>> gate = Syncobj::create(*device, true);
   Result<std::unique_ptr<Syncobj>> done = Syncobj::create(*device);
   ASSERT_TRUE(gate && done);
   const uint64_t va = 3 * k2M + kPage;
   const uint64_t size = 5 * k2M; // ends kPage into block 8: pieces in blocks 3..8
   VmOp op = VmOp::sparse(va, size);
   op.flags |= MapFlags::ReadOnly;
   op.waits.push_back({gate.value()->handle(), 0});
   op.signals.push_back({done.value()->handle(), 3});
   Result<void> bound = vm->bind(std::span(&op, 1), Vm::BindMode::Async);
   ASSERT_TRUE(bound) << bound.error().message;

   const Bo *dummy = vm->sparseDummy();
   ASSERT_NE(dummy, nullptr);
   ASSERT_EQ(recorder->binds.size(), 1u);
   const std::vector<test::RecordedOp> &pieces = recorder->binds[0].ops;
   ASSERT_EQ(pieces.size(), 6u);
   uint64_t expectedVa = va;
   for (size_t i = 0; i < pieces.size(); ++i) {
      const drm_panthor_vm_bind_op &piece = pieces[i].op;
      EXPECT_EQ(piece.flags, uint32_t(DRM_PANTHOR_VM_BIND_OP_TYPE_MAP |
                                      DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC |
                                      DRM_PANTHOR_VM_BIND_OP_MAP_READONLY))
         << "piece " << i;
      EXPECT_EQ(piece.bo_handle, dummy->handle());
      EXPECT_EQ(piece.va, expectedVa);
      EXPECT_EQ(piece.bo_offset, piece.va % k2M);
      EXPECT_LE(piece.bo_offset + piece.size, k2M) << "piece " << i;
      // Every piece but the last ends on a 2 MiB boundary.
      if (i + 1 < pieces.size()) {
         EXPECT_EQ((piece.va + piece.size) % k2M, 0u) << "piece " << i;
      }
      expectedVa += piece.size;
   }
   EXPECT_EQ(expectedVa, va + size);
   EXPECT_EQ(pieces.front().op.size, k2M - kPage);
   EXPECT_EQ(pieces.back().op.size, kPage);

   ASSERT_EQ(pieces.front().syncs.size(), 1u);
   EXPECT_EQ(pieces.front().syncs[0].handle, gate.value()->handle());
   EXPECT_EQ(pieces.front().syncs[0].flags, uint32_t(DRM_PANTHOR_SYNC_OP_WAIT));
   for (size_t i = 1; i + 1 < pieces.size(); ++i)
      EXPECT_TRUE(pieces[i].syncs.empty()) << "piece " << i;
   ASSERT_EQ(pieces.back().syncs.size(), 1u);
   EXPECT_EQ(pieces.back().syncs[0].handle, done.value()->handle());
   EXPECT_EQ(pieces.back().syncs[0].timeline_value, 3u);
   EXPECT_EQ(pieces.back().syncs[0].flags,
             uint32_t(DRM_PANTHOR_SYNC_OP_SIGNAL | DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ));

   Result<void> waited = done.value()->wait(3, absoluteTimeout(5'000'000'000));
   ASSERT_TRUE(waited) << waited.error().message;
   EXPECT_TRUE(test::translate(*device, vm->id(), va + size - 1));
}

TEST_F(BindMarshallingTest, EmulatedSparseWithinOneBlockIsOnePiece) {
   open(8);
   const VmOp op = VmOp::sparse(5 * k2M + 16 * kPage, 32 * kPage);
   ASSERT_TRUE(vm->bind(std::span(&op, 1), Vm::BindMode::Immediate));
   ASSERT_EQ(recorder->binds.size(), 1u);
   ASSERT_EQ(recorder->binds[0].ops.size(), 1u);
   EXPECT_EQ(recorder->binds[0].ops[0].op.bo_offset, 16 * kPage);
   EXPECT_EQ(recorder->binds[0].ops[0].op.size, 32 * kPage);
}

TEST_F(BindMarshallingTest, SyncOnlyCarriesOnlySyncs) {
   open(9);
   Result<std::unique_ptr<Syncobj>> done = Syncobj::create(*device);
   ASSERT_TRUE(done);
   VmOp op = VmOp::syncOnly();
   op.signals.push_back({done.value()->handle(), 0});
   ASSERT_TRUE(vm->bind(std::span(&op, 1), Vm::BindMode::Async));
   ASSERT_EQ(recorder->binds.size(), 1u);
   const test::RecordedOp &sent = recorder->binds[0].ops[0];
   EXPECT_EQ(sent.op.flags, uint32_t(DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY));
   EXPECT_EQ(sent.op.va, 0u);
   EXPECT_EQ(sent.op.size, 0u);
   ASSERT_EQ(sent.syncs.size(), 1u);
   EXPECT_TRUE(done.value()->wait(0, absoluteTimeout(5'000'000'000)));
}

} // namespace
} // namespace pan::kmod
