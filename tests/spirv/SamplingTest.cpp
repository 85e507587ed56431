// textureLod and textureGrad: filters, address modes, border colours,
// unnormalized coordinates, mip selection, arrays and cube maps. Texels
// hold where they are: (x, y, z + layer, level + 1), so each expected value
// below is the texel position (or the blend of positions) the Vulkan spec's
// rules give, worked out by hand.
#include <cmath>

#include <gtest/gtest.h>

#include "ImageDispatch.h"

namespace panvk::spirv::test {
namespace {

using F4 = std::array<float, 4>;

enum Which : int32_t { k1D, k2D, k3D, k2DArray, kCube, kCubeArray, k2DInt, k1DArray, k2DOffset, kSeparate };

Texel
where(uint32_t x, uint32_t y, uint32_t z, uint32_t layer, uint32_t level)
{
   return floatTexel(float(x), float(y), float(z + layer), float(level + 1));
}

class SamplingTest : public ImageDispatch {
protected:
   struct Query {
      F4 coord;
      F4 lod;
   };

   // Samples `image` with `sampler` at each (coordinate, lod).
   std::vector<F4> sample(Which which, FakeImage &image, const SamplerState &sampler,
                          const std::vector<std::pair<F4, float>> &at)
   {
      if (!module_)
         module_ = build("sample_lod.comp");
      std::vector<Query> queries;
      for (const auto &[coord, lod] : at)
         queries.push_back({coord, {lod, 0, 0, 0}});
      const uint32_t binding = which == k2DOffset ? 1 : which == kSeparate ? 8 : uint32_t(which);
      images = {{binding, &image}};
      samplers = {{which == kSeparate ? 9u : binding, &sampler}};
      buffers[0] = memory.add(queries);
      buffers[1] = memory.add(std::vector<float>(queries.size() * 4, -7.0f));
      EXPECT_TRUE(run(module_, {uint32_t(queries.size()), 1, 1}, which)) << error;
      EXPECT_EQ(image.writes, 0u);
      return memory.get<F4>(buffers[1]);
   }

   // Samples with gradients: sample_grad.comp, which 0 (2D), 1 (3D), 2 (cube).
   std::vector<F4> sampleGrad(int32_t which, ImageResource &image, const SamplerState &sampler,
                              const std::vector<std::array<F4, 3>> &queries)
   {
      auto module = build("sample_grad.comp");
      images = {{uint32_t(which), &image}};
      samplers = {{uint32_t(which), &sampler}};
      buffers[0] = memory.add(queries);
      buffers[1] = memory.add(std::vector<float>(queries.size() * 4, -7.0f));
      EXPECT_TRUE(run(module, {uint32_t(queries.size()), 1, 1}, which)) << error;
      return memory.get<F4>(buffers[1]);
   }

   static SamplerState nearest(AddressMode mode = AddressMode::Repeat)
   {
      SamplerState s;
      s.address = {mode, mode, mode};
      s.maxLod = 1000.0f;
      return s;
   }
   static SamplerState linear(AddressMode mode = AddressMode::Repeat)
   {
      SamplerState s = nearest(mode);
      s.magFilter = s.minFilter = Filter::Linear;
      return s;
   }

   std::shared_ptr<const Module> module_;
};

void
expectNear(const std::vector<F4> &got, const std::vector<F4> &expected)
{
   ASSERT_EQ(got.size(), expected.size());
   for (size_t i = 0; i < got.size(); ++i)
      for (int c = 0; c < 4; ++c)
         EXPECT_NEAR(got[i][c], expected[i][c], 1e-4) << "query " << i << " lane " << c;
}

TEST_F(SamplingTest, NearestWithEachAddressMode)
{
   FakeImage image(TexelKind::Float, {4, 4, 1});
   image.fill(where);
   // s at texel columns -2, -1, 0, 3, 4, 5 and 10 of a 4-wide image; t on row 1.
   const float s[] = {-0.375f, -0.125f, 0.125f, 0.875f, 1.125f, 1.375f, 2.625f};
   std::vector<std::pair<F4, float>> at;
   for (float x : s)
      at.push_back({{x, 0.375f, 0, 0}, 0.0f});
   const F4 border{0, 0, 0, 0};
   auto column = [](float i) { return F4{i, 1, 0, 1}; };
   struct Case {
      AddressMode mode;
      std::vector<F4> expected;
   };
   const Case cases[] = {
      {AddressMode::Repeat, {column(2), column(3), column(0), column(3), column(0), column(1), column(2)}},
      {AddressMode::MirroredRepeat, {column(1), column(0), column(0), column(3), column(3), column(2), column(2)}},
      {AddressMode::ClampToEdge, {column(0), column(0), column(0), column(3), column(3), column(3), column(3)}},
      {AddressMode::ClampToBorder, {border, border, column(0), column(3), border, border, border}},
      {AddressMode::MirrorClampToEdge, {column(1), column(0), column(0), column(3), column(3), column(3), column(3)}},
   };
   for (const Case &c : cases) {
      SCOPED_TRACE(int(c.mode));
      expectNear(sample(k2D, image, nearest(c.mode), at), c.expected);
   }
   EXPECT_EQ(image.outside, 0u);
}

TEST_F(SamplingTest, BorderColoursForFloatAndIntegerImages)
{
   FakeImage floats(TexelKind::Float, {4, 4, 1}), ints(TexelKind::Sint, {4, 4, 1});
   floats.fill(where);
   ints.fill([](uint32_t x, uint32_t y, uint32_t, uint32_t, uint32_t) { return Texel{{x, y, 5, 6}}; });
   const std::pair<BorderColor, F4> cases[] = {{BorderColor::TransparentBlack, {0, 0, 0, 0}},
                                               {BorderColor::OpaqueBlack, {0, 0, 0, 1}},
                                               {BorderColor::OpaqueWhite, {1, 1, 1, 1}}};
   for (const auto &[border, colour] : cases) {
      SamplerState sampler = linear(AddressMode::ClampToBorder);
      sampler.border = border;
      // Far outside: every texel of the footprint is the border.
      expectNear(sample(k2D, floats, sampler, {{{-0.5f, 0.5f, 0, 0}, 0.0f}}), {colour});
      // Integer images: nearest whatever the filter, the border as integers.
      expectNear(sample(k2DInt, ints, sampler, {{{0.5f, 1.5f, 0, 0}, 0.0f}, {{0.4f, 0.7f, 0, 0}, 0.0f}}),
                 {colour, {1, 2, 5, 6}});
   }
}

TEST_F(SamplingTest, LinearFilteringAndEdges)
{
   FakeImage image(TexelKind::Float, {4, 4, 1});
   image.fill(where);
   // Inside, linear filtering of texels holding their position gives the
   // position minus half a texel: (0.4, 0.7) -> (1.6, 2.8) -> (1.1, 2.3).
   // At s = 0.05 (u = 0.2) the footprint is columns -1 and 0, weights 0.3 and 0.7.
   const std::vector<std::pair<F4, float>> at{{{0.4f, 0.7f, 0, 0}, 0.0f}, {{0.05f, 0.7f, 0, 0}, 0.0f}};
   expectNear(sample(k2D, image, linear(AddressMode::Repeat), at), {{1.1f, 2.3f, 0, 1}, {0.9f, 2.3f, 0, 1}});
   expectNear(sample(k2D, image, linear(AddressMode::ClampToEdge), at), {{1.1f, 2.3f, 0, 1}, {0, 2.3f, 0, 1}});
   expectNear(sample(k2D, image, linear(AddressMode::MirroredRepeat), at), {{1.1f, 2.3f, 0, 1}, {0, 2.3f, 0, 1}});
   expectNear(sample(k2D, image, linear(AddressMode::MirrorClampToEdge), at),
              {{1.1f, 2.3f, 0, 1}, {0, 2.3f, 0, 1}});
   expectNear(sample(k2D, image, linear(AddressMode::ClampToBorder), at),
              {{1.1f, 2.3f, 0, 1}, {0, 0.7f * 2.3f, 0, 0.7f}});
}

TEST_F(SamplingTest, UnnormalizedCoordinates)
{
   FakeImage flat(TexelKind::Float, {4, 4, 1}, 3);
   flat.fill(where);
   SamplerState sampler = nearest(AddressMode::ClampToEdge);
   sampler.unnormalizedCoordinates = true;
   // Texel units, level 0 whatever the lod; Repeat is not allowed and clamps.
   expectNear(sample(k2D, flat, sampler, {{{2.5f, 1.2f, 0, 0}, 0.0f}, {{-3.0f, 3.9f, 0, 0}, 0.0f}, {{9.0f, 0.5f, 0, 0}, 2.0f}}),
              {{2, 1, 0, 1}, {0, 3, 0, 1}, {3, 0, 0, 1}});
   sampler.magFilter = sampler.minFilter = Filter::Linear;
   expectNear(sample(k2D, flat, sampler, {{{2.0f, 1.5f, 0, 0}, 0.0f}}), {{1.5f, 1.0f, 0, 1}});
   sampler.address = {AddressMode::Repeat, AddressMode::Repeat, AddressMode::Repeat};
   expectNear(sample(k2D, flat, sampler, {{{4.5f, 0.5f, 0, 0}, 0.0f}}), {{3, 0, 0, 1}});
   sampler.address = {AddressMode::ClampToBorder, AddressMode::ClampToBorder, AddressMode::ClampToBorder};
   sampler.border = BorderColor::OpaqueWhite;
   expectNear(sample(k2D, flat, sampler, {{{4.5f, 0.5f, 0, 0}, 0.0f}}), {{1, 1, 1, 1}});
}

TEST_F(SamplingTest, MipSelectionNearest)
{
   // 8x8 with levels of 8, 4, 2 and 1 texels; s = 0.5 is column 4, 2, 1, 0.
   FakeImage image(TexelKind::Float, {8, 8, 1}, 4);
   image.fill(where);
   auto level = [](uint32_t l) { return F4{float(4 >> l), float(4 >> l), 0, float(l + 1)}; };
   auto at = [](std::initializer_list<float> lods) {
      std::vector<std::pair<F4, float>> queries;
      for (float lod : lods)
         queries.push_back({{0.5f, 0.5f, 0, 0}, lod});
      return queries;
   };
   SamplerState sampler = nearest();
   // Halves round down; past the last level clamps to it.
   expectNear(sample(k2D, image, sampler, at({-1.0f, 0.4f, 0.5f, 0.6f, 1.5f, 2.7f, 10.0f})),
              {level(0), level(0), level(0), level(1), level(1), level(3), level(3)});
   sampler.mipLodBias = 1.0f; // 0.6 + 1 = 1.6: level 2
   expectNear(sample(k2D, image, sampler, at({0.6f, -0.8f})), {level(2), level(0)});
   sampler.mipLodBias = 0.0f;
   sampler.minLod = 1.0f;
   sampler.maxLod = 2.0f;
   expectNear(sample(k2D, image, sampler, at({0.0f, 1.0f, 3.0f})), {level(1), level(1), level(2)});
}

TEST_F(SamplingTest, MipSelectionLinearAndMagnification)
{
   FakeImage image(TexelKind::Float, {8, 8, 1}, 4);
   image.fill(where);
   SamplerState sampler = nearest();
   sampler.mipmapMode = Filter::Linear;
   // Lane 3 is level + 1, so the blend of two levels shows the lod itself.
   const std::vector<std::pair<F4, float>> at{
      {{0.0f, 0.0f, 0, 0}, 1.25f}, {{0.0f, 0.0f, 0, 0}, 2.5f}, {{0.0f, 0.0f, 0, 0}, -1.0f}, {{0.0f, 0.0f, 0, 0}, 5.0f}};
   expectNear(sample(k2D, image, sampler, at), {{0, 0, 0, 2.25f}, {0, 0, 0, 3.5f}, {0, 0, 0, 1}, {0, 0, 0, 4}});
   // Magnification (lod <= 0) filters with magFilter, minification with minFilter.
   sampler = nearest();
   sampler.magFilter = Filter::Linear;
   const std::vector<std::pair<F4, float>> around{{{0.2f, 0.35f, 0, 0}, 0.0f}, {{0.2f, 0.35f, 0, 0}, 0.25f}};
   expectNear(sample(k2D, image, sampler, around), {{1.1f, 2.3f, 0, 1}, {1, 2, 0, 1}});
}

TEST_F(SamplingTest, OneDimensionalAndThreeDimensional)
{
   FakeImage image1D(TexelKind::Float, {8, 1, 1});
   image1D.fill(where);
   expectNear(sample(k1D, image1D, nearest(), {{{0.3f, 0, 0, 0}, 0.0f}}), {{2, 0, 0, 1}});
   expectNear(sample(k1D, image1D, linear(), {{{0.3f, 0, 0, 0}, 0.0f}}), {{1.9f, 0, 0, 1}});
   FakeImage image3D(TexelKind::Float, {4, 4, 4});
   image3D.fill(where);
   expectNear(sample(k3D, image3D, linear(), {{{0.4f, 0.6f, 0.3f, 0}, 0.0f}}), {{1.1f, 1.9f, 0.7f, 1}});
   expectNear(sample(k3D, image3D, nearest(AddressMode::ClampToEdge), {{{0.4f, 0.6f, 1.3f, 0}, 0.0f}}),
              {{1, 2, 3, 1}});
}

TEST_F(SamplingTest, ArrayLayersRoundToNearestEven)
{
   FakeImage array1D(TexelKind::Float, {8, 1, 1}, 1, 4);
   array1D.fill(where);
   const float layers[] = {1.4f, 1.6f, 2.5f, 0.5f, -3.0f, 9.0f};
   const float expected[] = {1, 2, 2, 0, 0, 3};
   std::vector<std::pair<F4, float>> at;
   std::vector<F4> want;
   for (int i = 0; i < 6; ++i) {
      at.push_back({{0.3f, layers[i], 0, 0}, 0.0f});
      want.push_back({2, 0, expected[i], 1});
   }
   expectNear(sample(k1DArray, array1D, nearest(), at), want);
   FakeImage array2D(TexelKind::Float, {4, 4, 1}, 1, 3);
   array2D.fill(where);
   expectNear(sample(k2DArray, array2D, nearest(), {{{0.3f, 0.3f, 1.5f, 0}, 0.0f}, {{0.3f, 0.3f, 0.5f, 0}, 0.0f}}),
              {{1, 1, 2, 1}, {1, 1, 0, 1}});
}

TEST_F(SamplingTest, CubeFaceSelection)
{
   FakeImage cube(TexelKind::Float, {4, 4, 1}, 1, 6);
   cube.fill(where);
   // On every face sc / |ma| = 0.25 and tc / |ma| = -0.5: s = 0.625, t = 0.25,
   // texel (2, 1). The directions follow the spec's face table; their
   // length does not matter.
   const F4 directions[6] = {{1, 0.5f, -0.25f}, {-1, 0.5f, 0.25f}, {0.25f, 1, -0.5f},
                             {0.25f, -1, 0.5f}, {0.25f, 0.5f, 1}, {-0.25f, 0.5f, -1}};
   std::vector<std::pair<F4, float>> at;
   std::vector<F4> want;
   for (uint32_t face = 0; face < 6; ++face) {
      const F4 &d = directions[face];
      at.push_back({d, 0.0f});
      at.push_back({{3 * d[0], 3 * d[1], 3 * d[2], 0}, 0.0f});
      want.push_back({2, 1, float(face), 1});
      want.push_back({2, 1, float(face), 1});
   }
   expectNear(sample(kCube, cube, nearest(), at), want);
   FakeImage cubes(TexelKind::Float, {4, 4, 1}, 1, 12);
   cubes.fill(where);
   const F4 second{1, 0.5f, -0.25f, 1.0f}, clamped{0.25f, 1, -0.5f, 7.0f};
   expectNear(sample(kCubeArray, cubes, nearest(), {{second, 0.0f}, {clamped, 0.0f}}),
              {{2, 1, 6, 1}, {2, 1, 8, 1}});
   EXPECT_EQ(cube.outside + cubes.outside, 0u);
}

TEST_F(SamplingTest, CubeLinearFilteringCrossesEdges)
{
   // 2x2 faces, every texel of a face holding the face's number.
   FakeImage cube(TexelKind::Float, {2, 2, 1}, 1, 6);
   cube.fill([](uint32_t, uint32_t, uint32_t, uint32_t face, uint32_t) { return floatTexel(float(face), 0, 0, 1); });
   // (1, 0, -0.9) is on +X at s = 0.95, t = 0.5: columns 1 (+X) and 2, which
   // is past the edge, on -Z (face 5), weights 0.6 and 0.4.
   // (1, 0.9, -0.9) is also past the top edge (t = 0.05, rows -1 and 0,
   // weights 0.4 and 0.6): row -1 lies on +Y (face 2); the corner texel is
   // the average of faces 0, 5 and 2.
   const float corner = 0.6f * 0.4f * 2 + 0.4f * 0.4f * (0 + 5 + 2) / 3.0f + 0.4f * 0.6f * 5;
   expectNear(sample(kCube, cube, linear(), {{{1, 0, -0.9f, 0}, 0.0f}, {{1, 0.9f, -0.9f, 0}, 0.0f}}),
              {{2.0f, 0, 0, 1}, {corner, 0, 0, 1}});
   EXPECT_EQ(cube.outside, 0u);
}

TEST_F(SamplingTest, IntegerImagesFilterNearest)
{
   FakeImage ints(TexelKind::Sint, {4, 4, 1}, 2);
   ints.fill([](uint32_t x, uint32_t y, uint32_t, uint32_t, uint32_t level) {
      return Texel{{x, y, uint32_t(-7), level}};
   });
   SamplerState sampler = linear();
   sampler.mipmapMode = Filter::Linear;
   expectNear(sample(k2DInt, ints, sampler, {{{0.4f, 0.7f, 0, 0}, 0.0f}, {{0.4f, 0.7f, 0, 0}, 0.75f}}),
              {{1, 2, -7, 0}, {0, 1, -7, 1}});
}

TEST_F(SamplingTest, ConstOffsetAndSeparateSampler)
{
   FakeImage image(TexelKind::Float, {4, 4, 1});
   image.fill(where);
   // textureLodOffset(..., ivec2(1, -1)): texel (1, 2) + (1, -1).
   expectNear(sample(k2DOffset, image, nearest(), {{{0.375f, 0.625f, 0, 0}, 0.0f}}), {{2, 1, 0, 1}});
   expectNear(sample(kSeparate, image, linear(), {{{0.4f, 0.7f, 0, 0}, 0.0f}}), {{1.1f, 2.3f, 0, 1}});
}

TEST_F(SamplingTest, MissingSamplerFailsTheDispatch)
{
   FakeImage image(TexelKind::Float, {4, 4, 1});
   auto module = build("sample_lod.comp");
   images = {{1, &image}};
   buffers[0] = memory.add(std::vector<float>(8, 0.5f));
   buffers[1] = memory.add(std::vector<float>(4, 0.0f));
   EXPECT_FALSE(run(module, {1, 1, 1}, k2D));
   EXPECT_NE(error.find("no sampler"), std::string::npos) << error;
}

TEST_F(SamplingTest, HostileCoordinatesStayInsideTheImage)
{
   const float nan = std::nanf(""), inf = INFINITY;
   std::vector<std::pair<F4, float>> at;
   for (float x : {nan, inf, -inf, 3e38f, -3e38f, 0.5f})
      for (float lod : {nan, inf, -inf, 0.5f})
         at.push_back({{x, -x, x, x}, lod});
   FakeImage image(TexelKind::Float, {4, 4, 1}, 3), cubes(TexelKind::Float, {4, 4, 1}, 3, 12),
      array(TexelKind::Float, {4, 4, 1}, 3, 2);
   for (AddressMode mode : {AddressMode::Repeat, AddressMode::MirroredRepeat, AddressMode::ClampToEdge,
                            AddressMode::ClampToBorder, AddressMode::MirrorClampToEdge}) {
      SamplerState sampler = linear(mode);
      sampler.mipmapMode = Filter::Linear;
      sample(k2D, image, sampler, at);
      sample(kCubeArray, cubes, sampler, at);
      sample(k2DArray, array, sampler, at);
   }
   EXPECT_EQ(image.outside + cubes.outside + array.outside, 0u);
   EXPECT_GT(image.reads, 0u);
}

TEST_F(SamplingTest, GradientsSelectTheLevel)
{
   FakeImage image(TexelKind::Float, {8, 8, 1}, 4);
   image.fill(where);
   SamplerState sampler = nearest();
   sampler.mipmapMode = Filter::Linear;
   // rho is the longer gradient in level-0 texels; lod = log2(rho).
   const F4 at{0, 0, 0, 0};
   expectNear(sampleGrad(0, image, sampler,
                         {{at, {2.0f / 8, 0, 0, 0}, {0, 0, 0, 0}},
                          {at, {0, 0, 0, 0}, {0, 4.0f / 8, 0, 0}},
                          {at, {3.0f / 8, 4.0f / 8, 0, 0}, {1.0f / 8, 0, 0, 0}},
                          {at, {0.5f / 8, 0, 0, 0}, {0, 0.25f / 8, 0, 0}}}),
              {{0, 0, 0, 2}, {0, 0, 0, 3}, {0, 0, 0, 1 + std::log2(5.0f)}, {0, 0, 0, 1}});
   FakeImage volume(TexelKind::Float, {8, 8, 8}, 4);
   volume.fill(where);
   expectNear(sampleGrad(1, volume, sampler, {{at, {0, 0, 2.0f / 8, 0}, {0, 0, 0, 0}}}), {{0, 0, 0, 2}});
   // Cube: at (1, 0, 0), s = -z / 2 + 1/2, so dz = -0.5 moves s by 0.25 (2
   // texels of 8: lod 1); at (2, 0, 0) by half as much (lod 0).
   FakeImage cube(TexelKind::Float, {8, 8, 1}, 4, 6);
   cube.fill(where);
   expectNear(sampleGrad(2, cube, sampler,
                         {{F4{1, 0, 0, 0}, {0, 0, -0.5f, 0}, {0, 0, 0, 0}},
                          {F4{2, 0, 0, 0}, {0, 0, -0.5f, 0}, {0, 0, 0, 0}}}),
              {{4.0f / 2, 4.0f / 2, 0, 2}, {4, 4, 0, 1}});
}

} // namespace
} // namespace panvk::spirv::test
