#!/usr/bin/env bash
# `make release-check`: proves the release build reproducible. Builds the commit twice,
# as package.sh builds a release, from two copies in two folders of different depths and
# names, with two CARGO_HOMEs (the second a copy of the first's registry and git sources,
# at another path), two HOMEs, two time zones and two umasks, one after the other; then
# compares the binaries and the zips byte for byte. Exits non-zero when they differ, and
# keeps both folders to look into (diffoscope, where it is installed, says where they
# differ). About twice a release build's time; RELEASE_CHECK_DIR picks the folder.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
. scripts/lib.sh
log() { printf 'release-check: %s\n' "$*" >&2; }

bash scripts/tools.sh --build >/dev/null
commit="$(git rev-parse HEAD)"
[ -z "$(git status --porcelain --untracked-files=no)" ] \
  || log "the work tree has changes: this checks the commit $commit, without them"
SOURCE_DATE_EPOCH="$(source_date_epoch)"
export SOURCE_DATE_EPOCH
platform="$(host_platform)"
version="$(project_version)"
cargo_home="${CARGO_HOME:-$HOME/.cargo}"
rustup_home="${RUSTUP_HOME:-$HOME/.rustup}"
work="${RELEASE_CHECK_DIR:-$(mktemp -d)}"
one="$work/one/terraform-provider-devin"
two="$work/two/somewhere/else/tpd-copy"
unset CARGO_TARGET_DIR CARGO_BUILD_TARGET_DIR
for dir in "$one" "$two"; do
  mkdir -p "$dir"
  git archive "$commit" | tar -x -C "$dir"
done

# build DIR: package.sh's build and zip in DIR, with the environment the caller gives.
build() {
  local bin
  bin="$(cd "$1" && bash scripts/package.sh build)"
  (cd "$1" && bash scripts/package.sh zip "$bin" "$platform" "$1/dist" >/dev/null)
  cp "$bin" "$1/dist/binary"
}

start=$SECONDS
log "build 1 of 2: $one (CARGO_HOME $cargo_home, TZ UTC, umask 022)"
(umask 022; TZ=UTC build "$one")
# The second CARGO_HOME is made after the first build, which may have fetched crates.
mkdir -p "$work/two/cargo-home" "$work/two/home"
for sub in registry git; do
  [ ! -d "$cargo_home/$sub" ] || cp -a "$cargo_home/$sub" "$work/two/cargo-home/"
done
log "build 2 of 2: $two (CARGO_HOME $work/two/cargo-home, HOME $work/two/home, TZ Asia/Kathmandu, umask 077)"
(umask 077
 export HOME="$work/two/home" CARGO_HOME="$work/two/cargo-home" RUSTUP_HOME="$rustup_home"
 TZ=Asia/Kathmandu build "$two")

zip="terraform-provider-devin_${version}_${platform}.zip"
same=1
for file in binary "$zip"; do
  a="$(sha256sum "$one/dist/$file" | cut -d' ' -f1)"
  b="$(sha256sum "$two/dist/$file" | cut -d' ' -f1)"
  if [ "$a" = "$b" ]; then
    log "same bytes: $file, sha256 $a"
  else
    log "DIFFERENT: $file: $a in build 1, $b in build 2"
    same=0
  fi
done
log "two builds in $((SECONDS - start)) s"
if [ "$same" = 1 ]; then
  log "reproducible: commit $commit, $platform"
  rm -rf "$work/one" "$work/two"
  rmdir "$work" 2>/dev/null || true
else
  log "not reproducible: both builds are kept in $work (one/, two/); compare with"
  log "  diffoscope $one/dist/binary $two/dist/binary"
  exit 1
fi
