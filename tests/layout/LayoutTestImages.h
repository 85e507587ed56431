// Small images covering both tilings, every texel size, compressed blocks,
// arrays, full mip chains and 3D, for the texel-walking tests.
#pragma once

#include <string>
#include <vector>

#include "layout/ImageLayout.h"

namespace pan::layout::testing {

struct NamedDesc {
   std::string name;
   ImageDesc desc;
};

inline std::vector<NamedDesc> walkableImages()
{
   std::vector<NamedDesc> images;
   const auto add2D = [&](const char *name, VkFormat format, uint32_t w, uint32_t h,
                          uint32_t mips, uint32_t layers, Tiling tiling) {
      ImageDesc desc;
      desc.type = VK_IMAGE_TYPE_2D;
      desc.format = format;
      desc.extent = {w, h, 1};
      desc.mipLevels = mips;
      desc.arrayLayers = layers;
      desc.tiling = tiling;
      images.push_back({name, desc});
   };
   for (Tiling tiling : {Tiling::Tiled64K, Tiling::Linear}) {
      const bool tiled = tiling == Tiling::Tiled64K;
      add2D(tiled ? "r8 tiled" : "r8 linear", VK_FORMAT_R8_UNORM, 300, 260, 3, 2, tiling);
      add2D(tiled ? "rg8 tiled" : "rg8 linear", VK_FORMAT_R8G8_UNORM, 270, 130, 9, 1, tiling);
      add2D(tiled ? "rgba8 tiled" : "rgba8 linear", VK_FORMAT_R8G8B8A8_UNORM, 300, 200, 9, 3,
            tiling);
      add2D(tiled ? "rgba16 tiled" : "rgba16 linear", VK_FORMAT_R16G16B16A16_SFLOAT, 140, 70, 8,
            2, tiling);
      add2D(tiled ? "rgba32 tiled" : "rgba32 linear", VK_FORMAT_R32G32B32A32_UINT, 130, 70, 8, 3,
            tiling);
      add2D(tiled ? "bc1 tiled" : "bc1 linear", VK_FORMAT_BC1_RGBA_UNORM_BLOCK, 530, 270, 10, 2,
            tiling);
      add2D(tiled ? "bc7 tiled" : "bc7 linear", VK_FORMAT_BC7_UNORM_BLOCK, 260, 100, 9, 1,
            tiling);

      ImageDesc volume;
      volume.type = VK_IMAGE_TYPE_3D;
      volume.format = VK_FORMAT_R32_SFLOAT;
      volume.extent = {150, 131, 6};
      volume.mipLevels = 8;
      volume.tiling = tiling;
      images.push_back({tiled ? "3d r32 tiled" : "3d r32 linear", volume});
   }
   ImageDesc line;
   line.type = VK_IMAGE_TYPE_1D;
   line.format = VK_FORMAT_R8G8B8A8_UINT;
   line.extent = {777, 1, 1};
   line.mipLevels = 10;
   line.arrayLayers = 3;
   images.push_back({"1d linear", line});
   return images;
}

} // namespace pan::layout::testing
