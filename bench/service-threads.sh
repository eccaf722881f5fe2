#!/bin/bash
# Where a service node's CPU goes, by JVM thread: starts a node (`run`, run.sh's JVM options for it plus any given here) on a
# scratch workspace, drops IN into its inbox, waits until every file is released, and prints CPU s per thread group
# between the drop and the last release (consumers = "Camel", intake = "haven-inbox", ActiveMQ, C2, C1, the VM
# thread = the serial GC). /proc is read only at the drop and at the end: reading it twice a second from bash cost
# more CPU than some of the groups it measured. A thread that ends before the last release is not counted.
#   bench/service-threads.sh IN [extra JVM options...]      (IN: a folder of DICOM files every device of which is
#                                                             released by the default registry, e.g. ./run.sh synth --ct)
# The node's settings come from the environment as usual, e.g. HAVEN_DB_URL='jdbc:h2:file:/dev/shm/x/haven;WRITE_DELAY=500'.
# HISTO=1 also prints H2's chunk records from a class histogram before the node stops (it forces a full GC).
# WARM=DIR drops DIR first (files of other content than IN's, e.g. another --seed) and measures IN on the warm node.
# PERF=FILE also records the node with `perf record -g` over the measured drop into FILE (start the node with
# -XX:+PreserveFramePointer -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit for the JIT's frames; the map is
# written when the node stops, at the end of this script; read it with `perf script -i FILE`).
set -euo pipefail
[ $# -ge 1 ] || { sed -n '2,/^set -e/p' "$0" | grep '^#' | sed 's/^# *//' >&2; exit 2; }  # usage: the header comment
in=$(realpath "$1"); shift
cd "$(dirname "$0")/.."
. bench/threads.sh
svc=$(mktemp -d "${BENCH_DIR:-/dev/shm}/haven-svc-XXXX")
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$svc"' EXIT
mkdir -p "$svc/inbox"
n=$(find "$in" -type f | wc -l)
cp -r "$in" "$svc/drop"
# shellcheck disable=SC2046
HAVEN_WORKSPACE="$svc" $(./run.sh java) $(./run.sh java-opts run) "$@" -jar target/haven.jar run > "$svc/log" 2>&1 &
pid=$!
for _ in $(seq 1 240); do grep -qs 'Haven node .* started' "$svc/log" && break; sleep 0.5; done
grep -qs 'Haven node .* started' "$svc/log" || { echo "node did not start:" >&2; tail -5 "$svc/log" >&2; exit 1; }
released=0
drop() { # folder name, files to wait for in release/ in all: moves the copy into the inbox and waits until they are released
  local last=0 idle=0
  mv "$svc/$1" "$svc/inbox/$1"
  while [ "$released" -lt "$2" ]; do
    sleep 0.5
    released=$(find "$svc/release" -name '*.dcm' 2>/dev/null | wc -l)
    if [ "$released" = "$last" ]; then idle=$((idle + 1)); else idle=0; last=$released; fi
    [ "$idle" -lt 240 ] || { echo "no release for 120 s: $released of $2 released (held files? see the node's quarantine)" >&2; exit 1; }
  done
}
if [ -n "${WARM:-}" ]; then   # a warm node: WARM's files are dropped and released first, outside the measured span
  cp -r "$(realpath "$WARM")" "$svc/warm"
  drop warm "$(find "$svc/warm" -type f | wc -l)"
  echo "warm-up: $released files released before the measured drop"
  n=$((n + released))
fi
declare -A base
thread_snapshot "$pid"; for k in "${!cpu[@]}"; do base[$k]=${cpu[$k]}; done
t0=$(date +%s.%N)
warm=$released
if [ -n "${PERF:-}" ]; then perf record -F 499 -g -p "$pid" -o "$PERF" >/dev/null 2>&1 & perf_pid=$!; fi
drop drop "$n"
if [ -n "${PERF:-}" ]; then kill -INT "$perf_pid"; wait "$perf_pid" || true; fi
released=$((released - warm))
t1=$(date +%s.%N)
thread_snapshot "$pid"
echo "released $released in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s; peak RSS $(awk '/VmHWM/ { printf "%d", $2 / 1024 }' /proc/"$pid"/status) MB"
[ -n "${HISTO:-}" ] && jcmd "$pid" GC.class_histogram 2>/dev/null | grep -E 'SFChunk|^Total' || true
for tid in "${!cpu[@]}"; do echo "${name[$tid]}|$(( ${cpu[$tid]} - ${base[$tid]:-0} ))"; done | thread_report 0.3
if [ -n "${PERF:-}" ]; then kill "$pid"; wait "$pid" || true; pid=""; fi   # a normal exit writes the JIT's perf map
