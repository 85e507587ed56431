// The files that stand in for /dev/dri and the GPU's sysfs entries: a real
// directory tree, made once per process in $TMPDIR (or /tmp) and removed at
// exit, which path-taking intercepts redirect to. Being real files, it answers
// readdir, readlink, realpath, fopen/getline and fscanf exactly as sysfs would,
// with no further interception.
//
// What it holds is what libdrm reads to recognise a platform DRM device
// (drmGetDevice2, drmGetDeviceNameFromFd2, drmGetRenderDeviceNameFromFd): a
// Mali-G610 at fb000000.gpu (an RK3588), bound to the panthor driver, with its
// two DRM minors. /dev/dri/card0 and renderD128 are placeholders here: opening
// or stat()ing them is answered by the shim itself.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "Node.h"

namespace pan::drmshim {

class FakeTree {
public:
   // The process's tree, made on first call; nullptr if it cannot be made
   // (reported once on stderr).
   static const FakeTree *get();
   // The tree if it was already made, without making it.
   static const FakeTree *ifMade();

   // Whether a normalised absolute path lies in the part of the file system
   // the tree replaces.
   static bool replaces(std::string_view virtualPath);

   const std::string &root() const { return root_; }
   std::string hostPath(std::string_view virtualPath) const;
   // The path a host path inside the tree stands for ("<root>/sys/x" -> "/sys/x").
   std::optional<std::string> virtualPath(std::string_view hostPath) const;
   std::string placeholder(const Node &node) const;

private:
   explicit FakeTree(std::string root) : root_(std::move(root)) {}
   static FakeTree *make();

   std::string root_;
};

} // namespace pan::drmshim
