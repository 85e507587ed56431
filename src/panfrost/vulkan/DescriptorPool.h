// VkDescriptorPool: owns its sets and counts what they use against the pool's
// sizes (VK_ERROR_OUT_OF_POOL_MEMORY when a set would not fit).
//
// The room is counted as a Mali driver's pool has it: one memory of
// fixed-size hardware descriptors shared by every type (a combined image
// sampler takes two, its texture and its sampler), and the dynamic buffers in
// an array of their own. A set may so use room the pool's sizes gave another
// type, which the spec allows (allocation "may" fail past a type's count), and
// which applications rely on; only a full pool fails.
//
// Externally synchronized, as the spec asks of pools and their sets.
#pragma once

#include <array>
#include <memory>
#include <unordered_map>

#include "DescriptorSet.h"
#include "Handle.h"

namespace panvk {

class Device;

class DescriptorPool : public HandleOf<DescriptorPool, VkDescriptorPool> {
public:
   static VkResult create(Device &device, const VkDescriptorPoolCreateInfo &info, VkDescriptorPool *out);

   VkResult allocate(const std::shared_ptr<const SetLayoutInfo> &layout, VkDescriptorSet *out);
   void free(DescriptorSet *set);
   void reset();
   bool canFreeSets() const { return flags_ & VK_DESCRIPTOR_POOL_CREATE_FREE_DESCRIPTOR_SET_BIT; }

private:
   explicit DescriptorPool(const VkDescriptorPoolCreateInfo &info);
   enum Room : uint8_t { Descriptors, DynamicBuffers, RoomKinds };
   // Adds to `room` what `count` descriptors of `type` take.
   static void addRoom(std::array<uint64_t, RoomKinds> &room, VkDescriptorType type, uint64_t count);

   VkDescriptorPoolCreateFlags flags_;
   uint32_t maxSets_;
   std::array<uint64_t, RoomKinds> capacity_{};
   std::array<uint64_t, RoomKinds> used_{};
   std::unordered_map<DescriptorSet *, std::unique_ptr<DescriptorSet>> sets_;
};

} // namespace panvk
