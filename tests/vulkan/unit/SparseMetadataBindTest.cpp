// VK_SPARSE_MEMORY_BIND_METADATA_BIT, white-box: no format reports a metadata
// aspect, so a metadata bind names no memory of the resource (invalid usage).
// The driver ignores it: it costs no VM_BIND op, changes no mapping (the
// VM's mapping list and the GPU's page walk before and after), and the rest
// of the call (other binds, the fence) goes on as without it.
//
// Runs at whatever PANTHOR_MOCK_VERSION says (meson: 1.9 and 1.8).
#include <vector>

#include "Buffer.h"
#include "DeviceMemory.h"
#include "DirectDevice.h"
#include "Image.h"

namespace panvk::test {
namespace {

constexpr uint64_t kTile = 64 * 1024;
constexpr uint64_t kTimeoutNs = 20'000'000'000ull;

bool
operator==(const pan::kmod::MockGpu::Mapping &a, const pan::kmod::MockGpu::Mapping &b)
{
   return a.va == b.va && a.size == b.size && a.boHandle == b.boHandle && a.boOffset == b.boOffset &&
          a.flags == b.flags;
}

class SparseMetadataBindTest : public DirectDevice {
protected:
   void SetUp() override
   {
      VkPhysicalDeviceFeatures features{};
      features.sparseBinding = VK_TRUE;
      features.sparseResidencyBuffer = VK_TRUE;
      features.sparseResidencyImage2D = VK_TRUE;
      openDevice({1}, features);
      if (HasFatalFailure())
         return;
      panvk_GetDeviceQueue(device_, 1, 0, &bindQueue_);
      ASSERT_NE(VK_NULL_HANDLE, bindQueue_);
   }

   void TearDown() override
   {
      if (device_) {
         panvk_DeviceWaitIdle(device_);
         for (VkFence fence : fences_)
            panvk_DestroyFence(device_, fence, nullptr);
         for (VkImage image : images_)
            panvk_DestroyImage(device_, image, nullptr);
         for (VkBuffer buffer : buffers_)
            panvk_DestroyBuffer(device_, buffer, nullptr);
         for (VkDeviceMemory memory : memories_)
            panvk_FreeMemory(device_, memory, nullptr);
      }
      DirectDevice::TearDown();
   }

   // 512x512 RGBA8, 4 levels: levels 0..2 are 4x4, 2x2, 1x1 tiles, level 3
   // (64x64) is the tail.
   Image *createResidencyImage()
   {
      VkImageCreateInfo info{VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO};
      info.flags = VK_IMAGE_CREATE_SPARSE_BINDING_BIT | VK_IMAGE_CREATE_SPARSE_RESIDENCY_BIT;
      info.imageType = VK_IMAGE_TYPE_2D;
      info.format = VK_FORMAT_R8G8B8A8_UNORM;
      info.extent = {512, 512, 1};
      info.mipLevels = 4;
      info.arrayLayers = 1;
      info.samples = VK_SAMPLE_COUNT_1_BIT;
      info.tiling = VK_IMAGE_TILING_OPTIMAL;
      info.usage = VK_IMAGE_USAGE_TRANSFER_SRC_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT;
      VkImage image = VK_NULL_HANDLE;
      EXPECT_EQ(VK_SUCCESS, panvk_CreateImage(device_, &info, nullptr, &image));
      if (!image)
         return nullptr;
      images_.push_back(image);
      return Image::from(image);
   }

   Buffer *createSparseBuffer(VkDeviceSize size)
   {
      VkBufferCreateInfo info{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
      info.flags = VK_BUFFER_CREATE_SPARSE_BINDING_BIT | VK_BUFFER_CREATE_SPARSE_RESIDENCY_BIT;
      info.size = size;
      info.usage = VK_BUFFER_USAGE_TRANSFER_SRC_BIT;
      VkBuffer buffer = VK_NULL_HANDLE;
      EXPECT_EQ(VK_SUCCESS, panvk_CreateBuffer(device_, &info, nullptr, &buffer));
      if (!buffer)
         return nullptr;
      buffers_.push_back(buffer);
      return Buffer::from(buffer);
   }

   VkDeviceMemory allocateMemory(VkDeviceSize size)
   {
      VkDeviceMemory memory = VK_NULL_HANDLE;
      EXPECT_EQ(VK_SUCCESS, allocate(size, memoryType(VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT), &memory));
      if (memory)
         memories_.push_back(memory);
      return memory;
   }

   // One vkQueueBindSparse of opaque binds of `image` and binds of `buffer`,
   // its fence waited for.
   VkResult bindAndWait(Image *image, const std::vector<VkSparseMemoryBind> &opaque, Buffer *buffer = nullptr,
                        const std::vector<VkSparseMemoryBind> &bufferBinds = {})
   {
      VkFenceCreateInfo fenceInfo{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
      VkFence fence = VK_NULL_HANDLE;
      EXPECT_EQ(VK_SUCCESS, panvk_CreateFence(device_, &fenceInfo, nullptr, &fence));
      fences_.push_back(fence);
      VkSparseImageOpaqueMemoryBindInfo imageInfo{image ? image->handle() : VK_NULL_HANDLE,
                                                  uint32_t(opaque.size()), opaque.data()};
      VkSparseBufferMemoryBindInfo bufferInfo{buffer ? buffer->handle() : VK_NULL_HANDLE,
                                              uint32_t(bufferBinds.size()), bufferBinds.data()};
      VkBindSparseInfo info{VK_STRUCTURE_TYPE_BIND_SPARSE_INFO};
      info.imageOpaqueBindCount = image ? 1 : 0;
      info.pImageOpaqueBinds = &imageInfo;
      info.bufferBindCount = buffer ? 1 : 0;
      info.pBufferBinds = &bufferInfo;
      if (VkResult result = panvk_QueueBindSparse(bindQueue_, 1, &info, fence); result != VK_SUCCESS)
         return result;
      return panvk_WaitForFences(device_, 1, &fence, VK_TRUE, kTimeoutNs);
   }

   std::vector<pan::kmod::MockGpu::Mapping> mappings()
   {
      auto all = gpu().vmMappings(vmId());
      EXPECT_TRUE(all);
      return all ? all.value() : std::vector<pan::kmod::MockGpu::Mapping>{};
   }

   uint64_t physical(uint64_t va)
   {
      auto translation = gpu().translate(vmId(), va);
      if (!translation || !translation.value())
         return 0;
      return translation.value()->physical;
   }

   VkQueue bindQueue_ = VK_NULL_HANDLE;
   std::vector<VkFence> fences_;
   std::vector<VkImage> images_;
   std::vector<VkBuffer> buffers_;
   std::vector<VkDeviceMemory> memories_;
};

TEST_F(SparseMetadataBindTest, MetadataBindAloneChangesNoMappingAndSendsNoMapOp)
{
   Image *image = createResidencyImage();
   ASSERT_NE(nullptr, image);
   const VkDeviceMemory first = allocateMemory(kTile);
   const VkDeviceMemory other = allocateMemory(image->memoryRequirements().size);
   ASSERT_NE(VK_NULL_HANDLE, first);
   ASSERT_NE(VK_NULL_HANDLE, other);
   // Tile 0 of level 0 bound, the rest (the tail included) on the dummy.
   ASSERT_EQ(VK_SUCCESS, bindAndWait(image, {{0, kTile, first, 0, 0}}));
   const uint64_t firstPhysical = physical(DeviceMemory::from(first)->va() + 100);
   ASSERT_EQ(firstPhysical, physical(image->va() + 100));
   const uint64_t tailOffset = 21 * kTile;
   const uint64_t tailPhysical = physical(image->va() + tailOffset + 100);
   ASSERT_NE(0u, tailPhysical);

   // Metadata binds over the whole image, with memory and without.
   const std::vector<pan::kmod::MockGpu::Mapping> before = mappings();
   const pan::kmod::BindStats statsBefore = device().vm().stats();
   const VkDeviceSize size = image->memoryRequirements().size;
   ASSERT_EQ(VK_SUCCESS, bindAndWait(image, {{0, size, other, 0, VK_SPARSE_MEMORY_BIND_METADATA_BIT},
                                             {tailOffset, kTile, VK_NULL_HANDLE, 0,
                                              VK_SPARSE_MEMORY_BIND_METADATA_BIT}}));
   const pan::kmod::BindStats statsAfter = device().vm().stats();
   // Only the fence's signal is left: at most a SYNC_ONLY op.
   EXPECT_LE(statsAfter.kernelOps - statsBefore.kernelOps, 1u);
   const std::vector<pan::kmod::MockGpu::Mapping> after = mappings();
   ASSERT_EQ(before.size(), after.size());
   for (size_t i = 0; i < before.size(); i++)
      EXPECT_TRUE(before[i] == after[i]) << "mapping " << i << " at va " << before[i].va;
   EXPECT_EQ(firstPhysical, physical(image->va() + 100)) << "the bound tile kept its memory";
   EXPECT_EQ(tailPhysical, physical(image->va() + tailOffset + 100)) << "the tail stayed on the dummy";
   EXPECT_FALSE(device().lost());
}

TEST_F(SparseMetadataBindTest, MetadataBindAmongOthersAddsNoOp)
{
   Image *image = createResidencyImage();
   Buffer *buffer = createSparseBuffer(8 * kTile);
   ASSERT_NE(nullptr, image);
   ASSERT_NE(nullptr, buffer);
   const VkDeviceMemory memory = allocateMemory(8 * kTile);
   const VkDeviceMemory other = allocateMemory(8 * kTile);

   // Tiles 2..3 of the image and blocks 0..1 of the buffer: two ops.
   const std::vector<VkSparseMemoryBind> imageBinds = {{2 * kTile, 2 * kTile, memory, 0, 0}};
   const std::vector<VkSparseMemoryBind> bufferBinds = {{0, 2 * kTile, memory, 4 * kTile, 0}};
   pan::kmod::BindStats before = device().vm().stats();
   ASSERT_EQ(VK_SUCCESS, bindAndWait(image, imageBinds, buffer, bufferBinds));
   pan::kmod::BindStats after = device().vm().stats();
   const uint64_t plainOps = after.kernelOps - before.kernelOps;
   EXPECT_EQ(2u, plainOps);

   // The same binds with metadata binds between them, overlapping them
   // (a later bind would win if it were one): the same ops, the same result.
   const std::vector<VkSparseMemoryBind> imageWithMetadata = {
      {2 * kTile, 2 * kTile, memory, 0, 0},
      {0, 8 * kTile, other, 0, VK_SPARSE_MEMORY_BIND_METADATA_BIT},
   };
   const std::vector<VkSparseMemoryBind> bufferWithMetadata = {
      {0, kTile, other, 0, VK_SPARSE_MEMORY_BIND_METADATA_BIT},
      {0, 2 * kTile, memory, 4 * kTile, 0},
      {kTile, kTile, VK_NULL_HANDLE, 0, VK_SPARSE_MEMORY_BIND_METADATA_BIT},
   };
   before = device().vm().stats();
   ASSERT_EQ(VK_SUCCESS, bindAndWait(image, imageWithMetadata, buffer, bufferWithMetadata));
   after = device().vm().stats();
   EXPECT_EQ(plainOps, after.kernelOps - before.kernelOps);
   EXPECT_EQ(1u, after.ioctls - before.ioctls);

   const uint64_t memoryVa = DeviceMemory::from(memory)->va();
   EXPECT_EQ(physical(memoryVa + 8), physical(image->va() + 2 * kTile + 8));
   EXPECT_EQ(physical(memoryVa + kTile + 8), physical(image->va() + 3 * kTile + 8));
   EXPECT_EQ(physical(memoryVa + 4 * kTile + 8), physical(buffer->va() + 8));
   EXPECT_EQ(physical(memoryVa + 5 * kTile + 8), physical(buffer->va() + kTile + 8));
   EXPECT_NE(physical(DeviceMemory::from(other)->va() + 8), physical(image->va() + 8));
}

} // namespace
} // namespace panvk::test
