// A fixture that runs an interpreter test shader with images and samplers
// in set 0 (by binding) and buffers in set 1 (by binding).
#pragma once

#include <map>

#include <gtest/gtest.h>

#include "FakeImage.h"
#include "HostMemory.h"
#include "spirv/Interpreter.h"

namespace panvk::spirv::test {

class ImageDispatch : public ::testing::Test {
protected:
   std::shared_ptr<const Module> build(const std::string &shader,
                                       const std::unordered_map<uint32_t, std::vector<uint32_t>> &spec = {})
   {
      const std::vector<uint32_t> words = loadShader(shader);
      std::string message;
      auto module = Module::build(words.data(), words.size(), "main", spec, message);
      EXPECT_TRUE(module) << shader << ": " << message;
      return module;
   }

   bool run(const std::shared_ptr<const Module> &module, std::array<uint32_t, 3> groups, int32_t push = 0)
   {
      Interpreter interpreter(module);
      DispatchInputs inputs;
      inputs.memory = &memory;
      inputs.buffers = [this](uint32_t set, uint32_t binding, uint32_t index) -> std::optional<BufferView> {
         if (set != 1 || index != 0 || !buffers.count(binding))
            return std::nullopt;
         return buffers.at(binding);
      };
      inputs.images = [this](uint32_t set, uint32_t binding, uint32_t index) -> ImageResource * {
         ++imageLookups;
         auto found = images.find(binding + 1000 * index);
         return set == 0 && found != images.end() ? found->second : nullptr;
      };
      inputs.samplers = [this](uint32_t set, uint32_t binding, uint32_t index) -> const SamplerState * {
         auto found = samplers.find(binding + 1000 * index);
         return set == 0 && found != samplers.end() ? found->second : nullptr;
      };
      inputs.pushConstants = {reinterpret_cast<const uint8_t *>(&push), sizeof(push)};
      inputs.groupCount = groups;
      const bool ok = interpreter.dispatch(inputs);
      error = interpreter.error();
      return ok;
   }

   HostMemory memory;
   std::map<uint32_t, BufferView> buffers;           // set 1, by binding
   std::map<uint32_t, ImageResource *> images;       // set 0, by binding + 1000 * array index
   std::map<uint32_t, const SamplerState *> samplers; // the same
   uint64_t imageLookups = 0;
   std::string error;
};

} // namespace panvk::spirv::test
