#include "spirv/Legalize.h"

#include <spirv-tools/libspirv.hpp>
#include <spirv-tools/optimizer.hpp>

namespace panvk::spirv {

namespace {

// Keeps the first error message SPIRV-Tools reports.
spvtools::MessageConsumer
keepFirstError(std::string &error)
{
   return [&error](spv_message_level_t level, const char *, const spv_position_t &position,
                   const char *message) {
      if (level > SPV_MSG_ERROR || !error.empty())
         return;
      error = std::string(message) + " (word " + std::to_string(position.index) + ")";
   };
}

} // namespace

bool
legalize(const uint32_t *words, size_t wordCount,
         const std::unordered_map<uint32_t, std::vector<uint32_t>> &specialization,
         std::vector<uint32_t> &out, std::string &error)
{
   try {
      std::string message;
      // The device offers VK_KHR_maintenance4, which allows LocalSizeId.
      spvtools::ValidatorOptions options;
      options.SetAllowLocalSizeId(true);
      spvtools::SpirvTools tools(SPV_ENV_VULKAN_1_1);
      tools.SetMessageConsumer(keepFirstError(message));
      if (!tools.Validate(words, wordCount, options)) {
         error = "invalid SPIR-V: " + message;
         return false;
      }
      spvtools::Optimizer optimizer(SPV_ENV_VULKAN_1_1);
      optimizer.SetMessageConsumer(keepFirstError(message));
      optimizer.RegisterPass(spvtools::CreateSetSpecConstantDefaultValuePass(specialization))
         .RegisterPass(spvtools::CreateFreezeSpecConstantValuePass())
         .RegisterPass(spvtools::CreateFoldSpecConstantOpAndCompositePass())
         .RegisterPass(spvtools::CreateInlineExhaustivePass())
         .RegisterPerformancePasses();
      if (!optimizer.Run(words, wordCount, &out, options, true)) {
         error = "SPIR-V legalisation failed: " + message;
         return false;
      }
      return true;
   } catch (const std::exception &e) {
      error = std::string("SPIR-V legalisation failed: ") + e.what();
      return false;
   }
}

} // namespace panvk::spirv
