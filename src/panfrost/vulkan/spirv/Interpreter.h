// Runs a compute dispatch of a Module on the CPU. Invocations of a workgroup
// run together: each runs to its next OpControlBarrier in turn, so shared
// memory and barriers behave as on a GPU. Buffer memory is reached only
// through GlobalMemory (the mock GPU's MMU in the driver).
//
// Not thread-safe: one Interpreter per executing thread.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>

#include "spirv/Module.h"

namespace panvk::spirv {

// GPU memory by address. False when the access faulted (the dispatch stops).
class GlobalMemory {
public:
   virtual ~GlobalMemory() = default;
   virtual bool read(uint64_t va, void *data, uint64_t size) = 0;
   virtual bool write(uint64_t va, const void *data, uint64_t size) = 0;
   // Calls `update` with the host bytes of the naturally aligned 4 bytes at
   // `va`, which no other access changes meanwhile.
   virtual bool atomic(uint64_t va, const std::function<void(uint32_t &word)> &update) = 0;
};

// A buffer descriptor: the GPU address of its first byte and its range.
struct BufferView {
   uint64_t va = 0;
   uint64_t range = 0;
};

// Descriptor lookup: nullopt when (set, binding, arrayIndex) holds no buffer.
using BufferLookup = std::function<std::optional<BufferView>(uint32_t set, uint32_t binding, uint32_t index)>;

// Four 32-bit lanes of a texel as a shader sees it: float bits for float
// formats (UNORM, SNORM, SRGB decoded, SFLOAT, UFLOAT), integers for UINT and
// SINT; channels the format lacks read as (0, 0, 0, 1).
struct Texel {
   std::array<uint32_t, 4> lanes{};
};

enum class TexelKind : uint8_t { Float, Sint, Uint };

// An image view or a texel buffer view as a descriptor gives it to a shader.
// Texels are addressed in the view: level 0 is the view's base level, layer 0
// its base layer (cube faces are layers: 6 * cube + face); z is the depth of
// 3D images (0 otherwise); a texel buffer is a 1D image of one level and layer.
// The interpreter checks coordinates against extent(), levels() and layers()
// before it calls read, write or atomic.
class ImageResource {
public:
   virtual ~ImageResource() = default;
   virtual TexelKind kind() const = 0;
   virtual uint32_t levels() const = 0;
   virtual uint32_t layers() const = 0;
   // Width, height, depth of a level (1 for the dimensions the view lacks).
   virtual std::array<uint32_t, 3> extent(uint32_t level) const = 0;
   // False when the access faulted (the dispatch stops).
   virtual bool read(uint32_t x, uint32_t y, uint32_t z, uint32_t layer, uint32_t level, Texel &out) = 0;
   virtual bool write(uint32_t x, uint32_t y, uint32_t z, uint32_t layer, uint32_t level, const Texel &in) = 0;
   // Image atomics on 32-bit integer texels: `update` gets the texel's word,
   // which no other access changes meanwhile. False on a fault, or for a
   // format that is not R32_UINT / R32_SINT.
   virtual bool atomic(uint32_t x, uint32_t y, uint32_t z, uint32_t layer, uint32_t level,
                       const std::function<void(uint32_t &word)> &update) = 0;
};

enum class Filter : uint8_t { Nearest, Linear };
enum class AddressMode : uint8_t { Repeat, MirroredRepeat, ClampToEdge, ClampToBorder, MirrorClampToEdge };
enum class BorderColor : uint8_t { TransparentBlack, OpaqueBlack, OpaqueWhite };

// A sampler as VkSamplerCreateInfo describes it (no anisotropy, no compare:
// the device does not offer them). Border colours are given as the float or
// integer value the image's TexelKind selects.
struct SamplerState {
   Filter magFilter = Filter::Nearest;
   Filter minFilter = Filter::Nearest;
   Filter mipmapMode = Filter::Nearest;
   std::array<AddressMode, 3> address{AddressMode::Repeat, AddressMode::Repeat, AddressMode::Repeat}; // u, v, w
   float mipLodBias = 0.0f;
   float minLod = 0.0f;
   float maxLod = 0.0f;
   BorderColor border = BorderColor::TransparentBlack;
   bool unnormalizedCoordinates = false;
};

// Descriptor lookups, valid for one dispatch: null when (set, binding,
// arrayIndex) holds no image (storage image, sampled image, combined image
// sampler, uniform or storage texel buffer) or no sampler (sampler, combined
// image sampler).
using ImageLookup = std::function<ImageResource *(uint32_t set, uint32_t binding, uint32_t index)>;
using SamplerLookup = std::function<const SamplerState *(uint32_t set, uint32_t binding, uint32_t index)>;

struct DispatchInputs {
   GlobalMemory *memory = nullptr;
   BufferLookup buffers;
   ImageLookup images;
   SamplerLookup samplers;
   std::span<const uint8_t> pushConstants;
   std::array<uint32_t, 3> baseGroup{0, 0, 0};
   std::array<uint32_t, 3> groupCount{1, 1, 1};
};

class Machine;

class Interpreter {
public:
   explicit Interpreter(std::shared_ptr<const Module> module);
   ~Interpreter();
   // False when the shader faulted or could not go on; error() says why.
   bool dispatch(const DispatchInputs &inputs);
   const std::string &error() const { return error_; }
   // Instructions run by the last dispatch (for benchmarks and tests).
   uint64_t instructionsRun() const { return instructions_; }

private:
   std::shared_ptr<const Module> module_;
   std::unique_ptr<Machine> machine_;
   std::string error_;
   uint64_t instructions_ = 0;
};

} // namespace panvk::spirv
