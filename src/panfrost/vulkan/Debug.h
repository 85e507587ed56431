// PANVK_DEBUG: comma-separated debug flags, read once. "startup" says why no
// device was enumerated; "stats" prints what the kernel side saw when a device
// is destroyed; "all" turns everything on.
#pragma once

#include <cstdint>

namespace panvk {

enum DebugFlag : uint32_t {
   kDebugStartup = 1u << 0,
   kDebugBind = 1u << 1,
   kDebugExec = 1u << 2,
   kDebugStats = 1u << 3,
};

bool debugEnabled(DebugFlag flag);
// printf-style message on stderr, prefixed "panvk: ".
void debugLog(const char *format, ...) __attribute__((format(printf, 1, 2)));
// Always printed: errors a user must see (device lost, kernel failures).
void errorLog(const char *format, ...) __attribute__((format(printf, 1, 2)));

} // namespace panvk
