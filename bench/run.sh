#!/usr/bin/env bash
# Haven benchmark (issue #19 item 6): Haven vs cp -r (floor), gdcmanon -e (GDCM) and dcmodify (dcmtk) on the same
# generated CT sets, in one run, every tool into a fresh folder on tmpfs. Reports files/s, CPU s per 1,000 files
# (user+sys) and peak RSS; Haven's start-up CPU (1 file) and marginal CPU per file (large run - 5,000-file run).
# See bench/README.md.
#
#   bench/run.sh [--files N] [--patients P] [--large N] [--sizes "39k 531k"] [--service] [--service-files N]
#                [--nodes 2] [--synth PATIENTS] [--corpus DIR] [--profile P] [--jfr] [--seed S] [--haven-only]
#
# Prints one TSV line per (dataset, tool) and writes bench/results/<UTC timestamp>.tsv.
# BENCH_NODE_ENV="K=V ..." sets environment variables for the service nodes only (not the batch runs), e.g. a bound:
# BENCH_NODE_ENV="HAVEN_BROKER_PERSISTENT=false" (values without spaces).
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
REPO=$PWD

FILES=5000            # per CT set
PATIENTS=50
LARGE=100000          # Haven only, 39 KB files, same files per patient as the 5,000-file set; 0 = skip
SIZES="39k 531k"
SERVICE=0             # also: service mode (drop folder on a running node) on the 39 KB set
SERVICE_FILES=0       # also: service mode on a drop of this many 39 KB files (e.g. 100000: the node's memory), 0 = none
NODES=0               # also: service mode on PostgreSQL and a broker over TCP, one node then NODES nodes (item 4)
SYNTH=0               # also: the messy synthetic archive (synth --patients N), the old default
CORPUS=""             # also: a copy of a real-world corpus (e.g. ../shared/corpus)
PROFILE=research
SEED=20261125
JFR=0
ONLY_HAVEN=""         # --haven-only: skip the peers (e.g. to compare Haven's JVM options)
usage() { sed -n '7,8p' "$0" | sed 's/^# *//' >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --files) FILES=$2; shift 2 ;;
    --patients) PATIENTS=$2; shift 2 ;;
    --large) LARGE=$2; shift 2 ;;
    --sizes) SIZES=$2; shift 2 ;;
    --service) SERVICE=1; shift ;;
    --service-files) SERVICE_FILES=$2; shift 2 ;;
    --nodes) NODES=$2; shift 2 ;;
    --synth) SYNTH=$2; shift 2 ;;
    --corpus) CORPUS=$2; shift 2 ;;
    --profile) PROFILE=$2; shift 2 ;;
    --seed) SEED=$2; shift 2 ;;
    --jfr) JFR=1; shift ;;
    --haven-only) ONLY_HAVEN=1; shift ;;
    *) usage ;;
  esac
done

# bench's own prerequisites (not run.sh's: the tests do not need them)
for t in dcmodify gdcmanon openssl /usr/bin/time; do
  command -v "$t" >/dev/null || { echo "bench: $t missing (apt-get install -y dcmtk libgdcm-tools openssl time)" >&2; exit 2; }
done

B=${BENCH_DIR:-/dev/shm/haven-bench-$$}      # tmpfs: no disk, no ext4 inode cost on create-after-delete
DISK_DIR=${BENCH_DISK_DIR:-/var/tmp/haven-bench-$$}   # the 10^5 run when tmpfs is short
mkdir -p "$B/in" "$B/out" "$REPO/bench/results"
NODE_PID=""
TMPFS_DIR=$B
cleanup() { [ -n "$NODE_PID" ] && kill $NODE_PID 2>/dev/null; rm -rf "$TMPFS_DIR" "$DISK_DIR"; }
trap cleanup EXIT
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
TSV="$REPO/bench/results/$STAMP.tsv"

./run.sh build >&2                               # the jar (and what run.sh builds with it), as ./run.sh runs it
read -r -a JOPTS <<<"$(./run.sh java-opts)"      # the JVM options ./run.sh uses (HAVEN_JAVA_OPTS or its defaults)
read -r -a NODE_JOPTS <<<"$(./run.sh java-opts run)"   # and those of a service node (./run.sh run)
JAVA=$(./run.sh java)                            # and its java (a JDK 25+ when installed, else the one on PATH)
HAVEN=("$JAVA" "${JOPTS[@]}" -jar target/haven.jar)
# Haven's workspace (staged and retained originals, batch stores, key file, service inbox) on tmpfs too; one key
# for every run of this benchmark.
export HAVEN_WORKSPACE="$B/ws"
export HAVEN_FORCE_PROFILE="$PROFILE"

openssl req -x509 -newkey rsa:2048 -nodes -keyout "$B/key.pem" -out "$B/cert.pem" -days 1 -subj /CN=bench 2>/dev/null

# dcmodify edits in place: copy, then the basic edits Haven's profile makes on every file (names, IDs, birth date,
# accession, institution, referring physician, dates emptied, new SOP instance UID), private attributes removed.
DCMODIFY_EDITS=(-nb -q -ie -imt -ma "(0010,0010)=ANON" -ma "(0010,0020)=ANON" -ea "(0010,0030)" -ea "(0008,0050)"
  -ea "(0008,0080)" -ea "(0008,0090)" -ma "(0008,0020)=" -ma "(0008,0030)=" -ea "(0010,1000)" -gin -ep)
TIMEFMT='%e %U %S %M'    # wall s, user s, sys s, max RSS KB (largest process of the tree)

load() { cut -d' ' -f1-3 /proc/loadavg; }
count_files() { find "$1" -type f -name "${2:-*}" 2>/dev/null | wc -l; }

row() { # dataset tool files_in files_out wall user sys rss_kb note
  awk -v ds="$1" -v tool="$2" -v n="$3" -v out="$4" -v w="$5" -v u="$6" -v s="$7" -v rss="$8" -v note="$9" 'BEGIN {
    cpu = u + s
    printf "%s\t%s\t%d\t%d\t%.2f\t%.0f\t%.2f\t%.2f\t%.0f\t%s\n", ds, tool, n, out, w, (w > 0 ? n / w : 0), cpu,
      (n > 0 ? cpu * 1000 / n : 0), rss / 1024, note }' | tee -a "$TSV"
}

run_tool() { # dataset tool
  local ds=$1 tool=$2 in="$B/in/$1" out="$B/out/$1-$2" tf="$B/time-$1-$2" note="" rc=0
  rm -rf "$out"
  case "$tool" in
    cp)        /usr/bin/time -f "$TIMEFMT" -o "$tf" cp -r "$in" "$out" ;;
    dcmodify)  /usr/bin/time -f "$TIMEFMT" -o "$tf" bash -c 'cp -r "$1" "$2" && find "$2" -type f -print0 | xargs -0 dcmodify "${@:3}" 2>/dev/null || true' _ "$in" "$out" "${DCMODIFY_EDITS[@]}" ;;
    gdcmanon)
      mkdir -p "$out"
      if [ "$ds" != corpus ]; then   # one process, recursive
        /usr/bin/time -f "$TIMEFMT" -o "$tf" gdcmanon -e -r --continue -c "$B/cert.pem" -i "$in" -o "$out" >/dev/null 2>&1 || true
      else                           # real-world files: it stops at the first file it cannot handle, so one process per file
        /usr/bin/time -f "$TIMEFMT" -o "$tf" bash -c 'cd "$1" && find . -type f | while read -r f; do mkdir -p "$2/$(dirname "$f")"
          gdcmanon -e --continue -c "$3" -i "$f" -o "$2/$f" >/dev/null 2>&1 || true; done' _ "$in" "$out" "$B/cert.pem"
      fi ;;
    haven)
      local opts=()
      [ "$JFR" = 1 ] && opts=("-XX:StartFlightRecording=filename=$B/haven-$ds.jfr,settings=profile")
      # what ./run.sh deidentify execs, minus its setup and rebuild checks (a rebuild inside the timed run would be
      # measured as Haven)
      /usr/bin/time -f "$TIMEFMT" -o "$tf" "$JAVA" "${JOPTS[@]}" "${opts[@]}" -jar target/haven.jar deidentify "$in" "$out" --profile "$PROFILE" >"$B/haven-$ds.log" 2>&1 || rc=$?
      gzip -c "$B/haven-$ds.log" >"$REPO/bench/results/$STAMP-haven-$ds.log.gz"
      [ "$rc" = 0 ] || note="exit $rc (log: bench/results/$STAMP-haven-$ds.log.gz)"
      local steady; steady=$(haven_steady)
      note="${note:+$note; }steady ${steady} files/s; $(grep -E '^(released|quarantined:[a-z-]+|identical copies|undecided) ' "$B/haven-$ds.log" | tr -s ' ' | paste -sd, - || true)"
      rm -rf "$B/ws/batch" ;;        # its store and retained originals: tmpfs space for the next run
  esac
  local n_in n_out
  n_in=$(count_files "$in")
  if [ "$tool" = haven ]; then n_out=$(count_files "$out/release" '*.dcm'); else n_out=$(count_files "$out"); fi
  read -r w u s rss < <(grep -E '^[0-9.]+ [0-9.]+ [0-9.]+ [0-9]+$' "$tf" | tail -1)
  row "$ds" "$tool" "$n_in" "$n_out" "$w" "$u" "$s" "$rss" "$note"
  rm -rf "$out"
}

# Steady state from the batch run's store: files decided / (last decided_at - first received_at).
haven_steady() {
  local db; db=$(find "$B/ws/batch" -maxdepth 2 -name db -type d 2>/dev/null | head -1)
  [ -n "$db" ] || { echo "-"; return; }
  { java -cp target/haven.jar org.h2.tools.Shell -url "jdbc:h2:file:$db/haven" -user sa -password "$(cat "$db/haven.password" 2>/dev/null)" -sql \
    "select count(*) || ' ' || datediff('MILLISECOND', min(f.received_at), max(o.decided_at)) || ' ' || datediff('MILLISECOND',
       (select decided_at from file_outcome order by decided_at offset (select count(*) / 2 from file_outcome) rows fetch next 1 row only),
       max(o.decided_at)) from haven_file f join file_outcome o on o.file_id = f.file_id" 2>/dev/null \
    | awk 'NR == 2 { if ($2 > 0) printf "%.0f", $1 * 1000 / $2; else printf "-"
                     if ($3 > 0) printf " (second half %.0f)", ($1 - int($1 / 2) - 1) * 1000 / $3 }'; } || echo "-"
}

# A service node's pace over the second half of its last N releases (the nodes' logs: "released file" lines, time of
# day first): files released after the median one / (last - median), as haven_steady measures the batch's.
second_half_pace() { # N log files...
  local n=$1; shift
  grep -h 'released file' "$@" | awk '{ split($1, a, ":"); print a[1] * 3600 + a[2] * 60 + a[3] }' | sort -n | tail -n "$n" \
    | awk '{ t[NR] = $1 } END { m = int(NR / 2) + 1; if (NR > 2 && t[NR] > t[m]) printf "%.0f", (NR - m) / (t[NR] - t[m]); else printf "-" }'
}

# Service mode: a running node (./run.sh's `run`, its defaults: drop-folder poll, persistent broker, store) takes
# the set dropped at once into inbox/bench/; files/s from the drop to the last file released, CPU of the node in
# that span (from /proc), its peak RSS over its life. A copy of the set is moved in (same tmpfs: one rename).
# With NODES (1 or more): the store is a fresh PostgreSQL schema (127.0.0.1:5432, database test) and node-a's
# embedded broker listens on TCP; node-b.. share its workspace, broker and store (as ScaleOutTest's nodes do) and
# only consume (no drop-folder poll). CPU is the nodes' plus PostgreSQL's (every postgres process of the machine).
PG_URL=jdbc:postgresql://127.0.0.1:5432/test
BROKER_PORT=${BENCH_BROKER_PORT:-61626}
node_env() { # index (0 = node-a) schema: the settings of one node on the shared store and broker
  local letters=abcdefghij
  echo HAVEN_NODE="node-${letters:$1:1}" HAVEN_DB_URL="$PG_URL?currentSchema=$2" HAVEN_DB_USER=postgres
  if [ "$1" = 0 ]; then echo HAVEN_BROKER_LISTEN="tcp://127.0.0.1:$BROKER_PORT"
  else   # a worker only: no drop-folder poll, no review app or /metrics (node-a's ports)
    echo HAVEN_BROKER_EMBEDDED=false HAVEN_BROKER_URL="tcp://127.0.0.1:$BROKER_PORT" HAVEN_INBOX_ENABLED=false \
      HAVEN_WEB_ENABLED=false HAVEN_OPS_METRICS_ENABLED=false
  fi
}
pg_cpu() { # CPU ticks of every postgres process
  local p c=0
  for p in $(pgrep -u postgres); do c=$((c + $(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0))); done
  echo "$c"
}
psql_q() { PGOPTIONS=--client-min-messages=warning psql -q -h 127.0.0.1 -U postgres -d test "$@"; }
run_service() { # dataset [nodes: 0 = the default node (H2, in-process broker); N = N nodes on PostgreSQL + TCP broker] [warm set]
  # With a warm set (another set of files, e.g. another --seed), the same node then takes that as a second drop:
  # row haven-service-warm, the node's sustained rate once its JIT has compiled the journey (a node runs for months).
  local ds=$1 nodes=${2:-0} warm=${3:-} in="$B/in/$1" svc="$B/svc" n tck tool=haven-service schema="" i
  [ "$nodes" -gt 0 ] && { tool=haven-service-pg-${nodes}node; schema=haven_bench_$$; }
  local log="$B/$tool-$ds.log"
  n=$(count_files "$in"); tck=$(getconf CLK_TCK)
  rm -rf "$svc"; mkdir -p "$svc/inbox"
  cp -r "$in" "$svc/drop"      # a copy: the node consumes what is dropped, and the set may be dropped again
  if [ -n "$schema" ]; then
    psql_q -c "drop schema if exists $schema cascade" -c "create schema $schema" >/dev/null
  fi
  NODE_PID=""
  for ((i = 0; i < (nodes > 0 ? nodes : 1); i++)); do
    local nlog="$log"; [ "$i" -gt 0 ] && nlog="$log.$i"
    local pin=()   # BENCH_NODE_CPUS="0 1": node i runs on the i-th listed CPU only (a machine per node, as far as one shows)
    if [ -n "${BENCH_NODE_CPUS:-}" ]; then local cpus=($BENCH_NODE_CPUS); pin=(taskset -c "${cpus[$i]}"); fi
    # shellcheck disable=SC2046
    env ${BENCH_NODE_ENV:-} HAVEN_WORKSPACE="$svc" HAVEN_SECRET_KEY_FILE="$B/ws/secret.key" $([ -n "$schema" ] && node_env "$i" "$schema") \
      "${pin[@]}" "$JAVA" "${NODE_JOPTS[@]}" -jar target/haven.jar run >"$nlog" 2>&1 &
    NODE_PID="$NODE_PID $!"
    for _ in $(seq 1 240); do grep -qs 'Haven node .* started' "$nlog" && break; kill -0 "$!" 2>/dev/null || break; sleep 0.5; done
    if ! grep -qs 'Haven node .* started' "$nlog"; then
      echo "# WARNING: service node $i did not start (log: bench/results/$STAMP-$tool-$ds.log.gz)" | tee -a "$TSV"
      gzip -c "$nlog" >"$REPO/bench/results/$STAMP-$tool-$ds.log.gz"
      kill $NODE_PID 2>/dev/null; wait $NODE_PID 2>/dev/null || true; NODE_PID=""
      [ -n "$schema" ] && psql_q -c "drop schema if exists $schema cascade" >/dev/null
      return
    fi
  done
  local pids=($NODE_PID)
  node_cpu() { local p c=0; for p in "${pids[@]}"; do c=$((c + $(awk '{ print $14 + $15 }' "/proc/$p/stat"))); done; echo "$c"; }
  local cpu0 pg0 t0 t1 cpu1 pg1 released=0
  drop_and_wait() { # folder (moved into the inbox), released files to wait for in all; gives up after 120 s without progress
    local last=$released idle=0
    mv "$1" "$svc/inbox/"
    while [ "$released" -lt "$2" ] && [ "$idle" -lt 240 ]; do
      sleep 0.5
      released=$(count_files "$svc/release" '*.dcm')
      if [ "$released" = "$last" ]; then idle=$((idle + 1)); else idle=0; last=$released; fi
    done
  }
  cpu0=$(node_cpu); pg0=$(pg_cpu); t0=$(date +%s.%N)
  mv "$svc/drop" "$svc/bench"; drop_and_wait "$svc/bench" "$n"
  t1=$(date +%s.%N); cpu1=$(node_cpu); pg1=$(pg_cpu)
  local warm_row=""
  if [ -n "$warm" ] && [ "$released" -ge "$n" ]; then
    local wn cw0 tw0 cw1 tw1 pw0 pw1 warm_half
    wn=$(count_files "$warm"); cp -r "$warm" "$svc/warm"
    cw0=$(node_cpu); pw0=$(pg_cpu); tw0=$(date +%s.%N)
    drop_and_wait "$svc/warm" $((n + wn))
    tw1=$(date +%s.%N); cw1=$(node_cpu); pw1=$(pg_cpu)
    [ -n "$schema" ] || pw1=$pw0   # PostgreSQL's CPU counts only when it is the store
    warm_half=$(second_half_pace "$wn" "$log"*)
    warm_row="$ds|$tool-warm|$wn|$((released - n))|$(awk -v a="$tw0" -v b="$tw1" 'BEGIN { print b - a }')|$(awk -v c="$((cw1 - cw0 + pw1 - pw0))" -v t="$tck" 'BEGIN { print c / t }')"
    released=$n   # the cold row counts the first drop only
  fi
  local hwm=0 hwms="" p h
  for p in "${pids[@]}"; do
    h=$(awk '/VmHWM/ { print $2 }' "/proc/$p/status"); hwms="$hwms $((h / 1024))"; [ "$h" -gt "$hwm" ] && hwm=$h
  done
  kill "${pids[@]}"; wait "${pids[@]}" 2>/dev/null || true; NODE_PID=""
  gzip -c "$log" >"$REPO/bench/results/$STAMP-$tool-$ds.log.gz"
  for ((i = 1; i < nodes; i++)); do gzip -c "$log.$i" >"$REPO/bench/results/$STAMP-$tool-$ds-node$i.log.gz"; done
  local note="drop to last release; inbox left: $(count_files "$svc/inbox"), quarantined: $(count_files "$svc/quarantine" '*.dcm')"
  local cpu; cpu=$(awk -v c="$((cpu1 - cpu0))" -v t="$tck" 'BEGIN { print c / t }')
  if [ -n "$schema" ]; then
    local deciders
    deciders=$(psql_q -At -F: -c "select node, count(*) from $schema.file_outcome group by node order by node" | paste -sd' ' -)
    note="$note; decided by $deciders; nodes' CPU $cpu s + PostgreSQL $(awk -v a="$pg0" -v b="$pg1" -v t="$tck" 'BEGIN { print (b - a) / t }') s; peak RSS per node (MB):$hwms"
    cpu=$(awk -v c="$cpu" -v a="$pg0" -v b="$pg1" -v t="$tck" 'BEGIN { print c + (b - a) / t }')
    psql_q -c "drop schema if exists $schema cascade" >/dev/null
  fi
  row "$ds" "$tool" "$n" "$released" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" "$cpu" 0 "$hwm" "$note"
  if [ -n "$warm_row" ]; then
    IFS='|' read -r -a w <<< "$warm_row"
    row "${w[0]}" "${w[1]}" "${w[2]}" "${w[3]}" "${w[4]}" "${w[5]}" 0 "$hwm" "second drop ($(basename "$warm"), other content) on the same node, after the first was released; second half $warm_half files/s"
  fi
  rm -rf "$svc"
}

gen_ct() { # dataset size files patients [seed]
  "${HAVEN[@]}" synth --ct --size "$2" --files "$3" --patients "$4" --seed "${5:-$SEED}" --out "$B/in/$1" >&2
}

# tmpfs space: the input, Haven's retained originals and its release (about 3 x the input) live at once
room_for() { # bytes
  local avail; avail=$(awk '/MemAvailable/ { print $2 * 1024 }' /proc/meminfo)
  local free; free=$(df -B1 --output=avail "$B" | tail -1)
  [ "$1" -lt "$avail" ] && [ "$1" -lt "$free" ]
}

dataset() { # name, tools...
  local ds=$1; shift
  echo "# $ds: $(count_files "$B/in/$ds") files, $(du -sh "$B/in/$ds" | cut -f1); load before: $(load)" | tee -a "$TSV"
  for tool in "$@"; do run_tool "$ds" "$tool"; done
  echo "# $ds: load after: $(load)" | tee -a "$TSV"
}

{
  echo "# date: $(date -u +%FT%TZ); commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src pom.xml run.sh || echo ' (modified)')"
  echo "# host: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
  echo "# kernel: $(uname -r); java: $("$JAVA" -version 2>&1 | head -1); dcmtk: $(dcmodify --version 2>&1 | head -1); gdcm: $(gdcmanon --version 2>&1 | head -1)"
  echo "# haven JVM options: ${JOPTS[*]:-(none)}; a service node's: ${NODE_JOPTS[*]:-(none)}"
  echo "# profile: $PROFILE; seed $SEED; files on tmpfs ($B); load average at start: $(load)"
  [ -n "${BENCH_NODE_CPUS:-}" ] && echo "# service nodes pinned: node i on CPU i of (${BENCH_NODE_CPUS}) (taskset); consumers per node: ${HAVEN_WORKERS_CLASSIFY:-default}"
  echo "# uptime: $(uptime)"
  printf 'dataset\ttool\tfiles_in\tfiles_out\twall_s\tfiles_per_s\tcpu_s\tcpu_s_per_1000\tpeak_rss_mb\tnote\n'
} | tee "$TSV"

PEERS=(cp gdcmanon dcmodify haven)
if [ -n "$ONLY_HAVEN" ]; then PEERS=(haven); fi
# start-up: one 39 KB file through every tool
gen_ct one 39k 1 1
dataset one "${PEERS[@]}"
rm -rf "$B/in/one"
for size in $SIZES; do
  ds="ct$size"
  gen_ct "$ds" "$size" "$FILES" "$PATIENTS"
  dataset "$ds" "${PEERS[@]}"
  if { [ "$SERVICE" = 1 ] || [ "$NODES" -gt 0 ]; } && [ "$size" = 39k ]; then
    gen_ct "$ds-warm" "$size" "$FILES" "$PATIENTS" $((SEED + 1))   # other UIDs and patients: new files to the node
    [ "$SERVICE" = 1 ] && run_service "$ds" 0 "$B/in/$ds-warm"
    if [ "$NODES" -gt 0 ]; then
      run_service "$ds" 1 "$B/in/$ds-warm"
      [ "$NODES" -gt 1 ] && run_service "$ds" "$NODES" "$B/in/$ds-warm"
    fi
    rm -rf "${B:?}/in/$ds-warm"
  fi
  rm -rf "${B:?}/in/$ds"
done
if [ "$LARGE" -gt 0 ]; then
  ds="ct39k-$LARGE"
  need=$((LARGE * 40000 * 3 + 2000000000))
  if ! room_for "$need"; then   # not on tmpfs: on disk (CPU stays comparable, wall time does not)
    mkdir -p "$DISK_DIR"; cp "$B/cert.pem" "$B/key.pem" "$DISK_DIR/"; mkdir -p "$DISK_DIR/ws"; cp "$B/ws/secret.key" "$DISK_DIR/ws/" 2>/dev/null || true
    B=$DISK_DIR; HAVEN_WORKSPACE="$B/ws"; mkdir -p "$B/in" "$B/out"
    echo "# NOTE: $ds on disk ($B): not enough memory/tmpfs for $LARGE files x 3 copies; compare its CPU, not its wall time" | tee -a "$TSV"
  fi
  if [ "$(df -B1 --output=avail "$B" | tail -1)" -gt "$need" ]; then
    gen_ct "$ds" 39k "$LARGE" $((LARGE * PATIENTS / FILES))
    dataset "$ds" haven
    rm -rf "${B:?}/in/$ds"
  else
    echo "# WARNING: $ds skipped: not enough space for $LARGE files x 3 copies in $B (see bench/README.md)" | tee -a "$TSV"
  fi
fi
if [ "$SERVICE_FILES" -gt 0 ]; then   # a large drop on one service node: its memory (VmHWM) over the drop
  ds="ct39k-drop$SERVICE_FILES"
  if room_for $((SERVICE_FILES * 40000 * 4 + 2000000000)); then   # the set, its copy, staged and released
    gen_ct "$ds" 39k "$SERVICE_FILES" $((SERVICE_FILES * PATIENTS / FILES))
    echo "# $ds: $SERVICE_FILES files; load before: $(load)" | tee -a "$TSV"
    run_service "$ds"
    echo "# $ds: load after: $(load)" | tee -a "$TSV"
    rm -rf "${B:?}/in/$ds"
  else
    echo "# WARNING: $ds skipped: not enough memory/tmpfs for $SERVICE_FILES files x 3 copies" | tee -a "$TSV"
  fi
fi
if [ "$SYNTH" -gt 0 ]; then
  "${HAVEN[@]}" synth --patients "$SYNTH" --out "$B/in/synth" --seed "$SEED" >&2
  mv "$B/in/synth/answer-key.json" "$B/answer-key.json"          # not DICOM: keep every tool on the same files
  dataset synth "${PEERS[@]}"
fi
if [ -n "$CORPUS" ] && [ -f "$CORPUS/MANIFEST.tsv" ]; then
  cp -r "$CORPUS" "$B/in/corpus"
  rm -f "$B/in/corpus/MANIFEST.tsv" "$B/in/corpus/LICENSES.md"
  dataset corpus "${PEERS[@]}"
fi

# ---- derived figures ---------------------------------------------------------------------------------------------
{
  echo "# derived (CPU = user + sys):"
  awk -F'\t' -v large="ct39k-$LARGE" -v files="$FILES" '
    BEGIN { split("gdcmanon dcmodify haven", tools, " ") }
    !/^#/ && $2 != "tool" { cpu[$1 "/" $2] = $7; n[$1 "/" $2] = $3; rss[$1 "/" $2] = $9; fps[$1 "/" $2] = $6
                            if (match($10, /second half [0-9]+/)) half[$1 "/" $2] = substr($10, RSTART + 12, RLENGTH - 12) }
    END {
      if (("one/haven") in cpu) printf "#   haven start-up (1 file, JVM start included): %.2f CPU s\n", cpu["one/haven"]
      split("ct39k ct531k", sets, " ")
      for (i = 1; i <= 2; i++) {
        s = sets[i]
        if (!((s "/haven") in cpu) || !((s "/gdcmanon") in cpu) || cpu[s "/gdcmanon"] <= 0) continue
        printf "#   %s: haven whole run %.2f CPU s = %.1f x gdcmanon -e (%.2f CPU s); target <= 2 x\n", s, cpu[s "/haven"], cpu[s "/haven"] / cpu[s "/gdcmanon"], cpu[s "/gdcmanon"]
      }
      for (i = 1; i <= 2; i++) {
        s = sets[i]
        for (j = 1; j <= 3; j++) { t = tools[j]; if ((s "/" t) in cpu && ("one/" t) in cpu && n[s "/" t] > 1)
          printf "#   %s: %s CPU per 1,000 files past the first (5,000-run - 1-file run) = %.2f s\n", s, t, (cpu[s "/" t] - cpu["one/" t]) * 1000 / (n[s "/" t] - 1) } }
      if ((large "/haven") in cpu && ("ct39k/haven") in cpu)
        printf "#   haven marginal CPU per 1,000 files (%s run - ct39k run) = %.2f s; peak RSS %d MB (5,000 files: %d MB)\n", large,
          (cpu[large "/haven"] - cpu["ct39k/haven"]) * 1000 / (n[large "/haven"] - n["ct39k/haven"]), rss[large "/haven"], rss["ct39k/haven"]
      for (k in cpu) if (k ~ /^ct39k\/haven-service-pg-[2-9]node(-warm)?$/ && n[k] > 0) {
        one = k; sub(/pg-[2-9]node/, "pg-1node", one)
        if (!(fps[one] > 0)) continue
        nodes = k; sub(/^.*pg-/, "", nodes); nodes = substr(nodes, 1, 1)
        printf "#   %s: %d files/s vs one node %d files/s: the extra nodes add %.0f %% (target >= 70 %% per node); CPU per 1,000 files %.2f vs %.2f s\n", k, fps[k], fps[one], 100 * (fps[k] - fps[one]) / fps[one] / (nodes - 1), cpu[k] * 1000 / n[k], cpu[one] * 1000 / n[one] }
      if (("ct39k/haven-service") in cpu && fps["ct39k/haven"] > 0) printf "#   service mode, a node just started: %d files/s = %.0f %% of batch (%d files/s, whole run)\n", fps["ct39k/haven-service"], 100 * fps["ct39k/haven-service"] / fps["ct39k/haven"], fps["ct39k/haven"]
      if (("ct39k/haven-service-pg-1node-warm") in cpu && half["ct39k/haven"] > 0) printf "#   service mode on PostgreSQL and a TCP broker, warm node: %d files/s = %.0f %% of batch at its pace (%d files/s); CPU per 1,000 files %.2f s, PostgreSQL included\n", fps["ct39k/haven-service-pg-1node-warm"], 100 * fps["ct39k/haven-service-pg-1node-warm"] / half["ct39k/haven"], half["ct39k/haven"], cpu["ct39k/haven-service-pg-1node-warm"] * 1000 / n["ct39k/haven-service-pg-1node-warm"]
      if (("ct39k/haven-service-warm") in cpu && half["ct39k/haven"] > 0) printf "#   service mode, warm node (second drop): %d files/s from the drop = %.0f %% of batch at its pace (its second half: %d files/s); over the drop'"'"'s second half %d files/s = %.0f %% (target >= 80 %%)\n", fps["ct39k/haven-service-warm"], 100 * fps["ct39k/haven-service-warm"] / half["ct39k/haven"], half["ct39k/haven"], half["ct39k/haven-service-warm"], 100 * half["ct39k/haven-service-warm"] / half["ct39k/haven"]
      if (("ct39k/haven-service-pg-1node-warm") in cpu && half["ct39k/haven"] > 0 && half["ct39k/haven-service-pg-1node-warm"] > 0) printf "#   the same on PostgreSQL and a TCP broker: over the drop'"'"'s second half %d files/s = %.0f %%\n", half["ct39k/haven-service-pg-1node-warm"], 100 * half["ct39k/haven-service-pg-1node-warm"] / half["ct39k/haven"]
    }' "$TSV" || true
  echo "# load average at end: $(load)"
} | tee -a "$TSV.tail"
cat "$TSV.tail" >>"$TSV"; rm -f "$TSV.tail"

if [ "$JFR" = 1 ]; then
  for f in "$B"/haven-*.jfr; do
    [ -f "$f" ] || continue
    echo "# JFR top frames (jdk.ExecutionSample, first frame) for $(basename "$f")" | tee -a "$TSV"
    jfr print --events jdk.ExecutionSample "$f" | awk '/stackTrace = \[/ { getline; sub(/^[ \t]+/, ""); sub(/line:.*/, ""); c[$0]++; n++ }
      END { for (k in c) printf "%6.1f%%  %s\n", 100 * c[k] / n, k }' | sort -rn | head -15 | sed 's/^/#   /' | tee -a "$TSV"
    cp "$f" "$REPO/bench/results/$STAMP-$(basename "$f")"
  done
fi
echo "bench: results in $TSV" >&2
