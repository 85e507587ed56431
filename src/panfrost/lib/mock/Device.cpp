#include "mock/Device.h"

#include <unistd.h>

#include <cstdlib>
#include <string>

#include "mock/File.h"
#include "mock/Mmu.h"

namespace pan::mock {

namespace {

// A Mali-G610 MP4 (Valhall, arch 10.8), as on RK3588 boards: product 0xa867,
// four shader cores at 0, 2, 16 and 18, one L2 and one tiler, 8 address
// spaces, 48-bit VA and 40-bit PA. The other feature words are representative
// values, not read off a board: nothing in this project decodes them.
drm_panthor_gpu_info
makeGpuInfo()
{
   drm_panthor_gpu_info info{};
   info.gpu_id = 0xa8670000;
   info.gpu_rev = 0;
   info.csf_id = 0x40a0412;
   info.l2_features = 0x7120206;
   info.tiler_features = 0x809;
   info.mem_features = 0x301;
   info.mmu_features = 0x2830;
   info.thread_features = 0x4010000;
   info.max_threads = 2048;
   info.thread_max_workgroup_size = 1024;
   info.thread_max_barrier_size = 1024;
   info.coherency_features = 0;
   info.texture_features[0] = 0xc1ffff9e;
   info.as_present = 0xff;
   info.selected_coherency = 31; /* none */
   info.shader_present = 0x50005;
   info.l2_present = 1;
   info.tiler_present = 1;
   return info;
}

bool
parseMinor(const char *text, unsigned *minor)
{
   std::string s(text);
   if (s.rfind("1.", 0) == 0)
      s = s.substr(2);
   if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos)
      return false;
   *minor = std::stoul(s);
   return true;
}

} // namespace

DeviceOptions
DeviceOptions::fromEnvironment()
{
   DeviceOptions options;
   if (const char *version = getenv("PANTHOR_MOCK_VERSION")) {
      unsigned minor;
      // An unparsable value must not silently become the default version.
      options.minorVersion = parseMinor(version, &minor) ? minor : ~0u;
   }
   if (const char *mb = getenv("PANTHOR_MOCK_MEMORY_MB"))
      options.memoryBytes = strtoull(mb, nullptr, 10) << 20;
   if (const char *n = getenv("PANTHOR_MOCK_INJECT_GPU_FAULT"))
      options.injectGpuFaultAt = strtoull(n, nullptr, 10);
   if (const char *n = getenv("PANTHOR_MOCK_INJECT_BIND_JOB_FAILURE"))
      options.injectBindJobFailureAt = strtoull(n, nullptr, 10);
   return options;
}

std::shared_ptr<Device>
Device::create(const DeviceOptions &options)
{
   if (options.minorVersion > 10)
      return nullptr;
   uint64_t bytes = options.memoryBytes;
   if (!bytes) {
      const uint64_t pages = sysconf(_SC_PHYS_PAGES), pageSize = sysconf(_SC_PAGESIZE);
      bytes = pages * pageSize / 4;
   }
   auto memory = std::make_unique<PhysicalMemory>(bytes);
   if (!memory->valid())
      return nullptr;
   return std::shared_ptr<Device>(new Device(options, std::move(memory)));
}

Device::Device(const DeviceOptions &options, std::unique_ptr<PhysicalMemory> memory)
   : minorVersion_(options.minorVersion), memory_(std::move(memory)),
     mmu_(std::make_unique<Mmu>(Mmu::kAddressSpaces)), gpuInfo_(makeGpuInfo())
{
   if (minorVersion_ < 7)
      gpuInfo_.selected_coherency = 0; // a pad word before 1.7
   mmu_->injectFaultAt(options.injectGpuFaultAt);
   bindJobFailureCountdown_ = options.injectBindJobFailureAt;
   csifInfo_ = drm_panthor_csif_info{
      .csg_slot_count = 8,
      .cs_slot_count = 8,
      .cs_reg_count = 96,
      .scoreboard_slot_count = 8,
      .unpreserved_cs_reg_count = 4,
      .pad = 0,
   };
}

Device::~Device() = default;

std::shared_ptr<File>
Device::open()
{
   auto file = std::make_shared<File>(shared_from_this());
   std::lock_guard lock(mutex_);
   files_.insert(file.get());
   return file;
}

void
Device::fileClosed(File *file)
{
   std::lock_guard lock(mutex_);
   files_.erase(file);
}

bool
Device::bindJobFailureFires()
{
   std::lock_guard lock(mutex_);
   return bindJobFailureCountdown_ && --bindJobFailureCountdown_ == 0;
}

size_t
Device::openFiles() const
{
   std::lock_guard lock(mutex_);
   return files_.size();
}

uint64_t
Device::allocateMmapOffset(uint64_t size)
{
   std::lock_guard lock(mutex_);
   const uint64_t offset = nextMmapOffset_;
   nextMmapOffset_ += size;
   return offset;
}

} // namespace pan::mock
