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
class BufferView;
class DescriptorPool;
class ImageView;

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

// An image view a shader reaches through a set, and as what.
struct ImageDescriptor {
   ImageView *view = nullptr;
   VkDescriptorType type = VK_DESCRIPTOR_TYPE_STORAGE_IMAGE;
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
   // Nullopt when (binding, index) holds no image view (storage image,
   // sampled image, combined image sampler).
   std::optional<ImageDescriptor> image(uint32_t binding, uint32_t index) const;
   // Null when (binding, index) holds no texel buffer view.
   BufferView *texelBuffer(uint32_t binding, uint32_t index) const;
   // The sampler of a sampler or combined image sampler descriptor: the
   // layout's immutable one if it has one, else the one written; null if none.
   const spirv::SamplerState *sampler(uint32_t binding, uint32_t index) const;

private:
   // The descriptor at (binding, index) following the spec's rule for
   // updates that run past a binding's end; null past the last binding.
   Descriptor *slot(uint32_t binding, uint32_t index);
   // The binding and its descriptor at exactly (binding, index); null outside.
   const SetBinding *at(uint32_t binding, uint32_t index, const Descriptor **descriptor) const;

   DescriptorPool &pool_;
   std::shared_ptr<const SetLayoutInfo> layout_;
   std::vector<std::vector<Descriptor>> descriptors_; // per layout binding
};

} // namespace panvk
