// The ioctl handlers of the mock, one file per family, called by File's
// dispatcher with the argument already copied in (zero-extended to the
// kernel's struct size, as the DRM core does). Each returns 0 or -errno.
#pragma once

#include "drm-uapi/panthor_drm.h"

namespace pan::mock {

class Device;
class File;

int devQuery(const Device &device, drm_panthor_dev_query &args);
int vmBind(File &file, drm_panthor_vm_bind &args);

} // namespace pan::mock
