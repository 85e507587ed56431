#!/usr/bin/env bash
# The main job: builds the project and runs the kmod demo on the mock kernel.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
[ -f build/build.ninja ] || meson setup build
ninja -C build src/panfrost/tools/pankmod-demo
PAN_KMOD="${PAN_KMOD:-mock}" build/src/panfrost/tools/pankmod-demo "$@"
