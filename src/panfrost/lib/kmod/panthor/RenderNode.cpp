#include "kmod/panthor/RenderNode.h"

#include "kmod/panthor/DrmVersion.h"
#include "kmod/panthor/SyscallTransport.h"

namespace pan::kmod {

namespace {

constexpr int kFirstRenderMinor = 128;
constexpr int kLastRenderMinor = 191;

bool isPanthor(Transport &transport) {
   Result<DrmVersion> version = queryDrmVersion(transport);
   return version && version->name == "panthor";
}

} // namespace

Result<std::unique_ptr<Transport>> openPanthorRenderNode(const std::string &path) {
   if (!path.empty()) {
      Result<std::unique_ptr<SyscallTransport>> node = SyscallTransport::open(path);
      if (!node)
         return node.takeError();
      // The driver name check itself happens in Device::open, which reports
      // what the node is instead.
      return std::unique_ptr<Transport>(std::move(node.value()));
   }
   for (int minor = kFirstRenderMinor; minor <= kLastRenderMinor; ++minor) {
      Result<std::unique_ptr<SyscallTransport>> node =
         SyscallTransport::open("/dev/dri/renderD" + std::to_string(minor));
      if (node && isPanthor(*node.value()))
         return std::unique_ptr<Transport>(std::move(node.value()));
   }
   return fail(ENODEV, "no panthor render node in /dev/dri");
}

} // namespace pan::kmod
