#!/usr/bin/env bash
# `make demo`: a real terraform init/apply/plan/destroy of examples/quickstart against the
# local Devin API stand-in, started on a free loopback port and stopped at the end.
#
#   make demo                      API v1, with a legacy key (apk_…): what the seed documents
#   DEVIN_DEMO_API=v3 make demo    API v3, with a service-user credential (cog_…) and an
#                                  organization (DEVIN_ORG_ID)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
api="${DEVIN_DEMO_API:-v1}"
case "$api" in
  v1|v3) ;;
  *) echo "demo: DEVIN_DEMO_API must be v1 or v3, not \"$api\"" >&2; exit 2 ;;
esac
. scripts/lib.sh
eval "$(bash scripts/tools.sh)"
release="$(profile_dir release)"
if [ ! -x "$release/terraform-provider-devin" ] || [ ! -x "$release/devin-api-standin" ]; then
  echo "demo: building the provider and the stand-in (release). On a fresh machine this"
  echo "demo: compiles about 300 crates and takes about 7 minutes on 2 cores; cargo lists"
  echo "demo: each crate as it goes. Later runs take seconds."
fi
cargo build --release --bin terraform-provider-devin -p terraform-provider-devin -p devin-api-standin --bins
tf="$DEVIN_TEST_TERRAFORM"

work="$(mktemp -d)"
standin_pid=""
cleanup() {
  [ -n "$standin_pid" ] && kill "$standin_pid" 2>/dev/null && wait "$standin_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# The key's prefix picks the API version: apk_ speaks v1, cog_ speaks v3 and needs the
# organization. The stand-in serves both: v1 for its --api-key, v3 for each --org.
v1_key="apk_demo_key" org="org-demo" cog_key="cog_demo_key"
if [ "$api" = v3 ]; then
  export DEVIN_API_KEY="$cog_key" DEVIN_ORG_ID="$org"
else
  export DEVIN_API_KEY="$v1_key"
  unset DEVIN_ORG_ID
fi
echo "demo: Devin API $api: DEVIN_API_KEY=$DEVIN_API_KEY${DEVIN_ORG_ID:+ DEVIN_ORG_ID=$DEVIN_ORG_ID}"
"$release/devin-api-standin" --port 0 --api-key "$v1_key" --org "$org=$cog_key" --addr-file "$work/addr" &
standin_pid=$!
for _ in $(seq 1 100); do [ -s "$work/addr" ] && break; sleep 0.1; done
[ -s "$work/addr" ] || { echo "the stand-in did not start" >&2; exit 1; }
export DEVIN_API_URL="$(cat "$work/addr")"

PROVIDER_BIN="$release/terraform-provider-devin" MIRROR_DIR="$work/mirror" bash scripts/install.sh > "$work/cli.tfrc"
export TF_CLI_CONFIG_FILE="$work/cli.tfrc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
cp -r examples/quickstart "$work/quickstart"
cd "$work/quickstart"

state() { echo; echo "== stand-in state (GET $DEVIN_API_URL/_standin/state) =="; curl -s "$DEVIN_API_URL/_standin/state" | python3 -m json.tool; }
step() { echo; echo "== $* =="; }

# Record the provider's checksum first: `init` would otherwise compute it from the mirror
# itself and warn that the lock file is incomplete for other platforms.
"$tf" providers lock -fs-mirror="$work/mirror" -platform=linux_amd64 >/dev/null
step "$tf init"; "$tf" init -input=false -no-color
step "$tf apply"; "$tf" apply -auto-approve -input=false -no-color
state
# value_wo is write-only: the values reach the API (above), never Terraform's state.
step "the values in terraform.tfstate (expect none: value_wo is write-only)"
if grep -n -e ghp_demo_not_a_real_token -e JBSWY3DPEHPK3PXP terraform.tfstate; then
  echo "demo: a value is in terraform.tfstate" >&2; exit 1
fi
echo "none"
step "$tf plan (expect no changes)"; "$tf" plan -input=false -no-color -detailed-exitcode
step "$tf destroy"; "$tf" destroy -auto-approve -input=false -no-color
state
echo; echo "demo: created and destroyed against the stand-in's API $api at $DEVIN_API_URL"
