#include "spirv/Sampling.h"

#include <algorithm>
#include <bit>
#include <cmath>

#include "spirv/CubeFaces.h"

namespace panvk::spirv {

namespace {

using Color = std::array<double, 4>;

Color
toColor(const Texel &texel)
{
   Color color;
   for (int c = 0; c < 4; ++c)
      color[c] = std::bit_cast<float>(texel.lanes[c]);
   return color;
}

Texel
fromColor(const Color &color)
{
   Texel texel;
   for (int c = 0; c < 4; ++c)
      texel.lanes[c] = std::bit_cast<uint32_t>(float(color[c]));
   return texel;
}

Texel
borderTexel(BorderColor border, TexelKind kind)
{
   const uint32_t one = kind == TexelKind::Float ? std::bit_cast<uint32_t>(1.0f) : 1u;
   const uint32_t rgb = border == BorderColor::OpaqueWhite ? one : 0u;
   const uint32_t alpha = border == BorderColor::TransparentBlack ? 0u : one;
   return Texel{{rgb, rgb, rgb, alpha}};
}

// floor() as an integer; NaN gives 0 and huge values saturate far outside
// any image (the wrap modes then treat them as usual).
int64_t
floorToInt(double value)
{
   if (std::isnan(value))
      return 0;
   return int64_t(std::floor(std::clamp(value, -1e15, 1e15)));
}

uint32_t
clampedLayer(float coordinate, uint32_t count)
{
   if (count == 0)
      return 0;
   const double rounded = std::isnan(coordinate) ? 0.0 : std::nearbyint(double(coordinate));
   return uint32_t(std::clamp(rounded, 0.0, double(count - 1)));
}

// Texel-addressing axes within one layer.
uint32_t
axesOf(spv::Dim dim)
{
   switch (dim) {
   case spv::Dim2D: case spv::DimCube: return 2;
   case spv::Dim3D: return 3;
   default: return 1;
   }
}

// One OpImageSampleExplicitLod on one image.
class SampleOperation {
public:
   SampleOperation(ImageResource &image, const SamplerState &sampler, const SampleRequest &request);
   bool run(Texel &out);

private:
   double lodFromGradients() const;
   bool filterLevel(uint32_t level, Filter filter, Texel &out);
   bool texel(const std::array<int64_t, 3> &at, uint32_t level, Texel &out);
   bool cubeTexel(int64_t i, int64_t j, uint32_t level, Texel &out);
   bool read(int64_t x, int64_t y, int64_t z, uint32_t layer, uint32_t level, Texel &out);

   ImageResource &image_;
   const SamplerState &sampler_;
   const SampleRequest &request_;
   bool integer_;
   bool cube_;
   uint32_t axes_;
   std::array<AddressMode, 3> address_;
   uint32_t layer_ = 0; // the array layer, or a cube's first layer
   CubeFacePoint face_;
};

SampleOperation::SampleOperation(ImageResource &image, const SamplerState &sampler, const SampleRequest &request)
   : image_(image), sampler_(sampler), request_(request), integer_(image.kind() != TexelKind::Float),
     cube_(request.shape.dim == spv::DimCube), axes_(axesOf(request.shape.dim)), address_(sampler.address)
{
   // Unnormalized coordinates allow the clamp modes only; other modes are
   // invalid usage and clamp to the edge here.
   if (sampler.unnormalizedCoordinates) {
      for (AddressMode &mode : address_) {
         if (mode != AddressMode::ClampToEdge && mode != AddressMode::ClampToBorder)
            mode = AddressMode::ClampToEdge;
      }
   }
   const auto &c = request.coord;
   if (cube_) {
      face_ = selectCubeFace({c[0], c[1], c[2]});
      if (request.shape.arrayed)
         layer_ = 6 * clampedLayer(c[3], image.layers() / 6);
   } else if (request.shape.arrayed && request.shape.dim != spv::Dim3D) {
      layer_ = clampedLayer(c[axes_], image.layers());
   }
}

double
SampleOperation::lodFromGradients() const
{
   // rho = the longer of the two gradients in level-0 texels; lambda = log2(rho).
   const std::array<uint32_t, 3> size = image_.extent(0);
   double rho[2];
   for (int g = 0; g < 2; ++g) {
      const std::array<float, 3> &d = g ? request_.gradY : request_.gradX;
      double sum = 0.0;
      if (cube_) {
         const Vec3 direction{request_.coord[0], request_.coord[1], request_.coord[2]};
         const auto st = cubeFaceDerivative(face_.face, direction, {d[0], d[1], d[2]});
         sum = std::pow(st[0] * size[0], 2) + std::pow(st[1] * size[1], 2);
      } else {
         for (uint32_t a = 0; a < axes_; ++a)
            sum += std::pow(double(d[a]) * size[a], 2);
      }
      rho[g] = std::sqrt(sum);
   }
   return std::log2(std::max(rho[0], rho[1]));
}

bool
SampleOperation::run(Texel &out)
{
   const uint32_t levels = image_.levels();
   if (levels == 0) {
      out = Texel{};
      return true;
   }
   if (sampler_.unnormalizedCoordinates)
      return filterLevel(0, integer_ ? Filter::Nearest : sampler_.magFilter, out);
   double lambda = (request_.hasGrad ? lodFromGradients() : double(request_.lod)) + sampler_.mipLodBias;
   if (std::isnan(lambda))
      lambda = 0.0;
   lambda = lambda > sampler_.maxLod ? sampler_.maxLod : lambda < sampler_.minLod ? sampler_.minLod : lambda;
   Filter filter = lambda <= 0.0 ? sampler_.magFilter : sampler_.minFilter;
   if (integer_)
      filter = Filter::Nearest;
   const double last = levels - 1;
   const double d = std::clamp(lambda, 0.0, last);
   if (sampler_.mipmapMode == Filter::Nearest || integer_) {
      // The nearest level, halves rounding down.
      const double nearest = std::min(std::ceil(d + 0.5) - 1.0, last);
      return filterLevel(uint32_t(nearest), filter, out);
   }
   const uint32_t high = uint32_t(std::floor(d));
   const uint32_t low = std::min(high + 1, levels - 1);
   const double delta = d - high;
   if (delta == 0.0 || low == high)
      return filterLevel(high, filter, out);
   Texel a, b;
   if (!filterLevel(high, filter, a) || !filterLevel(low, filter, b))
      return false;
   const Color ca = toColor(a), cb = toColor(b);
   Color blend;
   for (int c = 0; c < 4; ++c)
      blend[c] = (1.0 - delta) * ca[c] + delta * cb[c];
   out = fromColor(blend);
   return true;
}

bool
SampleOperation::filterLevel(uint32_t level, Filter filter, Texel &out)
{
   const std::array<uint32_t, 3> size = image_.extent(level);
   // Unnormalized texel coordinates (u, v, w) of this level.
   std::array<double, 3> position{};
   for (uint32_t a = 0; a < axes_; ++a) {
      if (cube_)
         position[a] = (a == 0 ? face_.s : face_.t) * size[a];
      else if (sampler_.unnormalizedCoordinates)
         position[a] = double(request_.coord[a]) + request_.offset[a];
      else
         position[a] = double(request_.coord[a]) * size[a] + request_.offset[a];
   }
   std::array<int64_t, 3> at{};
   if (filter == Filter::Nearest) {
      for (uint32_t a = 0; a < axes_; ++a)
         at[a] = floorToInt(position[a]);
      if (cube_) // the face's own texels: clamp to its edges
         for (uint32_t a = 0; a < 2; ++a)
            at[a] = std::clamp<int64_t>(at[a], 0, std::max<int64_t>(size[a], 1) - 1);
      return texel(at, level, out);
   }
   // Linear: the 2, 4 or 8 texels around the position, weighted by the fractions.
   std::array<double, 3> fraction{};
   for (uint32_t a = 0; a < axes_; ++a) {
      const double p = position[a] - 0.5;
      at[a] = floorToInt(p);
      fraction[a] = std::isnan(p) ? 0.0 : p - std::floor(p);
   }
   Color sum{};
   for (uint32_t corner = 0; corner < (1u << axes_); ++corner) {
      std::array<int64_t, 3> where = at;
      double weight = 1.0;
      for (uint32_t a = 0; a < axes_; ++a) {
         const bool next = (corner >> a) & 1;
         where[a] += next;
         weight *= next ? fraction[a] : 1.0 - fraction[a];
      }
      if (weight == 0.0)
         continue;
      Texel t;
      if (!texel(where, level, t))
         return false;
      const Color c = toColor(t);
      for (int k = 0; k < 4; ++k)
         sum[k] += weight * c[k];
   }
   out = fromColor(sum);
   return true;
}

bool
SampleOperation::texel(const std::array<int64_t, 3> &at, uint32_t level, Texel &out)
{
   if (cube_)
      return cubeTexel(at[0], at[1], level, out);
   const std::array<uint32_t, 3> size = image_.extent(level);
   std::array<int64_t, 3> wrapped{};
   for (uint32_t a = 0; a < axes_; ++a) {
      wrapped[a] = wrapTexelCoordinate(address_[a], at[a], size[a]);
      if (wrapped[a] < 0) {
         out = borderTexel(sampler_.border, image_.kind());
         return true;
      }
   }
   return read(wrapped[0], wrapped[1], wrapped[2], layer_, level, out);
}

bool
SampleOperation::cubeTexel(int64_t i, int64_t j, uint32_t level, Texel &out)
{
   // Cube maps ignore the address modes: texels past an edge come from the
   // neighbouring face, and a corner texel (past two edges) is the average
   // of the three texels that meet there.
   const uint32_t size = image_.extent(level)[0];
   if (size == 0) {
      out = Texel{};
      return true;
   }
   const int64_t last = int64_t(size) - 1;
   const bool outsideI = i < 0 || i > last, outsideJ = j < 0 || j > last;
   const uint32_t face = face_.face;
   if (!outsideI && !outsideJ)
      return read(i, j, 0, layer_ + face, level, out);
   const int32_t ci = int32_t(std::clamp<int64_t>(i, 0, last));
   const int32_t cj = int32_t(std::clamp<int64_t>(j, 0, last));
   if (outsideI != outsideJ) {
      const CubeTexel across = cubeTexelAcrossEdge(face, outsideI ? int32_t(i) : ci, outsideJ ? int32_t(j) : cj, size);
      return read(across.i, across.j, 0, layer_ + across.face, level, out);
   }
   const CubeTexel acrossI = cubeTexelAcrossEdge(face, int32_t(i), cj, size);
   const CubeTexel acrossJ = cubeTexelAcrossEdge(face, ci, int32_t(j), size);
   Texel texels[3];
   if (!read(ci, cj, 0, layer_ + face, level, texels[0]) ||
       !read(acrossI.i, acrossI.j, 0, layer_ + acrossI.face, level, texels[1]) ||
       !read(acrossJ.i, acrossJ.j, 0, layer_ + acrossJ.face, level, texels[2]))
      return false;
   Color average{};
   for (const Texel &t : texels) {
      const Color c = toColor(t);
      for (int k = 0; k < 4; ++k)
         average[k] += c[k] / 3.0;
   }
   out = fromColor(average);
   return true;
}

bool
SampleOperation::read(int64_t x, int64_t y, int64_t z, uint32_t layer, uint32_t level, Texel &out)
{
   // A view smaller than the shader's idea of it (invalid usage) reads zeros.
   const std::array<uint32_t, 3> size = image_.extent(level);
   if (level >= image_.levels() || layer >= image_.layers() || x < 0 || y < 0 || z < 0 || x >= size[0] ||
       y >= size[1] || z >= size[2]) {
      out = Texel{};
      return true;
   }
   return image_.read(uint32_t(x), uint32_t(y), uint32_t(z), layer, level, out);
}

} // namespace

int64_t
wrapTexelCoordinate(AddressMode mode, int64_t i, uint32_t size)
{
   if (size == 0)
      return -1;
   const int64_t n = size;
   auto mirror = [](int64_t a) { return a >= 0 ? a : -(1 + a); };
   auto modulo = [](int64_t a, int64_t m) { return ((a % m) + m) % m; };
   switch (mode) {
   case AddressMode::Repeat: return modulo(i, n);
   case AddressMode::MirroredRepeat: return (n - 1) - mirror(modulo(i, 2 * n) - n);
   case AddressMode::ClampToEdge: return std::clamp<int64_t>(i, 0, n - 1);
   case AddressMode::ClampToBorder: return i < 0 || i >= n ? -1 : i;
   case AddressMode::MirrorClampToEdge: return std::clamp<int64_t>(mirror(i), 0, n - 1);
   }
   return -1;
}

bool
sampleImage(ImageResource &image, const SamplerState &sampler, const SampleRequest &request, Texel &out)
{
   SampleOperation operation(image, sampler, request);
   return operation.run(out);
}

} // namespace panvk::spirv
