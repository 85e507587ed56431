#include "BufferView.h"

#include <new>

#include "Buffer.h"
#include "Device.h"
#include "panvk_entrypoints.h"

namespace panvk {

VkResult
BufferView::create(Device &, const VkBufferViewCreateInfo &info, VkBufferView *out)
{
   if (!info.buffer)
      return VK_ERROR_OUT_OF_HOST_MEMORY; // invalid usage; nothing to view
   BufferView *view = new (std::nothrow) BufferView(*Buffer::from(info.buffer), info);
   if (!view)
      return VK_ERROR_OUT_OF_HOST_MEMORY;
   *out = view->handle();
   return VK_SUCCESS;
}

BufferView::BufferView(Buffer &buffer, const VkBufferViewCreateInfo &info)
   : buffer_(buffer), format_(info.format), offset_(info.offset), range_(info.range)
{
   // An offset past the end is invalid usage: it leaves an empty view.
   if (range_ == VK_WHOLE_SIZE)
      range_ = offset_ < buffer.size() ? buffer.size() - offset_ : 0;
}

} // namespace panvk

using namespace panvk;

extern "C" {

VKAPI_ATTR VkResult VKAPI_CALL
panvk_CreateBufferView(VkDevice device, const VkBufferViewCreateInfo *pCreateInfo,
                       const VkAllocationCallbacks *, VkBufferView *pView)
{
   return BufferView::create(*Device::from(device), *pCreateInfo, pView);
}

VKAPI_ATTR void VKAPI_CALL
panvk_DestroyBufferView(VkDevice, VkBufferView bufferView, const VkAllocationCallbacks *)
{
   delete BufferView::from(bufferView);
}

} // extern "C"
