// The stand-in for /dev/dri and sysfs, read with plain file calls (this test
// has no intercepts), and the path resolution the intercepts rely on.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

#include "FakeTree.h"
#include "PathResolver.h"

namespace pan::drmshim {
namespace {

using Kind = ResolvedPath::Kind;

std::string
readFile(const std::string &path)
{
   std::ifstream in(path);
   std::stringstream contents;
   contents << in.rdbuf();
   return contents.str();
}

std::string
readLink(const std::string &path)
{
   char target[PATH_MAX];
   const ssize_t length = readlink(path.c_str(), target, sizeof(target));
   return length < 0 ? std::string() : std::string(target, size_t(length));
}

const FakeTree &
tree()
{
   const FakeTree *made = FakeTree::get();
   EXPECT_NE(made, nullptr);
   return *made;
}

TEST(FakeTree, HoldsWhatLibdrmReadsForAPlatformDevice)
{
   const FakeTree &t = tree();
   const std::string device = t.hostPath("/sys/dev/char/226:128/device");
   EXPECT_EQ(readLink(device + "/subsystem"), "../../../bus/platform");
   EXPECT_EQ(readLink(device + "/driver"), "../../../bus/platform/drivers/panthor");
   const std::string uevent = readFile(device + "/uevent");
   EXPECT_NE(uevent.find("OF_FULLNAME=/gpu@fb000000\n"), std::string::npos);
   EXPECT_NE(uevent.find("OF_COMPATIBLE_N=2\n"), std::string::npos);
   EXPECT_NE(uevent.find("OF_COMPATIBLE_1=arm,mali-valhall-csf\n"), std::string::npos);
   EXPECT_NE(readFile(t.hostPath("/sys/dev/char/226:128/uevent")).find("DEVNAME=dri/renderD128\n"),
             std::string::npos);
   EXPECT_EQ(readFile(t.hostPath("/sys/dev/char/226:0/dev")), "226:0\n");
   EXPECT_EQ(access(t.hostPath("/sys/dev/char/226:128/device/drm/card0").c_str(), F_OK), 0);
}

TEST(FakeTree, RealPathsInsideItMapBackToTheReplacedPaths)
{
   const FakeTree &t = tree();
   char host[PATH_MAX];
   ASSERT_NE(realpath(t.hostPath("/sys/dev/char/226:128/device").c_str(), host), nullptr);
   EXPECT_EQ(t.virtualPath(host), "/sys/devices/platform/fb000000.gpu");
   EXPECT_EQ(t.virtualPath("/etc/passwd"), std::nullopt);
   EXPECT_EQ(t.virtualPath(t.root() + "x/sys"), std::nullopt); // a sibling, not inside
}

TEST(FakeTree, ReplacesOnlyItsOwnPaths)
{
   EXPECT_TRUE(FakeTree::replaces("/dev/dri"));
   EXPECT_TRUE(FakeTree::replaces("/dev/dri/renderD128"));
   EXPECT_TRUE(FakeTree::replaces("/sys/dev/char/226:128/device"));
   EXPECT_FALSE(FakeTree::replaces("/dev/drix"));
   EXPECT_FALSE(FakeTree::replaces("/sys/dev/char/226:1"));
   EXPECT_FALSE(FakeTree::replaces("/sys/dev/char/226:1280"));
   EXPECT_FALSE(FakeTree::replaces("/dev/null"));
}

TEST(PathResolver, NamesTheNodes)
{
   ResolvedPath render = resolvePath(AT_FDCWD, "/dev/dri/renderD128");
   EXPECT_EQ(render.kind, Kind::Node);
   ASSERT_NE(render.node, nullptr);
   EXPECT_EQ(render.node->minor, 128u);
   ResolvedPath card = resolvePath(AT_FDCWD, "//dev/./dri//card0/");
   EXPECT_EQ(card.kind, Kind::Node);
   ASSERT_NE(card.node, nullptr);
   EXPECT_EQ(card.node->minor, 0u);
   EXPECT_EQ(resolvePath(AT_FDCWD, "/dev/dri/renderD129").kind, Kind::Redirected); // ENOENT there
}

TEST(PathResolver, FollowsByPathLinksToTheNodesUnlessAskedNotTo)
{
   const char *link = "/dev/dri/by-path/platform-fb000000.gpu-render";
   ResolvedPath followed = resolvePath(AT_FDCWD, link, true);
   EXPECT_EQ(followed.kind, Kind::Node);
   ASSERT_NE(followed.node, nullptr);
   EXPECT_EQ(followed.node->minor, 128u);
   ResolvedPath itself = resolvePath(AT_FDCWD, link, false);
   EXPECT_EQ(itself.kind, Kind::Redirected);
   EXPECT_EQ(itself.hostPath, tree().hostPath(link));
}

TEST(PathResolver, RedirectsSysfsAndPassesTheRestThrough)
{
   ResolvedPath uevent = resolvePath(AT_FDCWD, "/sys/dev/char/226:128/device/uevent");
   EXPECT_EQ(uevent.kind, Kind::Redirected);
   EXPECT_EQ(uevent.hostPath, tree().hostPath("/sys/dev/char/226:128/device/uevent"));
   EXPECT_EQ(resolvePath(AT_FDCWD, "/etc/passwd").kind, Kind::PassThrough);
   EXPECT_EQ(resolvePath(AT_FDCWD, "renderD128").kind, Kind::PassThrough); // relative to the cwd
   EXPECT_EQ(resolvePath(AT_FDCWD, nullptr).kind, Kind::PassThrough);
   EXPECT_EQ(resolvePath(AT_FDCWD, "").kind, Kind::PassThrough);
}

TEST(PathResolver, ResolvesRelativePathsFromADirectoryFdInTheTree)
{
   const int dri = open(tree().hostPath("/dev/dri").c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
   ASSERT_GE(dri, 0);
   ResolvedPath node = resolvePath(dri, "renderD128");
   EXPECT_EQ(node.kind, Kind::Node);
   ResolvedPath sibling = resolvePath(dri, "../dri/card0"); // ".." resolved by the kernel
   EXPECT_EQ(sibling.kind, Kind::Node);
   ASSERT_NE(sibling.node, nullptr);
   EXPECT_EQ(sibling.node->minor, 0u);
   close(dri);

   const int etc = open("/etc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
   ASSERT_GE(etc, 0);
   EXPECT_EQ(resolvePath(etc, "renderD128").kind, Kind::PassThrough);
   close(etc);
}

} // namespace
} // namespace pan::drmshim
