// The compute commands a command buffer records (part of Commands.h's
// Command). Binding commands change the executor's compute state
// (ComputeState.h) as they would a GPU's; dispatches run with that state.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include <vulkan/vulkan_core.h>

namespace panvk {

class Buffer;
class DescriptorSet;
class Pipeline;

struct CmdBindPipeline {
   Pipeline *pipeline = nullptr;
};

struct CmdBindDescriptorSets {
   uint32_t firstSet = 0;
   std::vector<DescriptorSet *> sets;
   // Per set, the dynamic offsets it takes (its layout's dynamic buffers, in binding order).
   std::vector<std::vector<uint32_t>> dynamicOffsets;
};

struct CmdPushConstants {
   uint32_t offset = 0;
   std::vector<uint8_t> data;
};

struct CmdDispatch {
   std::array<uint32_t, 3> baseGroup{0, 0, 0};
   std::array<uint32_t, 3> groupCount{0, 0, 0};
};

// The group counts are read from the buffer through the GPU's MMU when it runs.
struct CmdDispatchIndirect {
   Buffer *buffer = nullptr;
   VkDeviceSize offset = 0;
};

} // namespace panvk
