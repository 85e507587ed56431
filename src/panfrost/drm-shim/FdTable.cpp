#include "FdTable.h"

#include <fcntl.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "RealLibc.h"

namespace pan::drmshim {

namespace {

bool
identity(int fd, dev_t *dev, ino_t *ino)
{
   struct stat st;
   if (real::fstat(fd, &st) != 0)
      return false;
   *dev = st.st_dev;
   *ino = st.st_ino;
   return true;
}

} // namespace

FdTable::FdTable(const mock::DeviceOptions &options) : options_(options) {}

FdTable::~FdTable() = default;

FdTable &
FdTable::process()
{
   static FdTable *table = [] {
      auto *created = new FdTable(mock::DeviceOptions::fromEnvironment());
      // A forked child shares the parent's memory arena (a MAP_SHARED memfd)
      // but not its allocator: it must not keep using the parent's device.
      pthread_atfork(
         [] {
            process().deviceMutex_.lock();
            process().mutex_.lock();
         },
         [] {
            process().mutex_.unlock();
            process().deviceMutex_.unlock();
         },
         [] {
            process().mutex_.unlock();
            process().deviceMutex_.unlock();
            process().abandonAfterFork();
         });
      return created;
   }();
   return *table;
}

// In a forked child: the fds inherited from the parent become plain memfds
// (their ioctls fail with ENOTTY) and the next open makes a device of the
// child's own. The parent's objects are leaked, not destroyed: their locks may
// have been held by threads that do not exist in the child.
void
FdTable::abandonAfterFork()
{
   struct Abandoned {
      std::shared_ptr<mock::Device> device;
      std::unordered_map<int, Entry> entries;
   };
   [[maybe_unused]] static Abandoned *abandoned = nullptr; // reachable: leak checkers stay quiet
   abandoned = new Abandoned{std::move(device_), std::move(entries_)};
   device_.reset();
   entries_.clear();
}

std::shared_ptr<mock::Device>
FdTable::deviceForOpen()
{
   std::lock_guard lock(deviceMutex_);
   if (!device_) {
      device_ = mock::Device::create(options_);
      if (!device_) {
         const char *version = getenv("PANTHOR_MOCK_VERSION");
         const char *memory = getenv("PANTHOR_MOCK_MEMORY_MB");
         fprintf(stderr,
                 "panthor drm-shim: cannot create the mock device (PANTHOR_MOCK_VERSION=%s, "
                 "PANTHOR_MOCK_MEMORY_MB=%s)\n",
                 version ? version : "unset", memory ? memory : "unset");
      }
   }
   return device_;
}

int
FdTable::open(const Node &node, int flags)
{
   try {
      std::shared_ptr<mock::Device> device = deviceForOpen();
      if (!device)
         return -ENODEV;
      const std::string name = std::string("panthor-mock-") + node.name;
      const int fd = memfd_create(name.c_str(), (flags & O_CLOEXEC) ? MFD_CLOEXEC : 0);
      if (fd < 0)
         return -errno;
      Entry entry{device->open(), &node};
      if (!identity(fd, &entry.dev, &entry.ino)) {
         const int error = errno;
         real::close(fd);
         return -error;
      }
      Entry replaced; // a stale entry for the same number: released after unlocking
      {
         std::lock_guard lock(mutex_);
         Entry &slot = entries_[fd];
         replaced = std::move(slot);
         slot = std::move(entry);
      }
      return fd;
   } catch (const std::bad_alloc &) {
      return -ENOMEM;
   }
}

std::shared_ptr<mock::File>
FdTable::lookup(int fd, const Node **node)
{
   if (fd < 0)
      return nullptr;
   Entry entry;
   {
      std::lock_guard lock(mutex_);
      auto it = entries_.find(fd);
      if (it == entries_.end())
         return nullptr;
      entry = it->second;
   }
   dev_t dev;
   ino_t ino;
   if (!identity(fd, &dev, &ino) || dev != entry.dev || ino != entry.ino) {
      Entry stale;
      {
         std::lock_guard lock(mutex_);
         auto it = entries_.find(fd);
         if (it != entries_.end() && it->second.file == entry.file) {
            stale = std::move(it->second);
            entries_.erase(it);
         }
      }
      return nullptr;
   }
   if (node)
      *node = entry.node;
   return entry.file;
}

int
FdTable::close(int fd)
{
   Entry closed;
   {
      std::lock_guard lock(mutex_);
      auto it = entries_.find(fd);
      if (it != entries_.end()) {
         closed = std::move(it->second);
         entries_.erase(it);
      }
   }
   // The number stays ours until this close returns, so no other thread can
   // have opened a node fd with it in between.
   return real::close(fd);
}

void
FdTable::duplicated(int original, int copy)
{
   if (original == copy || copy < 0)
      return;
   Entry replaced;
   std::lock_guard lock(mutex_);
   auto target = entries_.find(copy);
   if (target != entries_.end()) {
      replaced = std::move(target->second);
      entries_.erase(target);
   }
   auto it = entries_.find(original);
   if (it == entries_.end())
      return;
   try {
      Entry shared = it->second;
      entries_.emplace(copy, std::move(shared));
   } catch (const std::bad_alloc &) {
      // Unrecorded, the copy acts as the plain memfd it is (ioctls fail with ENOTTY).
   }
}

void
FdTable::forgetRange(unsigned first, unsigned last)
{
   std::vector<std::shared_ptr<mock::File>> closed; // released after unlocking
   std::lock_guard lock(mutex_);
   for (auto it = entries_.begin(); it != entries_.end();) {
      if (unsigned(it->first) < first || unsigned(it->first) > last) {
         ++it;
         continue;
      }
      try {
         closed.push_back(std::move(it->second.file));
      } catch (const std::bad_alloc &) {
         // Released here, under the lock: slower for other threads, still correct.
      }
      it = entries_.erase(it);
   }
}

std::shared_ptr<mock::Device>
FdTable::device()
{
   std::lock_guard lock(deviceMutex_);
   return device_;
}

size_t
FdTable::fdCount()
{
   std::lock_guard lock(mutex_);
   return entries_.size();
}

} // namespace pan::drmshim
