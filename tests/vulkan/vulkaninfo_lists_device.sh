#!/bin/sh
# Runs `vulkaninfo --summary` (Debian's vulkan-tools) in the environment the
# test runner gives it (the build tree's ICD manifest, the mock kernel) and
# checks that it completes and lists the mock GPU.
set -u
expected='Mali-G610 (mock)'

if ! command -v vulkaninfo >/dev/null 2>&1; then
   echo "vulkaninfo is not installed: install vulkan-tools (scripts/install-deps.sh)" >&2
   exit 1
fi
output=$(vulkaninfo --summary 2>&1)
status=$?
printf '%s\n' "$output"
if [ "$status" -ne 0 ]; then
   echo "vulkaninfo --summary failed (exit status $status)" >&2
   exit 1
fi
if ! printf '%s\n' "$output" | grep -Eq "deviceName +=.*$(printf '%s' "$expected" | sed 's/[()]/\\&/g')"; then
   echo "vulkaninfo does not list \"$expected\"" >&2
   exit 1
fi
echo "vulkaninfo lists \"$expected\""
