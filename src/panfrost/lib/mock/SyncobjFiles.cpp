#include "mock/SyncobjFiles.h"

#include <dirent.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <map>
#include <mutex>
#include <set>
#include <utility>

namespace pan::mock {

namespace {

using FileKey = std::pair<dev_t, ino_t>;

struct Exported {
   std::shared_ptr<Syncobj> syncobj; // a syncobj fd
   std::shared_ptr<Fence> fence;     // a sync_file fd
};

struct Registry {
   std::mutex mutex;
   std::map<FileKey, Exported> files;
};

Registry &
registry()
{
   static Registry instance;
   return instance;
}

bool
fileKey(int fd, FileKey *key)
{
   struct stat st;
   if (fd < 0 || fstat(fd, &st) != 0)
      return false;
   *key = {st.st_dev, st.st_ino};
   return true;
}

// Drops the entries whose file no fd of this process refers to any more.
void
pruneClosedLocked(Registry &reg)
{
   if (reg.files.empty())
      return;
   DIR *dir = opendir("/proc/self/fd");
   if (!dir)
      return;
   std::set<FileKey> open;
   while (dirent *entry = readdir(dir)) {
      char *end = nullptr;
      long fd = strtol(entry->d_name, &end, 10);
      FileKey key;
      if (end != entry->d_name && *end == '\0' && fileKey(int(fd), &key))
         open.insert(key);
   }
   closedir(dir);
   for (auto it = reg.files.begin(); it != reg.files.end();) {
      if (open.count(it->first))
         ++it;
      else
         it = reg.files.erase(it);
   }
}

int
exportFile(const char *name, Exported exported, int *fd)
{
   Registry &reg = registry();
   std::lock_guard lock(reg.mutex);
   pruneClosedLocked(reg);
   int newFd = memfd_create(name, MFD_CLOEXEC);
   if (newFd < 0)
      return -errno;
   FileKey key;
   if (!fileKey(newFd, &key)) {
      int error = errno;
      close(newFd);
      return -error;
   }
   reg.files[key] = std::move(exported);
   *fd = newFd;
   return 0;
}

Exported
importFile(int fd)
{
   FileKey key;
   if (!fileKey(fd, &key))
      return {};
   Registry &reg = registry();
   std::lock_guard lock(reg.mutex);
   auto it = reg.files.find(key);
   return it == reg.files.end() ? Exported{} : it->second;
}

} // namespace

int
exportSyncobjFd(std::shared_ptr<Syncobj> syncobj, int *fd)
{
   return exportFile("drm-syncobj", Exported{std::move(syncobj), nullptr}, fd);
}

std::shared_ptr<Syncobj>
importSyncobjFd(int fd)
{
   return importFile(fd).syncobj;
}

int
exportSyncFileFd(std::shared_ptr<Fence> fence, int *fd)
{
   return exportFile("sync_file", Exported{nullptr, std::move(fence)}, fd);
}

std::shared_ptr<Fence>
importSyncFileFd(int fd)
{
   return importFile(fd).fence;
}

} // namespace pan::mock
