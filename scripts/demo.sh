#!/usr/bin/env bash
# The main job: builds the project, then runs the Vulkan demo through the
# Khronos loader on the mock kernel (device, memory, copies, and what the kernel
# side saw), then the kmod demo (a 100 MB sparse range, the VM's mapping list).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
[ -f build/build.ninja ] || meson setup build
ninja -C build src/panfrost/tools/panvk-demo src/panfrost/tools/pankmod-demo \
   src/panfrost/vulkan/libvulkan_panfrost.so
echo "== panvk-demo: Vulkan on the mock =="
scripts/run-with-mock.sh build/src/panfrost/tools/panvk-demo
echo
echo "== pankmod-demo: sparse VM_BIND through kmod =="
PAN_KMOD=mock build/src/panfrost/tools/pankmod-demo
