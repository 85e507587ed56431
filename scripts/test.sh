#!/usr/bin/env bash
# Builds the project and runs every test; ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
broken() { echo "$1"; echo "0 passed, 1 failed"; exit 1; }
scripts/install-deps.sh || broken "installing the dependencies failed"
[ -f build/build.ninja ] || meson setup build || broken "meson setup failed"
ninja -C build || broken "the build failed"
log=build/meson-logs/test-summary.txt
meson test -C build --print-errorlogs --num-processes 2 "$@" | tee "$log"
status=${PIPESTATUS[0]}
# meson's summary lines ("Ok: N", "Fail: N", ...) as one plain line.
count() { grep -E "^$1:" "$log" | tail -n 1 | grep -oE '[0-9]+' | tail -n 1; }
ok=$(count Ok); expfail=$(count "Expected Fail"); fail=$(count Fail)
unexpass=$(count "Unexpected Pass"); skipped=$(count Skipped); timeout=$(count Timeout)
passed=$(( ${ok:-0} + ${expfail:-0} ))
failed=$(( ${fail:-0} + ${unexpass:-0} + ${timeout:-0} ))
echo "${passed} passed, ${failed} failed, ${skipped:-0} skipped"
exit $status
