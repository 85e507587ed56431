// Compute on the mock GPU, through the driver in process (its entry points
// called directly): invocations per second of
//   ShaderCopy        copy.comp, one 4-byte word per invocation;
//   ShaderArithmetic  bench_arithmetic.comp, 32 rounds of float and integer
//                     work per word;
// against the executor's own vkCmdCopyBuffer over the same bytes
// (CopyBuffer, counted in 4-byte words so the ratio compares like with like;
// the ratios printed are copy words per invocation, i.e. how many times
// slower a shader moves the same bytes).
// Each iteration is one submission of a recorded command buffer and the wait
// for its fence.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "../SpirvFile.h"
#include "RatioReporter.h"
#include "panvk_entrypoints.h"

namespace {

constexpr VkDeviceSize kBytes = 256 * 1024;
constexpr uint32_t kWords = kBytes / 4;
constexpr uint32_t kGroupSize = 64;
constexpr uint64_t kTimeoutNs = 120'000'000'000ull;

std::vector<uint32_t>
loadShader(const std::string &name)
{
   return panvk::test::readSpirvFile(std::string(COMPUTE_SHADER_DIR) + "/" + name + ".spv");
}

// The device (family 0: compute + transfer), two storage buffers, and one
// recorded command buffer per benchmark.
class ComputeDevice {
public:
   bool open()
   {
      setenv("PAN_KMOD", "mock", 1);
      VkApplicationInfo app{VK_STRUCTURE_TYPE_APPLICATION_INFO};
      app.apiVersion = VK_API_VERSION_1_1;
      VkInstanceCreateInfo instanceInfo{VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO};
      instanceInfo.pApplicationInfo = &app;
      if (panvk_CreateInstance(&instanceInfo, nullptr, &instance_) != VK_SUCCESS)
         return false;
      uint32_t count = 1;
      if (panvk_EnumeratePhysicalDevices(instance_, &count, &physical_) != VK_SUCCESS || count != 1)
         return false;
      const float priority = 1.0f;
      VkDeviceQueueCreateInfo queue{VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO};
      queue.queueFamilyIndex = 0;
      queue.queueCount = 1;
      queue.pQueuePriorities = &priority;
      VkDeviceCreateInfo deviceInfo{VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO};
      deviceInfo.queueCreateInfoCount = 1;
      deviceInfo.pQueueCreateInfos = &queue;
      if (panvk_CreateDevice(physical_, &deviceInfo, nullptr, &device_) != VK_SUCCESS)
         return false;
      panvk_GetDeviceQueue(device_, 0, 0, &queue_);
      VkCommandPoolCreateInfo poolInfo{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
      VkFenceCreateInfo fenceInfo{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
      return queue_ && panvk_CreateCommandPool(device_, &poolInfo, nullptr, &commandPool_) == VK_SUCCESS &&
             panvk_CreateFence(device_, &fenceInfo, nullptr, &fence_) == VK_SUCCESS && makeBuffers() &&
             makeDescriptors();
   }

   ~ComputeDevice()
   {
      if (!device_)
         return;
      panvk_DeviceWaitIdle(device_);
      for (VkPipeline p : pipelines_)
         panvk_DestroyPipeline(device_, p, nullptr);
      for (VkShaderModule m : modules_)
         panvk_DestroyShaderModule(device_, m, nullptr);
      panvk_DestroyPipelineLayout(device_, pipelineLayout_, nullptr);
      panvk_DestroyDescriptorPool(device_, descriptorPool_, nullptr);
      panvk_DestroyDescriptorSetLayout(device_, setLayout_, nullptr);
      for (VkBuffer b : buffers_)
         panvk_DestroyBuffer(device_, b, nullptr);
      panvk_FreeMemory(device_, memory_, nullptr);
      panvk_DestroyFence(device_, fence_, nullptr);
      panvk_DestroyCommandPool(device_, commandPool_, nullptr);
      panvk_DestroyDevice(device_, nullptr);
      panvk_DestroyInstance(instance_, nullptr);
   }

   // A command buffer with a dispatch of `shader` over the words, or with
   // vkCmdCopyBuffer of the same bytes when `shader` is empty.
   VkCommandBuffer record(const std::string &shader)
   {
      VkPipeline pipeline = VK_NULL_HANDLE;
      if (!shader.empty() && !(pipeline = makePipeline(shader)))
         return VK_NULL_HANDLE;
      VkCommandBufferAllocateInfo info{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
      info.commandPool = commandPool_;
      info.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
      info.commandBufferCount = 1;
      VkCommandBuffer cmd = VK_NULL_HANDLE;
      if (panvk_AllocateCommandBuffers(device_, &info, &cmd) != VK_SUCCESS)
         return VK_NULL_HANDLE;
      VkCommandBufferBeginInfo begin{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
      panvk_BeginCommandBuffer(cmd, &begin);
      if (pipeline) {
         panvk_CmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline);
         panvk_CmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, pipelineLayout_, 0, 1, &set_, 0,
                                     nullptr);
         panvk_CmdDispatch(cmd, kWords / kGroupSize, 1, 1);
      } else {
         const VkBufferCopy region{0, 0, kBytes};
         panvk_CmdCopyBuffer(cmd, buffers_[0], buffers_[1], 1, &region);
      }
      return panvk_EndCommandBuffer(cmd) == VK_SUCCESS ? cmd : VK_NULL_HANDLE;
   }

   bool submitAndWait(VkCommandBuffer cmd)
   {
      VkSubmitInfo submit{VK_STRUCTURE_TYPE_SUBMIT_INFO};
      submit.commandBufferCount = 1;
      submit.pCommandBuffers = &cmd;
      return panvk_QueueSubmit(queue_, 1, &submit, fence_) == VK_SUCCESS &&
             panvk_WaitForFences(device_, 1, &fence_, VK_TRUE, kTimeoutNs) == VK_SUCCESS &&
             panvk_ResetFences(device_, 1, &fence_) == VK_SUCCESS;
   }

private:
   bool makeBuffers()
   {
      VkPhysicalDeviceMemoryProperties memory{};
      panvk_GetPhysicalDeviceMemoryProperties(physical_, &memory);
      uint32_t type = UINT32_MAX;
      for (uint32_t i = 0; i < memory.memoryTypeCount && type == UINT32_MAX; i++) {
         if (memory.memoryTypes[i].propertyFlags & VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT)
            type = i;
      }
      VkMemoryAllocateInfo alloc{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
      alloc.allocationSize = 2 * kBytes;
      alloc.memoryTypeIndex = type;
      if (type == UINT32_MAX || panvk_AllocateMemory(device_, &alloc, nullptr, &memory_) != VK_SUCCESS)
         return false;
      for (int i = 0; i < 2; ++i) {
         VkBufferCreateInfo info{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
         info.size = kBytes;
         info.usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_SRC_BIT |
                      VK_BUFFER_USAGE_TRANSFER_DST_BIT;
         VkBuffer buffer = VK_NULL_HANDLE;
         if (panvk_CreateBuffer(device_, &info, nullptr, &buffer) != VK_SUCCESS)
            return false;
         buffers_.push_back(buffer);
         if (panvk_BindBufferMemory(device_, buffer, memory_, i * kBytes) != VK_SUCCESS)
            return false;
      }
      return true;
   }

   bool makeDescriptors()
   {
      const VkDescriptorSetLayoutBinding bindings[2] = {
         {0, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 1, VK_SHADER_STAGE_COMPUTE_BIT, nullptr},
         {1, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 1, VK_SHADER_STAGE_COMPUTE_BIT, nullptr}};
      VkDescriptorSetLayoutCreateInfo layoutInfo{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO};
      layoutInfo.bindingCount = 2;
      layoutInfo.pBindings = bindings;
      if (panvk_CreateDescriptorSetLayout(device_, &layoutInfo, nullptr, &setLayout_) != VK_SUCCESS)
         return false;
      VkPipelineLayoutCreateInfo pipelineLayoutInfo{VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO};
      pipelineLayoutInfo.setLayoutCount = 1;
      pipelineLayoutInfo.pSetLayouts = &setLayout_;
      if (panvk_CreatePipelineLayout(device_, &pipelineLayoutInfo, nullptr, &pipelineLayout_) != VK_SUCCESS)
         return false;
      const VkDescriptorPoolSize size{VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 2};
      VkDescriptorPoolCreateInfo poolInfo{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
      poolInfo.maxSets = 1;
      poolInfo.poolSizeCount = 1;
      poolInfo.pPoolSizes = &size;
      if (panvk_CreateDescriptorPool(device_, &poolInfo, nullptr, &descriptorPool_) != VK_SUCCESS)
         return false;
      VkDescriptorSetAllocateInfo setInfo{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
      setInfo.descriptorPool = descriptorPool_;
      setInfo.descriptorSetCount = 1;
      setInfo.pSetLayouts = &setLayout_;
      if (panvk_AllocateDescriptorSets(device_, &setInfo, &set_) != VK_SUCCESS)
         return false;
      VkDescriptorBufferInfo infos[2] = {{buffers_[0], 0, VK_WHOLE_SIZE}, {buffers_[1], 0, VK_WHOLE_SIZE}};
      VkWriteDescriptorSet writes[2];
      for (uint32_t i = 0; i < 2; ++i) {
         writes[i] = {VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET};
         writes[i].dstSet = set_;
         writes[i].dstBinding = i;
         writes[i].descriptorCount = 1;
         writes[i].descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
         writes[i].pBufferInfo = &infos[i];
      }
      panvk_UpdateDescriptorSets(device_, 2, writes, 0, nullptr);
      return true;
   }

   VkPipeline makePipeline(const std::string &shader)
   {
      const std::vector<uint32_t> words = loadShader(shader);
      VkShaderModuleCreateInfo moduleInfo{VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO};
      moduleInfo.codeSize = words.size() * 4;
      moduleInfo.pCode = words.data();
      VkShaderModule module = VK_NULL_HANDLE;
      if (words.empty() || panvk_CreateShaderModule(device_, &moduleInfo, nullptr, &module) != VK_SUCCESS)
         return VK_NULL_HANDLE;
      modules_.push_back(module);
      VkComputePipelineCreateInfo info{VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO};
      info.stage = {VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO};
      info.stage.stage = VK_SHADER_STAGE_COMPUTE_BIT;
      info.stage.module = module;
      info.stage.pName = "main";
      info.layout = pipelineLayout_;
      VkPipeline pipeline = VK_NULL_HANDLE;
      if (panvk_CreateComputePipelines(device_, VK_NULL_HANDLE, 1, &info, nullptr, &pipeline) != VK_SUCCESS)
         return VK_NULL_HANDLE;
      pipelines_.push_back(pipeline);
      return pipeline;
   }

   VkInstance instance_ = VK_NULL_HANDLE;
   VkPhysicalDevice physical_ = VK_NULL_HANDLE;
   VkDevice device_ = VK_NULL_HANDLE;
   VkQueue queue_ = VK_NULL_HANDLE;
   VkCommandPool commandPool_ = VK_NULL_HANDLE;
   VkFence fence_ = VK_NULL_HANDLE;
   VkDeviceMemory memory_ = VK_NULL_HANDLE;
   std::vector<VkBuffer> buffers_;
   VkDescriptorSetLayout setLayout_ = VK_NULL_HANDLE;
   VkPipelineLayout pipelineLayout_ = VK_NULL_HANDLE;
   VkDescriptorPool descriptorPool_ = VK_NULL_HANDLE;
   VkDescriptorSet set_ = VK_NULL_HANDLE;
   std::vector<VkShaderModule> modules_;
   std::vector<VkPipeline> pipelines_;
};

ComputeDevice *gDevice = nullptr;

void
Run(benchmark::State &state, const std::string &shader)
{
   const VkCommandBuffer cmd = gDevice->record(shader);
   if (!cmd) {
      state.SkipWithError("could not record the command buffer");
      return;
   }
   for (auto _ : state) {
      if (!gDevice->submitAndWait(cmd)) {
         state.SkipWithError("submission failed");
         return;
      }
   }
   // Invocations for the shaders; 4-byte words for the copy.
   state.SetItemsProcessed(int64_t(state.iterations()) * kWords);
   state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(kBytes));
}

} // namespace

int
main(int argc, char **argv)
{
   ComputeDevice device;
   if (!device.open()) {
      fprintf(stderr, "compute_bench: no device on the mock\n");
      return 1;
   }
   gDevice = &device;
   benchmark::RegisterBenchmark("CopyBuffer", Run, std::string())->UseRealTime()->Repetitions(3);
   benchmark::RegisterBenchmark("ShaderCopy", Run, std::string("copy.comp"))->UseRealTime()->Repetitions(3);
   benchmark::RegisterBenchmark("ShaderArithmetic", Run, std::string("bench_arithmetic.comp"))
      ->UseRealTime()
      ->Repetitions(3);
   const int status = pan::bench::runWithRatios(
      argc, argv,
      {{"vkCmdCopyBuffer words per shader-copy invocation", "CopyBuffer", "ShaderCopy"},
       {"vkCmdCopyBuffer words per arithmetic invocation", "CopyBuffer", "ShaderArithmetic"}});
   gDevice = nullptr;
   return status;
}
