// ABI semantics of the mock kernel (/work/shared/ABI.md): DEV_QUERY,
// DRM_IOCTL_VERSION and ioctl numbers the kernel does not know, at driver
// versions 1.8, 1.9 and 1.10.
#include <gtest/gtest.h>

#include <sys/ioctl.h>

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

#include "MockTestUtil.h"

namespace pan::mock {
namespace {

using namespace testutil;

class QueryTest : public ::testing::TestWithParam<unsigned> {
protected:
   unsigned minor() const { return GetParam(); }

   int query(uint32_t type, uint32_t size, void *pointer, uint32_t *sizeOut = nullptr)
   {
      drm_panthor_dev_query args{};
      args.type = type;
      args.size = size;
      args.pointer = reinterpret_cast<uint64_t>(pointer);
      const int r = file->ioctl(DRM_IOCTL_PANTHOR_DEV_QUERY, &args);
      if (sizeOut)
         *sizeOut = args.size;
      return r;
   }

   std::shared_ptr<Device> dev = makeDevice(GetParam());
   std::shared_ptr<File> file = dev ? dev->open() : nullptr;
};

INSTANTIATE_TEST_SUITE_P(Minor, QueryTest, ::testing::Values(8u, 9u, 10u));

TEST_P(QueryTest, NullPointerReportsTheSize)
{
   uint32_t size = 0;
   EXPECT_EQ(query(DRM_PANTHOR_DEV_QUERY_GPU_INFO, 0, nullptr, &size), 0);
   EXPECT_EQ(size, 112u);
   EXPECT_EQ(query(DRM_PANTHOR_DEV_QUERY_CSIF_INFO, 0, nullptr, &size), 0);
   EXPECT_EQ(size, 24u);
   // 56 bytes from 1.8 on (every version tested here).
   EXPECT_EQ(query(DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO, 0, nullptr, &size), 0);
   EXPECT_EQ(size, 56u);
   EXPECT_EQ(query(DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO, 0, nullptr, &size), 0);
   EXPECT_EQ(size, 4u);
   // A size written by the caller is overwritten, whatever it was.
   size = 0;
   EXPECT_EQ(query(DRM_PANTHOR_DEV_QUERY_GPU_INFO, 12345, nullptr, &size), 0);
   EXPECT_EQ(size, 112u);
}

TEST_P(QueryTest, LargerBufferGetsTheStructThenZeros)
{
   std::vector<uint8_t> exact(112, 0xaa);
   ASSERT_EQ(query(DRM_PANTHOR_DEV_QUERY_GPU_INFO, 112, exact.data()), 0);

   std::vector<uint8_t> larger(112 + 40, 0xaa);
   ASSERT_EQ(query(DRM_PANTHOR_DEV_QUERY_GPU_INFO, uint32_t(larger.size()), larger.data()), 0);
   EXPECT_TRUE(std::equal(exact.begin(), exact.end(), larger.begin()));
   for (size_t i = 112; i < larger.size(); i++)
      EXPECT_EQ(larger[i], 0) << "byte " << i << " past the kernel's struct";
}

TEST_P(QueryTest, SmallerBufferGetsOnlyWhatFits)
{
   std::vector<uint8_t> full(112, 0);
   ASSERT_EQ(query(DRM_PANTHOR_DEV_QUERY_GPU_INFO, 112, full.data()), 0);
   // 96 = up to tiler_present, the oldest gpu_info layout (the mock's minimum).
   std::vector<uint8_t> part(112, 0xaa);
   ASSERT_EQ(query(DRM_PANTHOR_DEV_QUERY_GPU_INFO, 96, part.data()), 0);
   EXPECT_TRUE(std::equal(full.begin(), full.begin() + 96, part.begin()));
   for (size_t i = 96; i < part.size(); i++)
      EXPECT_EQ(part[i], 0xaa) << "byte " << i << " is past the size given";
}

TEST_P(QueryTest, SizeBelowTheMinimumIsEinval)
{
   std::vector<uint8_t> buffer(256, 0);
   EXPECT_EQ(query(DRM_PANTHOR_DEV_QUERY_GPU_INFO, 0, buffer.data()), -EINVAL);
   EXPECT_EQ(query(DRM_PANTHOR_DEV_QUERY_GPU_INFO, 4, buffer.data()), -EINVAL);
   // ABI.md does not give the minimum; the mock takes the first layout's
   // fields (DevQuery.cpp): 96 bytes for gpu_info, the whole 24 for csif_info.
   EXPECT_EQ(query(DRM_PANTHOR_DEV_QUERY_GPU_INFO, 95, buffer.data()), -EINVAL);
   EXPECT_EQ(query(DRM_PANTHOR_DEV_QUERY_CSIF_INFO, 23, buffer.data()), -EINVAL);
   EXPECT_EQ(query(DRM_PANTHOR_DEV_QUERY_CSIF_INFO, 24, buffer.data()), 0);
   EXPECT_EQ(query(DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO, 0, buffer.data()), -EINVAL);
}

TEST_P(QueryTest, UnknownTypeIsEinval)
{
   std::vector<uint8_t> buffer(256, 0);
   EXPECT_EQ(query(5, 256, buffer.data()), -EINVAL);
   EXPECT_EQ(query(0xffffffffu, 256, buffer.data()), -EINVAL);
   EXPECT_EQ(query(5, 0, nullptr), -EINVAL);
}

TEST_P(QueryTest, MmuInfoOnlyFrom1_9)
{
   drm_panthor_mmu_info info{};
   uint32_t size = 0;
   const int sizeQuery = query(DRM_PANTHOR_DEV_QUERY_MMU_INFO, 0, nullptr, &size);
   const int r = query(DRM_PANTHOR_DEV_QUERY_MMU_INFO, sizeof(info), &info);
   if (minor() < 9) {
      EXPECT_EQ(sizeQuery, -EINVAL);
      EXPECT_EQ(r, -EINVAL);
      return;
   }
   EXPECT_EQ(sizeQuery, 0);
   EXPECT_EQ(size, 8u);
   ASSERT_EQ(r, 0);
   EXPECT_EQ(info.page_size_bitmap, 0x201000u);
}

TEST_P(QueryTest, GpuInfoReports48VaBits)
{
   drm_panthor_gpu_info info{};
   ASSERT_EQ(query(DRM_PANTHOR_DEV_QUERY_GPU_INFO, sizeof(info), &info), 0);
   EXPECT_EQ(info.mmu_features & 0xff, 48u);
   EXPECT_NE(info.gpu_id, 0u);
   EXPECT_NE(info.shader_present, 0u);
}

TEST_P(QueryTest, TimestampInfoHasA56ByteLayout)
{
   std::vector<uint8_t> buffer(64, 0xaa);
   ASSERT_EQ(query(DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO, 64, buffer.data()), 0);
   drm_panthor_timestamp_info info;
   memcpy(&info, buffer.data(), sizeof(info));
   EXPECT_NE(info.timestamp_frequency, 0u);
   for (size_t i = 56; i < buffer.size(); i++)
      EXPECT_EQ(buffer[i], 0) << "byte " << i;
}

TEST_P(QueryTest, VersionIsPanthor1Minor)
{
   char name[32] = {}, date[32] = {}, desc[64] = {};
   drm_version version{};
   version.name = name;
   version.name_len = sizeof(name) - 1;
   version.date = date;
   version.date_len = sizeof(date) - 1;
   version.desc = desc;
   version.desc_len = sizeof(desc) - 1;
   ASSERT_EQ(file->ioctl(DRM_IOCTL_VERSION, &version), 0);
   EXPECT_EQ(version.version_major, 1);
   EXPECT_EQ(version.version_minor, int(minor()));
   EXPECT_EQ(std::string(name, version.name_len), "panthor");

   // Lengths only, as libdrm's first call asks.
   drm_version lengths{};
   ASSERT_EQ(file->ioctl(DRM_IOCTL_VERSION, &lengths), 0);
   EXPECT_EQ(lengths.name_len, 7u);
}

TEST_P(QueryTest, UnknownIoctlNumbersAreEinval)
{
   uint8_t buffer[64] = {};
   EXPECT_EQ(file->ioctl(DRM_IOWR(DRM_COMMAND_BASE + 0x20, drm_panthor_dev_query), buffer), -EINVAL);
   EXPECT_EQ(file->ioctl(DRM_IOWR(DRM_COMMAND_BASE + 0x3f, drm_panthor_vm_create), buffer), -EINVAL);
   // A panthor number under another ioctl type is not a DRM request at all.
   EXPECT_EQ(file->ioctl(_IOWR('x', DRM_COMMAND_BASE + DRM_PANTHOR_DEV_QUERY, drm_panthor_dev_query),
                         buffer),
             -EINVAL);
}

} // namespace
} // namespace pan::mock
