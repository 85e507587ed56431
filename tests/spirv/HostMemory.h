// GPU memory for interpreter tests: buffers placed one after another in host
// memory at fake GPU addresses, with a gap between them where every access
// faults (as an unmapped VA would), and a count of accesses.
#pragma once

#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "../SpirvFile.h"
#include "spirv/Interpreter.h"

namespace panvk::spirv::test {

class HostMemory : public GlobalMemory {
public:
   static constexpr uint64_t kBase = 0x10000000;
   static constexpr uint64_t kGap = 0x10000;

   // Adds a buffer holding `bytes` (size rounded up to 4) and returns its view.
   BufferView add(const void *bytes, uint64_t size)
   {
      const uint64_t va = next_;
      std::vector<uint8_t> data((size + 3) & ~3ull);
      if (bytes)
         memcpy(data.data(), bytes, size);
      buffers_[va] = std::move(data);
      next_ += ((size + kGap - 1) / kGap + 1) * kGap;
      return {va, size};
   }
   template <typename T> BufferView add(const std::vector<T> &items)
   {
      return add(items.data(), items.size() * sizeof(T));
   }
   template <typename T> std::vector<T> get(const BufferView &view) const
   {
      const std::vector<uint8_t> &data = buffers_.at(view.va);
      std::vector<T> items(view.range / sizeof(T));
      memcpy(items.data(), data.data(), items.size() * sizeof(T));
      return items;
   }

   bool read(uint64_t va, void *data, uint64_t size) override
   {
      ++reads;
      uint8_t *host = find(va, size);
      if (host)
         memcpy(data, host, size);
      return host != nullptr;
   }
   bool write(uint64_t va, const void *data, uint64_t size) override
   {
      ++writes;
      uint8_t *host = find(va, size);
      if (host)
         memcpy(host, data, size);
      return host != nullptr;
   }
   bool atomic(uint64_t va, const std::function<void(uint32_t &)> &update) override
   {
      ++atomics;
      uint8_t *host = find(va, 4);
      if (host)
         update(*reinterpret_cast<uint32_t *>(host));
      return host != nullptr;
   }

   uint64_t reads = 0, writes = 0, atomics = 0;

private:
   uint8_t *find(uint64_t va, uint64_t size)
   {
      auto it = buffers_.upper_bound(va);
      if (it == buffers_.begin())
         return nullptr;
      --it;
      const uint64_t offset = va - it->first;
      if (offset > it->second.size() || size > it->second.size() - offset)
         return nullptr;
      return it->second.data() + offset;
   }

   uint64_t next_ = kBase;
   std::map<uint64_t, std::vector<uint8_t>> buffers_;
};

// The SPIR-V words of a test shader compiled at build time.
inline std::vector<uint32_t>
loadShader(const std::string &name)
{
   return panvk::test::readSpirvFile(std::string(SPIRV_TEST_SHADER_DIR) + "/" + name + ".spv");
}

} // namespace panvk::spirv::test
