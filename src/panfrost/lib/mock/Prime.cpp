// PRIME for the mock's BOs: DRM_IOCTL_PRIME_HANDLE_TO_FD and
// DRM_IOCTL_PRIME_FD_TO_HANDLE.
//
// An exported BO becomes a real fd, a memfd named "dmabuf" sized like the BO
// (so lseek(fd, 0, SEEK_END) gives the size, as on a dma-buf), recorded
// process-wide by the memfd's identity (st_dev, st_ino), so the fd, a dup of
// it, or the same fd handed to another File imports the very same Bo.
//
// Kernel behaviour reproduced (drm_prime.c and panthor_gem.c):
// - flags other than DRM_CLOEXEC | DRM_RDWR: EINVAL; unknown handle: ENOENT;
//   a BO private to a VM (exclusive_vm_id) cannot be exported: EINVAL;
// - import of an fd that is not open: EBADF; of one that is not a dma-buf: EINVAL;
// - panthor imports its own dma-bufs as the same GEM object, not as an
//   attachment, so the Bo is not marked imported (BO_QUERY_INFO reports
//   IS_IMPORTED only for foreign dma-bufs), and a file that already has a
//   handle for the BO gets that handle back;
// - the fd keeps the BO (and so its device) alive after every handle is closed.
//
// Not modelled: a dma-buf of another mock Device (EINVAL here; the kernel would
// attach it as a foreign buffer), and CPU mappings of the dma-buf fd itself (its
// pages read as zero and it refuses writable mappings; map the BO through
// BO_MMAP_OFFSET instead). Nothing tells us when the user closes the fd, so
// entries whose file is no longer open in the process are dropped at the next
// export or import.
#include <dirent.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <map>
#include <mutex>
#include <set>
#include <utility>

#include "mock/Bo.h"
#include "mock/Device.h"
#include "mock/File.h"
#include "mock/HandleTable.h"

namespace pan::mock {

namespace {

using FileKey = std::pair<dev_t, ino_t>;

struct Export {
   std::shared_ptr<Device> device; // declared first: destroyed after the BO
   std::shared_ptr<Bo> bo;
};

struct ExportRegistry {
   std::mutex mutex;
   std::map<FileKey, Export> exports;
};

ExportRegistry &
registry()
{
   // Never destroyed: an fd exported by one thread may be imported by another
   // while the process exits.
   static ExportRegistry *instance = new ExportRegistry;
   return *instance;
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

// The identities of every file this process has an fd for.
std::set<FileKey>
openFiles()
{
   std::set<FileKey> keys;
   DIR *dir = opendir("/proc/self/fd");
   if (!dir)
      return keys;
   while (dirent *entry = readdir(dir)) {
      char *end = nullptr;
      const long fd = strtol(entry->d_name, &end, 10);
      FileKey key;
      if (end != entry->d_name && *end == '\0' && fileKey(int(fd), &key))
         keys.insert(key);
   }
   closedir(dir);
   return keys;
}

// Takes the exports whose fd is closed out of the registry. The caller drops
// them after unlocking: the last reference to a BO frees its pages.
std::vector<Export>
takeClosedLocked(ExportRegistry &reg)
{
   std::vector<Export> closed;
   if (reg.exports.empty())
      return closed;
   const std::set<FileKey> open = openFiles();
   if (open.empty())
      return closed; // /proc unreadable: keep everything rather than free live BOs
   for (auto it = reg.exports.begin(); it != reg.exports.end();) {
      if (open.count(it->first)) {
         ++it;
      } else {
         closed.push_back(std::move(it->second));
         it = reg.exports.erase(it);
      }
   }
   return closed;
}

int
createDmabufFd(uint64_t size, bool cloexec, FileKey *key)
{
   const int fd = memfd_create("dmabuf", MFD_ALLOW_SEALING | (cloexec ? MFD_CLOEXEC : 0));
   if (fd < 0)
      return -errno;
   const int seals = F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL;
   if (ftruncate(fd, off_t(size)) != 0 || fcntl(fd, F_ADD_SEALS, seals) != 0 || !fileKey(fd, key)) {
      const int error = errno;
      close(fd);
      return -error;
   }
   return fd;
}

} // namespace

int
primeHandleToFd(File &file, drm_prime_handle &args)
{
   if (args.flags & ~uint32_t(DRM_CLOEXEC | DRM_RDWR))
      return -EINVAL;
   std::shared_ptr<Bo> bo = file.lookupBo(args.handle);
   if (!bo)
      return -ENOENT;
   if (bo->exclusiveVmId())
      return -EINVAL;

   FileKey key;
   const int fd = createDmabufFd(bo->size(), args.flags & DRM_CLOEXEC, &key);
   if (fd < 0)
      return fd;
   ExportRegistry &reg = registry();
   std::vector<Export> closed;
   {
      std::lock_guard lock(reg.mutex);
      closed = takeClosedLocked(reg);
      reg.exports[key] = Export{file.device().shared_from_this(), std::move(bo)};
   }
   args.fd = fd;
   return 0;
}

int
primeFdToHandle(File &file, std::mutex &mutex, HandleTable<Bo> &bos, drm_prime_handle &args)
{
   FileKey key;
   if (!fileKey(args.fd, &key))
      return -EBADF;
   ExportRegistry &reg = registry();
   Export exported;
   std::vector<Export> closed;
   {
      std::lock_guard lock(reg.mutex);
      closed = takeClosedLocked(reg);
      auto it = reg.exports.find(key);
      if (it != reg.exports.end())
         exported = it->second;
   }
   if (!exported.bo || exported.device.get() != &file.device())
      return -EINVAL;

   std::lock_guard lock(mutex);
   for (const auto &[handle, bo] : bos.objects()) {
      if (bo == exported.bo) {
         args.handle = handle;
         return 0;
      }
   }
   const uint32_t handle = bos.insert(exported.bo);
   if (!handle)
      return -ENOSPC;
   args.handle = handle;
   return 0;
}

} // namespace pan::mock
