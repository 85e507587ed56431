#include "PathResolver.h"

#include <climits>
#include <cstdlib>
#include <string_view>

#include "FakeTree.h"
#include "RealLibc.h"

namespace pan::drmshim {

namespace {

constexpr std::string_view kDevDri = "/dev/dri/";

// "/dev//dri/./renderD128/" -> "/dev/dri/renderD128". ".." is left for the
// kernel to resolve inside the tree.
std::string
cleanAbsolute(std::string_view path)
{
   std::string clean;
   size_t start = 0;
   while (start < path.size()) {
      size_t end = path.find('/', start);
      if (end == std::string_view::npos)
         end = path.size();
      const std::string_view part = path.substr(start, end - start);
      if (!part.empty() && part != ".") {
         clean += '/';
         clean += part;
      }
      start = end + 1;
   }
   return clean.empty() ? "/" : clean;
}

// The directory an fd refers to, as a path inside the fake tree; empty if it
// is anything else.
std::string
virtualDirectoryOf(int dirfd)
{
   const FakeTree *tree = FakeTree::ifMade();
   if (!tree || dirfd < 0)
      return {};
   char link[PATH_MAX];
   const std::string proc = "/proc/self/fd/" + std::to_string(dirfd);
   const ssize_t length = real::readlink(proc.c_str(), link, sizeof(link) - 1);
   if (length <= 0)
      return {};
   return tree->virtualPath(std::string_view(link, size_t(length))).value_or(std::string());
}

const Node *
nodeBehindLink(const FakeTree &tree, const std::string &hostPath)
{
   char target[PATH_MAX];
   if (!real::realpath(hostPath.c_str(), target))
      return nullptr;
   for (const Node &node : kNodes) {
      if (tree.placeholder(node) == target)
         return &node;
   }
   return nullptr;
}

} // namespace

ResolvedPath
resolvePath(int dirfd, const char *path, bool followLinks)
{
   ResolvedPath result;
   if (!path || !*path)
      return result;

   std::string virtualPath;
   if (path[0] == '/') {
      virtualPath = cleanAbsolute(path);
   } else {
      if (dirfd == AT_FDCWD)
         return result;
      const std::string directory = virtualDirectoryOf(dirfd);
      if (directory.empty())
         return result;
      virtualPath = cleanAbsolute(directory + "/" + path);
   }
   if (!FakeTree::replaces(virtualPath))
      return result;

   if (virtualPath.starts_with(kDevDri)) {
      if (const Node *node = nodeNamed(std::string_view(virtualPath).substr(kDevDri.size()))) {
         result.kind = ResolvedPath::Kind::Node;
         result.node = node;
         return result;
      }
   }
   const FakeTree *tree = FakeTree::get();
   if (!tree)
      return result;
   result.hostPath = tree->hostPath(virtualPath);
   if (followLinks && virtualPath.starts_with(kDevDri)) {
      if (const Node *node = nodeBehindLink(*tree, result.hostPath)) {
         result.kind = ResolvedPath::Kind::Node;
         result.node = node;
         return result;
      }
   }
   result.kind = ResolvedPath::Kind::Redirected;
   return result;
}

} // namespace pan::drmshim
