// The compute objects on their own: descriptor pools (limits, free, reset),
// update templates, the pipeline cache's header, and a shader the driver
// must refuse.
#include <cstring>
#include <numeric>

#include "ComputeFixture.h"

namespace panvk::test {
namespace {

TEST_F(ComputeTest, DescriptorPoolLimitsAndFree)
{
   VkDescriptorSetLayout setLayout = kit_->setLayout({{0, kStorage}, {1, kStorage}});
   VkDescriptorPoolSize size{kStorage, 3};
   VkDescriptorPoolCreateInfo info{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
   info.flags = VK_DESCRIPTOR_POOL_CREATE_FREE_DESCRIPTOR_SET_BIT;
   info.maxSets = 4;
   info.poolSizeCount = 1;
   info.pPoolSizes = &size;
   VkDescriptorPool pool;
   ASSERT_EQ(VK_SUCCESS, vkCreateDescriptorPool(device_, &info, nullptr, &pool));
   VkDescriptorSetAllocateInfo allocate{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
   allocate.descriptorPool = pool;
   allocate.descriptorSetCount = 1;
   allocate.pSetLayouts = &setLayout;
   VkDescriptorSet first, second;
   EXPECT_EQ(VK_SUCCESS, vkAllocateDescriptorSets(device_, &allocate, &first));
   // 2 of 3 descriptors used: another set of 2 does not fit.
   EXPECT_EQ(VK_ERROR_OUT_OF_POOL_MEMORY, vkAllocateDescriptorSets(device_, &allocate, &second));
   EXPECT_EQ(VK_SUCCESS, vkFreeDescriptorSets(device_, pool, 1, &first));
   EXPECT_EQ(VK_SUCCESS, vkAllocateDescriptorSets(device_, &allocate, &second));
   EXPECT_EQ(VK_SUCCESS, vkResetDescriptorPool(device_, pool, 0));
   EXPECT_EQ(VK_SUCCESS, vkAllocateDescriptorSets(device_, &allocate, &first));
   vkDestroyDescriptorPool(device_, pool, nullptr);
}

// The pool's room is shared by the descriptor types (as on Mali: one memory
// of hardware descriptors), dynamic buffers apart; the spec lets allocation
// go past one type's count, and the CTS relies on it.
TEST_F(ComputeTest, DescriptorPoolRoomIsSharedByTypes)
{
   constexpr VkDescriptorType kTexel = VK_DESCRIPTOR_TYPE_UNIFORM_TEXEL_BUFFER;
   VkDescriptorSetLayout texelAndStorage = kit_->setLayout({{0, kTexel}, {1, kStorage}});
   const VkDescriptorPoolSize sizes[2] = {{VK_DESCRIPTOR_TYPE_STORAGE_TEXEL_BUFFER, 1}, {kStorage, 1}};
   VkDescriptorPoolCreateInfo info{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
   info.maxSets = 2;
   info.poolSizeCount = 2;
   info.pPoolSizes = sizes;
   VkDescriptorPool pool;
   ASSERT_EQ(VK_SUCCESS, vkCreateDescriptorPool(device_, &info, nullptr, &pool));
   VkDescriptorSetAllocateInfo allocate{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
   allocate.descriptorPool = pool;
   allocate.descriptorSetCount = 1;
   allocate.pSetLayouts = &texelAndStorage;
   VkDescriptorSet set;
   EXPECT_EQ(VK_SUCCESS, vkAllocateDescriptorSets(device_, &allocate, &set));
   // Both descriptors of room are used now.
   EXPECT_EQ(VK_ERROR_OUT_OF_POOL_MEMORY, vkAllocateDescriptorSets(device_, &allocate, &set));
   vkDestroyDescriptorPool(device_, pool, nullptr);

   // Dynamic buffers have room of their own: two plain descriptors do not make one.
   VkDescriptorSetLayout dynamic = kit_->setLayout({{0, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER_DYNAMIC}});
   const VkDescriptorPoolSize plain{kStorage, 2};
   info.poolSizeCount = 1;
   info.pPoolSizes = &plain;
   ASSERT_EQ(VK_SUCCESS, vkCreateDescriptorPool(device_, &info, nullptr, &pool));
   allocate.descriptorPool = pool;
   allocate.pSetLayouts = &dynamic;
   EXPECT_EQ(VK_ERROR_OUT_OF_POOL_MEMORY, vkAllocateDescriptorSets(device_, &allocate, &set));
   vkDestroyDescriptorPool(device_, pool, nullptr);
}

TEST_F(ComputeTest, DescriptorUpdateTemplate)
{
   std::vector<uint32_t> words(128);
   std::iota(words.begin(), words.end(), 40);
   TestBuffer src = storageBuffer(words), dst = storageBuffer(nullptr, 128 * 4);
   VkDescriptorSetLayout setLayout = kit_->setLayout({{0, kStorage}, {1, kStorage}});
   VkPipelineLayout layout = kit_->pipelineLayout({setLayout});
   VkPipeline pipeline;
   ASSERT_EQ(VK_SUCCESS, kit_->pipeline("copy.comp", layout, &pipeline));
   VkDescriptorSet set = kit_->allocateSet(setLayout);
   // Both buffers from one array of VkDescriptorBufferInfo: binding 0 then 1.
   const VkDescriptorBufferInfo infos[2] = {{src.buffer, 0, VK_WHOLE_SIZE}, {dst.buffer, 0, VK_WHOLE_SIZE}};
   const VkDescriptorUpdateTemplateEntry entries[2] = {
      {0, 0, 1, kStorage, 0, sizeof(VkDescriptorBufferInfo)},
      {1, 0, 1, kStorage, sizeof(VkDescriptorBufferInfo), sizeof(VkDescriptorBufferInfo)}};
   VkDescriptorUpdateTemplateCreateInfo info{VK_STRUCTURE_TYPE_DESCRIPTOR_UPDATE_TEMPLATE_CREATE_INFO};
   info.descriptorUpdateEntryCount = 2;
   info.pDescriptorUpdateEntries = entries;
   info.templateType = VK_DESCRIPTOR_UPDATE_TEMPLATE_TYPE_DESCRIPTOR_SET;
   info.descriptorSetLayout = setLayout;
   VkDescriptorUpdateTemplate updateTemplate;
   ASSERT_EQ(VK_SUCCESS, vkCreateDescriptorUpdateTemplate(device_, &info, nullptr, &updateTemplate));
   vkUpdateDescriptorSetWithTemplate(device_, set, updateTemplate, infos);
   vkDestroyDescriptorUpdateTemplate(device_, updateTemplate, nullptr);
   ASSERT_NO_FATAL_FAILURE(dispatch(pipeline, layout, set, 2));
   EXPECT_EQ(contents<uint32_t>(dst, 128), words);
}

TEST_F(ComputeTest, RefusesShaderItCannotRun)
{
   // 64-bit floats: the device does not offer shaderFloat64, so the layer
   // reports the shader; the driver must refuse it rather than run it wrongly.
   VkDescriptorSetLayout setLayout = kit_->setLayout({{0, kStorage}});
   VkPipelineLayout layout = kit_->pipelineLayout({setLayout});
   VkPipeline pipeline;
   const VkResult result = kit_->pipeline("float64.comp", layout, &pipeline);
   EXPECT_NE(VK_SUCCESS, result);
   EXPECT_EQ(VK_NULL_HANDLE, pipeline);
   EXPECT_FALSE(takeValidationMessages().empty());
}

TEST_F(ComputeTest, PipelineCacheHasAHeader)
{
   VkPipelineCacheCreateInfo info{VK_STRUCTURE_TYPE_PIPELINE_CACHE_CREATE_INFO};
   VkPipelineCache cache;
   ASSERT_EQ(VK_SUCCESS, vkCreatePipelineCache(device_, &info, nullptr, &cache));
   size_t size = 0;
   EXPECT_EQ(VK_SUCCESS, vkGetPipelineCacheData(device_, cache, &size, nullptr));
   ASSERT_EQ(size, sizeof(VkPipelineCacheHeaderVersionOne));
   VkPipelineCacheHeaderVersionOne header{};
   EXPECT_EQ(VK_SUCCESS, vkGetPipelineCacheData(device_, cache, &size, &header));
   EXPECT_EQ(header.headerVersion, VK_PIPELINE_CACHE_HEADER_VERSION_ONE);
   EXPECT_EQ(0, memcmp(header.pipelineCacheUUID, properties_.pipelineCacheUUID, VK_UUID_SIZE));
   vkDestroyPipelineCache(device_, cache, nullptr);
}

} // namespace
} // namespace panvk::test
