// VkDescriptorSet: what each binding of a set holds, as host records. The
// executor reads them when a dispatch runs (a set may not change while a
// command buffer using it is pending, so no snapshot is needed).
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "DescriptorSetLayout.h"
#include "Handle.h"

namespace panvk {

class Buffer;
class DescriptorPool;

struct Descriptor {
   Buffer *buffer = nullptr;
   VkDeviceSize offset = 0;
   VkDeviceSize range = 0; // VK_WHOLE_SIZE kept; resolved against the buffer when used
   VkDescriptorImageInfo image{};
   VkBufferView texelBuffer = VK_NULL_HANDLE;
};

// A buffer a shader reaches through a set: address range before dynamic offsets.
struct BufferDescriptor {
   Buffer *buffer = nullptr;
   VkDeviceSize offset = 0;
   VkDeviceSize range = 0; // resolved
   bool dynamic = false;
   uint32_t dynamicIndex = 0; // index of its dynamic offset in the set
};

class DescriptorSet : public HandleOf<DescriptorSet, VkDescriptorSet> {
public:
   // Throws std::bad_alloc.
   DescriptorSet(DescriptorPool &pool, std::shared_ptr<const SetLayoutInfo> layout);

   DescriptorPool &pool() { return pool_; }
   const SetLayoutInfo &layout() const { return *layout_; }
   void write(const VkWriteDescriptorSet &write);
   void copy(const VkCopyDescriptorSet &copy);
   // Nullopt when (binding, index) holds no buffer.
   std::optional<BufferDescriptor> buffer(uint32_t binding, uint32_t index) const;

private:
   // The descriptor at (binding, index) following the spec's rule for
   // updates that run past a binding's end; null past the last binding.
   Descriptor *slot(uint32_t binding, uint32_t index);

   DescriptorPool &pool_;
   std::shared_ptr<const SetLayoutInfo> layout_;
   std::vector<std::vector<Descriptor>> descriptors_; // per layout binding
};

} // namespace panvk
