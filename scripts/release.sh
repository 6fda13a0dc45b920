#!/usr/bin/env bash
# `make release`: the artifacts a Terraform/OpenTofu provider registry expects, in dist/
# (DIST_DIR), built reproducibly (scripts/package.sh; `make release-check` proves it):
#
#   terraform-provider-devin_<V>_<os>_<arch>.zip   holding terraform-provider-devin_v<V>
#   terraform-provider-devin_<V>_manifest.json     protocol versions (6.0)
#   terraform-provider-devin_<V>_SHA256SUMS        over every zip of <V> and the manifest
#   terraform-provider-devin_<V>_SHA256SUMS.sig    its detached, binary GPG signature
#
#   release.sh            all of it, for this machine's platform
#   release.sh platform   only this platform's zip (each runner of the release workflow)
#   release.sh publish    the manifest and the sums over the zips already in DIST_DIR
#                         (the workflow's last job, once every runner's zip is there)
#
# <V> is Cargo.toml's version, its one place. The signature is made with the RSA or DSA
# key whose fingerprint is in GPG_FINGERPRINT (scripts/sign.sh); UNSIGNED=1 asks for
# artifacts without it, which no registry takes. Refused before anything is built: a <V>
# without a dated section in CHANGELOG.md, a RELEASE_TAG (the workflow's tag) other than
# v<V>, and, unless UNSIGNED=1, no usable signing key (none given, not RSA or DSA).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
. scripts/lib.sh
name="terraform-provider-devin"
step="${1:-all}"
case "$step" in
  all|platform|publish) ;;
  *) echo "release: usage: release.sh [all|platform|publish]" >&2; exit 2 ;;
esac
refuse() { echo "release: refused, nothing built: $*" >&2; exit 1; }

version="$(project_version)"
released="$(changelog_date "$root/CHANGELOG.md" "$version")" \
  || refuse "$version has no dated section in CHANGELOG.md"
if [ -n "${RELEASE_TAG:-}" ] && [ "$RELEASE_TAG" != "v$version" ]; then
  refuse "the tag $RELEASE_TAG is not v$version, the version in Cargo.toml: tag v$version, or change Cargo.toml and CHANGELOG.md first"
fi
signed=1
if [ "$step" != platform ]; then
  if [ "${UNSIGNED:-}" = 1 ]; then
    signed=0
    echo "release: UNSIGNED=1: no SHA256SUMS.sig; a registry refuses a release without one" >&2
  else
    bash scripts/sign.sh check || refuse "no signing key (or UNSIGNED=1 for artifacts without a signature)"
  fi
fi
echo "release: $name $version, released $released (CHANGELOG.md)" >&2
dist="${DIST_DIR:-$root/dist}"
mkdir -p "$dist"

if [ "$step" != publish ]; then
  eval "$(bash scripts/tools.sh --build)"
  platform="$(host_platform)"
  [ "$step" = platform ] || rm -f "$dist/${name}_${version}_"*
  bin="$(bash scripts/package.sh build)"
  bash scripts/package.sh zip "$bin" "$platform" "$dist" >/dev/null
fi
if [ "$step" != platform ]; then
  sums="$(bash scripts/package.sh sums "$dist")"
  rm -f "$sums.sig"
  [ "$signed" = 0 ] || bash scripts/sign.sh "$sums" >/dev/null
fi

echo "release: in ${dist}:"
for f in "$dist/${name}_${version}_"*; do
  printf '  %s (%s bytes)\n' "$(basename "$f")" "$(wc -c <"$f" | tr -d ' ')"
done
sums="$dist/${name}_${version}_SHA256SUMS"
[ ! -f "$sums" ] || { echo "release: $(basename "$sums"):"; sed 's/^/  /' "$sums"; }
