// What the device can do with each format: the format features and image
// limits it reports, derived from the layout library's format table and from
// what the executor implements (transfers for every known format; blits with
// conversion where texels can be unpacked and packed).
#pragma once

#include <vulkan/vulkan_core.h>

namespace panvk {

VkFormatProperties formatProperties(VkFormat format);

// VK_ERROR_FORMAT_NOT_SUPPORTED when no image of this kind can be made.
VkResult imageFormatProperties(VkFormat format, VkImageType type, VkImageTiling tiling,
                               VkImageUsageFlags usage, VkImageCreateFlags flags,
                               VkImageFormatProperties *out);

} // namespace panvk
