// What an SSA id holds while a shader runs: scalars flattened in declaration
// order, each in a 64-bit slot (integers zero-extended from their width,
// floats as their bit pattern, booleans 0 or 1), or a pointer.
#pragma once

#include <bit>
#include <cstdint>
#include <vector>

namespace panvk::spirv {

// Where a pointer points. Buffer: a GPU address; PushConstant, Workgroup,
// Invocation: an offset in that host memory; DescriptorArray: an array of
// buffer blocks, not yet indexed (address = the variable's id); Image: an
// image, sampler or sampled image variable, or an array of them (address =
// set << 32 | binding, end = the array index, flattened); Texel: a texel of an
// image (OpImageTexelPointer; where is in the pointer Value's components).
enum class Region : uint8_t { None, Buffer, PushConstant, Workgroup, Invocation, DescriptorArray, Image, Texel };

struct Pointer {
   Region region = Region::None;
   uint32_t type = 0;     // pointee type id
   uint64_t address = 0;
   uint64_t end = 0;      // Buffer: end of the descriptor's range (OpArrayLength)
};

struct Value {
   std::vector<uint64_t> c;
   Pointer pointer;
};

inline float asFloat(uint64_t bits) { return std::bit_cast<float>(static_cast<uint32_t>(bits)); }
inline uint64_t floatBits(float value) { return std::bit_cast<uint32_t>(value); }
inline double asDouble(uint64_t bits) { return std::bit_cast<double>(bits); }
inline uint64_t doubleBits(double value) { return std::bit_cast<uint64_t>(value); }

} // namespace panvk::spirv
