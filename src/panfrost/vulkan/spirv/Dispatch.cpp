// Interpreter and the workgroup scheduler: every invocation of a group runs
// to its next barrier in turn, round after round, until all have returned.
#include <cstring>

#include "spirv/Machine.h"

namespace panvk::spirv {

Interpreter::Interpreter(std::shared_ptr<const Module> module)
   : module_(std::move(module)), machine_(std::make_unique<Machine>(*module_))
{
}

Interpreter::~Interpreter() = default;

bool
Interpreter::dispatch(const DispatchInputs &inputs)
{
   error_.clear();
   instructions_ = 0;
   try {
      return machine_->dispatch(inputs, error_, instructions_);
   } catch (const std::exception &e) {
      error_ = std::string("shader execution failed: ") + e.what();
      return false;
   }
}

Machine::Machine(const Module &module) : module_(module)
{
}

bool
Machine::fail(const std::string &why)
{
   if (error_.empty())
      error_ = why;
   return false;
}

bool
Machine::bindGlobals()
{
   globals_ = module_.constants();
   images_.clear();
   samplers_.clear();
   imageSlots_.clear();
   samplerSlots_.clear();
   for (const Variable &v : module_.variables()) {
      if ((v.storage != spv::StorageClassStorageBuffer && v.storage != spv::StorageClassUniform) ||
          v.descriptorArray)
         continue;
      Pointer &p = globals_[v.id].pointer;
      p = {Region::None, v.type, 0, 0};
      if (!inputs_->buffers)
         continue;
      if (const std::optional<BufferView> view = inputs_->buffers(v.set, v.binding, 0))
         p = {Region::Buffer, v.type, view->va, view->va + view->range};
   }
   return true;
}

void
Machine::startInvocation(Invocation &inv, const std::array<uint32_t, 3> &group,
                         const std::array<uint32_t, 3> &local)
{
   inv.values.resize(module_.idBound());
   inv.memory.assign(module_.invocationMemorySize(), 0);
   inv.pc = 0;
   inv.block = module_.entryLabel();
   inv.previousBlock = 0;
   inv.done = false;
   const auto &size = module_.localSize();
   for (const Variable &v : module_.variables()) {
      if (v.storage == spv::StorageClassPrivate && v.initializer)
         encode(v.type, globals_[v.initializer].c.data(), inv.memory.data() + v.offset, v.offset);
      if (v.builtin == Builtin::None)
         continue;
      uint32_t words[3] = {0, 0, 0};
      for (int i = 0; i < 3; ++i) {
         switch (v.builtin) {
         case Builtin::GlobalInvocationId: words[i] = group[i] * size[i] + local[i]; break;
         case Builtin::LocalInvocationId: words[i] = local[i]; break;
         case Builtin::WorkgroupId: words[i] = group[i]; break;
         case Builtin::NumWorkgroups: words[i] = groupCount_[i]; break;
         case Builtin::LocalInvocationIndex:
            words[0] = (local[2] * size[1] + local[1]) * size[0] + local[0];
            break;
         case Builtin::None: break;
         }
      }
      const uint64_t bytes = std::min<uint64_t>(module_.type(v.type).size, sizeof(words));
      memcpy(inv.memory.data() + v.offset, words, bytes);
   }
   pieces_.clear();
}

bool
Machine::dispatch(const DispatchInputs &inputs, std::string &error, uint64_t &instructions)
{
   inputs_ = &inputs;
   error_.clear();
   instructions_ = 0;
   groupCount_ = inputs.groupCount;
   bindGlobals();
   const auto &size = module_.localSize();
   invocations_.resize(module_.invocationsPerGroup());
   bool ok = true;
   for (uint32_t gz = 0; ok && gz < inputs.groupCount[2]; ++gz) {
      for (uint32_t gy = 0; ok && gy < inputs.groupCount[1]; ++gy) {
         for (uint32_t gx = 0; ok && gx < inputs.groupCount[0]; ++gx) {
            const std::array<uint32_t, 3> group{inputs.baseGroup[0] + gx, inputs.baseGroup[1] + gy,
                                                inputs.baseGroup[2] + gz};
            workgroupMemory_.assign(module_.workgroupMemorySize(), 0);
            uint32_t index = 0;
            for (uint32_t z = 0; z < size[2]; ++z)
               for (uint32_t y = 0; y < size[1]; ++y)
                  for (uint32_t x = 0; x < size[0]; ++x)
                     startInvocation(invocations_[index++], group, {x, y, z});
            // Rounds: each invocation runs to its next barrier or its end.
            bool running = true;
            while (ok && running) {
               running = false;
               for (Invocation &inv : invocations_) {
                  if (inv.done)
                     continue;
                  const Status status = run(inv);
                  if (status == Status::Error) {
                     ok = false;
                     break;
                  }
                  running |= status == Status::Barrier;
               }
            }
         }
      }
   }
   error = error_;
   instructions = instructions_;
   inputs_ = nullptr;
   return ok;
}

Status
Machine::run(Invocation &inv)
{
   const std::vector<Instruction> &code = module_.code();
   Status stop = Status::Done;
   while (true) {
      if (inv.pc >= code.size()) {
         fail("shader ran past the end of its code");
         return Status::Error;
      }
      const Instruction &inst = code[inv.pc++];
      if (++instructions_ > kMaxInstructionsPerDispatch) {
         fail("shader did not finish (instruction limit reached)");
         return Status::Error;
      }
      if (!step(inv, inst, stop))
         return Status::Error;
      if (inv.done)
         return Status::Done;
      if (stop == Status::Barrier)
         return Status::Barrier;
   }
}

bool
Machine::jump(Invocation &inv, uint32_t label)
{
   inv.previousBlock = inv.block;
   inv.block = label;
   inv.pc = module_.blockStart(label);
   // The block's OpPhis read their inputs together, before any is written.
   const std::vector<Instruction> &code = module_.code();
   uint32_t end = inv.pc;
   while (end < code.size() && code[end].op == spv::OpPhi)
      ++end;
   if (end == inv.pc)
      return true;
   phiValues_.resize(end - inv.pc);
   for (uint32_t i = inv.pc; i < end; ++i) {
      const auto &ops = code[i].operands;
      bool found = false;
      for (size_t k = 0; k + 1 < ops.size(); k += 2) {
         if (ops[k + 1] == inv.previousBlock) {
            phiValues_[i - inv.pc] = operand(inv, ops[k]);
            found = true;
            break;
         }
      }
      if (!found)
         return fail("OpPhi without an entry for the block it was reached from");
   }
   for (uint32_t i = inv.pc; i < end; ++i)
      inv.values[code[i].result] = phiValues_[i - inv.pc];
   inv.pc = end;
   return true;
}

} // namespace panvk::spirv
