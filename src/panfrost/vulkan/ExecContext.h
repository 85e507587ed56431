// What the mock executor's command functions share, and the functions
// themselves (one file per kind: ExecBufferCopy, ExecImageCopy, ExecBlit,
// ExecClear). Each runs one command through `gpu` and returns false when the
// GPU failed (gpu.failure() says where); regions that are out of range
// (invalid usage) are clipped or skipped.
#pragma once

#include "BoxCopy.h"
#include "Commands.h"
#include "GpuTransfer.h"

namespace panvk {

class Device;

struct ExecContext {
   Device &device;
   GpuTransfer &gpu;
   Staging &staging;
};

bool execCopyBuffer(ExecContext &context, const CmdCopyBuffer &command);
bool execFillBuffer(ExecContext &context, const CmdFillBuffer &command);
bool execUpdateBuffer(ExecContext &context, const CmdUpdateBuffer &command);
bool execCopyImage(ExecContext &context, const CmdCopyImage &command);
bool execCopyBufferToImage(ExecContext &context, const CmdCopyBufferToImage &command);
bool execCopyImageToBuffer(ExecContext &context, const CmdCopyImageToBuffer &command);
bool execBlitImage(ExecContext &context, const CmdBlitImage &command);
bool execClearColorImage(ExecContext &context, const CmdClearColorImage &command);
bool execClearDepthStencilImage(ExecContext &context, const CmdClearDepthStencilImage &command);

} // namespace panvk
