#include "FakeTree.h"

#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "RealLibc.h"

namespace pan::drmshim {

namespace {

constexpr const char *kPlatformDevice = "fb000000.gpu";
constexpr const char *kDevicePath = "/sys/devices/platform/fb000000.gpu";
constexpr const char *kDriverPath = "/sys/bus/platform/drivers/panthor";

// The parts of the file system the tree replaces (with everything below them).
constexpr const char *kReplaced[] = {
   "/dev/dri",
   "/sys/dev/char/226:0",
   "/sys/dev/char/226:128",
   "/sys/class/drm",
   kDevicePath,
   kDriverPath,
};

// The device's uevent, as the kernel writes it for a device-tree platform device.
constexpr const char *kModalias = "of:NgpuT(null)Crockchip,rk3588-maliCarm,mali-valhall-csf";
std::string
deviceUevent()
{
   return std::string("DRIVER=panthor\n"
                      "OF_NAME=gpu\n"
                      "OF_FULLNAME=/gpu@fb000000\n"
                      "OF_COMPATIBLE_0=rockchip,rk3588-mali\n"
                      "OF_COMPATIBLE_1=arm,mali-valhall-csf\n"
                      "OF_COMPATIBLE_N=2\n"
                      "MODALIAS=") +
          kModalias + "\n";
}

std::string
minorUevent(const Node &node)
{
   return "MAJOR=" + std::to_string(kDrmMajor) + "\nMINOR=" + std::to_string(node.minor) +
          "\nDEVNAME=dri/" + node.name + "\nDEVTYPE=drm_minor\n";
}

class Builder {
public:
   explicit Builder(std::string root) : root_(std::move(root)) {}
   bool ok() const { return ok_; }

   void dir(const std::string &path)
   {
      if (ok_ && mkdir((root_ + path).c_str(), 0755) != 0 && errno != EEXIST)
         ok_ = false;
   }
   void file(const std::string &path, const std::string &contents, mode_t mode = 0444)
   {
      if (!ok_)
         return;
      const int fd = real::open((root_ + path).c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
      if (fd < 0) {
         ok_ = false;
         return;
      }
      ok_ = write(fd, contents.data(), contents.size()) == ssize_t(contents.size());
      real::close(fd);
   }
   void link(const std::string &path, const std::string &target)
   {
      if (ok_ && symlink(target.c_str(), (root_ + path).c_str()) != 0)
         ok_ = false;
   }

private:
   std::string root_;
   bool ok_ = true;
};

bool
populate(const std::string &root)
{
   Builder b(root);
   for (const char *dir : {"/dev", "/dev/dri", "/dev/dri/by-path", "/sys", "/sys/dev",
                           "/sys/dev/char", "/sys/class", "/sys/class/drm", "/sys/bus",
                           "/sys/bus/platform", "/sys/bus/platform/drivers", kDriverPath,
                           "/sys/devices", "/sys/devices/platform", kDevicePath})
      b.dir(dir);

   const std::string device = kDevicePath;
   b.file(device + "/uevent", deviceUevent());
   b.file(device + "/modalias", std::string(kModalias) + "\n");
   b.link(device + "/subsystem", "../../../bus/platform");
   b.link(device + "/driver", "../../../bus/platform/drivers/panthor");
   b.link(std::string(kDriverPath) + "/" + kPlatformDevice, "../../../../devices/platform/fb000000.gpu");
   b.dir(device + "/drm");

   for (const Node &node : kNodes) {
      const std::string name = node.name;
      const std::string minorDir = device + "/drm/" + name;
      const std::string number = std::to_string(kDrmMajor) + ":" + std::to_string(node.minor);
      b.dir(minorDir);
      b.file(minorDir + "/uevent", minorUevent(node));
      b.file(minorDir + "/dev", number + "\n");
      b.link(minorDir + "/subsystem", "../../../../../class/drm");
      b.link(minorDir + "/device", "../../../fb000000.gpu");
      b.link("/sys/class/drm/" + name, "../../devices/platform/fb000000.gpu/drm/" + name);
      b.link("/sys/dev/char/" + number, "../../devices/platform/fb000000.gpu/drm/" + name);
      b.file("/dev/dri/" + name, "", 0666);
   }
   b.link("/dev/dri/by-path/platform-fb000000.gpu-card", "../card0");
   b.link("/dev/dri/by-path/platform-fb000000.gpu-render", "../renderD128");
   return b.ok();
}

int
removeEntry(const char *path, const struct stat *, int type, struct FTW *)
{
   return type == FTW_DP ? rmdir(path) : unlink(path);
}

// Removes the tree at exit, in the process that made it only (a forked
// child inherits this object but not the tree).
struct TreeRemover {
   std::string root;
   pid_t owner = 0;
   ~TreeRemover()
   {
      if (!root.empty() && owner == getpid())
         nftw(root.c_str(), removeEntry, 16, FTW_DEPTH | FTW_PHYS);
   }
};

TreeRemover remover;
std::atomic<FakeTree *> made{nullptr};

} // namespace

FakeTree *
FakeTree::make()
{
   const char *tmp = getenv("TMPDIR");
   std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/panthor-drm-shim.XXXXXX";
   if (!mkdtemp(pattern.data())) {
      fprintf(stderr, "panthor drm-shim: cannot create %s: %s\n", pattern.c_str(), strerror(errno));
      return nullptr;
   }
   remover.root = pattern;
   remover.owner = getpid();
   if (!populate(pattern)) {
      fprintf(stderr, "panthor drm-shim: cannot populate %s: %s\n", pattern.c_str(), strerror(errno));
      return nullptr;
   }
   return new FakeTree(pattern); // lives as long as the process
}

const FakeTree *
FakeTree::get()
{
   static FakeTree *tree = [] {
      FakeTree *result = make();
      made.store(result, std::memory_order_release);
      return result;
   }();
   return tree;
}

const FakeTree *
FakeTree::ifMade()
{
   return made.load(std::memory_order_acquire);
}

bool
FakeTree::replaces(std::string_view path)
{
   for (std::string_view prefix : kReplaced) {
      if (path.starts_with(prefix) && (path.size() == prefix.size() || path[prefix.size()] == '/'))
         return true;
   }
   return false;
}

std::string
FakeTree::hostPath(std::string_view virtualPath) const
{
   return root_ + std::string(virtualPath);
}

std::optional<std::string>
FakeTree::virtualPath(std::string_view hostPath) const
{
   if (!hostPath.starts_with(root_))
      return std::nullopt;
   std::string_view rest = hostPath.substr(root_.size());
   if (rest.empty())
      return std::string("/");
   if (rest[0] != '/')
      return std::nullopt;
   return std::string(rest);
}

std::string
FakeTree::placeholder(const Node &node) const
{
   return root_ + "/dev/dri/" + node.name;
}

} // namespace pan::drmshim
