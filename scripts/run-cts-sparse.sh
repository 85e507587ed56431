#!/usr/bin/env bash
# Runs the Khronos CTS's dEQP-VK.sparse_resources groups against the
# build-tree driver on the mock kernel, and prints per group how many cases
# passed, passed with a warning, failed, lost the device, timed out, were not
# supported or crashed.
#
#   scripts/run-cts-sparse.sh /path/to/deqp-vk [group ...]
#
# deqp-vk is the user's own build of the CTS (external/vulkancts/modules/vulkan
# in a VK-GL-CTS build tree); the project never carries or builds it. Without
# groups, every group of the default list below runs. PANVK_BUILD_DIR picks the
# build tree (default: build/), PANTHOR_MOCK_VERSION the kernel version the
# mock plays, CTS_OUT where logs go (default: a new temporary directory),
# CTS_CASE_FILTER an extended regular expression: only the cases whose full
# name matches it run.
# A case that kills deqp-vk counts as crashed; the run goes on with the cases
# after it. Exit status: 0 when every case passed (possibly with a warning) or
# was not supported; 1 when a case failed, lost the device, timed out or
# crashed; 2 on a usage error (a group this deqp-vk does not have, a filter that
# matches nothing) or when the driver does not build.
set -euo pipefail

if [ $# -lt 1 ] || [ ! -x "$1" ]; then
   echo "usage: $0 /path/to/deqp-vk [group ...]" >&2
   exit 2
fi
deqp="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
shift
groups=("$@")
if [ ${#groups[@]} -eq 0 ]; then
   groups=(buffer queue_bind transfer_queue image_sparse_binding image_sparse_residency
           mipmap_sparse_residency image_block_shapes aligned_mip_size image_rebind
           image_sparse_memory_aliasing multisampled_image_sparse_binding
           multisampled_image_sparse_residency shader_intrinsics
           device_group_image_sparse_binding device_group_image_sparse_residency
           device_group_mipmap_sparse_residency device_group_image_sparse_memory_aliasing)
fi

root="$(cd "$(dirname "$0")/.." && pwd)"
build="${PANVK_BUILD_DIR:-$root/build}"
out="${CTS_OUT:-$(mktemp -d /tmp/panvk-cts.XXXXXX)}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

build_log="$out/driver-build.log"
build_failed() {
   echo "$0: the driver did not build; see $build_log" >&2
   exit 2
}
: >"$build_log"
if [ ! -f "$build/build.ninja" ]; then
   meson setup "$build" "$root" >>"$build_log" 2>&1 || build_failed
fi
nice ninja -C "$build" src/panfrost/vulkan/libvulkan_panfrost.so >>"$build_log" 2>&1 || build_failed
export VK_ICD_FILENAMES="$build/src/panfrost/vulkan/panvk_devenv_icd.json"
export PAN_KMOD=mock

# Older CTS builds have --deqp-compute-only=enable (run what a compute-only
# device can run); CTS main removed it (commit f1df0b801, 2026-07-17) and a
# deqp-vk that does not know an option refuses to start, so pass it only when
# this binary's --help lists it.
deqp_options=(--deqp-log-images=disable --deqp-log-shader-sources=disable)
help_text="$("$deqp" --help 2>&1 || true)"
case "$help_text" in
   *--deqp-compute-only*) deqp_options+=(--deqp-compute-only=enable) ;;
esac

# deqp-vk finds its data (vulkan/...) relative to its working directory.
cd "$(dirname "$deqp")"
"$deqp" --deqp-runmode=txt-caselist \
   --deqp-caselist-export-file="$out/\${packageName}-cases.\${typeExtension}" \
   >"$out/caselist.log" 2>&1 || true
caselist="$out/dEQP-VK-cases.txt"
if [ ! -f "$caselist" ]; then
   echo "$0: deqp-vk wrote no case list (see $out/caselist.log)" >&2
   exit 2
fi
known_groups="$(sed -n 's/^TEST: dEQP-VK\.sparse_resources\.\([^.]*\)\..*/\1/p' "$caselist" | sort -u)"

usage_error=0
for group in "${groups[@]}"; do
   if ! grep -qxF -- "$group" <<<"$known_groups"; then
      echo "$0: this deqp-vk has no group dEQP-VK.sparse_resources.$group" \
           "(it has: $(paste -sd" " <<<"$known_groups"))" >&2
      usage_error=1
   fi
done

status=0
cases_run=0
printf '%-42s %8s %8s %8s %12s %8s %14s %8s\n' \
   group passed warning failed "device lost" timeout "not supported" crashed
for group in "${groups[@]}"; do
   if ! grep -qxF -- "$group" <<<"$known_groups"; then
      printf '%-42s %s\n' "$group" "(no such group: nothing run)"
      continue
   fi
   prefix="TEST: dEQP-VK.sparse_resources.$group."
   awk -v prefix="$prefix" 'index($0, prefix) == 1 { print substr($0, 7) }' "$caselist" \
      | grep -E -- "${CTS_CASE_FILTER:-.}" >"$out/$group.cases" || true
   if [ ! -s "$out/$group.cases" ]; then
      printf '%-42s %s\n' "$group" "(no case matches CTS_CASE_FILTER)"
      continue
   fi
   cases_run=$((cases_run + $(wc -l <"$out/$group.cases")))
   : >"$out/$group.results"
   remaining="$out/$group.cases"
   run=0
   # Each pass runs the cases not yet finished; a crash or a lost device ends
   # a pass early (deqp-vk aborts the run after VK_ERROR_DEVICE_LOST).
   while [ -s "$remaining" ]; do
      run=$((run + 1))
      log="$out/$group.$run.qpa"
      "$deqp" --deqp-caselist-file="$remaining" --deqp-log-filename="$log" "${deqp_options[@]}" \
         >"$out/$group.$run.log" 2>&1 || true
      next="$out/$group.remaining.$run"
      parse_status=0
      python3 - "$log" "$remaining" "$out/$group.results" "$next" <<'PY' || parse_status=$?
import re, sys
log, remaining, results, nextfile = sys.argv[1:]
cases = [l.strip() for l in open(remaining) if l.strip()]
finished, running, code, began = {}, None, None, False
try:
    text = open(log, errors="replace").read()
except FileNotFoundError:
    text = ""
for line in text.splitlines():
    if line.startswith("#beginTestCaseResult "):
        running, code, began = line.split(" ", 1)[1].strip(), None, True
    elif line.startswith("#terminateTestCaseResult") and running:
        # deqp-vk's watchdog or crash handler ended the case; the word after
        # the marker is its status code (Crash or Timeout).
        words = line.split()
        finished[running] = words[1] if len(words) > 1 else "Crash"
        running = None
    elif line.startswith("#endTestCaseResult") and running:
        finished[running] = code or "Crash"
        running = None
    elif running and code is None:
        match = re.search(r'<Result StatusCode="([^"]+)"', line)
        if match:
            code = match.group(1)
# The case running when deqp-vk died.
if running:
    finished[running] = "Crash"
left = [c for c in cases if c not in finished]
# deqp-vk died before its first case: every later pass would do the same.
if not began:
    finished.update((c, "Crash") for c in left)
    left = []
with open(results, "a") as r:
    r.writelines(f"{case} {status}\n" for case, status in finished.items())
open(nextfile, "w").write("".join(c + "\n" for c in left))
sys.exit(0 if began else 3)
PY
      if [ "$parse_status" -eq 3 ]; then
         echo "$0: deqp-vk started no case of $group (see $out/$group.$run.log);" \
              "its remaining cases count as crashed" >&2
      elif [ "$parse_status" -ne 0 ]; then
         echo "$0: could not read $log" >&2
         exit 2
      fi
      remaining="$next"
   done
   # Warnings (QualityWarning, CompatibilityWarning, CapabilityWarning) are
   # passes whose result is valid but which deqp-vk flags, so they get their
   # own column and do not fail the run. Waiver (a case skipped by a waiver
   # file, which this script never passes) counts as not supported. Timeout
   # has its own column and fails the run. Any other code (Fail,
   # InternalError, ResourceError, ...) counts as failed.
   read -r passed warned failed lost timedout unsupported crashed < <(awk '
      $2 == "Pass" { p++; next }
      $2 == "QualityWarning" || $2 == "CompatibilityWarning" || $2 == "CapabilityWarning" { w++; next }
      $2 == "NotSupported" || $2 == "Waiver" { n++; next }
      $2 == "DeviceLost" { d++; next }
      $2 == "Timeout" { t++; next }
      $2 == "Crash" { c++; next }
      { f++ }
      END { printf "%d %d %d %d %d %d %d\n", p, w, f, d, t, n, c }' "$out/$group.results")
   printf '%-42s %8d %8d %8d %12d %8d %14d %8d\n' \
      "$group" "$passed" "$warned" "$failed" "$lost" "$timedout" "$unsupported" "$crashed"
   [ $((failed + lost + timedout + crashed)) -eq 0 ] || status=1
done
echo "logs: $out"
if [ -n "${CTS_CASE_FILTER:-}" ] && [ "$cases_run" -eq 0 ]; then
   echo "$0: CTS_CASE_FILTER '$CTS_CASE_FILTER' matches no case of the groups asked for" >&2
   usage_error=1
fi
[ "$usage_error" -eq 0 ] || exit 2
exit $status
