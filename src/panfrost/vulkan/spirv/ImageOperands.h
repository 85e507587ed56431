// The optional Image Operands of an image instruction (a mask, then the ids
// its bits call for, in bit order), as the interpreter uses them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace panvk::spirv {

struct ImageOperands {
   uint32_t mask = 0;
   // Ids; 0 when absent.
   uint32_t lod = 0;
   uint32_t gradX = 0, gradY = 0;
   uint32_t offset = 0; // ConstOffset or Offset: both add an integer texel offset
   // False when the mask calls for more ids than the instruction holds.
   bool complete = true;
};

// `first`: the index in `operands` where the mask would be.
ImageOperands decodeImageOperands(const std::vector<uint32_t> &operands, size_t first);

// The index of the Image Operands mask in each image instruction's operands.
constexpr size_t kSampleOperandsAt = 2; // OpImageSampleExplicitLod, OpImageFetch, OpImageRead
constexpr size_t kWriteOperandsAt = 3;  // OpImageWrite

} // namespace panvk::spirv
