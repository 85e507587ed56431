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
#include "SparseDirectDevice.h"

namespace panvk::test {
namespace {

constexpr uint64_t kTile = 64 * 1024;

bool
operator==(const pan::kmod::MockGpu::Mapping &a, const pan::kmod::MockGpu::Mapping &b)
{
   return a.va == b.va && a.size == b.size && a.boHandle == b.boHandle && a.boOffset == b.boOffset &&
          a.flags == b.flags;
}

class SparseMetadataBindTest : public SparseDirectDevice {
protected:
   void SetUp() override
   {
      VkPhysicalDeviceFeatures features{};
      features.sparseBinding = VK_TRUE;
      features.sparseResidencyBuffer = VK_TRUE;
      features.sparseResidencyImage2D = VK_TRUE;
      openSparseDevice({1}, features);
   }

   // 512x512 RGBA8, 4 levels: levels 0..2 are 4x4, 2x2, 1x1 tiles, level 3
   // (64x64) is the tail.
   Image *createResidencyImage()
   {
      return SparseDirectDevice::createResidencyImage(VK_IMAGE_TYPE_2D, VK_FORMAT_R8G8B8A8_UNORM, {512, 512, 1}, 4);
   }

   Buffer *createSparseBuffer(VkDeviceSize size)
   {
      return Buffer::from(SparseDirectDevice::createSparseBuffer(size));
   }

   // One vkQueueBindSparse of opaque binds of `image` and binds of `buffer`,
   // its fence waited for.
   VkResult bindAndWait(Image *image, const std::vector<VkSparseMemoryBind> &opaque, Buffer *buffer = nullptr,
                        const std::vector<VkSparseMemoryBind> &bufferBinds = {})
   {
      const VkFence fence = createFence();
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
      return waitFence(fence);
   }

   std::vector<pan::kmod::MockGpu::Mapping> mappings()
   {
      auto all = gpu().vmMappings(vmId());
      EXPECT_TRUE(all);
      return all ? all.value() : std::vector<pan::kmod::MockGpu::Mapping>{};
   }
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
