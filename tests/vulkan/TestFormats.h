// The formats the copy tests use, described from the Vulkan spec (texel block
// size and extent), never from the driver: one colour format of each texel
// size (1, 2, 4, 8, 16 bytes) and two block-compressed ones.
#pragma once

#include <vulkan/vulkan.h>

#include <cstdint>
#include <string>
#include <vector>

namespace panvk::test {

struct TestFormat {
   VkFormat format = VK_FORMAT_UNDEFINED;
   const char *name = "";
   uint32_t blockBytes = 0;
   uint32_t blockWidth = 1;
   uint32_t blockHeight = 1;
   // Issue 5 requires the device to copy it in both tilings; otherwise the
   // tests skip the tilings the device does not offer.
   bool requiredInBothTilings = false;
};

inline const std::vector<TestFormat> &
copyTestFormats()
{
   static const std::vector<TestFormat> formats = {
      {VK_FORMAT_R8_UINT, "R8_UINT", 1, 1, 1, true},
      {VK_FORMAT_R8G8_UNORM, "R8G8_UNORM", 2, 1, 1, true},
      {VK_FORMAT_R8G8B8A8_UNORM, "R8G8B8A8_UNORM", 4, 1, 1, true},
      {VK_FORMAT_R16G16B16A16_UINT, "R16G16B16A16_UINT", 8, 1, 1, true},
      // Any bit pattern, NaNs included: copies are bit-exact.
      {VK_FORMAT_R32G32B32A32_SFLOAT, "R32G32B32A32_SFLOAT", 16, 1, 1, true},
      {VK_FORMAT_BC1_RGBA_UNORM_BLOCK, "BC1_RGBA_UNORM", 8, 4, 4, false},
      {VK_FORMAT_BC7_UNORM_BLOCK, "BC7_UNORM", 16, 4, 4, false},
   };
   return formats;
}

inline const char *
tilingName(VkImageTiling tiling)
{
   return tiling == VK_IMAGE_TILING_LINEAR ? "Linear" : "Optimal";
}

} // namespace panvk::test
