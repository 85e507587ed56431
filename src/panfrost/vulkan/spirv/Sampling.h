// OpImageSampleExplicitLod's arithmetic, after the Vulkan spec's "Image
// Operations" chapter: level of detail, mip selection, wrapping, border
// colours, nearest and linear filtering, cube face selection with seamless
// edges. The image gives texels only; everything else happens here.
#pragma once

#include <array>
#include <cstdint>

#include "spirv/Interpreter.h"
#include "spirv/Module.h"

namespace panvk::spirv {

struct SampleRequest {
   ImageShape shape;
   // The shader's coordinate, in SPIR-V order: 1D (s [, layer]), 2D
   // (s, t [, layer]), 3D (s, t, r), cube (x, y, z [, cube]).
   std::array<float, 4> coord{};
   float lod = 0.0f;       // when !hasGrad
   bool hasGrad = false;
   std::array<float, 3> gradX{}, gradY{}; // d(coord)/dx, d(coord)/dy, without the layer
   std::array<int32_t, 3> offset{};       // ConstOffset / Offset, in texels
};

// False when reading a texel faulted. Integer images are always filtered
// and mipmapped NEAREST (a linear filter on them is invalid usage).
bool sampleImage(ImageResource &image, const SamplerState &sampler, const SampleRequest &request, Texel &out);

// Wrapping of the integer texel coordinate `i` in a level `size` texels
// wide; -1 for a border texel (ClampToBorder outside the level).
int64_t wrapTexelCoordinate(AddressMode mode, int64_t i, uint32_t size);

} // namespace panvk::spirv
