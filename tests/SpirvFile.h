// The SPIR-V words of a shader compiled at build time (tests/meson.build),
// read from `path`; empty when the file is missing.
#pragma once

#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace panvk::test {

inline std::vector<uint32_t>
readSpirvFile(const std::string &path)
{
   std::ifstream file(path, std::ios::binary);
   std::vector<char> bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
   std::vector<uint32_t> words(bytes.size() / 4);
   memcpy(words.data(), bytes.data(), words.size() * 4);
   return words;
}

} // namespace panvk::test
