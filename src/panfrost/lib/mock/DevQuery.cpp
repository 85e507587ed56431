// DEV_QUERY: what the GPU and the driver report. Each type has the size of its
// newest layout and a minimum below which the kernel refuses the query (the
// size of its first layout's mandatory fields).
#include <time.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstring>

#include "mock/Device.h"
#include "mock/Ioctls.h"

namespace pan::mock {

namespace {

constexpr uint64_t kTimestampFrequency = 24000000; // the SoC's 24 MHz system counter

uint64_t
monotonicNs()
{
   timespec ts;
   clock_gettime(CLOCK_MONOTONIC, &ts);
   return uint64_t(ts.tv_sec) * 1000000000ull + uint64_t(ts.tv_nsec);
}

drm_panthor_timestamp_info
timestampInfo()
{
   const uint64_t ns = monotonicNs();
   timespec cpu;
   clock_gettime(CLOCK_MONOTONIC_RAW, &cpu);
   drm_panthor_timestamp_info info{};
   info.timestamp_frequency = kTimestampFrequency;
   info.current_timestamp = ns / 1000 * (kTimestampFrequency / 1000000);
   info.timestamp_offset = 0;
   info.cycle_count = info.current_timestamp;
   info.cpu_timestamp_sec = uint64_t(cpu.tv_sec);
   info.cpu_timestamp_nsec = uint64_t(cpu.tv_nsec);
   return info;
}

int
copyOut(drm_panthor_dev_query &args, const void *data, size_t actual, size_t minimum)
{
   if (!args.pointer) {
      args.size = uint32_t(actual);
      return 0;
   }
   if (args.size < minimum)
      return -EINVAL;
   // A newer user space asking for more than we know gets zeros past our end.
   auto *dest = reinterpret_cast<uint8_t *>(args.pointer);
   const size_t copied = std::min<size_t>(args.size, actual);
   memcpy(dest, data, copied);
   memset(dest + copied, 0, args.size - copied);
   return 0;
}

} // namespace

int
devQuery(const Device &device, drm_panthor_dev_query &args)
{
   const unsigned minor = device.minorVersion();
   switch (args.type) {
   case DRM_PANTHOR_DEV_QUERY_GPU_INFO: {
      const drm_panthor_gpu_info info = device.gpuInfo();
      return copyOut(args, &info, sizeof(info), offsetof(drm_panthor_gpu_info, core_features));
   }
   case DRM_PANTHOR_DEV_QUERY_CSIF_INFO: {
      const drm_panthor_csif_info info = device.csifInfo();
      return copyOut(args, &info, sizeof(info), sizeof(info));
   }
   case DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO: {
      if (minor < 1)
         return -EINVAL;
      const drm_panthor_timestamp_info info = timestampInfo();
      // Before 1.8 the struct ended at the flags word.
      const size_t actual = minor >= 8 ? sizeof(info) : DRM_PANTHOR_TIMESTAMP_INFO_SIZE_V1;
      return copyOut(args, &info, actual, offsetof(drm_panthor_timestamp_info, timestamp_offset));
   }
   case DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO: {
      if (minor < 2)
         return -EINVAL;
      // The mock models an unprivileged client: LOW and MEDIUM only.
      drm_panthor_group_priorities_info info{};
      info.allowed_mask = (1u << PANTHOR_GROUP_PRIORITY_LOW) | (1u << PANTHOR_GROUP_PRIORITY_MEDIUM);
      return copyOut(args, &info, sizeof(info), sizeof(info));
   }
   case DRM_PANTHOR_DEV_QUERY_MMU_INFO: {
      if (minor < 9)
         return -EINVAL;
      drm_panthor_mmu_info info{};
      info.page_size_bitmap = (4ull << 10) | (2ull << 20);
      return copyOut(args, &info, sizeof(info), sizeof(info));
   }
   default:
      return -EINVAL;
   }
}

} // namespace pan::mock
