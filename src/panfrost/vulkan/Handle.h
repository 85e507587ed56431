// Handle = object: a Vulkan handle is the address of the driver object.
//
// Dispatchable objects (instance, physical device, device, queue, command
// buffer) begin with the loader's data word, which the loader overwrites with
// its dispatch table, so such classes must have no virtual functions (a vtable
// pointer would sit where the loader writes) and DispatchableObject must be
// their first base.
#pragma once

#include <vulkan/vk_icd.h>
#include <vulkan/vulkan_core.h>

namespace panvk {

class DispatchableObject {
public:
   DispatchableObject() { set_loader_magic_value(&loaderData_); }

private:
   VK_LOADER_DATA loaderData_;
};

// Conversions between a class and its handle type.
template <typename Object, typename VkHandle> class HandleOf {
public:
   static Object *from(VkHandle handle) { return reinterpret_cast<Object *>(handle); }
   VkHandle handle() { return reinterpret_cast<VkHandle>(static_cast<Object *>(this)); }
};

} // namespace panvk
