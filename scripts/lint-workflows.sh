#!/usr/bin/env bash
# The GitHub Actions workflows (.github/workflows), as `make lint` checks them: actionlint
# (types, expressions, runner labels, and each `run:` script through shellcheck) and
# zizmor (security: pinned actions, permissions, credentials, template injection),
# offline, at its default persona. Any finding fails. ACTIONLINT and ZIZMOR name the
# binaries; scripts/tools.sh installs them and prints both.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
: "${ACTIONLINT:?run through scripts/tools.sh (eval \"\$(bash scripts/tools.sh)\"), which installs actionlint}"
: "${ZIZMOR:?run through scripts/tools.sh (eval \"\$(bash scripts/tools.sh)\"), which installs zizmor}"
"$ACTIONLINT" -shellcheck="$(command -v shellcheck)" .github/workflows/*.yml
"$ZIZMOR" --offline --no-progress --quiet .github/workflows/ >&2 \
  || { echo "lint-workflows: zizmor has findings (above)" >&2; exit 1; }
echo "lint-workflows: actionlint and zizmor found nothing in $(ls .github/workflows/*.yml | wc -l | tr -d ' ') workflows"
