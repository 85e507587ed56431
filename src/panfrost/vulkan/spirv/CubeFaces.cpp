#include "spirv/CubeFaces.h"

#include <algorithm>
#include <cmath>

namespace panvk::spirv {

namespace {

// Per face: the major axis and, for sc and tc, the direction's axis and sign
// (the spec's face selection table).
struct FaceAxes {
   int major;
   int scAxis;
   double scSign;
   int tcAxis;
   double tcSign;
};
constexpr FaceAxes kFaces[6] = {
   {0, 2, -1.0, 1, -1.0}, // +X: sc = -rz, tc = -ry
   {0, 2, +1.0, 1, -1.0}, // -X: sc = +rz, tc = -ry
   {1, 0, +1.0, 2, +1.0}, // +Y: sc = +rx, tc = +rz
   {1, 0, +1.0, 2, -1.0}, // -Y: sc = +rx, tc = -rz
   {2, 0, +1.0, 1, -1.0}, // +Z: sc = +rx, tc = -ry
   {2, 0, -1.0, 1, -1.0}, // -Z: sc = -rx, tc = -ry
};

} // namespace

CubeFacePoint
selectCubeFace(const Vec3 &r)
{
   const double ax = std::fabs(r[0]), ay = std::fabs(r[1]), az = std::fabs(r[2]);
   int major = 0;
   if (az >= ax && az >= ay)
      major = 2;
   else if (ay >= ax)
      major = 1;
   CubeFacePoint point;
   point.face = uint32_t(major * 2 + (std::signbit(r[major]) ? 1 : 0));
   const FaceAxes &axes = kFaces[point.face];
   const double ma = std::fabs(r[major]);
   if (!(ma > 0.0)) // a zero (or NaN) direction: the face's centre
      return point;
   point.s = 0.5 * (axes.scSign * r[axes.scAxis]) / ma + 0.5;
   point.t = 0.5 * (axes.tcSign * r[axes.tcAxis]) / ma + 0.5;
   return point;
}

Vec3
cubeFaceDirection(uint32_t face, double sc, double tc)
{
   const FaceAxes &axes = kFaces[face % 6];
   Vec3 r{};
   r[axes.major] = face % 2 ? -1.0 : 1.0;
   r[axes.scAxis] = axes.scSign * sc;
   r[axes.tcAxis] = axes.tcSign * tc;
   return r;
}

std::array<double, 2>
cubeFaceDerivative(uint32_t face, const Vec3 &r, const Vec3 &change)
{
   const FaceAxes &axes = kFaces[face % 6];
   const double ma = std::fabs(r[axes.major]);
   if (!(ma > 0.0))
      return {0.0, 0.0};
   const double dma = (face % 2 ? -1.0 : 1.0) * change[axes.major];
   // s = sc / (2 |ma|) + 1/2, so ds = (dsc |ma| - sc d|ma|) / (2 ma^2); t alike.
   auto derivative = [&](int axis, double sign) {
      const double c = sign * r[axis], dc = sign * change[axis];
      return 0.5 * (dc * ma - c * dma) / (ma * ma);
   };
   return {derivative(axes.scAxis, axes.scSign), derivative(axes.tcAxis, axes.tcSign)};
}

CubeTexel
cubeTexelAcrossEdge(uint32_t face, int32_t i, int32_t j, uint32_t size)
{
   // The texel centre as a direction, then the face that direction hits.
   const double n = size;
   const Vec3 r = cubeFaceDirection(face, 2.0 * (i + 0.5) / n - 1.0, 2.0 * (j + 0.5) / n - 1.0);
   const CubeFacePoint point = selectCubeFace(r);
   const double last = std::max(n - 1.0, 0.0);
   auto texel = [&](double position) {
      const double index = std::floor(position * n);
      return index >= 0.0 ? int32_t(std::min(index, last)) : 0; // NaN: 0
   };
   return {point.face, texel(point.s), texel(point.t)};
}

} // namespace panvk::spirv
