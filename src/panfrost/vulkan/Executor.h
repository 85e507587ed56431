// Runs recorded command buffers for a queue: the GPU's side of the driver.
//
// With the mock kernel, the executor runs the commands on the CPU and touches
// memory only through the mock GPU's MMU (kmod::MockGpu), so unbound ranges,
// the sparse dummy, alloc-on-fault granules and faults behave as the GPU would
// make them. On hardware it would emit command streams for the CSF queues
// instead; that is not implemented, and createExecutor() says so.
#pragma once

#include <memory>

#include <vulkan/vulkan_core.h>

namespace panvk {

class CommandBuffer;
class Device;

class Executor {
public:
   virtual ~Executor() = default;
   // Runs every command of `commandBuffer` in order (secondary buffers of
   // vkCmdExecuteCommands included). VK_ERROR_DEVICE_LOST on a GPU fault the
   // kernel could not handle (the device is marked lost); VK_SUCCESS otherwise.
   virtual VkResult execute(CommandBuffer &commandBuffer) = 0;
};

// Null when the device has no executor (real hardware, for now).
std::unique_ptr<Executor> createExecutor(Device &device);

} // namespace panvk
