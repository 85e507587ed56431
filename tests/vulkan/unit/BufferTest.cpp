// VkBuffer and VkBufferView: memory requirements, binding (the GPU address),
// and what a view keeps of its create info.
#include "Buffer.h"
#include "BufferView.h"
#include "DeviceMemory.h"
#include "DirectDevice.h"

namespace panvk::test {
namespace {

class BufferTest : public DirectDevice {
protected:
   VkResult createBuffer(VkDeviceSize size, VkBuffer *out, VkBufferCreateFlags flags = 0)
   {
      VkBufferCreateInfo info{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
      info.flags = flags;
      info.size = size;
      info.usage = VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_UNIFORM_TEXEL_BUFFER_BIT;
      return panvk_CreateBuffer(device_, &info, nullptr, out);
   }
};

TEST_F(BufferTest, RequirementsRoundTo64BytesAndAllowEveryType)
{
   for (VkDeviceSize size : {VkDeviceSize(1), VkDeviceSize(64), VkDeviceSize(65), VkDeviceSize(1000000)}) {
      VkBuffer buffer;
      ASSERT_EQ(VK_SUCCESS, createBuffer(size, &buffer));
      VkMemoryRequirements requirements;
      panvk_GetBufferMemoryRequirements(device_, buffer, &requirements);
      EXPECT_EQ((size + 63) / 64 * 64, requirements.size) << size;
      EXPECT_EQ(64u, requirements.alignment);
      EXPECT_EQ((1u << memoryProperties_.memoryTypeCount) - 1, requirements.memoryTypeBits);
      panvk_DestroyBuffer(device_, buffer, nullptr);
   }
}

TEST_F(BufferTest, AlignmentCoversTheDeviceOffsetAlignments)
{
   VkPhysicalDeviceProperties properties;
   panvk_GetPhysicalDeviceProperties(physical_, &properties);
   const VkPhysicalDeviceLimits &limits = properties.limits;
   for (VkDeviceSize alignment : {limits.minStorageBufferOffsetAlignment, limits.minUniformBufferOffsetAlignment,
                                  limits.minTexelBufferOffsetAlignment, limits.bufferImageGranularity})
      EXPECT_EQ(0u, Buffer::kAlignment % alignment) << alignment;
}

TEST_F(BufferTest, Requirements2SayNoDedicatedAllocation)
{
   VkBuffer buffer;
   ASSERT_EQ(VK_SUCCESS, createBuffer(100, &buffer));
   VkMemoryDedicatedRequirements dedicated{VK_STRUCTURE_TYPE_MEMORY_DEDICATED_REQUIREMENTS};
   dedicated.prefersDedicatedAllocation = VK_TRUE;
   dedicated.requiresDedicatedAllocation = VK_TRUE;
   VkMemoryRequirements2 requirements{VK_STRUCTURE_TYPE_MEMORY_REQUIREMENTS_2, &dedicated};
   VkBufferMemoryRequirementsInfo2 info{VK_STRUCTURE_TYPE_BUFFER_MEMORY_REQUIREMENTS_INFO_2};
   info.buffer = buffer;
   panvk_GetBufferMemoryRequirements2(device_, &info, &requirements);
   EXPECT_EQ(128u, requirements.memoryRequirements.size);
   EXPECT_EQ(VK_FALSE, dedicated.prefersDedicatedAllocation);
   EXPECT_EQ(VK_FALSE, dedicated.requiresDedicatedAllocation);
   panvk_DestroyBuffer(device_, buffer, nullptr);
}

TEST_F(BufferTest, BindingGivesTheMemoryAddressPlusOffset)
{
   VkBuffer first, second;
   ASSERT_EQ(VK_SUCCESS, createBuffer(4096, &first));
   ASSERT_EQ(VK_SUCCESS, createBuffer(4096, &second));
   EXPECT_EQ(0u, Buffer::from(first)->va());
   EXPECT_EQ(nullptr, Buffer::from(first)->memory());
   VkDeviceMemory memory;
   ASSERT_EQ(VK_SUCCESS, allocate(65536, 0, &memory));
   const uint64_t base = DeviceMemory::from(memory)->va();
   ASSERT_NE(0u, base);

   EXPECT_EQ(VK_SUCCESS, panvk_BindBufferMemory(device_, first, memory, 0));
   VkBindBufferMemoryInfo bind{VK_STRUCTURE_TYPE_BIND_BUFFER_MEMORY_INFO};
   bind.buffer = second;
   bind.memory = memory;
   bind.memoryOffset = 8192;
   EXPECT_EQ(VK_SUCCESS, panvk_BindBufferMemory2(device_, 1, &bind));
   EXPECT_EQ(base, Buffer::from(first)->va());
   EXPECT_EQ(base + 8192, Buffer::from(second)->va());
   EXPECT_EQ(DeviceMemory::from(memory), Buffer::from(second)->memory());
   EXPECT_EQ(8192u, Buffer::from(second)->memoryOffset());

   panvk_DestroyBuffer(device_, first, nullptr);
   panvk_DestroyBuffer(device_, second, nullptr);
   panvk_DestroyBuffer(device_, VK_NULL_HANDLE, nullptr);
   panvk_FreeMemory(device_, memory, nullptr);
}

TEST_F(BufferTest, ImpossibleBuffersAreRefused)
{
   VkBuffer buffer = VK_NULL_HANDLE;
   EXPECT_EQ(VK_ERROR_OUT_OF_DEVICE_MEMORY, createBuffer(UINT64_MAX - 8, &buffer));
   EXPECT_EQ(VK_ERROR_OUT_OF_DEVICE_MEMORY, createBuffer(memoryProperties_.memoryHeaps[0].size + 1, &buffer));
   EXPECT_EQ(VK_NULL_HANDLE, buffer);
}

TEST_F(BufferTest, SparseBuffersOwnABindGranularVaRange)
{
   // Larger than memory is fine for a sparse buffer: only its VA must fit.
   VkBuffer buffer = VK_NULL_HANDLE;
   const VkDeviceSize size = memoryProperties_.memoryHeaps[0].size + 4096;
   ASSERT_EQ(VK_SUCCESS, createBuffer(size, &buffer, VK_BUFFER_CREATE_SPARSE_BINDING_BIT));
   Buffer *sparse = Buffer::from(buffer);
   EXPECT_TRUE(sparse->sparse());
   EXPECT_NE(0u, sparse->va()) << "the VA exists before any bind";
   EXPECT_EQ(0u, sparse->va() % (2u << 20)) << "2 MiB aligned when 2 MiB or more";
   const VkMemoryRequirements req = sparse->memoryRequirements();
   EXPECT_EQ(64u * 1024, req.alignment);
   EXPECT_EQ(0u, req.size % req.alignment);
   EXPECT_GE(req.size, size);
   // Binding only: nothing is mapped until the application binds it.
   auto t = gpu().translate(vmId(), sparse->va());
   ASSERT_TRUE(t);
   EXPECT_FALSE(t.value().has_value());
   panvk_DestroyBuffer(device_, buffer, nullptr);

   // Residency: mapped to the sparse dummy from the start.
   ASSERT_EQ(VK_SUCCESS,
             createBuffer(100000, &buffer, VK_BUFFER_CREATE_SPARSE_BINDING_BIT | VK_BUFFER_CREATE_SPARSE_RESIDENCY_BIT));
   const uint64_t va = Buffer::from(buffer)->va();
   EXPECT_EQ(0u, va % (64u * 1024));
   auto resident = gpu().translate(vmId(), va + 65536);
   ASSERT_TRUE(resident);
   EXPECT_TRUE(resident.value().has_value()) << "unbound reads must not fault";
   panvk_DestroyBuffer(device_, buffer, nullptr);
   auto gone = gpu().translate(vmId(), va);
   ASSERT_TRUE(gone);
   EXPECT_FALSE(gone.value().has_value()) << "destroying unmaps the whole range";
}

TEST_F(BufferTest, ViewResolvesWholeSize)
{
   VkBuffer buffer;
   ASSERT_EQ(VK_SUCCESS, createBuffer(1000, &buffer));
   VkBufferViewCreateInfo info{VK_STRUCTURE_TYPE_BUFFER_VIEW_CREATE_INFO};
   info.buffer = buffer;
   info.format = VK_FORMAT_R32_UINT;
   info.offset = 192;
   info.range = VK_WHOLE_SIZE;
   VkBufferView whole, part;
   ASSERT_EQ(VK_SUCCESS, panvk_CreateBufferView(device_, &info, nullptr, &whole));
   info.range = 256;
   ASSERT_EQ(VK_SUCCESS, panvk_CreateBufferView(device_, &info, nullptr, &part));

   EXPECT_EQ(Buffer::from(buffer), &BufferView::from(whole)->buffer());
   EXPECT_EQ(VK_FORMAT_R32_UINT, BufferView::from(whole)->format());
   EXPECT_EQ(192u, BufferView::from(whole)->offset());
   EXPECT_EQ(808u, BufferView::from(whole)->range());
   EXPECT_EQ(256u, BufferView::from(part)->range());

   panvk_DestroyBufferView(device_, whole, nullptr);
   panvk_DestroyBufferView(device_, part, nullptr);
   panvk_DestroyBufferView(device_, VK_NULL_HANDLE, nullptr);
   panvk_DestroyBuffer(device_, buffer, nullptr);
}

} // namespace
} // namespace panvk::test
