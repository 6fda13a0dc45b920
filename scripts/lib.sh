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
