// Uniform and storage texel buffers in compute shaders, through the loader
// with the validation layer: for every float-class format offered for both,
// a shader reads element i of a uniform texel buffer view and of a
// (formatless) storage texel buffer view at offsets into their buffers,
// reports both views' sizes, and stores the uniform element into the storage
// one. Expected values come from the test's TexelModel. (R32_UINT storage
// texel buffers' atomics are in ComputeImageTest.)
#include <cstring>

#include "ComputeImageFixture.h"
#include "TexelModel.h"

namespace panvk::test {
namespace {

constexpr uint32_t kElements = 37;
constexpr VkDeviceSize kUniformOffset = 64;
constexpr VkDeviceSize kStorageOffset = 128;

class ComputeTexelBufferTest : public ComputeImageFixture {
protected:
   bool offered(VkFormat format)
   {
      VkFormatProperties props{};
      vkGetPhysicalDeviceFormatProperties(physicalDevice_, format, &props);
      const VkFormatFeatureFlags both =
         VK_FORMAT_FEATURE_UNIFORM_TEXEL_BUFFER_BIT | VK_FORMAT_FEATURE_STORAGE_TEXEL_BUFFER_BIT;
      return (props.bufferFeatures & both) == both;
   }

   void readAndStore(const TexelModelFormat &format, const ComputePipeline &p)
   {
      SCOPED_TRACE(format.name);
      const VkDeviceSize bytes = VkDeviceSize(kElements) * format.bytes;
      MappedBuffer uniform = createBuffer(kUniformOffset + bytes + 64, VK_BUFFER_USAGE_UNIFORM_TEXEL_BUFFER_BIT);
      MappedBuffer storage = createBuffer(kStorageOffset + bytes + 64, VK_BUFFER_USAGE_STORAGE_TEXEL_BUFFER_BIT);
      MappedBuffer results = createBuffer(kElements * 2 * 16, VK_BUFFER_USAGE_STORAGE_BUFFER_BIT);
      MappedBuffer sizes = createBuffer(8, VK_BUFFER_USAGE_STORAGE_BUFFER_BIT);
      memset(storage.mapped, 0xab, storage.size);
      for (uint32_t i = 0; i < kElements; ++i) {
         const std::vector<uint8_t> u = packTexel(format, texelValue(format, i));
         const std::vector<uint8_t> s = packTexel(format, texelValue(format, i + 500));
         memcpy(uniform.mapped + kUniformOffset + i * format.bytes, u.data(), format.bytes);
         memcpy(storage.mapped + kStorageOffset + i * format.bytes, s.data(), format.bytes);
      }
      const std::vector<uint8_t> storageBefore(storage.mapped, storage.mapped + storage.size);

      const VkDescriptorSet set = allocateSet(p.setLayout);
      writeTexelBuffer(set, 0, VK_DESCRIPTOR_TYPE_UNIFORM_TEXEL_BUFFER,
                       createBufferView(uniform, format.format, kUniformOffset, bytes));
      writeTexelBuffer(set, 1, VK_DESCRIPTOR_TYPE_STORAGE_TEXEL_BUFFER,
                       createBufferView(storage, format.format, kStorageOffset, bytes));
      writeBuffer(set, 2, results);
      writeBuffer(set, 3, sizes);
      ASSERT_NO_FATAL_FAILURE(
         run([&](VkCommandBuffer cmd) { dispatch(cmd, p, set, (kElements + 15) / 16); }));

      int32_t gotSizes[2];
      memcpy(gotSizes, sizes.mapped, 8);
      EXPECT_EQ(int32_t(kElements), gotSizes[0]);
      EXPECT_EQ(int32_t(kElements), gotSizes[1]);
      for (uint32_t i = 0; i < kElements; ++i) {
         Lanes u, s;
         memcpy(u.data(), results.mapped + (2 * i) * 16, 16);
         memcpy(s.data(), results.mapped + (2 * i + 1) * 16, 16);
         const Lanes expectedU = unpackTexel(format, uniform.mapped + kUniformOffset + i * format.bytes);
         const Lanes expectedS = unpackTexel(format, storageBefore.data() + kStorageOffset + i * format.bytes);
         ASSERT_TRUE(lanesMatch(format, expectedU, u))
            << "uniform element " << i << ": expected " << describeLanes(format, expectedU) << ", got "
            << describeLanes(format, u);
         ASSERT_TRUE(lanesMatch(format, expectedS, s))
            << "storage element " << i << ": expected " << describeLanes(format, expectedS) << ", got "
            << describeLanes(format, s);
      }
      // The view's elements now hold the uniform ones; the bytes around the view are untouched.
      EXPECT_EQ(0, memcmp(uniform.mapped + kUniformOffset, storage.mapped + kStorageOffset, bytes));
      EXPECT_EQ(0, memcmp(storageBefore.data(), storage.mapped, kStorageOffset));
      EXPECT_EQ(0, memcmp(storageBefore.data() + kStorageOffset + bytes, storage.mapped + kStorageOffset + bytes, 64));
   }
};

TEST_F(ComputeTexelBufferTest, EveryFloatFormatReadsAndStores)
{
   const ComputePipeline p = pipeline("vk_texel_buffer.comp", {{0, VK_DESCRIPTOR_TYPE_UNIFORM_TEXEL_BUFFER},
                                                               {1, VK_DESCRIPTOR_TYPE_STORAGE_TEXEL_BUFFER},
                                                               {2, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER},
                                                               {3, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER}});
   ASSERT_NE(VK_NULL_HANDLE, p.pipeline);
   uint32_t tested = 0;
   for (const TexelModelFormat &format : texelModelFormats()) {
      if (!format.isFloat())
         continue;
      EXPECT_TRUE(offered(format.format)) << format.name;
      if (!offered(format.format))
         continue;
      ASSERT_NO_FATAL_FAILURE(readAndStore(format, p));
      ++tested;
   }
   EXPECT_GT(tested, 20u);
}

TEST_F(ComputeTexelBufferTest, WholeSizeViewEndsAtTheLastWholeElement)
{
   const ComputePipeline p = pipeline("vk_texel_buffer.comp", {{0, VK_DESCRIPTOR_TYPE_UNIFORM_TEXEL_BUFFER},
                                                               {1, VK_DESCRIPTOR_TYPE_STORAGE_TEXEL_BUFFER},
                                                               {2, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER},
                                                               {3, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER}});
   ASSERT_NE(VK_NULL_HANDLE, p.pipeline);
   // 16-byte elements: 64 + 100 bytes hold 6 whole elements after the offset.
   MappedBuffer uniform = createBuffer(64 + 100, VK_BUFFER_USAGE_UNIFORM_TEXEL_BUFFER_BIT);
   MappedBuffer storage = createBuffer(64 + 200, VK_BUFFER_USAGE_STORAGE_TEXEL_BUFFER_BIT);
   MappedBuffer results = createBuffer(64 * 16, VK_BUFFER_USAGE_STORAGE_BUFFER_BIT);
   MappedBuffer sizes = createBuffer(8, VK_BUFFER_USAGE_STORAGE_BUFFER_BIT);
   const VkDescriptorSet set = allocateSet(p.setLayout);
   writeTexelBuffer(set, 0, VK_DESCRIPTOR_TYPE_UNIFORM_TEXEL_BUFFER,
                    createBufferView(uniform, VK_FORMAT_R32G32B32A32_SFLOAT, 64, VK_WHOLE_SIZE));
   writeTexelBuffer(set, 1, VK_DESCRIPTOR_TYPE_STORAGE_TEXEL_BUFFER,
                    createBufferView(storage, VK_FORMAT_R8G8B8A8_UNORM, 64, VK_WHOLE_SIZE));
   writeBuffer(set, 2, results);
   writeBuffer(set, 3, sizes);
   ASSERT_NO_FATAL_FAILURE(run([&](VkCommandBuffer cmd) { dispatch(cmd, p, set, 4); }));
   int32_t gotSizes[2];
   memcpy(gotSizes, sizes.mapped, 8);
   EXPECT_EQ(6, gotSizes[0]);
   EXPECT_EQ(50, gotSizes[1]);
}

} // namespace
} // namespace panvk::test
