#!/usr/bin/env bash
# The pieces of a release, each reproducible; release.sh and release-check.sh run them,
# and so do the release workflow's jobs (through release.sh) and the tests.
#
#   package.sh build                     release build for this host; prints the binary's path
#   package.sh zip BIN OS_ARCH [DIST]    DIST/terraform-provider-devin_<V>_<os>_<arch>.zip,
#                                        holding terraform-provider-devin_v<V> (.exe on Windows)
#   package.sh sums [DIST]               DIST/terraform-provider-devin_<V>_manifest.json and
#                                        _SHA256SUMS over every zip of <V> in DIST and the manifest
#
# DIST defaults to dist/. <V> is Cargo.toml's version. The build remaps every path the
# compilers embed (repro_rustflags, repro_cflags), and on Linux links the C library in
# (static_rustflags), with none of the caller's RUSTFLAGS or CFLAGS; the zips take their
# time from SOURCE_DATE_EPOCH, else the commit (zip.py).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/scripts/lib.sh"
name="terraform-provider-devin"
fail() { echo "package: $*" >&2; exit 1; }

build() {
  local flags cflags bin exe="" target
  flags="$(static_rustflags) $(repro_rustflags)"
  target="$(static_target)"
  [ -z "$target" ] || export CARGO_BUILD_TARGET="$target"
  cflags="$(repro_cflags)"
  case "$(host_platform)" in
    # MSVC's linker stamps the time into the PE header unless told not to; its compiler
    # has no -ffile-prefix-map (what it compiles leaves no paths in a stripped binary).
    windows_*) flags="$flags -C link-arg=/Brepro"; cflags=""; exe=".exe" ;;
  esac
  SOURCE_DATE_EPOCH="$(source_date_epoch)"
  export SOURCE_DATE_EPOCH RUSTFLAGS="$flags" CFLAGS="$cflags" CXXFLAGS="$cflags" CARGO_INCREMENTAL=0
  unset CARGO_ENCODED_RUSTFLAGS CARGO_BUILD_RUSTFLAGS
  (cd "$root" && cargo build --release --locked --bin "$name" >&2)
  bin="$(profile_dir release)/$name$exe"
  [ -f "$bin" ] || fail "cargo built no $bin"
  echo "$bin"
}

zip_one() {
  local bin="$1" platform="$2" dist="${3:-$root/dist}" version entry
  [ -f "$bin" ] || fail "no binary at $bin"
  case "$platform" in
    darwin_amd64|darwin_arm64|linux_amd64|linux_arm64|linux_arm|linux_386|freebsd_amd64) entry="" ;;
    windows_amd64|windows_386|windows_arm64) entry=".exe" ;;
    *) fail "\"$platform\" is not an os_arch the Registry knows (e.g. linux_amd64)" ;;
  esac
  version="$(project_version)"
  entry="${name}_v${version}${entry}"
  mkdir -p "$dist"
  # Windows' python under Git Bash takes Windows' paths.
  SOURCE_DATE_EPOCH="$(source_date_epoch)" python3 "$(_native_path "$root/scripts/zip.py")" \
    "$(_native_path "$dist/${name}_${version}_${platform}.zip")" "$entry=$(_native_path "$bin")"
  echo "$dist/${name}_${version}_${platform}.zip"
}

sums() {
  local dist="${1:-$root/dist}" version manifest zips
  version="$(project_version)"
  manifest="${name}_${version}_manifest.json"
  printf '{"version":1,"metadata":{"protocol_versions":["6.0"]}}\n' >"$dist/$manifest"
  zips="$(cd "$dist" && LC_ALL=C ls -1 | grep -E "^${name}_${version//./\\.}_[a-z0-9]+_[a-z0-9]+\.zip$" || true)"
  [ -n "$zips" ] || fail "no ${name}_${version}_<os>_<arch>.zip in $dist"
  # One "<sha256>  <file>" line each, sorted by file name, as HashiCorp's releases have them.
  (cd "$dist" && printf '%s\n' $zips "$manifest" | LC_ALL=C sort | python3 -c '
import hashlib, sys
for name in sys.stdin.read().split():
    with open(name, "rb") as f:
        print(f"{hashlib.sha256(f.read()).hexdigest()}  {name}")
' >"${name}_${version}_SHA256SUMS")
  echo "$dist/${name}_${version}_SHA256SUMS"
}

case "${1:-}" in
  build) build ;;
  zip) [ $# -ge 3 ] || fail "usage: package.sh zip BIN OS_ARCH [DIST]"; zip_one "$2" "$3" "${4:-}" ;;
  sums) sums "${2:-}" ;;
  *) fail "usage: package.sh build | zip BIN OS_ARCH [DIST] | sums [DIST]" ;;
esac
