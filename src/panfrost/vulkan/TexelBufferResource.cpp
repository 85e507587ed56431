#include "TexelBufferResource.h"

#include <algorithm>

#include "Buffer.h"
#include "BufferView.h"

namespace panvk {

std::unique_ptr<TexelBufferResource>
TexelBufferResource::create(spirv::GlobalMemory &memory, BufferView &view)
{
   const Buffer &buffer = view.buffer();
   const std::optional<TexelFormat> format = TexelFormat::make(view.format(), VK_IMAGE_ASPECT_COLOR_BIT, nullptr);
   if (!buffer.va() || !format || !format->writable() || view.offset() >= buffer.size())
      return nullptr;
   // A range past the buffer's end (invalid usage) is cut at the end.
   const uint64_t bytes = std::min<uint64_t>(view.range(), buffer.size() - view.offset());
   const uint64_t count = std::min<uint64_t>(bytes / format->bytes(), UINT32_MAX);
   if (count == 0)
      return nullptr;
   return std::unique_ptr<TexelBufferResource>(
      new TexelBufferResource(memory, *format, buffer.va() + view.offset(), uint32_t(count)));
}

uint64_t
TexelBufferResource::address(uint32_t x, uint32_t y, uint32_t z, uint32_t layer, uint32_t level) const
{
   if (x >= count_ || y || z || layer || level)
      return 0;
   return va_ + uint64_t(x) * format().bytes();
}

} // namespace panvk
