// What stat() says about a device node of the shim: a character device
// (major 226, the node's minor), rw for everyone, owned by root, on devtmpfs.
// stat(path), fstat(fd) and statx agree, so programs that compare st_rdev (or
// st_dev and st_ino) of a path and an fd find the same node.
#pragma once

#include <sys/stat.h>

#include "Node.h"

namespace pan::drmshim {

void fillNodeStat(const Node &node, struct stat *buf);
void fillNodeStatx(const Node &node, struct statx *buf);

} // namespace pan::drmshim
