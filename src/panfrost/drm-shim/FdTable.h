// The drm-shim's file descriptors. Each open() of a node is a real fd (a
// memfd, so it can be polled, dup'd and closed like any fd) that this table
// maps to its own pan::mock::File, as each open() of a DRM node is its own
// struct drm_file in the kernel: separate handles, VMs and sparse dummy. dup'd
// fds share the File, like a shared open file description; the File (and all
// it owns) is released when the last fd for it is closed.
//
// One mock Device per table, made at the first open. Thread-safe: the mutex
// guards the fd map only, and is never held while the mock runs, because the
// mock's own mmap and fstat calls come back through the intercepts.
#pragma once

#include <sys/types.h>

#include <memory>
#include <mutex>
#include <unordered_map>

#include "Node.h"
#include "mock/Device.h"
#include "mock/File.h"

namespace pan::drmshim {

class FdTable {
public:
   explicit FdTable(const mock::DeviceOptions &options);
   ~FdTable();
   FdTable(const FdTable &) = delete;
   FdTable &operator=(const FdTable &) = delete;

   // The table the intercepts use: device options from the environment
   // (PANTHOR_MOCK_VERSION, PANTHOR_MOCK_MEMORY_MB). Never destroyed, so calls
   // made while the process exits still work.
   static FdTable &process();

   // open() of `node` with open()'s flags (O_CLOEXEC is honoured): a new File
   // behind a new fd. The fd, or -errno (-ENODEV if the device cannot be made).
   int open(const Node &node, int flags);
   // The File behind fd (and which node it was opened as), or nullptr if fd is
   // not a node fd of this table. An fd closed behind the table's back (by a
   // call it does not see) is recognised by its inode and forgotten.
   std::shared_ptr<mock::File> lookup(int fd, const Node **node = nullptr);
   // close() of an fd: forgets it, closes it, and releases the File if no other
   // fd refers to it. Returns what close() returns (errno set on failure).
   int close(int fd);
   // After dup/dup2/dup3/F_DUPFD made `copy` from `original`, `copy` refers to
   // whatever `original` does (to no File if `original` is not a node fd).
   void duplicated(int original, int copy);
   // fds in [first, last] were closed without close() (close_range, closefrom).
   void forgetRange(unsigned first, unsigned last);

   // For tests: the device (nullptr before the first open) and the fd count.
   std::shared_ptr<mock::Device> device();
   size_t fdCount();

private:
   struct Entry {
      std::shared_ptr<mock::File> file;
      const Node *node = nullptr;
      dev_t dev = 0; // identity of the memfd behind the fd
      ino_t ino = 0;
   };

   std::shared_ptr<mock::Device> deviceForOpen();
   void abandonAfterFork();

   const mock::DeviceOptions options_;
   std::mutex deviceMutex_; // making the device (which mmaps: never under mutex_)
   std::shared_ptr<mock::Device> device_;
   std::mutex mutex_;
   std::unordered_map<int, Entry> entries_;
};

} // namespace pan::drmshim
