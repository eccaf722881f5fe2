#!/bin/bash
# Where a batch's CPU goes, by JVM thread: runs `deidentify IN` with run.sh's JVM options (plus any given here) and
# reads every thread's user+sys time from /proc twice a second; prints CPU s per thread group (worker threads, C1 and
# C2 compiler threads, the VM thread = the serial GC, H2's threads...). -XX:+CITime reports each compile's *elapsed*
# time, which on a busy 2-core machine overstates the compiler's CPU; this does not.
#   bench/thread-cpu.sh IN [extra JVM options...]     (IN: a folder of DICOM files, e.g. from ./run.sh synth --ct)
set -euo pipefail
[ $# -ge 1 ] || { sed -n '2,/^set -e/p' "$0" | grep '^#' | sed 's/^# *//' >&2; exit 2; }  # usage: the header comment
in=$(realpath "$1"); shift
cd "$(dirname "$0")/.."
. bench/threads.sh
scratch=$(mktemp -d "${BENCH_DIR:-/dev/shm}/haven-threads-XXXX")
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/ws"
# shellcheck disable=SC2046
HAVEN_WORKSPACE="$scratch/ws" $(./run.sh java) $(./run.sh java-opts) "$@" -jar target/haven.jar deidentify "$in" "$scratch/out" \
  --profile research > "$scratch/log" 2>&1 &
pid=$!
while kill -0 "$pid" 2>/dev/null; do   # sampled as it runs: a thread's last reading stands after it ends
  thread_snapshot "$pid"
  sleep 0.5
done
wait "$pid" || { echo "deidentify failed:" >&2; tail -5 "$scratch/log" >&2; exit 1; }
for tid in "${!cpu[@]}"; do echo "${name[$tid]}|${cpu[$tid]}"; done | thread_report
