#!/usr/bin/env bash
# Runs the Khronos CTS's dEQP-VK.sparse_resources groups against the
# build-tree driver on the mock kernel, and prints per group how many cases
# passed, failed, were not supported or crashed.
#
#   scripts/run-cts-sparse.sh /path/to/deqp-vk [group ...]
#
# deqp-vk is the user's own build of the CTS (external/vulkancts/modules/vulkan
# in a VK-GL-CTS build tree); the project never carries or builds it. Without
# groups, every group of the issue's list runs. PANVK_BUILD_DIR picks the
# build tree (default: build/), PANTHOR_MOCK_VERSION the kernel version the
# mock plays, CTS_OUT where logs go (default: a new temporary directory).
# A case that kills deqp-vk counts as crashed; the run goes on with the cases
# after it. Exit status: 0 when no case failed or crashed.
set -euo pipefail

if [ $# -lt 1 ] || [ ! -x "$1" ]; then
   echo "usage: $0 /path/to/deqp-vk [group ...]" >&2
   exit 2
fi
deqp="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
shift
groups=("$@")
if [ ${#groups[@]} -eq 0 ]; then
   groups=(buffer queue_bind transfer_queue image_sparse_binding mipmap_sparse_residency
           image_block_shapes aligned_mip_size image_sparse_residency mipmap_sparse_binding
           image_rebind shader_intrinsics)
fi

root="$(cd "$(dirname "$0")/.." && pwd)"
build="${PANVK_BUILD_DIR:-$root/build}"
[ -f "$build/build.ninja" ] || meson setup "$build" "$root" >/dev/null
ninja -C "$build" src/panfrost/vulkan/libvulkan_panfrost.so >/dev/null
export VK_ICD_FILENAMES="$build/src/panfrost/vulkan/panvk_devenv_icd.json"
export PAN_KMOD=mock
out="${CTS_OUT:-$(mktemp -d /tmp/panvk-cts.XXXXXX)}"
mkdir -p "$out"

# deqp-vk finds its data (vulkan/...) relative to its working directory.
cd "$(dirname "$deqp")"
"$deqp" --deqp-runmode=txt-caselist --deqp-log-images=disable >"$out/caselist.log" 2>&1 || true
caselist="$(pwd)/dEQP-VK-cases.txt"
if [ ! -f "$caselist" ]; then
   echo "deqp-vk wrote no case list (see $out/caselist.log)" >&2
   exit 2
fi

status=0
printf '%-32s %8s %8s %14s %8s\n' group passed failed "not supported" crashed
for group in "${groups[@]}"; do
   prefix="dEQP-VK.sparse_resources.$group."
   grep "^TEST: $prefix" "$caselist" | sed 's/^TEST: //' >"$out/$group.cases" || true
   : >"$out/$group.results"
   remaining="$out/$group.cases"
   run=0
   # Each pass runs the cases not yet finished; a crash ends a pass early.
   while [ -s "$remaining" ]; do
      run=$((run + 1))
      log="$out/$group.$run.qpa"
      "$deqp" --deqp-caselist-file="$remaining" --deqp-compute-only=enable \
         --deqp-log-filename="$log" --deqp-log-images=disable --deqp-log-shader-sources=disable \
         >"$out/$group.$run.log" 2>&1 || true
      next="$out/$group.remaining.$run"
      python3 - "$log" "$remaining" "$out/$group.results" "$next" <<'PY'
import re, sys
log, remaining, results, nextfile = sys.argv[1:]
cases = [l.strip() for l in open(remaining) if l.strip()]
done, started = {}, None
try:
    text = open(log, errors="replace").read()
except FileNotFoundError:
    text = ""
for line in text.splitlines():
    if line.startswith("#beginTestCaseResult "):
        started = line.split(" ", 1)[1].strip()
    elif line.startswith("#endTestCaseResult") or line.startswith("#terminateTestCaseResult"):
        if started:
            done.setdefault(started, "Crash" if line.startswith("#terminate") else None)
        started = None
    elif started and "StatusCode=" in line and started not in done:
        m = re.search(r'StatusCode="([^"]+)"', line)
        if m:
            done[started] = m.group(1)
with open(results, "a") as r:
    for case, code in done.items():
        r.write(f"{case} {code or 'Crash'}\n")
    # The case running when deqp-vk died.
    if started:
        r.write(f"{started} Crash\n")
        done[started] = "Crash"
left = [c for c in cases if c not in done]
# Nothing finished at all: everything left is lost to the same crash.
if not done and left:
    with open(results, "a") as r:
        r.write(f"{left[0]} Crash\n")
    left = left[1:]
open(nextfile, "w").write("".join(c + "\n" for c in left))
PY
      remaining="$next"
   done
   read -r passed failed unsupported crashed < <(awk '
      $2 == "Pass" || $2 == "QualityWarning" || $2 == "CompatibilityWarning" { p++ }
      $2 == "Fail" || $2 == "InternalError" || $2 == "ResourceError" || $2 == "Timeout" { f++ }
      $2 == "NotSupported" { n++ }
      $2 == "Crash" { c++ }
      END { printf "%d %d %d %d\n", p, f, n, c }' "$out/$group.results")
   printf '%-32s %8d %8d %14d %8d\n' "$group" "$passed" "$failed" "$unsupported" "$crashed"
   [ "$failed" -eq 0 ] && [ "$crashed" -eq 0 ] || status=1
done
echo "logs: $out"
exit $status
