// Compute through the loader with the validation layer: the queue family,
// buffer read/write, shared memory with barriers, atomics, push constants and
// two descriptor sets, dynamic uniform buffers with specialization constants,
// vkCmdDispatchBase, vkCmdDispatchIndirect, secondaries. The shaders are GLSL
// compiled at build time (tests/spirv/shaders).
#include <algorithm>
#include <cstring>
#include <memory>
#include <numeric>

#include "ComputeFixture.h"

namespace panvk::test {
namespace {

TEST_F(ComputeTest, FamilyZeroOffersCompute)
{
   uint32_t count = 0;
   vkGetPhysicalDeviceQueueFamilyProperties(physicalDevice_, &count, nullptr);
   std::vector<VkQueueFamilyProperties> families(count);
   vkGetPhysicalDeviceQueueFamilyProperties(physicalDevice_, &count, families.data());
   ASSERT_GE(count, 1u);
   EXPECT_TRUE(families[0].queueFlags & VK_QUEUE_COMPUTE_BIT);
   EXPECT_LE(properties_.limits.maxComputeWorkGroupInvocations, 128u);
   EXPECT_LE(properties_.limits.maxComputeSharedMemorySize, 16384u);
}

TEST_F(ComputeTest, CopiesBuffer)
{
   std::vector<uint32_t> words(5000);
   std::iota(words.begin(), words.end(), 100);
   TestBuffer src = storageBuffer(words);
   TestBuffer dst = storageBuffer(nullptr, words.size() * 4);
   VkPipeline pipeline;
   VkPipelineLayout layout;
   VkDescriptorSet set;
   ASSERT_NO_FATAL_FAILURE(storagePipeline("copy.comp", {src.buffer, dst.buffer}, &pipeline, &layout, &set));
   ASSERT_NO_FATAL_FAILURE(dispatch(pipeline, layout, set, (5000 + 63) / 64));
   EXPECT_EQ(contents<uint32_t>(dst, words.size()), words);
}

TEST_F(ComputeTest, SharedMemoryAndBarriers)
{
   std::vector<uint32_t> values(512);
   for (uint32_t i = 0; i < values.size(); ++i)
      values[i] = i * 7 + 1;
   TestBuffer src = storageBuffer(values);
   TestBuffer sums = storageBuffer(nullptr, 8 * 4);
   TestBuffer reversed = storageBuffer(nullptr, 512 * 4);
   VkPipeline pipeline;
   VkPipelineLayout layout;
   VkDescriptorSet set;
   ASSERT_NO_FATAL_FAILURE(
      storagePipeline("shared.comp", {src.buffer, sums.buffer, reversed.buffer}, &pipeline, &layout, &set));
   ASSERT_NO_FATAL_FAILURE(dispatch(pipeline, layout, set, 8));
   const std::vector<uint32_t> gotSums = contents<uint32_t>(sums, 8);
   const std::vector<uint32_t> gotReversed = contents<uint32_t>(reversed, 512);
   for (uint32_t g = 0; g < 8; ++g) {
      EXPECT_EQ(gotSums[g], std::accumulate(values.begin() + g * 64, values.begin() + g * 64 + 64, 0u));
      for (uint32_t l = 0; l < 64; ++l)
         ASSERT_EQ(gotReversed[g * 64 + l], values[g * 64 + 63 - l]);
   }
}

TEST_F(ComputeTest, Atomics)
{
   constexpr uint32_t kCount = 128;
   std::vector<uint32_t> values(kCount);
   for (uint32_t i = 0; i < kCount; ++i)
      values[i] = (i * 53 + 5) % 300 + 1;
   std::vector<uint32_t> counters(5 + 16 + 8, 0);
   counters[2] = ~0u;
   counters[4] = ~0u;
   TestBuffer src = storageBuffer(values), counterBuffer = storageBuffer(counters);
   TestBuffer old = storageBuffer(nullptr, kCount * 4);
   VkPipeline pipeline;
   VkPipelineLayout layout;
   VkDescriptorSet set;
   ASSERT_NO_FATAL_FAILURE(storagePipeline("atomics.comp", {src.buffer, counterBuffer.buffer, old.buffer},
                                           &pipeline, &layout, &set));
   ASSERT_NO_FATAL_FAILURE(dispatch(pipeline, layout, set, kCount / 32));
   const std::vector<uint32_t> got = contents<uint32_t>(counterBuffer, counters.size());
   EXPECT_EQ(got[0], std::accumulate(values.begin(), values.end(), 0u));
   EXPECT_EQ(got[1], *std::max_element(values.begin(), values.end()));
   EXPECT_EQ(got[2], *std::min_element(values.begin(), values.end()));
   EXPECT_LT(got[4], kCount);
   for (uint32_t g = 0; g < kCount / 32; ++g)
      EXPECT_EQ(got[5 + g], 32u);
   uint32_t histogramTotal = 0;
   for (uint32_t b = 0; b < 8; ++b)
      histogramTotal += got[21 + b];
   EXPECT_EQ(histogramTotal, kCount);
}

TEST_F(ComputeTest, ArithmeticLoopsAndBranches)
{
   std::vector<uint32_t> values(64);
   for (uint32_t i = 0; i < values.size(); ++i)
      values[i] = i * 31 + 7;
   TestBuffer data = storageBuffer(values);
   VkPipeline pipeline;
   VkPipelineLayout layout;
   VkDescriptorSet set;
   ASSERT_NO_FATAL_FAILURE(storagePipeline("loops.comp", {data.buffer}, &pipeline, &layout, &set));
   ASSERT_NO_FATAL_FAILURE(dispatch(pipeline, layout, set, 4));
   const std::vector<uint32_t> got = contents<uint32_t>(data, values.size());
   for (uint32_t i = 0; i < values.size(); ++i) {
      uint32_t v = values[i], steps = 0;
      while (v > 1 && steps < 1000) {
         v = v % 2 == 0 ? v / 2 : 3 * v + 1;
         ++steps;
      }
      uint32_t sum = 0;
      for (uint32_t k = 0; k < 64; ++k) {
         if (k % 3 == 0)
            continue;
         if (k > i + 10)
            break;
         sum += k;
      }
      EXPECT_EQ(got[i], steps + (i % 4 + 1) * 100 + sum * 1000) << i;
   }
}

TEST_F(ComputeTest, PushConstantsAndTwoSets)
{
   std::vector<float> values(200);
   for (size_t i = 0; i < values.size(); ++i)
      values[i] = float(i) - 50.0f;
   TestBuffer src = storageBuffer(values);
   TestBuffer dst = storageBuffer(nullptr, 256 * 4);
   VkDescriptorSetLayout set0 = kit_->setLayout({{0, kStorage}});
   VkDescriptorSetLayout set1 = kit_->setLayout({{3, kStorage}});
   VkPipelineLayout layout = kit_->pipelineLayout({set0, set1}, 12);
   VkPipeline pipeline;
   ASSERT_EQ(VK_SUCCESS, kit_->pipeline("push_constants.comp", layout, &pipeline));
   VkDescriptorSet sets[2] = {kit_->allocateSet(set0), kit_->allocateSet(set1)};
   kit_->writeBuffer(sets[0], 0, kStorage, src.buffer);
   kit_->writeBuffer(sets[1], 3, kStorage, dst.buffer);
   struct {
      float scale = 0.5f, offset = 3.0f;
      uint32_t count = 200;
   } push;
   ASSERT_NO_FATAL_FAILURE(submitAndWait([&](VkCommandBuffer cmd) {
      vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline);
      vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, layout, 0, 2, sets, 0, nullptr);
      vkCmdPushConstants(cmd, layout, VK_SHADER_STAGE_COMPUTE_BIT, 0, sizeof(push), &push);
      // 4 x 4 groups of 8 x 2: rows of 32 invocations.
      vkCmdDispatch(cmd, 4, 4, 1);
      // A second dispatch with other constants overwrites the first 16 values.
      push.scale = 2.0f;
      push.count = 16;
      vkCmdPushConstants(cmd, layout, VK_SHADER_STAGE_COMPUTE_BIT, 0, sizeof(push), &push);
      ComputeKit::computeBarrier(cmd);
      vkCmdDispatch(cmd, 1, 1, 1);
      ComputeKit::hostReadBarrier(cmd);
   }));
   const std::vector<float> got = contents<float>(dst, 256);
   for (size_t i = 0; i < 256; ++i) {
      const float expected = i < 16 ? values[i] * 2.0f + 3.0f : i < 200 ? values[i] * 0.5f + 3.0f : 0.0f;
      EXPECT_EQ(got[i], expected) << i;
   }
}

TEST_F(ComputeTest, DynamicUniformBufferSpecializationAndDispatchBase)
{
   // Two std140 tables in one buffer, 256 bytes apart; the dynamic offset picks the second.
   std::vector<uint8_t> tables(512, 0);
   for (int r = 0; r < 4; ++r) {
      const float first = float(r), second = float(100 + r);
      memcpy(&tables[r * 16 + 4], &first, 4);
      memcpy(&tables[256 + r * 16 + 4], &second, 4);
   }
   const uint32_t bias = 7000;
   memcpy(&tables[256 + 64], &bias, 4);
   TestBuffer ubo = storageBuffer(tables.data(), tables.size(), VK_BUFFER_USAGE_UNIFORM_BUFFER_BIT);
   TestBuffer dst = storageBuffer(nullptr, 32 * 16);
   VkDescriptorSetLayout setLayout =
      kit_->setLayout({{0, VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER_DYNAMIC}, {1, kStorage}});
   VkPipelineLayout layout = kit_->pipelineLayout({setLayout});
   const uint32_t specValues[2] = {5, 8}; // kMultiplier, local_size_x
   const VkSpecializationMapEntry entries[2] = {{0, 0, 4}, {1, 4, 4}};
   const VkSpecializationInfo spec{2, entries, sizeof(specValues), specValues};
   VkPipeline pipeline;
   ASSERT_EQ(VK_SUCCESS, kit_->pipeline("uniform_spec.comp", layout, &pipeline, &spec,
                                        VK_PIPELINE_CREATE_DISPATCH_BASE));
   VkDescriptorSet set = kit_->allocateSet(setLayout);
   kit_->writeBuffer(set, 0, VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER_DYNAMIC, ubo.buffer, 0, 80);
   kit_->writeBuffer(set, 1, kStorage, dst.buffer);
   const uint32_t dynamicOffset = 256;
   ASSERT_NO_FATAL_FAILURE(submitAndWait([&](VkCommandBuffer cmd) {
      vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline);
      vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, layout, 0, 1, &set, 1, &dynamicOffset);
      vkCmdDispatchBase(cmd, 2, 0, 0, 2, 1, 1);
      ComputeKit::hostReadBarrier(cmd);
   }));
   const std::vector<uint32_t> got = contents<uint32_t>(dst, 32 * 4);
   for (uint32_t i = 0; i < 32; ++i) {
      if (i < 16) {
         EXPECT_EQ(got[i * 4], 0u) << i; // groups 0 and 1 did not run
         continue;
      }
      EXPECT_EQ(got[i * 4 + 0], i * 5 + 7000) << i;
      EXPECT_EQ(got[i * 4 + 1], 100 + i % 4) << i;
      EXPECT_EQ(got[i * 4 + 2], i / 8) << i;
      EXPECT_EQ(got[i * 4 + 3], i % 8) << i;
   }
}

TEST_F(ComputeTest, DispatchIndirectReadsCountsFromTheBuffer)
{
   std::vector<uint32_t> words(64 * 6);
   std::iota(words.begin(), words.end(), 1);
   TestBuffer src = storageBuffer(words);
   TestBuffer dst = storageBuffer(nullptr, words.size() * 4);
   const uint32_t counts[4] = {0xFFFF, 3, 1, 1}; // at offset 4: 3 x 1 x 1
   TestBuffer indirect = storageBuffer(counts, sizeof(counts), VK_BUFFER_USAGE_INDIRECT_BUFFER_BIT);
   VkPipeline pipeline;
   VkPipelineLayout layout;
   VkDescriptorSet set;
   ASSERT_NO_FATAL_FAILURE(storagePipeline("copy.comp", {src.buffer, dst.buffer}, &pipeline, &layout, &set));
   ASSERT_NO_FATAL_FAILURE(submitAndWait([&](VkCommandBuffer cmd) {
      vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline);
      vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, layout, 0, 1, &set, 0, nullptr);
      vkCmdDispatchIndirect(cmd, indirect.buffer, 4);
      ComputeKit::hostReadBarrier(cmd);
   }));
   const std::vector<uint32_t> got = contents<uint32_t>(dst, words.size());
   for (uint32_t i = 0; i < words.size(); ++i)
      ASSERT_EQ(got[i], i < 3 * 64 ? words[i] : 0u) << i;
}

TEST_F(ComputeTest, SecondaryCommandBufferStartsWithoutState)
{
   std::vector<uint32_t> words(64, 9);
   TestBuffer src = storageBuffer(words), dst = storageBuffer(nullptr, 64 * 4);
   VkPipeline pipeline;
   VkPipelineLayout layout;
   VkDescriptorSet set;
   ASSERT_NO_FATAL_FAILURE(storagePipeline("copy.comp", {src.buffer, dst.buffer}, &pipeline, &layout, &set));
   // The state is set inside the secondary, which then dispatches.
   VkCommandPool pool;
   VkCommandPoolCreateInfo poolInfo{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
   poolInfo.queueFamilyIndex = kTransferFamily;
   ASSERT_EQ(VK_SUCCESS, vkCreateCommandPool(device_, &poolInfo, nullptr, &pool));
   atTearDown([this, pool] { vkDestroyCommandPool(device_, pool, nullptr); });
   VkCommandBufferAllocateInfo allocate{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
   allocate.commandPool = pool;
   allocate.level = VK_COMMAND_BUFFER_LEVEL_SECONDARY;
   allocate.commandBufferCount = 1;
   VkCommandBuffer secondary;
   ASSERT_EQ(VK_SUCCESS, vkAllocateCommandBuffers(device_, &allocate, &secondary));
   VkCommandBufferInheritanceInfo inheritance{VK_STRUCTURE_TYPE_COMMAND_BUFFER_INHERITANCE_INFO};
   VkCommandBufferBeginInfo begin{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
   begin.pInheritanceInfo = &inheritance;
   ASSERT_EQ(VK_SUCCESS, vkBeginCommandBuffer(secondary, &begin));
   vkCmdBindPipeline(secondary, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline);
   vkCmdBindDescriptorSets(secondary, VK_PIPELINE_BIND_POINT_COMPUTE, layout, 0, 1, &set, 0, nullptr);
   vkCmdDispatch(secondary, 1, 1, 1);
   ASSERT_EQ(VK_SUCCESS, vkEndCommandBuffer(secondary));
   ASSERT_NO_FATAL_FAILURE(submitAndWait([&](VkCommandBuffer cmd) {
      vkCmdExecuteCommands(cmd, 1, &secondary);
      ComputeKit::hostReadBarrier(cmd);
   }));
   EXPECT_EQ(contents<uint32_t>(dst, 64), words);
}

} // namespace
} // namespace panvk::test
