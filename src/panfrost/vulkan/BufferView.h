// VkBufferView: a formatted range of a buffer (texel buffers). Nothing reads
// views yet; the compute work will.
#pragma once

#include "Handle.h"

namespace panvk {

class Buffer;
class Device;

class BufferView : public HandleOf<BufferView, VkBufferView> {
public:
   static VkResult create(Device &device, const VkBufferViewCreateInfo &info, VkBufferView *out);

   Buffer &buffer() { return buffer_; }
   VkFormat format() const { return format_; }
   VkDeviceSize offset() const { return offset_; }
   // VK_WHOLE_SIZE resolved: the bytes from offset() to the buffer's end.
   VkDeviceSize range() const { return range_; }

private:
   BufferView(Buffer &buffer, const VkBufferViewCreateInfo &info);

   Buffer &buffer_;
   VkFormat format_;
   VkDeviceSize offset_;
   VkDeviceSize range_;
};

} // namespace panvk
