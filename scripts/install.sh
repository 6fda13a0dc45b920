#!/usr/bin/env bash
# `make install`: builds the provider as a release is built (scripts/package.sh, the same
# bytes) and puts it into a filesystem mirror, so a plain `terraform init` / `tofu init`
# works offline. MIRROR_DIR defaults to ~/.terraform.d/plugins, a folder Terraform
# searches by default. PROVIDER_BIN installs an already built binary instead (the tests
# use it). Standard output is only the CLI configuration block, to paste as it is; the
# build's and the install's own lines go to standard error.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
. scripts/lib.sh
version="$(project_version)"
mirror="${MIRROR_DIR:-$HOME/.terraform.d/plugins}"
binary="${PROVIDER_BIN:-}"
if [ -z "$binary" ]; then
  bash scripts/tools.sh --build >/dev/null
  binary="$(bash scripts/package.sh build)"
fi
platform="$(host_platform)"
for host in registry.terraform.io registry.opentofu.org; do
  dest="$mirror/$host/devin-oss/devin/$version/$platform"
  mkdir -p "$dest"
  install -m 0755 "$binary" "$dest/terraform-provider-devin_v$version"
  echo "installed $dest/terraform-provider-devin_v$version" >&2
done
cat <<HCL
# Add to your CLI configuration (~/.terraformrc, or the file named by TF_CLI_CONFIG_FILE):
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.terraform.io/devin-oss/devin", "registry.opentofu.org/devin-oss/devin"]
  }
  direct {
    exclude = ["registry.terraform.io/devin-oss/devin", "registry.opentofu.org/devin-oss/devin"]
  }
}
HCL
