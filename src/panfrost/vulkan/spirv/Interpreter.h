// Runs a compute dispatch of a Module on the CPU. Invocations of a workgroup
// run together: each runs to its next OpControlBarrier in turn, so shared
// memory and barriers behave as on a GPU. Buffer memory is reached only
// through GlobalMemory (the mock GPU's MMU in the driver).
//
// Not thread-safe: one Interpreter per executing thread.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>

#include "spirv/Module.h"

namespace panvk::spirv {

// GPU memory by address. False when the access faulted (the dispatch stops).
class GlobalMemory {
public:
   virtual ~GlobalMemory() = default;
   virtual bool read(uint64_t va, void *data, uint64_t size) = 0;
   virtual bool write(uint64_t va, const void *data, uint64_t size) = 0;
   // Calls `update` with the host bytes of the naturally aligned 4 bytes at
   // `va`, which no other access changes meanwhile.
   virtual bool atomic(uint64_t va, const std::function<void(uint32_t &word)> &update) = 0;
};

// A buffer descriptor: the GPU address of its first byte and its range.
struct BufferView {
   uint64_t va = 0;
   uint64_t range = 0;
};

// Descriptor lookup: nullopt when (set, binding, arrayIndex) holds no buffer.
using BufferLookup = std::function<std::optional<BufferView>(uint32_t set, uint32_t binding, uint32_t index)>;

struct DispatchInputs {
   GlobalMemory *memory = nullptr;
   BufferLookup buffers;
   std::span<const uint8_t> pushConstants;
   std::array<uint32_t, 3> baseGroup{0, 0, 0};
   std::array<uint32_t, 3> groupCount{1, 1, 1};
};

class Machine;

class Interpreter {
public:
   explicit Interpreter(std::shared_ptr<const Module> module);
   ~Interpreter();
   // False when the shader faulted or could not go on; error() says why.
   bool dispatch(const DispatchInputs &inputs);
   const std::string &error() const { return error_; }
   // Instructions run by the last dispatch (for benchmarks and tests).
   uint64_t instructionsRun() const { return instructions_; }

private:
   std::shared_ptr<const Module> module_;
   std::unique_ptr<Machine> machine_;
   std::string error_;
   uint64_t instructions_ = 0;
};

} // namespace panvk::spirv
