#!/usr/bin/env bash
# Generates docs/ (Terraform Registry layout) from the provider's own schema.
#
#   bash scripts/docs.sh           regenerate docs/
#   bash scripts/docs.sh --check   fail when docs/ differs from what would be generated
#
# Builds the plugin (debug), asks `terraform providers schema -json` for its schema
# through a throw-away CLI configuration with dev_overrides (no init, no network), and
# renders it with the devin-docgen crate together with examples/ and templates/. The
# pages written by hand (handwritten_pages, below) are kept as they are.
#
# The terraform binary is ${DEVIN_TEST_TERRAFORM_115:-.tools/bin/terraform-1.15}
# (scripts/tools.sh installs it): the JSON of Terraform 1.14 and later is the only one
# with the list resource (`list_resource_schemas`) and the resource identity
# (`resource_identity_schemas`), so an older CLI is refused rather than writing pages
# without them. The output depends only on the provider, examples/ and templates/:
# Terraform prints the JSON with sorted keys, and devin-docgen sorts what it renders.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
. scripts/lib.sh

# docs/ files that docgen does not write.
handwritten_pages=(performance.md)

check=0
case "${1:-}" in
  "") ;;
  --check) check=1 ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

terraform_bin="${DEVIN_TEST_TERRAFORM_115:-$root/.tools/bin/terraform-1.15}"
if ! command -v "$terraform_bin" >/dev/null 2>&1; then
  echo "docs.sh: Terraform 1.15 not found (\"$terraform_bin\"); run make tools (or eval \"\$(bash scripts/tools.sh)\"), which installs it and sets DEVIN_TEST_TERRAFORM_115" >&2
  exit 1
fi
terraform_version="$(CHECKPOINT_DISABLE=1 "$terraform_bin" version -json 2>/dev/null \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["terraform_version"])' 2>/dev/null || true)"
case "$terraform_version" in
  1.1[4-9].*|1.[2-9][0-9].*|[2-9].*) ;;
  *)
    echo "docs.sh: $terraform_bin is Terraform \"${terraform_version:-unknown}\"; the docs need 1.14 or later, whose schema JSON has list resources and resource identities (set DEVIN_TEST_TERRAFORM_115)" >&2
    exit 1
    ;;
esac

cargo build -q --bin terraform-provider-devin
plugin_dir="$(profile_dir debug)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

write_dev_overrides "$work/cli.tfrc" "$plugin_dir"
mkdir "$work/config"
cat >"$work/config/main.tf" <<'EOF'
terraform {
  required_providers {
    devin = { source = "devin-oss/devin" }
  }
}
EOF

# A clean environment for terraform: our CLI config, no logging into the JSON.
(
  cd "$work/config"
  env -u TF_LOG -u TF_LOG_PATH -u TF_LOG_PROVIDER -u TF_LOG_CORE -u TF_DATA_DIR \
    TF_CLI_CONFIG_FILE="$work/cli.tfrc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1 \
    "$terraform_bin" providers schema -json >"$work/schema.json" 2>"$work/terraform.err"
) || {
  echo "docs.sh: terraform providers schema -json failed:" >&2
  cat "$work/terraform.err" >&2
  exit 1
}

cargo run -q -p devin-docgen -- --out "$work/docs" --examples examples --templates templates <"$work/schema.json"

# Pages written by hand live beside the generated ones: carried over as they are, so the
# check compares only what is generated and a regeneration keeps them.
for page in "${handwritten_pages[@]}"; do
  if [ -f "docs/$page" ]; then cp "docs/$page" "$work/docs/$page"; fi
done

if [ "$check" = 1 ]; then
  if ! diff -r "$work/docs" docs; then
    echo "docs/ is stale: run make docs" >&2
    exit 1
  fi
  echo "docs/ is up to date"
else
  rm -rf docs
  cp -r "$work/docs" docs
  echo "wrote docs/:"
  (cd docs && find . -type f | sort | sed 's|^\./|  docs/|')
fi
