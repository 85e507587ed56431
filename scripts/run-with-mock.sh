#!/usr/bin/env bash
# Runs any Vulkan program on the build-tree driver with the mock kernel, e.g.
#   scripts/run-with-mock.sh vulkaninfo --summary
# Builds the driver first if needed. PANTHOR_MOCK_VERSION / _MEMORY_MB pass through.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${PANVK_BUILD_DIR:-$root/build}"
[ -f "$build/build.ninja" ] || meson setup "$build" "$root" >/dev/null
ninja -C "$build" src/panfrost/vulkan/libvulkan_panfrost.so >/dev/null
export VK_ICD_FILENAMES="$build/src/panfrost/vulkan/panvk_devenv_icd.json"
export PAN_KMOD=mock
exec "$@"
