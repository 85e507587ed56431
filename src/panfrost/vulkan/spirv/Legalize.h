// SPIRV-Tools' part: validation for Vulkan 1.1 and the passes that bring a
// module to the form the interpreter runs (no spec constants, no function
// calls, few Function variables).
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace panvk::spirv {

// False with `error` set if the module is invalid or a pass failed.
bool legalize(const uint32_t *words, size_t wordCount,
              const std::unordered_map<uint32_t, std::vector<uint32_t>> &specialization,
              std::vector<uint32_t> &out, std::string &error);

} // namespace panvk::spirv
