// ABI semantics of the mock kernel (/work/shared/ABI.md): BO_CREATE,
// BO_MMAP_OFFSET and mmap, BO_SET_LABEL, BO_QUERY_INFO, BO_SYNC and GEM close,
// at driver versions 1.8, 1.9 and 1.10.
#include <gtest/gtest.h>

#include <sys/mman.h>

#include <set>
#include <string>

#include "MockTestUtil.h"

namespace pan::mock {
namespace {

using namespace testutil;

constexpr uint32_t kNoMmap = DRM_PANTHOR_BO_NO_MMAP;
constexpr uint32_t kWbMmap = DRM_PANTHOR_BO_WB_MMAP;
constexpr uint32_t kAllocOnFault = DRM_PANTHOR_BO_ALLOC_ON_FAULT;

class BoTest : public ::testing::TestWithParam<unsigned> {
protected:
   unsigned minor() const { return GetParam(); }

   int create(uint64_t size, uint32_t flags, uint32_t granularityOrPad, uint32_t exclusiveVm = 0)
   {
      drm_panthor_bo_create args{};
      args.size = size;
      args.flags = flags;
      args.exclusive_vm_id = exclusiveVm;
      args.pad = granularityOrPad;
      return file->ioctl(DRM_IOCTL_PANTHOR_BO_CREATE, &args);
   }

   // Maps the whole BO through BO_MMAP_OFFSET + File::mmap; null on failure.
   uint8_t *cpuMap(uint32_t handle, uint64_t size)
   {
      uint64_t offset = 0;
      EXPECT_EQ(mmapOffset(*file, handle, &offset), 0);
      int error = 0;
      void *p = file->mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, offset, &error);
      EXPECT_NE(p, nullptr) << "mmap errno " << error;
      return static_cast<uint8_t *>(p);
   }

   std::shared_ptr<Device> dev = makeDevice(GetParam());
   std::shared_ptr<File> file = dev ? dev->open() : nullptr;
};

INSTANTIATE_TEST_SUITE_P(Minor, BoTest, ::testing::Values(8u, 9u, 10u));

TEST_P(BoTest, SizeZeroIsEinval)
{
   EXPECT_EQ(create(0, 0, 0), -EINVAL);
   EXPECT_EQ(file->boCount(), 0u);
}

TEST_P(BoTest, SizeIsRoundedUpToPages)
{
   for (auto [asked, got] : {std::pair<uint64_t, uint64_t>{5000, 8192}, {1, 4096}, {4096, 4096},
                             {4097, 8192}, {3 * kMiB + 1, 3 * kMiB + kPage}}) {
      drm_panthor_bo_create args{};
      args.size = asked;
      ASSERT_EQ(file->ioctl(DRM_IOCTL_PANTHOR_BO_CREATE, &args), 0) << asked;
      EXPECT_EQ(args.size, got) << asked;
      EXPECT_EQ(file->lookupBo(args.handle)->size(), got);
   }
}

TEST_P(BoTest, HandlesAreNeverZeroAndDistinct)
{
   std::set<uint32_t> handles;
   for (int i = 0; i < 20; i++) {
      const uint32_t handle = newBo(*file, kPage);
      EXPECT_NE(handle, 0u);
      handles.insert(handle);
   }
   EXPECT_EQ(handles.size(), 20u);
}

TEST_P(BoTest, UnknownFlagsAreEinval)
{
   for (uint32_t flags : {1u << 3, 1u << 4, 1u << 31, 0xffffffffu})
      EXPECT_EQ(create(kPage, flags, 0), -EINVAL) << "flags " << flags;
   EXPECT_EQ(file->boCount(), 0u);
}

TEST_P(BoTest, WbMmapIsKnownSince1_7)
{
   EXPECT_EQ(create(kPage, kWbMmap, 0), 0);
   EXPECT_EQ(create(kPage, kNoMmap, 0), 0);
}

TEST_P(BoTest, NoMmapWithWbMmapIsEinval)
{
   EXPECT_EQ(create(kPage, kNoMmap | kWbMmap, 0), -EINVAL);
}

TEST_P(BoTest, PadMustBeZeroWithoutAllocOnFault)
{
   EXPECT_EQ(create(kPage, 0, 1), -EINVAL);
   EXPECT_EQ(create(64 * kKiB, 0, 4096), -EINVAL) << "a granularity without the flag";
}

TEST_P(BoTest, AllocOnFaultOnlyAt1_10)
{
   const int r = create(64 * kKiB, kAllocOnFault, 4096);
   EXPECT_EQ(r, minor() >= 10 ? 0 : -EINVAL);
}

TEST_P(BoTest, AllocOnFaultGranularityRules)
{
   if (minor() < 10)
      GTEST_SKIP() << "alloc-on-fault is a 1.10 feature";
   const uint64_t size = 64 * kKiB;
   EXPECT_EQ(create(size, kAllocOnFault, 0), -EINVAL) << "0 is no power of two";
   EXPECT_EQ(create(size, kAllocOnFault, 2048), -EINVAL) << "below 4096";
   EXPECT_EQ(create(size, kAllocOnFault, 6144), -EINVAL) << "not a power of two";
   EXPECT_EQ(create(size, kAllocOnFault, 3 * 4096), -EINVAL) << "not a power of two";
   EXPECT_EQ(create(size, kAllocOnFault, 128 * kKiB), -EINVAL) << "above the size";
   EXPECT_EQ(create(size, kAllocOnFault, 4096), 0);
   EXPECT_EQ(create(size, kAllocOnFault, 16 * kKiB), 0);
   EXPECT_EQ(create(size, kAllocOnFault, size), 0) << "equal to the size";
   EXPECT_EQ(create(4 * kMiB, kAllocOnFault, 2 * kMiB), 0);
   EXPECT_EQ(create(size, kAllocOnFault | kNoMmap, 4096), 0);
}

TEST_P(BoTest, UnknownExclusiveVmIsEinval)
{
   EXPECT_EQ(create(kPage, 0, 0, 1), -EINVAL);
   const uint32_t vm = newVm(*file);
   EXPECT_EQ(create(kPage, 0, 0, vm + 1), -EINVAL);
   EXPECT_EQ(create(kPage, 0, 0, vm), 0);
   // Another file's VM id means nothing here.
   std::shared_ptr<File> other = dev->open();
   drm_panthor_bo_create args{};
   args.size = kPage;
   args.exclusive_vm_id = vm;
   EXPECT_EQ(other->ioctl(DRM_IOCTL_PANTHOR_BO_CREATE, &args), -EINVAL);
}

TEST_P(BoTest, NewBosReadZeroThroughMmap)
{
   const uint64_t size = 256 * kKiB;
   uint32_t handle = newBo(*file, size);
   uint8_t *p = cpuMap(handle, size);
   ASSERT_NE(p, nullptr);
   for (uint64_t i = 0; i < size; i++)
      ASSERT_EQ(p[i], 0) << "byte " << i;
   memset(p, 0x5a, size);
   munmap(p, size);
   ASSERT_EQ(closeBo(*file, handle), 0);

   // The next BO of that size reuses those pages: it must not see the old data.
   handle = newBo(*file, size);
   p = cpuMap(handle, size);
   ASSERT_NE(p, nullptr);
   for (uint64_t i = 0; i < size; i++)
      ASSERT_EQ(p[i], 0) << "byte " << i;
   munmap(p, size);
}

TEST_P(BoTest, MmapOffsetErrors)
{
   uint64_t offset = 0;
   EXPECT_EQ(mmapOffset(*file, 0, &offset), -ENOENT);
   EXPECT_EQ(mmapOffset(*file, 1234, &offset), -ENOENT);

   const uint32_t noMmap = newBo(*file, kPage, kNoMmap);
   EXPECT_EQ(mmapOffset(*file, noMmap, &offset), -EPERM);

   const uint32_t plain = newBo(*file, kPage);
   drm_panthor_bo_mmap_offset args{};
   args.handle = plain;
   args.pad = 1;
   EXPECT_EQ(file->ioctl(DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &args), -EINVAL);

   ASSERT_EQ(mmapOffset(*file, plain, &offset), 0);
   EXPECT_NE(offset, 0u);
   EXPECT_EQ(offset % kPage, 0u);

   if (minor() >= 10) {
      // ABI.md is silent; the mock refuses CPU maps of alloc-on-fault BOs with
      // EPERM, as for NO_MMAP (File.cpp: a CPU fault has no defined allocation).
      drm_panthor_bo_create aof{};
      aof.size = 64 * kKiB;
      aof.flags = kAllocOnFault;
      aof.alloc_on_fault_granularity = 4096;
      ASSERT_EQ(file->ioctl(DRM_IOCTL_PANTHOR_BO_CREATE, &aof), 0);
      EXPECT_EQ(mmapOffset(*file, aof.handle, &offset), -EPERM);
   }
}

TEST_P(BoTest, MmapSharesPagesWithOtherMappingsAndTheGpu)
{
   const uint64_t size = 64 * kKiB;
   const uint32_t handle = newBo(*file, size);
   uint8_t *first = cpuMap(handle, size);
   uint8_t *second = cpuMap(handle, size);
   ASSERT_NE(first, nullptr);
   ASSERT_NE(second, nullptr);
   ASSERT_NE(first, second);

   first[0] = 0x11;
   first[5 * kPage + 123] = 0x22;
   first[size - 1] = 0x33;
   EXPECT_EQ(second[0], 0x11);
   EXPECT_EQ(second[5 * kPage + 123], 0x22);
   EXPECT_EQ(second[size - 1], 0x33);

   // The GPU's page walk of a VM mapping of the BO ends at the same bytes.
   const uint32_t vm = newVm(*file);
   const uint64_t va = 16 * kMiB;
   ASSERT_EQ(bindOne(*file, vm, mapOp(handle, 0, va, size)), 0);
   const auto t = translate(*file, vm, va + 5 * kPage + 123);
   ASSERT_TRUE(t);
   EXPECT_EQ(*physByte(t->phys), 0x22);
   *physByte(translate(*file, vm, va + size - 2)->phys) = 0x44;
   EXPECT_EQ(first[size - 2], 0x44);
   EXPECT_EQ(second[size - 2], 0x44);

   munmap(first, size);
   munmap(second, size);
}

TEST_P(BoTest, MmapOfAPartOfTheBo)
{
   const uint64_t size = 64 * kKiB;
   const uint32_t handle = newBo(*file, size);
   uint8_t *whole = cpuMap(handle, size);
   ASSERT_NE(whole, nullptr);
   uint64_t offset = 0;
   ASSERT_EQ(mmapOffset(*file, handle, &offset), 0);
   int error = 0;
   auto *tail = static_cast<uint8_t *>(
      file->mmap(nullptr, 2 * kPage, PROT_READ, MAP_SHARED, offset + size - 2 * kPage, &error));
   ASSERT_NE(tail, nullptr) << error;
   whole[size - kPage] = 0x77;
   EXPECT_EQ(tail[kPage], 0x77);
   // Past the end of the BO, or an offset this file never got: refused.
   EXPECT_EQ(file->mmap(nullptr, 3 * kPage, PROT_READ, MAP_SHARED, offset + size - 2 * kPage, &error),
             nullptr);
   EXPECT_EQ(file->mmap(nullptr, kPage, PROT_READ, MAP_SHARED, offset + size + kMiB, &error), nullptr);
   std::shared_ptr<File> other = dev->open();
   EXPECT_EQ(other->mmap(nullptr, kPage, PROT_READ, MAP_SHARED, offset, &error), nullptr);
   munmap(whole, size);
   munmap(tail, 2 * kPage);
}

TEST_P(BoTest, SetLabel)
{
   const uint32_t handle = newBo(*file, kPage);
   const std::string label = "vertex buffer";
   drm_panthor_bo_set_label args{};
   args.handle = handle;
   args.label = reinterpret_cast<uint64_t>(label.c_str());
   ASSERT_EQ(file->ioctl(DRM_IOCTL_PANTHOR_BO_SET_LABEL, &args), 0);
   EXPECT_EQ(file->lookupBo(handle)->label(), label);

   args.pad = 1;
   EXPECT_EQ(file->ioctl(DRM_IOCTL_PANTHOR_BO_SET_LABEL, &args), -EINVAL);
   args.pad = 0;
   // ABI.md is silent on the errno of a bad handle; the mock answers ENOENT,
   // as every other BO lookup does.
   args.handle = handle + 1;
   EXPECT_EQ(file->ioctl(DRM_IOCTL_PANTHOR_BO_SET_LABEL, &args), -ENOENT);
}

TEST_P(BoTest, LabelsAreAtMost4096BytesWithTheirNul)
{
   const uint32_t handle = newBo(*file, kPage);
   drm_panthor_bo_set_label args{};
   args.handle = handle;

   const std::string longest(4095, 'a'); // 4096 bytes with its NUL
   args.label = reinterpret_cast<uint64_t>(longest.c_str());
   ASSERT_EQ(file->ioctl(DRM_IOCTL_PANTHOR_BO_SET_LABEL, &args), 0);
   EXPECT_TRUE(file->lookupBo(handle)->label() == longest);

   const std::string tooLong(4096, 'b'); // 4097 bytes with its NUL
   args.label = reinterpret_cast<uint64_t>(tooLong.c_str());
   EXPECT_EQ(file->ioctl(DRM_IOCTL_PANTHOR_BO_SET_LABEL, &args), -EINVAL);
   const std::string wayTooLong(10000, 'c');
   args.label = reinterpret_cast<uint64_t>(wayTooLong.c_str());
   EXPECT_EQ(file->ioctl(DRM_IOCTL_PANTHOR_BO_SET_LABEL, &args), -EINVAL);
   EXPECT_EQ(file->lookupBo(handle)->label().size(), longest.size())
      << "a refused label changes nothing";
}

TEST_P(BoTest, QueryInfo)
{
   const uint32_t wb = newBo(*file, kPage, kWbMmap);
   const uint32_t noMmap = newBo(*file, kPage, kNoMmap);
   drm_panthor_bo_query_info args{};
   args.handle = wb;
   args.extra_flags = 0xff;
   ASSERT_EQ(file->ioctl(DRM_IOCTL_PANTHOR_BO_QUERY_INFO, &args), 0);
   EXPECT_EQ(args.create_flags, kWbMmap);
   EXPECT_EQ(args.extra_flags, 0u) << "not imported";
   args.handle = noMmap;
   ASSERT_EQ(file->ioctl(DRM_IOCTL_PANTHOR_BO_QUERY_INFO, &args), 0);
   EXPECT_EQ(args.create_flags, kNoMmap);

   args.pad = 1;
   EXPECT_EQ(file->ioctl(DRM_IOCTL_PANTHOR_BO_QUERY_INFO, &args), -EINVAL);
   args.pad = 0;
   // ABI.md is silent; the mock answers a bad handle with ENOENT.
   args.handle = 999;
   EXPECT_EQ(file->ioctl(DRM_IOCTL_PANTHOR_BO_QUERY_INFO, &args), -ENOENT);
}

TEST_P(BoTest, GemClose)
{
   const uint32_t handle = newBo(*file, kPage);
   // ABI.md is silent; the mock answers an unknown handle with EINVAL, as the
   // DRM core's GEM close does.
   EXPECT_EQ(closeBo(*file, handle + 1), -EINVAL);
   EXPECT_EQ(closeBo(*file, 0), -EINVAL);
   drm_gem_close args{};
   args.handle = handle;
   args.pad = 1;
   EXPECT_EQ(file->ioctl(DRM_IOCTL_GEM_CLOSE, &args), -EINVAL);
   ASSERT_EQ(closeBo(*file, handle), 0);
   EXPECT_EQ(closeBo(*file, handle), -EINVAL) << "closed twice";
   uint64_t offset = 0;
   EXPECT_EQ(mmapOffset(*file, handle, &offset), -ENOENT);
   EXPECT_EQ(file->boCount(), 0u);
}

TEST_P(BoTest, BoHandlesArePerFile)
{
   const uint32_t handle = newBo(*file, kPage);
   std::shared_ptr<File> other = dev->open();
   uint64_t offset = 0;
   EXPECT_EQ(mmapOffset(*other, handle, &offset), -ENOENT);
   EXPECT_EQ(closeBo(*other, handle), -EINVAL);
   EXPECT_NE(file->lookupBo(handle), nullptr);
}

int
boSync(File &file, uint32_t stride, uint32_t count, const void *array)
{
   drm_panthor_bo_sync args{};
   args.ops.stride = stride;
   args.ops.count = count;
   args.ops.array = reinterpret_cast<uint64_t>(array);
   return file.ioctl(DRM_IOCTL_PANTHOR_BO_SYNC, &args);
}

TEST_P(BoTest, BoSyncObjArrayStrides)
{
   const uint32_t handle = newBo(*file, 16 * kKiB);
   drm_panthor_bo_sync_op op{};
   op.handle = handle;
   op.type = DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH;
   op.size = 16 * kKiB;
   EXPECT_EQ(boSync(*file, sizeof(op), 1, &op), 0);
   EXPECT_EQ(boSync(*file, sizeof(op), 0, nullptr), 0) << "count 0";
   EXPECT_EQ(boSync(*file, sizeof(op) - 8, 1, &op), -EINVAL) << "stride below the struct";

   uint8_t padded[40] = {};
   memcpy(padded, &op, sizeof(op));
   EXPECT_EQ(boSync(*file, sizeof(padded), 1, padded), 0) << "larger stride, zero tail";
   padded[sizeof(op) + 3] = 1;
   EXPECT_EQ(boSync(*file, sizeof(padded), 1, padded), -E2BIG) << "larger stride, nonzero tail";
}

} // namespace
} // namespace pan::mock
