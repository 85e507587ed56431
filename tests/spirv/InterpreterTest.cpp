// The interpreter on the test shaders, against host reference results.
#include <bit>
#include <cmath>
#include <numeric>

#include <gtest/gtest.h>

#include "HostMemory.h"
#include "spirv/Interpreter.h"

namespace panvk::spirv::test {
namespace {

class InterpreterTest : public ::testing::Test {
protected:
   std::shared_ptr<const Module> build(const std::string &shader,
                                       const std::unordered_map<uint32_t, std::vector<uint32_t>> &spec = {})
   {
      const std::vector<uint32_t> words = loadShader(shader);
      std::string error;
      auto module = Module::build(words.data(), words.size(), "main", spec, error);
      EXPECT_TRUE(module) << shader << ": " << error;
      return module;
   }
   // Runs with set 0 bindings 0.. = `views` (set 1 binding 3 = views[1] too).
   bool run(const std::shared_ptr<const Module> &module, const std::vector<BufferView> &views,
            std::array<uint32_t, 3> groups, std::span<const uint8_t> push = {},
            std::array<uint32_t, 3> base = {0, 0, 0})
   {
      Interpreter interpreter(module);
      DispatchInputs inputs;
      inputs.memory = &memory;
      inputs.buffers = [&views](uint32_t set, uint32_t binding, uint32_t index) -> std::optional<BufferView> {
         if (index != 0)
            return std::nullopt;
         if (set == 1 && binding == 3)
            binding = 1;
         else if (set != 0)
            return std::nullopt;
         if (binding >= views.size())
            return std::nullopt;
         return views[binding];
      };
      inputs.pushConstants = push;
      inputs.groupCount = groups;
      inputs.baseGroup = base;
      const bool ok = interpreter.dispatch(inputs);
      error = interpreter.error();
      instructions = interpreter.instructionsRun();
      return ok;
   }

   HostMemory memory;
   std::string error;
   uint64_t instructions = 0;
};

TEST_F(InterpreterTest, CopiesBuffer)
{
   auto module = build("copy.comp");
   ASSERT_TRUE(module);
   std::vector<uint32_t> words(1000);
   std::iota(words.begin(), words.end(), 7);
   const BufferView src = memory.add(words);
   const BufferView dst = memory.add(std::vector<uint32_t>(1000, 0xDEAD));
   ASSERT_TRUE(run(module, {src, dst}, {16, 1, 1})) << error;
   EXPECT_EQ(memory.get<uint32_t>(dst), words);
   EXPECT_GT(instructions, 1000u);
}

TEST_F(InterpreterTest, FaultStopsTheDispatch)
{
   auto module = build("copy.comp");
   ASSERT_TRUE(module);
   const BufferView src = memory.add(std::vector<uint32_t>(64, 1));
   // A destination range larger than the memory behind it: writes past it fault.
   BufferView dst = memory.add(std::vector<uint32_t>(16, 0));
   dst.range = 64 * 4;
   EXPECT_FALSE(run(module, {src, dst}, {1, 1, 1}));
   EXPECT_NE(error.find("fault"), std::string::npos) << error;
}

TEST_F(InterpreterTest, UnboundDescriptorFails)
{
   auto module = build("copy.comp");
   ASSERT_TRUE(module);
   const BufferView src = memory.add(std::vector<uint32_t>(64, 1));
   EXPECT_FALSE(run(module, {src}, {1, 1, 1}));
   EXPECT_NE(error.find("descriptor"), std::string::npos) << error;
}

uint32_t fbits(float f) { return std::bit_cast<uint32_t>(f); }

TEST_F(InterpreterTest, Arithmetic)
{
   auto module = build("arithmetic.comp");
   ASSERT_TRUE(module);
   constexpr uint32_t kCount = 64;
   std::vector<float> f(kCount * 4);
   std::vector<int32_t> ints(kCount * 4);
   for (uint32_t n = 0; n < kCount; ++n) {
      f[n * 4 + 0] = (float(n) - 30.5f) * 0.37f;
      f[n * 4 + 1] = float(n % 7) * 1.25f - 2.0f;
      f[n * 4 + 2] = float(n) * 0.5f;
      f[n * 4 + 3] = -float(n);
      ints[n * 4 + 0] = int32_t(n * 977) - 20000;
      ints[n * 4 + 1] = int32_t(n * 0x9E3779B9u);
      ints[n * 4 + 2] = int32_t(n % 5) + 1 - (n % 2 ? 7 : 0);
   }
   const BufferView fin = memory.add(f), iin = memory.add(ints);
   const BufferView out = memory.add(std::vector<uint32_t>(kCount * 16, 0));
   ASSERT_TRUE(run(module, {fin, iin, out}, {kCount / 32, 1, 1})) << error;
   const std::vector<uint32_t> r = memory.get<uint32_t>(out);
   for (uint32_t n = 0; n < kCount; ++n) {
      const float x = f[n * 4], y = f[n * 4 + 1];
      const int32_t s = ints[n * 4], t = ints[n * 4 + 2];
      const uint32_t u = uint32_t(ints[n * 4 + 1]);
      const uint32_t *got = &r[n * 16];
      SCOPED_TRACE(n);
      // glslang contracts x * 2.5 + y into an Fma; either rounding is right.
      EXPECT_TRUE(got[0] == fbits(std::fma(x, 2.5f, y)) || got[0] == fbits(x * 2.5f + y));
      EXPECT_EQ(got[1], fbits(std::sqrt(std::fabs(x))));
      EXPECT_EQ(got[2], fbits(std::floor(x) - std::ceil(y)));
      EXPECT_EQ(got[3], uint32_t(int32_t(x * 10.0f)));
      EXPECT_EQ(got[4], uint32_t(s / t));
      EXPECT_EQ(got[5], uint32_t(std::abs(s) % std::abs(t)));
      EXPECT_EQ(got[6], u >> 3);
      EXPECT_EQ(got[7], uint32_t(s >> 2));
      EXPECT_EQ(got[8], u * 2654435761u + 12345u);
      EXPECT_EQ(got[9], uint32_t(std::popcount(u)));
      EXPECT_EQ(got[10], u ? uint32_t(31 - std::countl_zero(u)) : ~0u);
      EXPECT_EQ(got[11], uint32_t(std::min(s, t)));
      EXPECT_EQ(got[12], fbits(float(u)));
      EXPECT_EQ(got[13], fbits(std::fmin(std::fmax(x, -1.0f), 1.0f)));
      EXPECT_EQ(got[14], uint32_t((s << 20) >> 24));
      const float dot = x * 1.0f + y * -2.0f + f[n * 4 + 2] * 0.5f + f[n * 4 + 3] * 4.0f;
      EXPECT_FLOAT_EQ(std::bit_cast<float>(got[15]), dot);
   }
}

TEST_F(InterpreterTest, LoopsAndBranches)
{
   auto module = build("loops.comp");
   ASSERT_TRUE(module);
   std::vector<uint32_t> values(32);
   for (uint32_t i = 0; i < values.size(); ++i)
      values[i] = i * 13 + 1;
   const BufferView data = memory.add(values);
   ASSERT_TRUE(run(module, {data}, {2, 1, 1})) << error;
   const std::vector<uint32_t> got = memory.get<uint32_t>(data);
   for (uint32_t i = 0; i < values.size(); ++i) {
      uint32_t v = values[i], steps = 0;
      while (v > 1 && steps < 1000) {
         v = v % 2 == 0 ? v / 2 : 3 * v + 1;
         ++steps;
      }
      const uint32_t extra = (i % 4 + 1) * 100;
      uint32_t sum = 0;
      for (uint32_t k = 0; k < 64; ++k) {
         if (k % 3 == 0)
            continue;
         if (k > i + 10)
            break;
         sum += k;
      }
      EXPECT_EQ(got[i], steps + extra + sum * 1000) << i;
   }
}

TEST_F(InterpreterTest, SharedMemoryAndBarriers)
{
   auto module = build("shared.comp");
   ASSERT_TRUE(module);
   std::vector<uint32_t> values(256);
   for (uint32_t i = 0; i < values.size(); ++i)
      values[i] = i * i + 3;
   const BufferView src = memory.add(values);
   const BufferView sums = memory.add(std::vector<uint32_t>(4, 0));
   const BufferView reversed = memory.add(std::vector<uint32_t>(256, 0));
   ASSERT_TRUE(run(module, {src, sums, reversed}, {4, 1, 1})) << error;
   const std::vector<uint32_t> gotSums = memory.get<uint32_t>(sums);
   const std::vector<uint32_t> gotReversed = memory.get<uint32_t>(reversed);
   for (uint32_t g = 0; g < 4; ++g) {
      EXPECT_EQ(gotSums[g], std::accumulate(values.begin() + g * 64, values.begin() + g * 64 + 64, 0u));
      for (uint32_t l = 0; l < 64; ++l)
         EXPECT_EQ(gotReversed[g * 64 + l], values[g * 64 + 63 - l]);
   }
}

TEST_F(InterpreterTest, Atomics)
{
   auto module = build("atomics.comp");
   ASSERT_TRUE(module);
   constexpr uint32_t kCount = 128;
   std::vector<uint32_t> values(kCount);
   for (uint32_t i = 0; i < kCount; ++i)
      values[i] = (i * 37 + 11) % 200 + 1;
   std::vector<uint32_t> counters(5 + 16 + 8, 0);
   counters[2] = ~0u; // minValue
   counters[4] = ~0u; // casWinner
   const BufferView src = memory.add(values), counterView = memory.add(counters);
   const BufferView old = memory.add(std::vector<uint32_t>(kCount, 0));
   ASSERT_TRUE(run(module, {src, counterView, old}, {kCount / 32, 1, 1})) << error;
   const std::vector<uint32_t> got = memory.get<uint32_t>(counterView);
   EXPECT_EQ(got[0], std::accumulate(values.begin(), values.end(), 0u));
   EXPECT_EQ(got[1], *std::max_element(values.begin(), values.end()));
   EXPECT_EQ(got[2], *std::min_element(values.begin(), values.end()));
   uint32_t bits = 0;
   std::vector<uint32_t> histogram(8, 0);
   for (uint32_t v : values) {
      bits |= 1u << (v % 32);
      ++histogram[v % 8];
   }
   EXPECT_EQ(got[3], bits);
   EXPECT_LT(got[4], kCount); // some invocation won the swap
   for (uint32_t g = 0; g < 4; ++g)
      EXPECT_EQ(got[5 + g], 32u);
   for (uint32_t b = 0; b < 8; ++b)
      EXPECT_EQ(got[21 + b], histogram[b]);
   // The previous totals are distinct partial sums.
   std::vector<uint32_t> previous = memory.get<uint32_t>(old);
   std::sort(previous.begin(), previous.end());
   EXPECT_EQ(std::adjacent_find(previous.begin(), previous.end()), previous.end());
   EXPECT_EQ(previous[0], 0u);
   EXPECT_GT(memory.atomics, kCount * 5);
}

TEST_F(InterpreterTest, PushConstantsAndTwoDimensions)
{
   auto module = build("push_constants.comp");
   ASSERT_TRUE(module);
   std::vector<float> values(100);
   for (size_t i = 0; i < values.size(); ++i)
      values[i] = float(i) * 0.5f;
   const BufferView src = memory.add(values);
   const BufferView dst = memory.add(std::vector<float>(128, -1.0f));
   struct {
      float scale = 3.0f, offset = -1.0f;
      uint32_t count = 100;
   } push;
   const auto *bytes = reinterpret_cast<const uint8_t *>(&push);
   // 4 x 4 groups of 8 x 2 = 32 x 8 invocations; rows of 32.
   ASSERT_TRUE(run(module, {src, dst}, {4, 4, 1}, {bytes, sizeof(push)})) << error;
   const std::vector<float> got = memory.get<float>(dst);
   for (size_t i = 0; i < 128; ++i)
      EXPECT_EQ(got[i], i < 100 ? values[i] * 3.0f - 1.0f : -1.0f) << i;
}

TEST_F(InterpreterTest, UniformBufferSpecializationAndBaseGroup)
{
   auto module = build("uniform_spec.comp", {{0, {3}}, {1, {4}}});
   ASSERT_TRUE(module);
   // std140: vec4 rows[4] at 0, bias at 64.
   std::vector<float> table(17, 0.0f);
   for (int r = 0; r < 4; ++r)
      table[r * 4 + 1] = float(10 * r + 5);
   reinterpret_cast<uint32_t &>(table[16]) = 1000;
   const BufferView ubo = memory.add(table);
   const BufferView dst = memory.add(std::vector<uint32_t>(4 * 16, 0));
   ASSERT_TRUE(run(module, {ubo, dst}, {2, 1, 1}, {}, {2, 0, 0})) << error;
   const std::vector<uint32_t> got = memory.get<uint32_t>(dst);
   // Groups 2 and 3 of 4 invocations: global ids 8..15 land at those indices.
   for (uint32_t i = 0; i < 16; ++i) {
      if (i < 8) {
         EXPECT_EQ(got[i * 4], 0u);
         continue;
      }
      EXPECT_EQ(got[i * 4 + 0], i * 3 + 1000) << i;
      EXPECT_EQ(got[i * 4 + 1], 10 * (i % 4) + 5) << i;
      EXPECT_EQ(got[i * 4 + 2], i / 4) << i;
      EXPECT_EQ(got[i * 4 + 3], i % 4) << i;
   }
}

TEST_F(InterpreterTest, StructsArraysAndSwizzles)
{
   auto module = build("structs.comp");
   ASSERT_TRUE(module);
   // std430 Item: vec3 at 0, uint at 12, ivec2 at 16, float[3] at 24 (stride 4); aligned
   // like its vec3 (16), so the array stride is 48.
   struct Item {
      float position[3];
      uint32_t id;
      int32_t range[2];
      float weights[3];
      uint32_t pad[3];
   };
   static_assert(sizeof(Item) == 48);
   std::vector<Item> items(4);
   for (uint32_t i = 0; i < 4; ++i)
      items[i] = {{float(i), float(i) + 0.5f, -float(i)}, 100 + i, {int32_t(i), -int32_t(i) - 1},
                  {1.0f * i, 2.0f * i, 3.0f * i}, {0xABCD, 0xABCD, 0xABCD}};
   const BufferView src = memory.add(items);
   const BufferView dst = memory.add(std::vector<Item>(4, Item{{0, 0, 0}, 0, {0, 0}, {0, 0, 0}, {0x5555, 0x5555, 0x5555}}));
   ASSERT_TRUE(run(module, {src, dst}, {1, 1, 1})) << error;
   const std::vector<Item> got = memory.get<Item>(dst);
   for (uint32_t i = 0; i < 4; ++i) {
      SCOPED_TRACE(i);
      EXPECT_EQ(got[i].position[0], items[i].position[2] * 2);
      EXPECT_EQ(got[i].position[2], items[i].position[0] * 2);
      EXPECT_EQ(got[i].id, 100 + 2 * i);
      EXPECT_EQ(got[i].range[0], items[i].range[1]);
      EXPECT_EQ(got[i].range[1], items[i].range[0]);
      for (int k = 0; k < 3; ++k)
         EXPECT_EQ(got[i].weights[k], items[i].weights[2 - k] + float(k));
      EXPECT_EQ(got[i].pad[0], 0x5555u); // padding is never written
   }
}

TEST_F(InterpreterTest, ArrayOfBufferBlocks)
{
   auto module = build("descriptor_array.comp");
   ASSERT_TRUE(module);
   std::vector<uint32_t> values(8);
   std::iota(values.begin(), values.end(), 3);
   const BufferView first = memory.add(values);
   const BufferView second = memory.add(std::vector<uint32_t>(10, 0));
   Interpreter interpreter(module);
   DispatchInputs inputs;
   inputs.memory = &memory;
   inputs.buffers = [&](uint32_t set, uint32_t binding, uint32_t index) -> std::optional<BufferView> {
      if (set != 0 || binding != 0 || index > 1)
         return std::nullopt;
      return index == 0 ? first : second;
   };
   ASSERT_TRUE(interpreter.dispatch(inputs)) << interpreter.error();
   const std::vector<uint32_t> got = memory.get<uint32_t>(second);
   for (uint32_t i = 0; i < 8; ++i)
      EXPECT_EQ(got[i], values[i] * 2 + 10) << i;
   EXPECT_EQ(got[8], 0u);
}

} // namespace
} // namespace panvk::spirv::test
