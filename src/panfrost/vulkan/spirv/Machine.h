// The interpreter's inner part: invocations' state and the execution of
// instructions (Execute.cpp: control flow, memory, composites;
// Arithmetic.cpp; Glsl450.cpp; MemoryAccess.cpp: loads, stores, atomics;
// Image.cpp and ImageQuery.cpp: images, samplers, texel pointers).
#pragma once

#include <array>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "spirv/Interpreter.h"

namespace panvk::spirv {

struct Invocation {
   std::vector<Value> values;
   std::vector<uint8_t> memory; // Private, Function and Input variables
   uint32_t pc = 0;
   uint32_t block = 0;
   uint32_t previousBlock = 0;
   bool done = false;
};

enum class Status : uint8_t { Done, Barrier, Error };

class Machine {
public:
   explicit Machine(const Module &module);
   bool dispatch(const DispatchInputs &inputs, std::string &error, uint64_t &instructions);

private:
   bool bindGlobals();
   void startInvocation(Invocation &inv, const std::array<uint32_t, 3> &group,
                        const std::array<uint32_t, 3> &local);
   Status run(Invocation &inv);
   bool step(Invocation &inv, const Instruction &inst, Status &stop);
   bool jump(Invocation &inv, uint32_t label);

   const Value &operand(const Invocation &inv, uint32_t id) const
   {
      return module_.isConstant()[id] ? globals_[id] : inv.values[id];
   }
   Value &result(Invocation &inv, const Instruction &inst, uint32_t components)
   {
      Value &v = inv.values[inst.result];
      v.c.resize(components);
      return v;
   }
   uint32_t componentsOf(uint32_t typeId) const { return module_.type(typeId).components; }

   // Execute.cpp
   bool composite(Invocation &inv, const Instruction &inst);
   bool accessChain(Invocation &inv, const Instruction &inst);
   // Arithmetic.cpp: false for an opcode it does not know.
   bool arithmetic(Invocation &inv, const Instruction &inst);
   // Glsl450.cpp
   bool glsl(Invocation &inv, const Instruction &inst);
   // MemoryAccess.cpp
   bool load(Invocation &inv, const Pointer &pointer, Value &out);
   bool store(Invocation &inv, const Pointer &pointer, const Value &value);
   bool atomic(Invocation &inv, const Instruction &inst);
   uint8_t *hostBytes(Invocation &inv, const Pointer &pointer, uint64_t size);
   void decode(uint32_t typeId, const uint8_t *bytes, uint64_t *out) const;
   void encode(uint32_t typeId, const uint64_t *in, uint8_t *bytes, uint64_t offset);
   bool fail(const std::string &why);
   // Image.cpp
   bool loadDescriptor(const Pointer &pointer, Value &out);
   bool image(Invocation &inv, const Instruction &inst);
   bool imageRead(Invocation &inv, const Instruction &inst, bool fetch);
   bool imageWrite(Invocation &inv, const Instruction &inst);
   bool imageSample(Invocation &inv, const Instruction &inst);
   bool texelPointer(Invocation &inv, const Instruction &inst);
   // Runs `update` on the texel a Region::Texel pointer value points to;
   // false (with the error set) on a fault.
   bool texelAtomic(const Value &pointer, const std::function<void(uint32_t &word)> &update);
   // The image of an opaque value; null (with the error set) when its
   // descriptor holds none.
   ImageResource *boundImage(const Value &handle);
   // The instruction's result: the texel's first lanes, as many as its type has.
   void texelResult(Invocation &inv, const Instruction &inst, const Texel &texel);
   // ImageQuery.cpp
   bool imageQuery(Invocation &inv, const Instruction &inst);

   const Module &module_;
   const DispatchInputs *inputs_ = nullptr;
   std::vector<Value> globals_;
   std::vector<Invocation> invocations_;
   std::vector<uint8_t> workgroupMemory_;
   std::vector<uint8_t> scratch_;
   std::vector<std::pair<uint64_t, uint64_t>> pieces_; // byte runs an encode() wrote
   std::vector<Value> phiValues_;
   // Images and samplers the dispatch's shaders loaded, by slot (opaque
   // values hold slot + 1), and the slot of each (set, binding, index).
   std::vector<ImageResource *> images_;
   std::vector<const SamplerState *> samplers_;
   std::map<std::array<uint32_t, 3>, uint32_t> imageSlots_, samplerSlots_;
   std::array<uint32_t, 3> groupCount_{};
   uint64_t instructions_ = 0;
   std::string error_;
};

// A dispatch stops after this many instructions (a shader that never ends;
// a GPU's job timeout).
constexpr uint64_t kMaxInstructionsPerDispatch = 1ull << 36;

} // namespace panvk::spirv
