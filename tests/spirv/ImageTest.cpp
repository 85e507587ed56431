// Storage images, texel buffers, queries, texelFetch, image atomics, bounds,
// descriptor arrays of images, refusals and LocalSizeId, against expected
// values written out in the tests.
#include <bit>

#include <gtest/gtest.h>
#include <spirv-tools/libspirv.hpp>

#include "ImageDispatch.h"

namespace panvk::spirv::test {
namespace {

using ImageTest = ImageDispatch;

uint32_t u(int32_t value) { return uint32_t(value); }

TEST_F(ImageTest, Storage2DFloat)
{
   auto module = build("storage_2d.comp");
   ASSERT_TRUE(module);
   FakeImage src(TexelKind::Float, {8, 4, 1}), dst(TexelKind::Float, {8, 4, 1});
   src.fill([](uint32_t x, uint32_t y, uint32_t, uint32_t, uint32_t) {
      return floatTexel(float(x), float(y), float(x * y), 1.5f);
   });
   images = {{0, &src}, {1, &dst}};
   ASSERT_TRUE(run(module, {2, 1, 1})) << error;
   for (uint32_t y = 0; y < 4; ++y) {
      for (uint32_t x = 0; x < 8; ++x) {
         const auto got = floats(dst.at(x, y, 0, 0, 0));
         EXPECT_EQ(got, (std::array<float, 4>{3.0f * x, 3.0f * y, 2.0f * x * y, 3.0f})) << x << "," << y;
      }
   }
   EXPECT_EQ(src.writes, 0u);
   EXPECT_EQ(dst.writes, 32u);
   EXPECT_EQ(src.outside + dst.outside, 0u);
}

TEST_F(ImageTest, Storage1DArrayInt)
{
   auto module = build("storage_1d_array.comp");
   ASSERT_TRUE(module);
   FakeImage src(TexelKind::Sint, {4, 1, 1}, 1, 3), dst(TexelKind::Sint, {4, 1, 1}, 1, 3);
   src.fill([](uint32_t x, uint32_t, uint32_t, uint32_t layer, uint32_t) {
      return Texel{{u(-int32_t(x)), u(int32_t(layer) * 100), 7, 0}};
   });
   images = {{0, &src}, {1, &dst}};
   ASSERT_TRUE(run(module, {1, 3, 1})) << error;
   for (uint32_t layer = 0; layer < 3; ++layer) {
      for (uint32_t x = 0; x < 4; ++x) {
         EXPECT_EQ(dst.at(x, 0, 0, layer, 0).lanes,
                   (std::array<uint32_t, 4>{u(1 - int32_t(x)), u(int32_t(layer) * 100 - 2), 10, layer}));
      }
   }
}

TEST_F(ImageTest, Storage2DArrayUint)
{
   auto module = build("storage_2d_array.comp");
   ASSERT_TRUE(module);
   FakeImage src(TexelKind::Uint, {4, 2, 1}, 1, 3), dst(TexelKind::Uint, {4, 2, 1}, 1, 3);
   src.fill([](uint32_t x, uint32_t y, uint32_t, uint32_t layer, uint32_t) {
      return Texel{{x, y, layer, 0xFFFFFFFFu}};
   });
   images = {{0, &src}, {1, &dst}};
   ASSERT_TRUE(run(module, {2, 1, 3})) << error;
   for (uint32_t layer = 0; layer < 3; ++layer)
      for (uint32_t y = 0; y < 2; ++y)
         for (uint32_t x = 0; x < 4; ++x)
            EXPECT_EQ(dst.at(x, y, 0, layer, 0).lanes,
                      (std::array<uint32_t, 4>{3 * x + layer, 3 * y + layer, 4 * layer, layer - 3}));
}

TEST_F(ImageTest, Storage3D)
{
   auto module = build("storage_3d.comp");
   ASSERT_TRUE(module);
   FakeImage src(TexelKind::Float, {4, 2, 2}), dst(TexelKind::Float, {4, 2, 2});
   src.fill([](uint32_t x, uint32_t y, uint32_t z, uint32_t, uint32_t) {
      return floatTexel(float(x), float(y), float(z), -1.0f);
   });
   images = {{0, &src}, {1, &dst}};
   ASSERT_TRUE(run(module, {2, 1, 1})) << error;
   for (uint32_t z = 0; z < 2; ++z)
      for (uint32_t y = 0; y < 2; ++y)
         for (uint32_t x = 0; x < 4; ++x)
            EXPECT_EQ(floats(dst.at(x, y, z, 0, 0)),
                      (std::array<float, 4>{x + 0.5f, y + 0.5f, z + 0.5f, -0.5f}));
}

TEST_F(ImageTest, StorageCubeFacesAreLayers)
{
   auto module = build("storage_cube.comp");
   ASSERT_TRUE(module);
   FakeImage src(TexelKind::Float, {2, 2, 1}, 1, 6), dst(TexelKind::Float, {2, 2, 1}, 1, 6);
   src.fill([](uint32_t x, uint32_t y, uint32_t, uint32_t face, uint32_t) {
      return floatTexel(float(x), float(y), float(face), 9.0f);
   });
   images = {{0, &src}, {1, &dst}};
   ASSERT_TRUE(run(module, {1, 1, 6})) << error;
   for (uint32_t face = 0; face < 6; ++face)
      for (uint32_t y = 0; y < 2; ++y)
         for (uint32_t x = 0; x < 2; ++x)
            EXPECT_EQ(floats(dst.at(x, y, 0, face, 0)), (std::array<float, 4>{9.0f, float(face), float(y), float(x)}));
}

TEST_F(ImageTest, StorageCubeArrayLayerIsSixCubesPlusFace)
{
   auto module = build("storage_cube_array.comp");
   ASSERT_TRUE(module);
   FakeImage src(TexelKind::Sint, {2, 2, 1}, 1, 12), dst(TexelKind::Sint, {2, 2, 1}, 1, 12);
   src.fill([](uint32_t x, uint32_t y, uint32_t, uint32_t layer, uint32_t) {
      return Texel{{x, y, layer, 1000}};
   });
   images = {{0, &src}, {1, &dst}};
   ASSERT_TRUE(run(module, {1, 1, 12})) << error;
   for (uint32_t layer = 0; layer < 12; ++layer)
      for (uint32_t y = 0; y < 2; ++y)
         for (uint32_t x = 0; x < 2; ++x)
            EXPECT_EQ(dst.at(x, y, 0, layer, 0).lanes,
                      (std::array<uint32_t, 4>{u(-int32_t(x)), u(-int32_t(y)), u(-int32_t(layer)), u(-1000)}));
}

TEST_F(ImageTest, TexelBuffers)
{
   auto module = build("texel_buffers.comp");
   ASSERT_TRUE(module);
   FakeImage uniformTexels(TexelKind::Float, {8, 1, 1}), storageTexels(TexelKind::Uint, {8, 1, 1});
   uniformTexels.fill([](uint32_t x, uint32_t, uint32_t, uint32_t, uint32_t) {
      return floatTexel(x * 0.25f, 1.0f, -2.0f, float(x));
   });
   storageTexels.fill([](uint32_t x, uint32_t, uint32_t, uint32_t, uint32_t) { return Texel{{x, x, x, x}}; });
   images = {{0, &uniformTexels}, {1, &storageTexels}};
   buffers[0] = memory.add(std::vector<float>(4 + 8 * 4, -1.0f));
   ASSERT_TRUE(run(module, {2, 1, 1})) << error;
   const auto out = memory.get<uint32_t>(buffers[0]);
   EXPECT_EQ(out[0], 8u);
   EXPECT_EQ(out[1], 8u);
   for (uint32_t x = 0; x < 8; ++x) {
      EXPECT_EQ(std::bit_cast<float>(out[4 + 4 * x]), x * 0.25f);
      EXPECT_EQ(std::bit_cast<float>(out[4 + 4 * x + 3]), float(x));
      EXPECT_EQ(storageTexels.at(x, 0, 0, 0, 0).lanes, (std::array<uint32_t, 4>{2 * x, x + 10, x + 20, x + 30}));
   }
}

TEST_F(ImageTest, SizeAndLevelQueries)
{
   auto module = build("image_queries.comp");
   ASSERT_TRUE(module);
   FakeImage storage1DArray(TexelKind::Float, {16, 1, 1}, 1, 5);
   FakeImage storage2D(TexelKind::Float, {7, 3, 1});
   FakeImage storage2DArray(TexelKind::Float, {5, 6, 1}, 1, 4);
   FakeImage storage3D(TexelKind::Float, {9, 10, 11});
   FakeImage storageCube(TexelKind::Float, {8, 8, 1}, 1, 6);
   FakeImage storageCubeArray(TexelKind::Float, {4, 4, 1}, 1, 18);
   FakeImage sampled2D(TexelKind::Float, {32, 8, 1}, 5);
   FakeImage sampled2DArray(TexelKind::Float, {10, 20, 1}, 3, 7);
   FakeImage sampledCubeArray(TexelKind::Float, {16, 16, 1}, 4, 12);
   FakeImage sampled3D(TexelKind::Float, {8, 4, 2}, 4);
   FakeImage sampled1D(TexelKind::Float, {64, 1, 1}, 7);
   images = {{0, &storage1DArray}, {1, &storage2D}, {2, &storage2DArray}, {3, &storage3D},
             {4, &storageCube}, {5, &storageCubeArray}, {6, &sampled2D}, {7, &sampled2DArray},
             {8, &sampledCubeArray}, {9, &sampled3D}, {10, &sampled1D}};
   buffers[0] = memory.add(std::vector<int32_t>(29, -1));
   ASSERT_TRUE(run(module, {1, 1, 1}, 1)) << error;
   EXPECT_EQ(memory.get<int32_t>(buffers[0]),
             (std::vector<int32_t>{16, 5, 7, 3, 5, 6, 4, 9, 10, 11, 8, 8, 4, 4, 3,
                                   16, 4, 5, 5, 10, 7, 8, 8, 2, 4, 2, 1, 32, 4}));
   // Level 3 of the 3D image is 1x1x1; the 2D array has no level 3: zeros.
   ASSERT_TRUE(run(module, {1, 1, 1}, 3)) << error;
   const auto atLevel3 = memory.get<int32_t>(buffers[0]);
   EXPECT_EQ(std::vector<int32_t>(atLevel3.begin() + 15, atLevel3.end()),
             (std::vector<int32_t>{4, 1, 5, 0, 0, 0, 2, 2, 2, 1, 1, 1, 8, 4}));
}

TEST_F(ImageTest, TexelFetchWithLevelsAndOffsets)
{
   auto module = build("texel_fetch.comp");
   ASSERT_TRUE(module);
   auto pattern = [](uint32_t x, uint32_t y, uint32_t z, uint32_t layer, uint32_t level) {
      return floatTexel(float(x), float(y), float(z + layer), float(level));
   };
   FakeImage tex2D(TexelKind::Float, {8, 4, 1}, 3), tex3D(TexelKind::Float, {4, 4, 4}, 2),
      tex2DArray(TexelKind::Float, {4, 4, 1}, 2, 3);
   tex2D.fill(pattern);
   tex3D.fill(pattern);
   tex2DArray.fill(pattern);
   images = {{0, &tex2D}, {1, &tex3D}, {2, &tex2DArray}};
   auto fetch = [&](int32_t which, const std::vector<std::array<int32_t, 4>> &queries) {
      buffers[0] = memory.add(queries);
      buffers[1] = memory.add(std::vector<float>(queries.size() * 4, -5.0f));
      EXPECT_TRUE(run(module, {uint32_t(queries.size()), 1, 1}, which)) << error;
      return memory.get<std::array<float, 4>>(buffers[1]);
   };
   using F4 = std::array<float, 4>;
   const F4 zero{0, 0, 0, 0};
   // 2D: level 1 is 4x2, level 2 is 2x1.
   EXPECT_EQ(fetch(0, {{3, 1, 0, 0}, {3, 1, 0, 1}, {1, 0, 0, 2}, {8, 0, 0, 0}, {-1, 0, 0, 0}, {0, 4, 0, 0},
                       {4, 0, 0, 1}, {0, 0, 0, 3}, {0, 0, 0, -1}}),
             (std::vector<F4>{{3, 1, 0, 0}, {3, 1, 0, 1}, {1, 0, 0, 2}, zero, zero, zero, zero, zero, zero}));
   EXPECT_EQ(fetch(1, {{1, 2, 3, 0}, {1, 1, 1, 1}, {0, 0, 4, 0}, {2, 0, 0, 1}}),
             (std::vector<F4>{{1, 2, 3, 0}, {1, 1, 1, 1}, zero, zero}));
   EXPECT_EQ(fetch(2, {{1, 2, 2, 0}, {0, 1, 1, 1}, {0, 0, 3, 0}, {0, 0, -1, 0}}),
             (std::vector<F4>{{1, 2, 2, 0}, {0, 1, 1, 1}, zero, zero}));
   // texelFetchOffset adds (1, 2).
   EXPECT_EQ(fetch(3, {{2, 1, 0, 0}, {6, 1, 0, 0}, {0, 0, 0, 1}}),
             (std::vector<F4>{{3, 3, 0, 0}, {7, 3, 0, 0}, zero}));
   EXPECT_EQ(tex2D.outside + tex3D.outside + tex2DArray.outside, 0u);
}

TEST_F(ImageTest, AtomicsOnR32Uint)
{
   auto module = build("image_atomics.comp");
   ASSERT_TRUE(module);
   FakeImage counters(TexelKind::Uint, {4, 2, 1}), chain(TexelKind::Uint, {2, 1, 1});
   images = {{0, &counters}, {1, &chain}};
   buffers[0] = memory.add(std::vector<uint32_t>(48, 0xDEAD));
   ASSERT_TRUE(run(module, {1, 1, 1})) << error;
   const auto out = memory.get<uint32_t>(buffers[0]);
   for (uint32_t k = 0; k < 4; ++k) {
      // Invocations k, k + 4, k + 8, k + 12 add k + 1, k + 5, k + 9, k + 13.
      EXPECT_EQ(out[k], 0u);
      EXPECT_EQ(out[k + 4], k + 1);
      EXPECT_EQ(out[k + 8], 2 * k + 6);
      EXPECT_EQ(out[k + 12], 3 * k + 15);
      EXPECT_EQ(counters.at(k, 1, 0, 0, 0).lanes[0], 4 * k + 28);
      EXPECT_EQ(counters.at(k, 0, 0, 0, 0).lanes[0], 0u);
   }
   for (uint32_t i = 0; i < 16; ++i) {
      EXPECT_EQ(out[16 + i], i);       // each compare-swap found its index
      EXPECT_EQ(out[32 + i], 1000u);   // out of bounds: 0, nothing changed
   }
   EXPECT_EQ(chain.at(1, 0, 0, 0, 0).lanes[0], 16u);
   EXPECT_EQ(counters.atomics, 16u);
   EXPECT_EQ(counters.outside, 0u);
}

TEST_F(ImageTest, AtomicOnFloatImageFailsTheDispatch)
{
   auto module = build("image_atomics.comp");
   ASSERT_TRUE(module);
   FakeImage counters(TexelKind::Float, {4, 2, 1}), chain(TexelKind::Uint, {2, 1, 1});
   images = {{0, &counters}, {1, &chain}};
   buffers[0] = memory.add(std::vector<uint32_t>(48, 0));
   EXPECT_FALSE(run(module, {1, 1, 1}));
   EXPECT_NE(error.find("image atomic"), std::string::npos) << error;
}

TEST_F(ImageTest, OutOfBoundsReadsZeroAndWritesNothing)
{
   auto module = build("image_bounds.comp");
   ASSERT_TRUE(module);
   FakeImage image(TexelKind::Float, {2, 2, 1}, 1, 2);
   image.fill([](uint32_t x, uint32_t y, uint32_t, uint32_t layer, uint32_t) {
      return floatTexel(float(x), float(y), float(layer), 1.0f);
   });
   images = {{0, &image}};
   const std::vector<std::array<int32_t, 4>> coords{
      {1, 1, 1, 0}, {2, 0, 0, 0}, {0, -1, 0, 0}, {0, 0, 2, 0}, {0, 0, -1, 0}, {INT32_MIN, 0, 0, 0}};
   buffers[0] = memory.add(coords);
   buffers[1] = memory.add(std::vector<float>(coords.size() * 4, -3.0f));
   ASSERT_TRUE(run(module, {uint32_t(coords.size()), 1, 1})) << error;
   const auto loaded = memory.get<std::array<float, 4>>(buffers[1]);
   EXPECT_EQ(loaded[0], (std::array<float, 4>{1, 1, 1, 1}));
   for (size_t i = 1; i < coords.size(); ++i)
      EXPECT_EQ(loaded[i], (std::array<float, 4>{0, 0, 0, 0})) << i;
   EXPECT_EQ(image.writes, 1u);
   EXPECT_EQ(image.outside, 0u);
   for (uint32_t layer = 0; layer < 2; ++layer)
      for (uint32_t y = 0; y < 2; ++y)
         for (uint32_t x = 0; x < 2; ++x) {
            const bool stored = x == 1 && y == 1 && layer == 1;
            const std::array<float, 4> expected =
               stored ? std::array<float, 4>{7, 7, 7, 7} : std::array<float, 4>{float(x), float(y), float(layer), 1};
            EXPECT_EQ(floats(image.at(x, y, 0, layer, 0)), expected);
         }
}

TEST_F(ImageTest, ImageFaultStopsTheDispatch)
{
   auto module = build("storage_2d.comp");
   ASSERT_TRUE(module);
   FakeImage src(TexelKind::Float, {8, 4, 1}), dst(TexelKind::Float, {8, 4, 1});
   src.faulting = true;
   images = {{0, &src}, {1, &dst}};
   EXPECT_FALSE(run(module, {2, 1, 1}));
   EXPECT_NE(error.find("fault"), std::string::npos) << error;
   EXPECT_EQ(dst.writes, 0u);
}

TEST_F(ImageTest, UnboundImageFailsTheDispatch)
{
   auto module = build("storage_2d.comp");
   ASSERT_TRUE(module);
   FakeImage src(TexelKind::Float, {8, 4, 1});
   images = {{0, &src}};
   EXPECT_FALSE(run(module, {2, 1, 1}));
   EXPECT_NE(error.find("holds no image"), std::string::npos) << error;
}

TEST_F(ImageTest, DescriptorArraysOfImages)
{
   auto module = build("image_arrays.comp");
   ASSERT_TRUE(module);
   std::vector<std::unique_ptr<FakeImage>> owned;
   for (uint32_t g = 0; g < 3; ++g) {
      owned.push_back(std::make_unique<FakeImage>(TexelKind::Uint, std::array<uint32_t, 3>{2, 1, 1}));
      images[0 + 1000 * g] = owned.back().get();
      owned.push_back(std::make_unique<FakeImage>(TexelKind::Uint, std::array<uint32_t, 3>{2, 1, 1}));
      owned.back()->fill([g](uint32_t x, uint32_t, uint32_t, uint32_t, uint32_t) {
         return Texel{{10 * g + x, 0, 0, 1}};
      });
      images[1 + 1000 * g] = owned.back().get();
   }
   ASSERT_TRUE(run(module, {3, 1, 1})) << error;
   for (uint32_t g = 0; g < 3; ++g)
      for (uint32_t x = 0; x < 2; ++x)
         EXPECT_EQ(owned[2 * g]->at(x, 0, 0, 0, 0).lanes[0], 11 * g + x) << g << "," << x;
   // One lookup per descriptor and dispatch, however many invocations load it.
   EXPECT_EQ(imageLookups, 6u);
}

TEST_F(ImageTest, RefusesDrefMultisampleAndGather)
{
   const std::pair<const char *, const char *> cases[] = {
      {"refuse_dref.comp", "Dref"}, {"refuse_multisample.comp", "multisampled"}, {"refuse_gather.comp", "gather"}};
   for (const auto &[shader, why] : cases) {
      const std::vector<uint32_t> words = loadShader(shader);
      std::string message;
      EXPECT_FALSE(Module::build(words.data(), words.size(), "main", {}, message)) << shader;
      EXPECT_NE(message.find(why), std::string::npos) << shader << ": " << message;
   }
}

// LocalSizeId (glslang emits it only for SPIR-V 1.6, so the module is
// written out here): x from spec constant 0 (default 2), y and z 1.
constexpr const char *kLocalSizeId = R"(
               OpCapability Shader
               OpMemoryModel Logical GLSL450
               OpEntryPoint GLCompute %main "main" %gid
               OpExecutionModeId %main LocalSizeId %sizeX %one %one
               OpDecorate %gid BuiltIn GlobalInvocationId
               OpDecorate %sizeX SpecId 0
               OpDecorate %words ArrayStride 4
               OpMemberDecorate %Out 0 Offset 0
               OpDecorate %Out Block
               OpDecorate %out DescriptorSet 1
               OpDecorate %out Binding 0
       %void = OpTypeVoid
         %fn = OpTypeFunction %void
       %uint = OpTypeInt 32 0
      %uint3 = OpTypeVector %uint 3
    %inUint3 = OpTypePointer Input %uint3
        %gid = OpVariable %inUint3 Input
      %sizeX = OpSpecConstant %uint 2
        %one = OpConstant %uint 1
       %zero = OpConstant %uint 0
    %hundred = OpConstant %uint 100
      %words = OpTypeRuntimeArray %uint
        %Out = OpTypeStruct %words
     %outPtr = OpTypePointer StorageBuffer %Out
        %out = OpVariable %outPtr StorageBuffer
    %wordPtr = OpTypePointer StorageBuffer %uint
       %main = OpFunction %void None %fn
      %entry = OpLabel
          %g = OpLoad %uint3 %gid
          %x = OpCompositeExtract %uint %g 0
          %p = OpAccessChain %wordPtr %out %zero %x
          %v = OpIAdd %uint %x %hundred
               OpStore %p %v
               OpReturn
               OpFunctionEnd
)";

TEST_F(ImageTest, LocalSizeIdFollowsSpecialization)
{
   spvtools::SpirvTools tools(SPV_ENV_VULKAN_1_1);
   std::vector<uint32_t> words;
   ASSERT_TRUE(tools.Assemble(kLocalSizeId, &words));
   for (const auto &[spec, size] : std::vector<std::pair<std::unordered_map<uint32_t, std::vector<uint32_t>>, uint32_t>>{
           {{}, 2u}, {{{0, {16}}}, 16u}}) {
      std::string message;
      auto module = Module::build(words.data(), words.size(), "main", spec, message);
      ASSERT_TRUE(module) << message;
      EXPECT_EQ(module->localSize(), (std::array<uint32_t, 3>{size, 1, 1}));
      buffers[0] = memory.add(std::vector<uint32_t>(3 * size + 1, 0));
      ASSERT_TRUE(run(module, {3, 1, 1})) << error;
      const auto out = memory.get<uint32_t>(buffers[0]);
      for (uint32_t i = 0; i < 3 * size; ++i)
         EXPECT_EQ(out[i], i + 100);
      EXPECT_EQ(out[3 * size], 0u);
   }
   std::string message;
   EXPECT_FALSE(Module::build(words.data(), words.size(), "main", {{0, {129}}}, message));
   EXPECT_NE(message.find("workgroup"), std::string::npos) << message;
}

} // namespace
} // namespace panvk::spirv::test
