// What the mock executor's transfer commands share, and the commands
// themselves (one file per kind: ExecBufferCopy, ExecImageCopy, ExecBlit,
// ExecClear). Each runs one command through `gpu` and returns false when the
// GPU failed (gpu.failure() says where); regions that are out of range
// (invalid usage) are clipped or skipped. The compute commands are in
// ComputeDispatch.h.
#pragma once

#include "BoxCopy.h"
#include "Commands.h"
#include "ComputeDispatch.h"
#include "GpuTransfer.h"

namespace panvk {

struct ComputeState;

struct ExecContext {
   GpuTransfer &gpu;
   Staging &staging;
   // The running command buffer's compute state (bound pipeline, sets, push constants).
   ComputeState *compute = nullptr;
};

bool execute(ExecContext &context, const CmdCopyBuffer &command);
bool execute(ExecContext &context, const CmdFillBuffer &command);
bool execute(ExecContext &context, const CmdUpdateBuffer &command);
bool execute(ExecContext &context, const CmdCopyImage &command);
bool execute(ExecContext &context, const CmdCopyBufferToImage &command);
bool execute(ExecContext &context, const CmdCopyImageToBuffer &command);
bool execute(ExecContext &context, const CmdBlitImage &command);
bool execute(ExecContext &context, const CmdClearColorImage &command);
bool execute(ExecContext &context, const CmdClearDepthStencilImage &command);

} // namespace panvk
