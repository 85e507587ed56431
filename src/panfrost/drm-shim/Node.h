// The device nodes the drm-shim shows: one panthor GPU with a primary node
// (card0, DRM minor 0) and a render node (renderD128, DRM minor 128).
#pragma once

#include <string_view>

namespace pan::drmshim {

constexpr unsigned kDrmMajor = 226;

struct Node {
   const char *name; // in /dev/dri
   unsigned minor;
};

inline constexpr Node kNodes[] = {{"card0", 0}, {"renderD128", 128}};

// nullptr if `name` is not one of kNodes.
inline const Node *
nodeNamed(std::string_view name)
{
   for (const Node &node : kNodes) {
      if (name == node.name)
         return &node;
   }
   return nullptr;
}

} // namespace pan::drmshim
