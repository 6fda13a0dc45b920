#!/usr/bin/env bash
# The provider as it was before it served the plugin protocol itself: commit 8bfdf52, the
# last one on tf-provider 0.2's transport (tfplugin6.5). `make bench` measures it beside
# the current build, on the Devin API v1 only: it predates v3, so the bench's v3 rows are
# the current build's alone (and DEVIN_BENCH_APIS=v3 does not run this script). Built
# once, into target/bench-baseline/, and reused from there.
# Prints the binary's path on stdout, or nothing when it cannot be had (commit absent,
# say); progress and notes go to stderr. DEVIN_BENCH_BASELINE=path uses that binary,
# DEVIN_BENCH_BASELINE=none skips the old transport.
set -euo pipefail

commit_ref="8bfdf52"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
log() { printf 'bench: %s\n' "$*" >&2; }

case "${DEVIN_BENCH_BASELINE:-}" in
  none) log "DEVIN_BENCH_BASELINE=none: the old transport is not measured"; exit 0 ;;
  "") ;;
  *)
    [ -x "$DEVIN_BENCH_BASELINE" ] || { log "DEVIN_BENCH_BASELINE=$DEVIN_BENCH_BASELINE is not an executable"; exit 1; }
    printf '%s\n' "$DEVIN_BENCH_BASELINE"; exit 0 ;;
esac

commit="$(git -C "$root" rev-parse --verify --quiet "$commit_ref^{commit}" 2>/dev/null || true)"
if [ -z "$commit" ]; then
  log "note: commit $commit_ref (the old transport) is not in this clone (shallow?); its rows are left out"
  exit 0
fi

. "$root/scripts/lib.sh"
cache="$(target_dir)/bench-baseline"
bin="$cache/$commit/terraform-provider-devin"
if [ -x "$bin" ]; then
  log "old transport ($commit_ref): $bin (cached)"
  printf '%s\n' "$bin"; exit 0
fi

command -v protoc >/dev/null 2>&1 || eval "$(bash "$root/scripts/tools.sh")"
log "building the old transport (commit $commit_ref, tf-provider 0.2) once, into target/bench-baseline/;" \
  "this takes several minutes on a cold machine"
src="$cache/src-$commit"
rm -rf "$src"
mkdir -p "$src"
git -C "$root" archive "$commit" | tar -x -C "$src"
# Only this build's own settings: none of the outer cargo's (cargo bench runs this script).
if ! (cd "$src" && env -u CARGO_TARGET_DIR -u CARGO_BUILD_TARGET_DIR -u CARGO_BUILD_TARGET -u RUSTFLAGS -u CARGO_ENCODED_RUSTFLAGS \
  CARGO_TARGET_DIR="$cache/target" cargo build --release --locked --bin terraform-provider-devin >&2); then
  log "note: the old transport did not build; its rows are left out"
  exit 0
fi
mkdir -p "$(dirname "$bin")"
cp "$cache/target/release/terraform-provider-devin" "$bin.partial"
mv "$bin.partial" "$bin"
rm -rf "$src" "$cache/target" # ~0.5 GB of intermediates: the binary is all that is reused
log "old transport ($commit_ref): $bin"
printf '%s\n' "$bin"
