// The compute state of a command buffer while the executor runs it: what
// vkCmdBindPipeline, vkCmdBindDescriptorSets and vkCmdPushConstants set.
// It starts empty for each primary and each secondary command buffer (the
// spec: secondaries inherit no state).
#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace panvk {

class DescriptorSet;
class Device;
class Pipeline;

// The device's maxBoundDescriptorSets and maxPushConstantsSize.
constexpr uint32_t kMaxBoundSets = 4;
constexpr uint32_t kMaxPushConstantsSize = 128;

struct ComputeState {
   explicit ComputeState(Device &device) : device(device) {}

   struct BoundSet {
      DescriptorSet *set = nullptr;
      std::vector<uint32_t> dynamicOffsets;
   };

   Device &device;
   Pipeline *pipeline = nullptr;
   std::array<BoundSet, kMaxBoundSets> sets;
   std::array<uint8_t, kMaxPushConstantsSize> pushConstants{};
};

} // namespace panvk
