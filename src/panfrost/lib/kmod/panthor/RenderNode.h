// Finding and opening the panthor render node of the machine.
#pragma once

#include <memory>
#include <string>

#include "kmod/Result.h"
#include "kmod/Transport.h"

namespace pan::kmod {

// Opens `path` as it is (Device::open checks which driver it is), or with an
// empty path the first of /dev/dri/renderD128..191 whose driver is panthor
// (ENODEV if none is).
Result<std::unique_ptr<Transport>> openPanthorRenderNode(const std::string &path);

} // namespace pan::kmod
