#include "spirv/Module.h"

#include <set>

#include "spirv/Legalize.h"
#include "spirv/ModuleParser.h"

namespace panvk::spirv {

std::shared_ptr<const Module>
Module::build(const uint32_t *words, size_t wordCount, const std::string &entryPoint,
              const std::unordered_map<uint32_t, std::vector<uint32_t>> &specialization,
              std::string &error)
{
   try {
      std::vector<uint32_t> legal;
      if (!legalize(words, wordCount, specialization, legal, error))
         return nullptr;
      auto module = std::make_shared<Module>();
      ModuleParser parser(*module, entryPoint);
      if (!parser.parse(legal)) {
         error = parser.error();
         return nullptr;
      }
      return module;
   } catch (const std::exception &e) {
      error = std::string("cannot build the shader: ") + e.what();
      return nullptr;
   }
}

std::vector<BindingUse>
Module::bindings() const
{
   std::set<std::pair<uint32_t, uint32_t>> seen;
   std::vector<BindingUse> uses;
   for (const Variable &v : variables_) {
      if ((v.storage == spv::StorageClassStorageBuffer || v.storage == spv::StorageClassUniform ||
           v.storage == spv::StorageClassUniformConstant) &&
          seen.insert({v.set, v.binding}).second)
         uses.push_back({v.set, v.binding});
   }
   return uses;
}

} // namespace panvk::spirv
