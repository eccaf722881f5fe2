#!/usr/bin/env bash
# Haven throughput benchmark: Haven vs cp -r (floor), dcmodify (dcmtk) and gdcmanon -e (GDCM) on the same inputs,
# in the same run, each into a fresh output folder on tmpfs. See bench/README.md.
#
#   bench/run.sh [--patients N] [--corpus DIR] [--profile P] [--jfr]
#
# Prints one TSV line per (dataset, tool) and writes bench/results/<UTC timestamp>.tsv plus machine facts.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
REPO=$PWD

PATIENTS=400                     # ~7.7 files per patient: about 3,000 synthetic files
CORPUS=../shared/corpus
PROFILE=research
JFR=0
while [ $# -gt 0 ]; do
  case "$1" in
    --patients) PATIENTS=$2; shift 2 ;;
    --corpus) CORPUS=$2; shift 2 ;;
    --profile) PROFILE=$2; shift 2 ;;
    --jfr) JFR=1; shift ;;
    *) echo "usage: bench/run.sh [--patients N] [--corpus DIR] [--profile P] [--jfr]" >&2; exit 2 ;;
  esac
done

for t in dcmodify gdcmanon openssl /usr/bin/time; do
  command -v "$t" >/dev/null || { echo "bench: $t missing (apt-get install -y dcmtk libgdcm-tools openssl time)" >&2; exit 2; }
done

B=${BENCH_DIR:-/dev/shm/haven-bench-$$}      # tmpfs: no disk, no ext4 inode cost on create-after-delete
mkdir -p "$B/in" "$B/out" "$REPO/bench/results"
trap 'rm -rf "$B"' EXIT
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
TSV="$REPO/bench/results/$STAMP.tsv"

./run.sh setup >/dev/null
[ -f target/haven.jar ] && [ -z "$(find src pom.xml -newer target/haven.jar -print -quit)" ] || mvn -q -B -DskipTests package

# ---- inputs (tmpfs) --------------------------------------------------------------------------------------------
java -jar target/haven.jar synth --patients "$PATIENTS" --out "$B/in/synth" --seed 20261125 >&2
mv "$B/in/synth/answer-key.json" "$B/answer-key.json"          # not DICOM: keep every tool on the same files
DATASETS=(synth)
if [ -f "$CORPUS/MANIFEST.tsv" ]; then
  cp -r "$CORPUS" "$B/in/corpus"
  rm -f "$B/in/corpus/MANIFEST.tsv" "$B/in/corpus/LICENSES.md"
  DATASETS+=(corpus)
fi

# self-signed certificate for gdcmanon -e (it encrypts the original attributes into EncryptedAttributesSequence)
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$B/key.pem" -out "$B/cert.pem" -days 1 -subj /CN=bench 2>/dev/null

# ---- tools -----------------------------------------------------------------------------------------------------
# dcmodify edits in place: copy, then the same basic edits Haven's profile makes on every file (names, IDs,
# birth date, accession, institution, referring physician, dates emptied, new SOP instance UID), private removed.
DCMODIFY_EDITS=(-nb -q -ie -imt -ma "(0010,0010)=ANON" -ma "(0010,0020)=ANON" -ea "(0010,0030)" -ea "(0008,0050)"
  -ea "(0008,0080)" -ea "(0008,0090)" -ma "(0008,0020)=" -ma "(0008,0030)=" -ea "(0010,1000)" -gin -ep)

run_tool() { # dataset tool
  local ds=$1 tool=$2 in="$B/in/$1" out="$B/out/$1-$2" tf="$B/time-$1-$2"
  rm -rf "$out"; sync
  case "$tool" in
    cp)        /usr/bin/time -f '%e %M' -o "$tf" cp -r "$in" "$out" ;;
    dcmodify)  /usr/bin/time -f '%e %M' -o "$tf" bash -c 'cp -r "$1" "$2" && find "$2" -type f -print0 | xargs -0 dcmodify "${@:3}" 2>/dev/null || true' _ "$in" "$out" "${DCMODIFY_EDITS[@]}" ;;
    gdcmanon)
      mkdir -p "$out"
      if [ "$ds" = synth ]; then   # one process, recursive
        /usr/bin/time -f '%e %M' -o "$tf" gdcmanon -e -r --continue -c "$B/cert.pem" -i "$in" -o "$out" >/dev/null 2>&1 || true
      else                         # real-world files: it stops at the first file it cannot handle, so one process per file
        /usr/bin/time -f '%e %M' -o "$tf" bash -c 'cd "$1" && find . -type f | while read -r f; do mkdir -p "$2/$(dirname "$f")"
          gdcmanon -e --continue -c "$3" -i "$f" -o "$2/$f" >/dev/null 2>&1 || true; done' _ "$in" "$out" "$B/cert.pem"
      fi ;;
    haven)
      local opts=""
      [ "$JFR" = 1 ] && opts="-XX:StartFlightRecording=filename=$B/haven-$ds.jfr,settings=profile"
      local rc=0
      # what ./run.sh deidentify execs, minus its setup checks and its rebuild-if-sources-changed step (the jar was
      # built above; a rebuild inside the timed run would be measured as Haven)
      /usr/bin/time -f '%e %M' -o "$tf" java $opts -jar target/haven.jar deidentify "$in" "$out" --profile "$PROFILE" >"$B/haven-$ds.log" 2>&1 || rc=$?
      cp "$B/haven-$ds.log" "$REPO/bench/results/$STAMP-haven-$ds.log"
      [ "$rc" = 0 ] || echo "# WARNING: haven on $ds exited $rc (log: bench/results/$STAMP-haven-$ds.log)" | tee -a "$TSV" ;;
  esac
  local n_in n_out secs rss
  n_in=$(find "$in" -type f | wc -l)
  n_out=$(find "$out" -type f -not -path '*/.haven/*' -name '*' | grep -vc '\.json$' || true)
  read -r secs rss < <(grep -E '^[0-9.]+ [0-9]+$' "$tf" | tail -1)
  local rate; rate=$(awk -v n="$n_in" -v s="$secs" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')
  local steady="-"
  if [ "$tool" = haven ]; then steady=$(haven_steady "$out"); fi
  printf '%s\t%s\t%d\t%d\t%s\t%s\t%d\t%s\n' "$ds" "$tool" "$n_in" "$n_out" "$secs" "$rate" "$((rss / 1024))" "$steady" | tee -a "$TSV"
}

# Steady state from the store: files decided / (last decided_at - first received_at), JVM start and shutdown excluded.
haven_steady() {
  local db="$1/.haven/db/haven"
  java -cp target/haven.jar org.h2.tools.Shell -url "jdbc:h2:file:$db" -user sa -password '' -sql \
    "select count(*) || ' ' || datediff('MILLISECOND', min(f.received_at), max(o.decided_at)) from haven_file f join file_outcome o on o.file_id = f.file_id" 2>/dev/null \
    | awk 'NR == 2 { if ($2 > 0) printf "%.0f", $1 * 1000 / $2; else printf "-" }'
}

{
  echo "# date: $(date -u +%FT%TZ)"
  echo "# host: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
  echo "# kernel: $(uname -r); java: $(java -version 2>&1 | head -1); dcmtk: $(dcmodify --version 2>&1 | head -1); gdcm: $(gdcmanon --version 2>&1 | head -1)"
  echo "# profile: $PROFILE; synthetic patients: $PATIENTS; files on tmpfs ($B); load average at start: $(cut -d" " -f1-3 /proc/loadavg)"
  printf 'dataset\ttool\tfiles_in\tfiles_out\tseconds\tfiles_per_s\tpeak_rss_mb\thaven_steady_files_per_s\n'
} | tee "$TSV"

for ds in "${DATASETS[@]}"; do
  echo "# $ds: $(find "$B/in/$ds" -type f | wc -l) files, $(du -sh "$B/in/$ds" | cut -f1)" | tee -a "$TSV"
  for tool in cp dcmodify gdcmanon haven; do run_tool "$ds" "$tool"; done
  grep -E '^(received|released|quarantined:[a-z-]+|identical copies|undecided) ' "$B/haven-$ds.log" | sed 's/^/#   haven: /' | tee -a "$TSV" || true
done

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
