// VK_KHR_maintenance4 through the loader, with the validation layer: the
// extension, its feature and maxBufferSize, its three commands found with
// vkGetDeviceProcAddr once enabled, and their answers equal to what creating
// the object and querying it says (buffers, images, sparse residency images
// of every kind), and the promises on image sizes and alignments.
#include <algorithm>
#include <cstring>
#include <vector>

#include "VkTestFixture.h"

namespace panvk::test {
namespace {

constexpr VkImageUsageFlags kUsage = VK_IMAGE_USAGE_TRANSFER_SRC_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT;
constexpr VkImageCreateFlags kResidency = VK_IMAGE_CREATE_SPARSE_BINDING_BIT | VK_IMAGE_CREATE_SPARSE_RESIDENCY_BIT;

VkImageCreateInfo
imageInfo(VkImageType type, VkFormat format, VkExtent3D extent, uint32_t levels, uint32_t layers,
          VkImageTiling tiling = VK_IMAGE_TILING_OPTIMAL, VkImageCreateFlags flags = 0)
{
   VkImageCreateInfo info{VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO};
   info.flags = flags;
   info.imageType = type;
   info.format = format;
   info.extent = extent;
   info.mipLevels = levels;
   info.arrayLayers = layers;
   info.samples = VK_SAMPLE_COUNT_1_BIT;
   info.tiling = tiling;
   info.usage = kUsage;
   return info;
}

bool
operator==(const VkMemoryRequirements &a, const VkMemoryRequirements &b)
{
   return a.size == b.size && a.alignment == b.alignment && a.memoryTypeBits == b.memoryTypeBits;
}

class Maintenance4Test : public VkTestFixture {
protected:
   void SetUp() override
   {
      ASSERT_NO_FATAL_FAILURE(VkTestFixture::SetUp());
      const float priority = 1.0f;
      VkDeviceQueueCreateInfo queue{VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO};
      queue.queueFamilyIndex = kSparseOnlyFamily;
      queue.queueCount = 1;
      queue.pQueuePriorities = &priority;
      VkPhysicalDeviceFeatures enabled{};
      enabled.sparseBinding = VK_TRUE;
      enabled.sparseResidencyBuffer = VK_TRUE;
      enabled.sparseResidencyImage2D = VK_TRUE;
      enabled.sparseResidencyImage3D = VK_TRUE;
      enabled.imageCubeArray = VK_TRUE;
      VkPhysicalDeviceMaintenance4FeaturesKHR maintenance4{
         VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MAINTENANCE_4_FEATURES_KHR};
      maintenance4.maintenance4 = VK_TRUE;
      const char *extensions[] = {VK_KHR_MAINTENANCE_4_EXTENSION_NAME};
      VkDeviceCreateInfo info{VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO};
      info.pNext = &maintenance4;
      info.queueCreateInfoCount = 1;
      info.pQueueCreateInfos = &queue;
      info.pEnabledFeatures = &enabled;
      info.enabledExtensionCount = 1;
      info.ppEnabledExtensionNames = extensions;
      VK_ASSERT_SUCCESS(vkCreateDevice(physicalDevice_, &info, nullptr, &device4_));
      bufferRequirements_ = reinterpret_cast<PFN_vkGetDeviceBufferMemoryRequirementsKHR>(
         vkGetDeviceProcAddr(device4_, "vkGetDeviceBufferMemoryRequirementsKHR"));
      imageRequirements_ = reinterpret_cast<PFN_vkGetDeviceImageMemoryRequirementsKHR>(
         vkGetDeviceProcAddr(device4_, "vkGetDeviceImageMemoryRequirementsKHR"));
      imageSparseRequirements_ = reinterpret_cast<PFN_vkGetDeviceImageSparseMemoryRequirementsKHR>(
         vkGetDeviceProcAddr(device4_, "vkGetDeviceImageSparseMemoryRequirementsKHR"));
      ASSERT_NE(nullptr, bufferRequirements_);
      ASSERT_NE(nullptr, imageRequirements_);
      ASSERT_NE(nullptr, imageSparseRequirements_);
   }

   void TearDown() override
   {
      if (device4_)
         vkDestroyDevice(device4_, nullptr);
      VkTestFixture::TearDown();
   }

   // Requirements without an image, and with one made and dropped; the
   // dedicated-allocation struct in the chain is filled by both.
   VkMemoryRequirements deviceImageRequirements(const VkImageCreateInfo &info)
   {
      VkDeviceImageMemoryRequirementsKHR query{VK_STRUCTURE_TYPE_DEVICE_IMAGE_MEMORY_REQUIREMENTS_KHR};
      query.pCreateInfo = &info;
      VkMemoryDedicatedRequirements dedicated{VK_STRUCTURE_TYPE_MEMORY_DEDICATED_REQUIREMENTS};
      dedicated.prefersDedicatedAllocation = dedicated.requiresDedicatedAllocation = VK_TRUE;
      VkMemoryRequirements2 requirements{VK_STRUCTURE_TYPE_MEMORY_REQUIREMENTS_2, &dedicated};
      imageRequirements_(device4_, &query, &requirements);
      EXPECT_FALSE(dedicated.prefersDedicatedAllocation);
      EXPECT_FALSE(dedicated.requiresDedicatedAllocation);
      return requirements.memoryRequirements;
   }
   std::vector<VkSparseImageMemoryRequirements> deviceSparseRequirements(const VkImageCreateInfo &info)
   {
      VkDeviceImageMemoryRequirementsKHR query{VK_STRUCTURE_TYPE_DEVICE_IMAGE_MEMORY_REQUIREMENTS_KHR};
      query.pCreateInfo = &info;
      uint32_t count = 0;
      imageSparseRequirements_(device4_, &query, &count, nullptr);
      std::vector<VkSparseImageMemoryRequirements2> all(count, {VK_STRUCTURE_TYPE_SPARSE_IMAGE_MEMORY_REQUIREMENTS_2});
      imageSparseRequirements_(device4_, &query, &count, all.data());
      std::vector<VkSparseImageMemoryRequirements> out;
      for (uint32_t i = 0; i < count; i++) {
         EXPECT_EQ(VK_STRUCTURE_TYPE_SPARSE_IMAGE_MEMORY_REQUIREMENTS_2, all[i].sType);
         out.push_back(all[i].memoryRequirements);
      }
      return out;
   }

   // Creates the image, compares both queries with the image's, destroys it.
   void expectImageQueriesAgree(const VkImageCreateInfo &info)
   {
      VkImage image = VK_NULL_HANDLE;
      ASSERT_EQ(VK_SUCCESS, vkCreateImage(device4_, &info, nullptr, &image));
      VkImageMemoryRequirementsInfo2 imageInfo{VK_STRUCTURE_TYPE_IMAGE_MEMORY_REQUIREMENTS_INFO_2};
      imageInfo.image = image;
      VkMemoryRequirements2 created{VK_STRUCTURE_TYPE_MEMORY_REQUIREMENTS_2};
      vkGetImageMemoryRequirements2(device4_, &imageInfo, &created);
      const VkMemoryRequirements asked = deviceImageRequirements(info);
      EXPECT_TRUE(asked == created.memoryRequirements)
         << "size " << asked.size << " vs " << created.memoryRequirements.size << ", alignment " << asked.alignment
         << " vs " << created.memoryRequirements.alignment;
      EXPECT_NE(0u, asked.size);

      VkImageSparseMemoryRequirementsInfo2 sparseInfo{VK_STRUCTURE_TYPE_IMAGE_SPARSE_MEMORY_REQUIREMENTS_INFO_2};
      sparseInfo.image = image;
      uint32_t count = 0;
      vkGetImageSparseMemoryRequirements2(device4_, &sparseInfo, &count, nullptr);
      std::vector<VkSparseImageMemoryRequirements2> sparse(
         count, {VK_STRUCTURE_TYPE_SPARSE_IMAGE_MEMORY_REQUIREMENTS_2});
      vkGetImageSparseMemoryRequirements2(device4_, &sparseInfo, &count, sparse.data());
      const std::vector<VkSparseImageMemoryRequirements> sparseAsked = deviceSparseRequirements(info);
      ASSERT_EQ(count, sparseAsked.size());
      EXPECT_EQ((info.flags & VK_IMAGE_CREATE_SPARSE_RESIDENCY_BIT) ? 1u : 0u, count);
      for (uint32_t i = 0; i < count; i++)
         EXPECT_EQ(0, memcmp(&sparse[i].memoryRequirements, &sparseAsked[i], sizeof(sparseAsked[i])));
      vkDestroyImage(device4_, image, nullptr);
   }

   VkDevice device4_ = VK_NULL_HANDLE;
   PFN_vkGetDeviceBufferMemoryRequirementsKHR bufferRequirements_ = nullptr;
   PFN_vkGetDeviceImageMemoryRequirementsKHR imageRequirements_ = nullptr;
   PFN_vkGetDeviceImageSparseMemoryRequirementsKHR imageSparseRequirements_ = nullptr;
};

TEST_F(Maintenance4Test, ExtensionFeatureAndMaxBufferSize)
{
   uint32_t count = 0;
   VK_ASSERT_SUCCESS(vkEnumerateDeviceExtensionProperties(physicalDevice_, nullptr, &count, nullptr));
   std::vector<VkExtensionProperties> extensions(count);
   VK_ASSERT_SUCCESS(vkEnumerateDeviceExtensionProperties(physicalDevice_, nullptr, &count, extensions.data()));
   EXPECT_TRUE(std::any_of(extensions.begin(), extensions.end(), [](const VkExtensionProperties &e) {
      return strcmp(e.extensionName, VK_KHR_MAINTENANCE_4_EXTENSION_NAME) == 0 &&
             e.specVersion == VK_KHR_MAINTENANCE_4_SPEC_VERSION;
   }));

   VkPhysicalDeviceMaintenance4FeaturesKHR feature{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MAINTENANCE_4_FEATURES_KHR};
   VkPhysicalDeviceFeatures2 features{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2, &feature};
   vkGetPhysicalDeviceFeatures2(physicalDevice_, &features);
   EXPECT_TRUE(feature.maintenance4);

   VkPhysicalDeviceMaintenance4PropertiesKHR limits{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MAINTENANCE_4_PROPERTIES_KHR};
   VkPhysicalDeviceProperties2 properties{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2, &limits};
   vkGetPhysicalDeviceProperties2(physicalDevice_, &properties);
   EXPECT_GE(limits.maxBufferSize, VkDeviceSize(1) << 30) << "the spec's minimum";
   EXPECT_GE(limits.maxBufferSize, memoryProperties_.memoryHeaps[0].size);
   EXPECT_EQ(std::max(memoryProperties_.memoryHeaps[0].size, properties.properties.limits.sparseAddressSpaceSize),
             limits.maxBufferSize);

   // A sparse buffer that large is made (it only takes VA); its requirements
   // are answered without it too.
   VkBufferCreateInfo info{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
   info.flags = VK_BUFFER_CREATE_SPARSE_BINDING_BIT;
   info.size = limits.maxBufferSize;
   info.usage = VK_BUFFER_USAGE_TRANSFER_SRC_BIT;
   VkBuffer buffer = VK_NULL_HANDLE;
   EXPECT_EQ(VK_SUCCESS, vkCreateBuffer(device4_, &info, nullptr, &buffer));
   vkDestroyBuffer(device4_, buffer, nullptr);
}

TEST_F(Maintenance4Test, CommandsAreNullWithoutTheExtension)
{
   // The fixture's own device does not enable it.
   EXPECT_EQ(nullptr, vkGetDeviceProcAddr(device_, "vkGetDeviceBufferMemoryRequirementsKHR"));
   EXPECT_EQ(nullptr, vkGetDeviceProcAddr(device_, "vkGetDeviceImageMemoryRequirementsKHR"));
   EXPECT_EQ(nullptr, vkGetDeviceProcAddr(device_, "vkGetDeviceImageSparseMemoryRequirementsKHR"));
}

TEST_F(Maintenance4Test, BufferQueriesEqualCreatedBuffers)
{
   const VkBufferCreateFlags flagSets[] = {
      0, VK_BUFFER_CREATE_SPARSE_BINDING_BIT,
      VK_BUFFER_CREATE_SPARSE_BINDING_BIT | VK_BUFFER_CREATE_SPARSE_RESIDENCY_BIT};
   for (VkBufferCreateFlags flags : flagSets) {
      for (VkDeviceSize size : {VkDeviceSize(1), VkDeviceSize(63), VkDeviceSize(64), VkDeviceSize(65),
                                VkDeviceSize(100'000), VkDeviceSize((1 << 20) + 1), VkDeviceSize(3) << 20}) {
         SCOPED_TRACE(::testing::Message() << "flags " << flags << " size " << size);
         VkBufferCreateInfo info{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
         info.flags = flags;
         info.size = size;
         info.usage = VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT;
         VkDeviceBufferMemoryRequirementsKHR query{VK_STRUCTURE_TYPE_DEVICE_BUFFER_MEMORY_REQUIREMENTS_KHR};
         query.pCreateInfo = &info;
         VkMemoryRequirements2 asked{VK_STRUCTURE_TYPE_MEMORY_REQUIREMENTS_2};
         bufferRequirements_(device4_, &query, &asked);

         VkBuffer buffer = VK_NULL_HANDLE;
         ASSERT_EQ(VK_SUCCESS, vkCreateBuffer(device4_, &info, nullptr, &buffer));
         VkBufferMemoryRequirementsInfo2 bufferInfo{VK_STRUCTURE_TYPE_BUFFER_MEMORY_REQUIREMENTS_INFO_2};
         bufferInfo.buffer = buffer;
         VkMemoryRequirements2 created{VK_STRUCTURE_TYPE_MEMORY_REQUIREMENTS_2};
         vkGetBufferMemoryRequirements2(device4_, &bufferInfo, &created);
         vkDestroyBuffer(device4_, buffer, nullptr);

         EXPECT_TRUE(asked.memoryRequirements == created.memoryRequirements);
         const VkMemoryRequirements &r = asked.memoryRequirements;
         EXPECT_NE(0u, r.memoryTypeBits);
         // maintenance4: never more than the size aligned up.
         EXPECT_LE(r.size, (size + r.alignment - 1) / r.alignment * r.alignment);
         EXPECT_GE(r.size, size);
      }
   }
}

TEST_F(Maintenance4Test, ImageQueriesEqualCreatedImages)
{
   const VkImageCreateInfo cases[] = {
      imageInfo(VK_IMAGE_TYPE_2D, VK_FORMAT_R8G8B8A8_UNORM, {100, 50, 1}, 2, 3, VK_IMAGE_TILING_LINEAR),
      imageInfo(VK_IMAGE_TYPE_2D, VK_FORMAT_R8G8B8A8_UNORM, {300, 200, 1}, 9, 1),
      imageInfo(VK_IMAGE_TYPE_1D, VK_FORMAT_R16_SFLOAT, {1000, 1, 1}, 4, 2),
      imageInfo(VK_IMAGE_TYPE_3D, VK_FORMAT_R32_UINT, {77, 33, 9}, 3, 1),
      imageInfo(VK_IMAGE_TYPE_2D, VK_FORMAT_D24_UNORM_S8_UINT, {640, 480, 1}, 1, 1),
      imageInfo(VK_IMAGE_TYPE_2D, VK_FORMAT_BC7_UNORM_BLOCK, {1000, 600, 1}, 5, 2),
      imageInfo(VK_IMAGE_TYPE_2D, VK_FORMAT_R8G8B8A8_UNORM, {65, 65, 1}, 7, 6, VK_IMAGE_TILING_OPTIMAL,
                VK_IMAGE_CREATE_CUBE_COMPATIBLE_BIT),
      imageInfo(VK_IMAGE_TYPE_2D, VK_FORMAT_R8G8B8A8_UNORM, {200, 300, 1}, 1, 1, VK_IMAGE_TILING_OPTIMAL,
                VK_IMAGE_CREATE_SPARSE_BINDING_BIT),
      // Sparse residency: 2D, 2D array, 3D, depth/stencil, cube-compatible.
      imageInfo(VK_IMAGE_TYPE_2D, VK_FORMAT_R8G8B8A8_UNORM, {4096, 4096, 1}, 13, 1, VK_IMAGE_TILING_OPTIMAL,
                kResidency),
      imageInfo(VK_IMAGE_TYPE_2D, VK_FORMAT_R16_UNORM, {700, 333, 1}, 4, 5, VK_IMAGE_TILING_OPTIMAL, kResidency),
      imageInfo(VK_IMAGE_TYPE_3D, VK_FORMAT_R8G8B8A8_UNORM, {300, 260, 5}, 4, 1, VK_IMAGE_TILING_OPTIMAL,
                kResidency),
      imageInfo(VK_IMAGE_TYPE_2D, VK_FORMAT_D32_SFLOAT_S8_UINT, {500, 300, 1}, 3, 2, VK_IMAGE_TILING_OPTIMAL,
                kResidency),
      imageInfo(VK_IMAGE_TYPE_2D, VK_FORMAT_D16_UNORM, {100, 50, 1}, 1, 1, VK_IMAGE_TILING_OPTIMAL, kResidency),
      imageInfo(VK_IMAGE_TYPE_2D, VK_FORMAT_R32G32B32A32_SFLOAT, {129, 129, 1}, 8, 12, VK_IMAGE_TILING_OPTIMAL,
                kResidency | VK_IMAGE_CREATE_CUBE_COMPATIBLE_BIT),
   };
   for (const VkImageCreateInfo &info : cases) {
      SCOPED_TRACE(::testing::Message() << "format " << info.format << " type " << info.imageType << " "
                                        << info.extent.width << "x" << info.extent.height << "x"
                                        << info.extent.depth << " flags " << info.flags);
      expectImageQueriesAgree(info);
   }
}

// maintenance4: the same description gets the same alignment, and a larger
// extent never a smaller size.
TEST_F(Maintenance4Test, ImageSizesGrowWithTheExtentAlignmentsStay)
{
   struct Kind {
      VkImageType type;
      VkFormat format;
      VkImageTiling tiling;
      VkImageCreateFlags flags;
      uint32_t levels, layers;
   };
   const Kind kinds[] = {
      {VK_IMAGE_TYPE_2D, VK_FORMAT_R8G8B8A8_UNORM, VK_IMAGE_TILING_LINEAR, 0, 1, 2},
      {VK_IMAGE_TYPE_2D, VK_FORMAT_R8G8B8A8_UNORM, VK_IMAGE_TILING_OPTIMAL, 0, 3, 1},
      {VK_IMAGE_TYPE_2D, VK_FORMAT_BC1_RGB_UNORM_BLOCK, VK_IMAGE_TILING_OPTIMAL, 0, 1, 1},
      {VK_IMAGE_TYPE_3D, VK_FORMAT_R16_UINT, VK_IMAGE_TILING_OPTIMAL, 0, 2, 1},
      {VK_IMAGE_TYPE_2D, VK_FORMAT_R32G32_SFLOAT, VK_IMAGE_TILING_OPTIMAL, kResidency, 2, 3},
      {VK_IMAGE_TYPE_3D, VK_FORMAT_R8_UNORM, VK_IMAGE_TILING_OPTIMAL, kResidency, 2, 1},
   };
   const uint32_t sizes[] = {4, 31, 64, 65, 127, 128, 129, 300, 513, 1000};
   for (const Kind &kind : kinds) {
      SCOPED_TRACE(::testing::Message() << "format " << kind.format << " type " << kind.type << " tiling "
                                        << kind.tiling << " flags " << kind.flags);
      const uint32_t depthOf3D = kind.type == VK_IMAGE_TYPE_3D ? 1 : 0;
      auto requirementsOf = [&](uint32_t width, uint32_t height) {
         const VkExtent3D extent{width, height, depthOf3D ? std::max(4u, height / 8) : 1u};
         return deviceImageRequirements(
            imageInfo(kind.type, kind.format, extent, kind.levels, kind.layers, kind.tiling, kind.flags));
      };
      const VkDeviceSize alignment = requirementsOf(sizes[0], sizes[0]).alignment;
      for (uint32_t w = 0; w < std::size(sizes); w++) {
         for (uint32_t h = 0; h < std::size(sizes); h++) {
            const VkMemoryRequirements here = requirementsOf(sizes[w], sizes[h]);
            EXPECT_EQ(alignment, here.alignment);
            if (w + 1 < std::size(sizes)) {
               EXPECT_LE(here.size, requirementsOf(sizes[w + 1], sizes[h]).size) << sizes[w] << "x" << sizes[h];
            }
            if (h + 1 < std::size(sizes)) {
               EXPECT_LE(here.size, requirementsOf(sizes[w], sizes[h + 1]).size) << sizes[w] << "x" << sizes[h];
            }
         }
      }
   }
}

} // namespace
} // namespace panvk::test
