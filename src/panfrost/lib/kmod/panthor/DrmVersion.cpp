#include "kmod/panthor/DrmVersion.h"

#include <cstring>

#include "drm.h"

namespace pan::kmod {

Result<DrmVersion> queryDrmVersion(Transport &transport) {
   // Driver names are short; a longer one is cut here and simply not "panthor".
   char name[64] = {};
   drm_version args{};
   args.name = name;
   args.name_len = sizeof(name) - 1;
   if (const int ret = transport.ioctl(DRM_IOCTL_VERSION, &args); ret < 0)
      return fail(-ret, "DRM_IOCTL_VERSION");

   DrmVersion result;
   result.name.assign(name, strnlen(name, sizeof(name) - 1));
   result.version = {args.version_major, args.version_minor, args.version_patchlevel};
   return result;
}

} // namespace pan::kmod
