// Module building: legalisation, decoding and refusals.
#include <gtest/gtest.h>

#include "HostMemory.h"
#include "spirv/Module.h"

namespace panvk::spirv::test {
namespace {

std::shared_ptr<const Module>
build(const std::string &shader, std::string &error,
      const std::unordered_map<uint32_t, std::vector<uint32_t>> &specialization = {})
{
   const std::vector<uint32_t> words = loadShader(shader);
   return Module::build(words.data(), words.size(), "main", specialization, error);
}

TEST(ModuleTest, BuildsCopyShader)
{
   std::string error;
   auto module = build("copy.comp", error);
   ASSERT_TRUE(module) << error;
   EXPECT_EQ(module->localSize(), (std::array<uint32_t, 3>{64, 1, 1}));
   const std::vector<BindingUse> uses = module->bindings();
   ASSERT_EQ(uses.size(), 2u);
   EXPECT_EQ(uses[0].binding + uses[1].binding, 1u);
}

TEST(ModuleTest, SpecializationSetsWorkgroupSize)
{
   std::string error;
   auto module = build("uniform_spec.comp", error, {{1, {8}}});
   ASSERT_TRUE(module) << error;
   EXPECT_EQ(module->localSize()[0], 8u);
   auto defaults = build("uniform_spec.comp", error);
   ASSERT_TRUE(defaults) << error;
   EXPECT_EQ(defaults->localSize()[0], 1u);
}

TEST(ModuleTest, RefusesWorkgroupsBeyondTheDeviceLimits)
{
   std::string error;
   EXPECT_TRUE(build("uniform_spec.comp", error, {{1, {128}}})) << error;
   EXPECT_FALSE(build("uniform_spec.comp", error, {{1, {129}}}));
   EXPECT_NE(error.find("workgroup"), std::string::npos) << error;
}

TEST(ModuleTest, SharedMemoryIsSized)
{
   std::string error;
   auto module = build("shared.comp", error);
   ASSERT_TRUE(module) << error;
   EXPECT_GE(module->workgroupMemorySize(), 2 * 64 * 4u);
   EXPECT_LE(module->workgroupMemorySize(), kMaxWorkgroupMemory);
}

TEST(ModuleTest, RefusesFloat64)
{
   std::string error;
   EXPECT_FALSE(build("float64.comp", error));
   EXPECT_NE(error.find("capability Float64"), std::string::npos) << error;
}

TEST(ModuleTest, RefusesUnknownEntryPoint)
{
   std::string error;
   const std::vector<uint32_t> words = loadShader("copy.comp");
   EXPECT_FALSE(Module::build(words.data(), words.size(), "other", {}, error));
   EXPECT_NE(error.find("other"), std::string::npos) << error;
}

TEST(ModuleTest, RefusesGarbage)
{
   std::string error;
   const std::vector<uint32_t> words = {0x07230203, 0x00010300, 0, 5, 0, 0xFFFF0001};
   EXPECT_FALSE(Module::build(words.data(), words.size(), "main", {}, error));
   EXPECT_FALSE(error.empty());
   EXPECT_FALSE(Module::build(words.data(), 0, "main", {}, error));
}

} // namespace
} // namespace panvk::spirv::test
