// What a path given to an intercepted call names: one of the shim's device
// nodes, something in the fake tree (FakeTree.h) to redirect to, or anything
// else (passed through untouched).
//
// Absolute paths are matched after lexical clean-up ("//" and "/." dropped);
// relative ones only against a directory fd that lies inside the fake tree
// (openat(dirfd(opendir("/dev/dri")), "renderD128") and the like). A relative
// path from the current directory is passed through: chdir is not intercepted.
#pragma once

#include <fcntl.h>

#include <string>

#include "Node.h"

namespace pan::drmshim {

struct ResolvedPath {
   enum class Kind { PassThrough, Node, Redirected };
   Kind kind = Kind::PassThrough;
   const Node *node = nullptr; // Kind::Node
   std::string hostPath;       // Kind::Redirected: the file to use instead
};

// followLinks: a symlink in the fake tree that leads to a node (the
// /dev/dri/by-path links) names the node; lstat-like callers pass false.
ResolvedPath resolvePath(int dirfd, const char *path, bool followLinks = true);

} // namespace pan::drmshim
