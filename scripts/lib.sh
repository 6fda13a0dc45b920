# Sourced by the other scripts (`. "$root/scripts/lib.sh"`): what several of them need,
# defined once. Each helper prints its answer on stdout or writes the file it is given.

# Windows runners may have `python` and no working `python3`.
if ! python3 -c '' >/dev/null 2>&1; then python3() { python "$@"; }; fi

# The root package's version, as Cargo reads it: the one the provider reports and the
# Registry archives and mirror folders are named with.
project_version() {
  cargo metadata --format-version 1 --no-deps --manifest-path "$(_lib_root)/Cargo.toml" | python3 -c '
import json, sys
meta = json.load(sys.stdin)
print(next(p["version"] for p in meta["packages"] if p["name"] == "terraform-provider-devin"))
'
}

# changelog_date FILE VERSION: the date of VERSION's section in the changelog FILE, whose
# heading reads `## VERSION — YYYY-MM-DD` (Keep a Changelog's `## [VERSION] - YYYY-MM-DD`
# too). Fails, saying what to write, when the section is missing or not dated.
changelog_date() {
  python3 - "$1" "$2" <<'PY'
import datetime, os, re, sys
path, version = sys.argv[1], sys.argv[2]
name = os.path.basename(path)
heading = re.compile(r"^##\s+\[?([^\]\s]+)\]?\s+(?:\u2014|\u2013|-)\s+(.*?)\s*$")
today = datetime.date.today().isoformat()
with open(path, encoding="utf-8") as f:
    for line in f:
        m = heading.match(line)
        if not m or m.group(1) != version:
            continue
        when = m.group(2)
        try:
            ok = re.fullmatch(r"\d{4}-\d{2}-\d{2}", when) and datetime.date.fromisoformat(when)
        except ValueError:
            ok = False
        if ok:
            print(when)
            sys.exit(0)
        sys.exit(f"{name}: the section of {version} is not dated (its heading says "
                 f"\"{when}\"): on the day you release, make it \"## {version} \u2014 {today}\"")
sys.exit(f"{name} has no section for {version}, the version in Cargo.toml: add "
         f"\"## {version} \u2014 {today}\" above the earlier releases, with what this one changes")
PY
}

# Cargo's target folder: `target/` unless CARGO_TARGET_DIR or a cargo config moves it.
target_dir() {
  local dir
  dir="$(cargo metadata --format-version 1 --no-deps --manifest-path "$(_lib_root)/Cargo.toml" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
  if command -v cygpath >/dev/null 2>&1; then cygpath -u "$dir"; else echo "$dir"; fi
}

# The flags that keep the build's own paths out of the binary (panic locations, file!(),
# debug info): the workspace, the target folder, CARGO_HOME (the registry's and git's
# sources), the toolchain's sysroot and HOME, each mapped to a fixed name, so that any
# folder, user or CARGO_HOME builds the same bytes. rustc and the C compiler (ring's C and
# assembly, built by the cc crate) both apply the last prefix that matches, so the longest
# comes last. tools.sh exports them for every build and test; package.sh builds a release
# with them alone.
repro_rustflags() { _repro_maps | sed 's/^/--remap-path-prefix=/' | paste -sd' ' -; }
repro_cflags() { _repro_maps | sed 's/^/-ffile-prefix-map=/' | paste -sd' ' -; }

_repro_maps() {
  local root target cargo_home sysroot
  root="$(_lib_root)"
  target="$(target_dir)"
  cargo_home="${CARGO_HOME:-$HOME/.cargo}"
  sysroot="$(rustc --print sysroot)"
  python3 - "$(_native_path "$HOME")=/home/builder" "$(_native_path "$root")=/build" \
    "$(_native_path "$target")=/build/target" "$(_native_path "$cargo_home")=/cargo" \
    "$sysroot=/rustc/sysroot" <<'PY'
import sys
maps = [m for m in sys.argv[1:] if not m.startswith("=")]
for m in maps:
    if any(c.isspace() for c in m):
        sys.exit(f"the path {m.rsplit('=', 1)[0]!r} has white space, which RUSTFLAGS cannot hold: build from a folder without")
maps.sort(key=lambda m: len(m.rsplit("=", 1)[0]))
print("\n".join(maps))
PY
}

# The time a release is stamped with (its zips' entries): SOURCE_DATE_EPOCH when set,
# else the commit's time, so each build of one commit says the same.
source_date_epoch() {
  if [ -n "${SOURCE_DATE_EPOCH:-}" ]; then
    echo "$SOURCE_DATE_EPOCH"
  elif git -C "$(_lib_root)" rev-parse --verify -q HEAD >/dev/null 2>&1; then
    git -C "$(_lib_root)" log -1 --format=%ct HEAD
  else
    echo "no SOURCE_DATE_EPOCH and no git commit to take the time from: set SOURCE_DATE_EPOCH" >&2
    return 1
  fi
}

# The Registry's name (os_arch) of the platform rustc builds for here.
host_platform() {
  local host
  host="$(rustc -vV | sed -n 's/^host: //p')"
  case "$host" in
    x86_64-unknown-linux-*) echo linux_amd64 ;;
    aarch64-unknown-linux-*) echo linux_arm64 ;;
    x86_64-apple-darwin) echo darwin_amd64 ;;
    aarch64-apple-darwin) echo darwin_arm64 ;;
    x86_64-pc-windows-*) echo windows_amd64 ;;
    *) echo "no Registry platform for the host $host" >&2; return 1 ;;
  esac
}

# The target cargo builds for, named on a Linux glibc host (tools.sh and package.sh export
# it as CARGO_BUILD_TARGET) so that RUSTFLAGS reach only what ships: with no target named,
# cargo applies them to build scripts and proc-macros too, and a proc-macro cannot be
# static. Empty elsewhere.
static_target() {
  local target="${CARGO_BUILD_TARGET:-}"
  [ -n "$target" ] || target="$(rustc -vV | sed -n 's/^host: //p')"
  case "$target" in *-linux-gnu*) echo "$target" ;; esac
}

# The flags that link the C library into a Linux binary, so that it needs no loader and no
# library of the host (the musl of Alpine and of the official Terraform image, an older
# glibc): every build, test and release takes them. getrandom (under hickory's rand) finds
# glibc's getrandom with dlsym, which a static binary cannot, and then reads /dev/urandom,
# which a bare root lacks: told to call it directly, it needs no file.
static_rustflags() {
  if [ -n "$(static_target)" ]; then
    echo '-Ctarget-feature=+crt-static --cfg=getrandom_backend="linux_getrandom"'
  fi
}

# The folder of a profile's binaries: target/<triple>/PROFILE when a target is named.
profile_dir() {
  local target="${CARGO_BUILD_TARGET:-$(static_target)}"
  echo "$(target_dir)/${target:+$target/}$1"
}

# write_dev_overrides FILE DIR: a CLI configuration that makes Terraform and OpenTofu take
# the provider from DIR, as built, with no `init` and no registry.
write_dev_overrides() {
  local file="$1" dir="$2"
  cat >"$file" <<HCL
provider_installation {
  dev_overrides {
    "registry.terraform.io/devin-oss/devin" = "$dir"
    "registry.opentofu.org/devin-oss/devin" = "$dir"
  }
  direct {}
}
HCL
}

# A path as the compiler sees it: Windows' own form under Git Bash, as it is elsewhere.
_native_path() {
  if command -v cygpath >/dev/null 2>&1; then cygpath -w "$1"; else printf '%s\n' "$1"; fi
}

_lib_root() { (cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd); }
