// A compute shader ready to run: SPIR-V validated and legalised by
// SPIRV-Tools (specialization constants frozen, functions inlined, dead code
// removed), then decoded into types with their memory layouts, constants,
// global variables and the entry point's instructions.
//
// Building refuses (with a message) every module that uses something the
// interpreter does not run, so what is accepted is executed faithfully.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

// For spv::HasResultAndType.
#ifndef SPV_ENABLE_UTILITY_CODE
#define SPV_ENABLE_UTILITY_CODE
#endif
#include <spirv/unified1/spirv.hpp>

#include "spirv/Value.h"

namespace panvk::spirv {

enum class TypeKind : uint8_t {
   Void, Bool, Int, Float, Vector, Array, RuntimeArray, Struct, Pointer, Function,
   Image, Sampler, SampledImage
};

// What an OpTypeImage declares that the interpreter acts on (Image and
// SampledImage types). Multisampled images are refused.
struct ImageShape {
   spv::Dim dim = spv::Dim2D;
   bool arrayed = false;
};

// Opaque values (images, samplers, sampled images) are two components:
// the dispatch's slot of the image and of the sampler, each + 1 (0: none).
constexpr uint32_t kOpaqueComponents = 2;

struct Type {
   TypeKind kind = TypeKind::Void;
   uint32_t width = 0;   // bits, Int and Float
   bool isSigned = false;
   // Vector, Array, RuntimeArray: element type; Pointer: pointee; Image: sampled
   // type; SampledImage: image type
   uint32_t element = 0;
   ImageShape image; // Image, SampledImage
   uint32_t length = 0;  // Vector and Array
   std::vector<uint32_t> members;
   spv::StorageClass storage = spv::StorageClassFunction; // Pointer
   // Scalars in the flattened value (Value::c); 0 for runtime arrays.
   uint32_t components = 0;
   std::vector<uint32_t> memberFirst; // Struct: first component of each member
   // Memory layout: Offset / ArrayStride decorations where present, packed otherwise.
   uint64_t size = 0;
   uint64_t stride = 0; // arrays
   std::vector<uint64_t> offsets; // Struct members
   bool hasStride = false;
};

struct Instruction {
   spv::Op op = spv::OpNop;
   uint32_t type = 0;   // result type id, 0 if none
   uint32_t result = 0; // result id, 0 if none
   std::vector<uint32_t> operands;
};

enum class Builtin : uint8_t { None, GlobalInvocationId, LocalInvocationId, WorkgroupId, NumWorkgroups, LocalInvocationIndex };

struct Variable {
   uint32_t id = 0;
   uint32_t type = 0; // pointee type
   spv::StorageClass storage = spv::StorageClassFunction;
   uint64_t offset = 0; // Private/Function/Input: in the invocation's memory; Workgroup: in the group's
   uint32_t set = 0, binding = 0; // StorageBuffer / Uniform / UniformConstant
   bool descriptorArray = false; // an array of buffer blocks or of images / samplers
   uint32_t initializer = 0;
   Builtin builtin = Builtin::None;
};

struct BindingUse {
   uint32_t set = 0;
   uint32_t binding = 0;
};

class Module {
public:
   // Null and `error` set when the module cannot be run. `specialization`
   // maps a SpecId to its value's words.
   static std::shared_ptr<const Module>
   build(const uint32_t *words, size_t wordCount, const std::string &entryPoint,
         const std::unordered_map<uint32_t, std::vector<uint32_t>> &specialization, std::string &error);

   const Type &type(uint32_t id) const { return types_.at(id); }
   bool isType(uint32_t id) const { return id < typeDefined_.size() && typeDefined_[id]; }
   // The type of result id `id` (0 if it has none).
   uint32_t typeOf(uint32_t id) const { return id < typeOf_.size() ? typeOf_[id] : 0; }
   uint32_t idBound() const { return idBound_; }
   const std::array<uint32_t, 3> &localSize() const { return localSize_; }
   uint32_t invocationsPerGroup() const { return localSize_[0] * localSize_[1] * localSize_[2]; }
   const std::vector<Instruction> &code() const { return code_; }
   // Index in code() of the instruction after the block's label.
   // kNoBlock for an id that is no label.
   uint32_t blockStart(uint32_t label) const { return label < blocks_.size() ? blocks_[label] : kNoBlock; }
   static constexpr uint32_t kNoBlock = UINT32_MAX;
   // Values known before running: constants and the pointers of variables
   // that live in invocation or workgroup memory; empty Values elsewhere.
   const std::vector<Value> &constants() const { return constants_; }
   const std::vector<uint8_t> &isConstant() const { return isConstant_; }
   const std::vector<Variable> &variables() const { return variables_; }
   uint64_t invocationMemorySize() const { return invocationMemory_; }
   uint64_t workgroupMemorySize() const { return workgroupMemory_; }
   uint32_t glslSet() const { return glslSet_; }
   uint32_t entryFunction() const { return entryFunction_; }
   uint32_t entryLabel() const { return entryLabel_; }
   std::vector<BindingUse> bindings() const;

private:
   friend class ModuleParser;
   uint32_t idBound_ = 0;
   std::array<uint32_t, 3> localSize_{1, 1, 1};
   // By id (vectors: the interpreter looks them up for every instruction).
   std::vector<Type> types_;
   std::vector<uint8_t> typeDefined_;
   std::vector<Instruction> code_;
   std::vector<uint32_t> blocks_; // by label id; kNoBlock for other ids
   std::vector<Value> constants_;
   std::vector<uint8_t> isConstant_;
   std::vector<uint32_t> typeOf_;
   std::vector<Variable> variables_;
   uint64_t invocationMemory_ = 0;
   uint64_t workgroupMemory_ = 0;
   uint32_t glslSet_ = 0;
   uint32_t entryFunction_ = 0;
   uint32_t entryLabel_ = 0;
};

// The device's limits: maxComputeSharedMemorySize, maxComputeWorkGroupSize and
// maxComputeWorkGroupInvocations. Modules beyond them are refused.
constexpr uint64_t kMaxWorkgroupMemory = 16384;
constexpr std::array<uint32_t, 3> kMaxWorkgroupSize{128, 128, 64};
constexpr uint32_t kMaxWorkgroupInvocations = 128;

} // namespace panvk::spirv
