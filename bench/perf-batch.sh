#!/bin/bash
# Where a batch's workers spend their CPU, kernel included: `perf record -g` of `deidentify IN` (run.sh's JVM options
# plus a perf map of the JIT's code), skipping the first DELAY seconds (start-up and warm-up), then a summary of the
# worker threads' samples: the share in the kernel, in the JVM and in compiled Java by library, and for kernel time
# the Java frame that made the system call. JFR samples Java frames only, so it misses the kernel; this does not.
# Needs perf (linux-perf) and python3.
#   bench/perf-batch.sh IN [DELAY_S [extra JVM options...]]
set -euo pipefail
[ $# -ge 1 ] || { sed -n '2,/^set -e/p' "$0" | grep '^#' | sed 's/^# *//' >&2; exit 2; }  # usage: the header comment
in=$(realpath "$1"); delay=${2:-0}; shift; [ $# -gt 0 ] && shift
command -v perf >/dev/null || { echo "perf not found (apt-get install -y linux-perf)" >&2; exit 1; }
cd "$(dirname "$0")/.."
scratch=$(mktemp -d "${BENCH_DIR:-/dev/shm}/haven-perf-XXXX")
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/ws"
# shellcheck disable=SC2046
HAVEN_WORKSPACE="$scratch/ws" perf record -F 499 -g --delay "$((delay * 1000))" -o "$scratch/perf.data" -- \
  $(./run.sh java) $(./run.sh java-opts) -XX:+PreserveFramePointer -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit \
  "$@" -jar target/haven.jar deidentify "$in" "$scratch/out" --profile research > "$scratch/log" 2>&1 \
  || { echo "deidentify failed:" >&2; tail -5 "$scratch/log" >&2; exit 1; }
perf script -i "$scratch/perf.data" -F comm,ip,sym,dso 2>/dev/null | python3 -c '
import collections, re, sys
samples, cur = [], None
for line in sys.stdin:
    line = line.rstrip("\n")
    if not line.strip():
        if cur is not None: samples.append(cur)
        cur = None
    elif not line[0].isspace():
        cur = (line.split()[0], [])
    elif cur is not None:
        m = re.match(r"\s*\S+ (.*) \((.*)\)$", line)
        if m: cur[1].append((m.group(1), m.group(2)))
workers = [f for c, f in samples if c.startswith("haven-batch") and f]
n = len(workers) or 1
def method(sym): return sym.split("(")[0].split(" ")[-1]
def library(frames):
    for sym, dso in frames:
        name = method(sym)
        if not name: return sym.strip()  # "StubRoutines (2)", "Interpreter": code the JVM generates
        if "(" in sym and not name.startswith(("java.", "jdk.", "sun.", "javax.")):
            parts = name.split(".")
            return ".".join(parts[:3] if name.startswith("org.haven.") else parts[:2])
    return "JDK"
where, caller = collections.Counter(), collections.Counter()
for frames in workers:
    dso = frames[0][1]
    if "kernel" in dso:
        where["kernel"] += 1
        java = next((method(s) for s, d in frames if "(" in s and "kernel" not in d), "(no Java frame)")
        caller[java] += 1
    elif "libjvm" in dso: where["JVM (libjvm)"] += 1
    elif "libc" in dso: where["libc"] += 1
    else: where["Java: " + library(frames)] += 1
print(f"{len(workers)} samples of the worker threads ({len(samples)} in all)")
for k, v in where.most_common(20): print(f"{100 * v / n:6.1f} %  {k}")
print("kernel time by the Java frame that made the call:")
for k, v in caller.most_common(12): print(f"{100 * v / n:6.1f} %  {k}")
'
