// DRM_IOCTL_VERSION: which driver is behind a transport, and its version.
#pragma once

#include <string>

#include "kmod/Features.h"
#include "kmod/Result.h"
#include "kmod/Transport.h"

namespace pan::kmod {

struct DrmVersion {
   std::string name; // "panthor" for the driver kmod speaks to
   DriverVersion version;
};

Result<DrmVersion> queryDrmVersion(Transport &transport);

} // namespace pan::kmod
