// Decodes legalised SPIR-V words into a Module (Module.h), refusing what the
// interpreter does not run.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "spirv/Module.h"

namespace panvk::spirv {

class ModuleParser {
public:
   ModuleParser(Module &module, const std::string &entryPoint) : m_(module), entryPoint_(entryPoint) {}
   // False with error() set.
   bool parse(const std::vector<uint32_t> &words);
   const std::string &error() const { return error_; }

private:
   bool fail(const std::string &why);
   bool global(const Instruction &inst, const uint32_t *words, uint32_t wordCount);
   bool addType(const Instruction &inst);
   bool imageType(const std::vector<uint32_t> &operands, Type &type);
   bool addDescriptorVariable(Variable &variable, Pointer &pointer);
   bool resolveLocalSizeId();
   bool addConstant(const Instruction &inst);
   bool addVariable(const Instruction &inst);
   bool layOut(uint32_t typeId);
   bool finish();
   Value zero(uint32_t typeId) const;

   Module &m_;
   const std::string &entryPoint_;
   std::string error_;
   bool inFunction_ = false;
   bool entryFound_ = false;
   bool collecting_ = false; // inside the entry point's body
   std::unordered_map<uint32_t, std::unordered_map<uint32_t, uint64_t>> memberOffsets_;
   std::unordered_map<uint32_t, uint64_t> arrayStrides_;
   std::unordered_map<uint32_t, uint32_t> sets_, bindings_;
   std::unordered_map<uint32_t, Builtin> builtins_;
   uint32_t workgroupSizeConstant_ = 0;
   std::array<uint32_t, 3> localSizeIds_{}; // LocalSizeId's constants, resolved at the end
   std::unordered_map<uint32_t, std::string> extSets_;
};

// Whether the interpreter runs `op` in a function body.
bool supportedOpcode(spv::Op op);
// Whether it runs GLSL.std.450 instruction `number`.
bool supportedGlslInstruction(uint32_t number);
// Why the interpreter does not run image instruction `inst` (ImageRules.cpp);
// empty if it does or if `inst` is no image instruction.
std::string imageInstructionRefusal(const Instruction &inst);

} // namespace panvk::spirv
