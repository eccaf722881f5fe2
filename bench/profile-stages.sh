#!/usr/bin/env bash
# In-process stage profiler: CPU and allocation per file per stage (classify ... release) on generated CT files.
# A measuring tool, not a test. See bench/README.md ("Stage profiler").
#
#   bench/profile-stages.sh [--size 128|512] [--files N] [--warmup N] [--patients N] [--jfr FILE] [--db JDBC-URL]
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
# target/haven.jar supplies the dependencies; target/classes (first) the current code
[ -f target/haven.jar ] || mvn -o -q -B -DskipTests package
mvn -o -q -B test-compile
exec java -Xmx1g ${PROFILER_OPTS:-} -cp target/classes:target/test-classes:target/haven.jar org.haven.bench.StageProfiler "$@"
