// The compute commands on the mock GPU: state changes, and dispatches run by
// the SPIR-V interpreter (spirv/Interpreter.h) with every buffer and image
// access made through the MMU (GpuTransfer for reads and writes,
// MockGpu::access for atomics; images through DispatchImages). An unhandled fault or a shader that cannot go on makes the device
// lost, as a GPU job fault would.
#pragma once

#include "ComputeCommands.h"

namespace panvk {

struct ExecContext;

bool execute(ExecContext &context, const CmdBindPipeline &command);
bool execute(ExecContext &context, const CmdBindDescriptorSets &command);
bool execute(ExecContext &context, const CmdPushConstants &command);
bool execute(ExecContext &context, const CmdDispatch &command);
bool execute(ExecContext &context, const CmdDispatchIndirect &command);

} // namespace panvk
