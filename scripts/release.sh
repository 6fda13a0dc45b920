#!/usr/bin/env bash
# Builds the release artifacts a Terraform/OpenTofu provider registry expects, in dist/:
#
#   terraform-provider-devin_<version>_linux_amd64.zip   holding terraform-provider-devin_v<version>
#   terraform-provider-devin_<version>_manifest.json     protocol versions
#   terraform-provider-devin_<version>_SHA256SUMS        sha256sum lines for the zip and the manifest
#
# The version is the root Cargo.toml's, its one place; CHANGELOG.md must have a dated
# section for it (`## 0.1.0 — 2026-12-01`), or nothing is built. Signing the SHA256SUMS (GPG) is left to the
# publisher: the registry needs the signature made with their own key.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

name="terraform-provider-devin"
. scripts/lib.sh
version="$(project_version)"
released="$(changelog_date "$root/CHANGELOG.md" "$version")" \
  || { echo "release: refused, nothing built: $version has no dated section in CHANGELOG.md" >&2; exit 1; }
echo "release: $name $version, released $released (CHANGELOG.md)"

cargo build --release --bin "$name"

dist="$root/dist"
mkdir -p "$dist"
zip_name="${name}_${version}_linux_amd64.zip"
manifest_name="${name}_${version}_manifest.json"
sums_name="${name}_${version}_SHA256SUMS"
binary_name="${name}_v${version}"

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
cp "$(target_dir)/release/$name" "$stage/$binary_name"
chmod 0755 "$stage/$binary_name"

rm -f "$dist/$zip_name" "$dist/$manifest_name" "$dist/$sums_name"
if command -v zip >/dev/null 2>&1; then
  (cd "$stage" && zip -q -X "$dist/$zip_name" "$binary_name")
else
  python3 - "$stage/$binary_name" "$dist/$zip_name" <<'EOF'
import os, sys, zipfile
src, dest = sys.argv[1], sys.argv[2]
info = zipfile.ZipInfo(os.path.basename(src), date_time=(1980, 1, 1, 0, 0, 0))
info.external_attr = (0o100755 << 16)
info.compress_type = zipfile.ZIP_DEFLATED
with open(src, "rb") as f, zipfile.ZipFile(dest, "w") as z:
    z.writestr(info, f.read())
EOF
fi

printf '{"version":1,"metadata":{"protocol_versions":["6.0"]}}\n' >"$dist/$manifest_name"
(cd "$dist" && sha256sum "$zip_name" "$manifest_name" >"$sums_name")

echo "wrote:"
for f in "$zip_name" "$manifest_name" "$sums_name"; do
  printf '  dist/%s (%s bytes)\n' "$f" "$(wc -c <"$dist/$f" | tr -d ' ')"
done
echo "dist/$zip_name contains: $binary_name"
echo "dist/$sums_name:"
sed 's/^/  /' "$dist/$sums_name"
