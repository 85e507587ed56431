// The file descriptors the syncobj ioctls hand out, process-wide.
//
// HANDLE_TO_FD returns a real fd (a memfd named "drm-syncobj") and records
// "this file -> that syncobj" here, keyed by the file's identity (st_dev,
// st_ino), so the fd, any dup() of it, or the same fd seen by another
// SyncobjTable imports the very same Syncobj. EXPORT_SYNC_FILE does the same
// with a memfd named "sync_file" and a Fence. Such a sync_file is only good for
// importing back: it cannot be poll()ed like the kernel's.
//
// As the kernel's file does, an entry keeps its object alive while the fd is
// open. Nothing tells us when the user closes it, so entries whose file is no
// longer open anywhere in the process are dropped at the next export.
#pragma once

#include <memory>

#include "mock/Fence.h"
#include "mock/Syncobj.h"

namespace pan::mock {

// 0 and *fd, or -errno (e.g. -EMFILE).
int exportSyncobjFd(std::shared_ptr<Syncobj> syncobj, int *fd);
// nullptr when `fd` is not open or is not an exported syncobj.
std::shared_ptr<Syncobj> importSyncobjFd(int fd);

int exportSyncFileFd(std::shared_ptr<Fence> fence, int *fd);
std::shared_ptr<Fence> importSyncFileFd(int fd);

} // namespace pan::mock
