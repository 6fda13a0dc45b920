# Sourced by the other scripts (`. "$root/scripts/lib.sh"`): what several of them need,
# defined once. Each helper prints its answer on stdout or writes the file it is given.

# The root package's version, as Cargo reads it: the one the provider reports and the
# Registry archives and mirror folders are named with.
project_version() {
  cargo metadata --format-version 1 --no-deps --manifest-path "$(_lib_root)/Cargo.toml" | python3 -c '
import json, sys
meta = json.load(sys.stdin)
print(next(p["version"] for p in meta["packages"] if p["name"] == "terraform-provider-devin"))
'
}

# Cargo's target folder: `target/` unless CARGO_TARGET_DIR or a cargo config moves it.
target_dir() {
  cargo metadata --format-version 1 --no-deps --manifest-path "$(_lib_root)/Cargo.toml" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])'
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

_lib_root() { (cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd); }
