// Cube map geometry of the Vulkan spec's "Cube Map Face Selection": which
// face a direction hits and where on it, back from a face position to a
// direction (to find texels across an edge), and the face coordinates'
// derivatives (for explicit gradients).
#pragma once

#include <array>
#include <cstdint>

namespace panvk::spirv {

using Vec3 = std::array<double, 3>;

struct CubeFacePoint {
   uint32_t face = 0; // +X, -X, +Y, -Y, +Z, -Z: the face's layer in the cube
   double s = 0.5, t = 0.5; // on the face, [0, 1]
};

// The face of the direction's major axis (ties prefer z, then y).
CubeFacePoint selectCubeFace(const Vec3 &direction);
// The direction through (sc, tc) in [-1, 1] on `face`, at unit distance.
Vec3 cubeFaceDirection(uint32_t face, double sc, double tc);
// How the face coordinates (s, t) change when the direction changes by
// `change` (d(s, t) for d(direction)); `face` is the face of `direction`.
std::array<double, 2> cubeFaceDerivative(uint32_t face, const Vec3 &direction, const Vec3 &change);

// A texel that lies one texel outside `face` (size x size texels) on the
// neighbouring face: its face and coordinates there.
struct CubeTexel {
   uint32_t face;
   int32_t i, j;
};
CubeTexel cubeTexelAcrossEdge(uint32_t face, int32_t i, int32_t j, uint32_t size);

} // namespace panvk::spirv
