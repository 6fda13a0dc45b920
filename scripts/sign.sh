#!/usr/bin/env bash
# Signs a release's SHA256SUMS as a provider registry wants it: FILE.sig, a detached,
# binary (not ASCII-armored) GPG signature, made with the key whose fingerprint is in
# GPG_FINGERPRINT (the convention of HashiCorp's release tooling), from GNUPGHOME or the
# default keyring. The Terraform Registry accepts RSA and DSA keys only: any other key,
# ECC among them, is refused here, before anything is signed.
#
#   sign.sh check    the key is there, whole, RSA or DSA, and can sign (release.sh asks first)
#   sign.sh FILE     writes FILE.sig and verifies it
#   sign.sh import   imports an armored secret key from standard input (the release workflow)
#
# GPG_PASSPHRASE, when set, unlocks the key; it is read from the environment, never printed.
set -euo pipefail
fail() { echo "sign: $*" >&2; exit 1; }
command -v gpg >/dev/null 2>&1 || fail "gpg is not installed (Debian: apt-get install gnupg; scripts/tools.sh installs it)"
keyring="${GNUPGHOME:-$HOME/.gnupg}"
fpr="$(printf '%s' "${GPG_FINGERPRINT:-}" | tr -d ' ' | tr '[:lower:]' '[:upper:]')"

check() {
  if [ -z "$fpr" ]; then
    cat >&2 <<'EOF'
sign: no signing key: set GPG_FINGERPRINT to the fingerprint (40 hex digits) of an RSA or
sign: DSA key in your keyring, or in the one GNUPGHOME names. Your keys' fingerprints:
sign:   gpg --list-secret-keys --with-colons | awk -F: '$1 == "fpr" { print $10 }'
sign: A new key for releases (the Terraform Registry takes RSA or DSA, not ECC):
sign:   gpg --quick-gen-key 'Your Name <you@example.com>' rsa4096 sign 2y
sign: Artifacts no registry will take, without a signature: UNSIGNED=1 make release
EOF
    exit 1
  fi
  [[ "$fpr" =~ ^[0-9A-F]{40}$ ]] \
    || fail "GPG_FINGERPRINT must be a key's full fingerprint, 40 hex digits, not a key id, name or address (it is \"${GPG_FINGERPRINT}\")"
  local listing
  listing="$(gpg --batch --with-colons --fixed-list-mode --list-secret-keys -- "$fpr" 2>/dev/null)" \
    || fail "no secret key with the fingerprint $fpr in $keyring: import it (gpg --import), or set GNUPGHOME to the keyring that holds it"
  # The primary key (the Registry is given the whole key) and the one that signs.
  printf '%s\n' "$listing" | awk -F: -v want="$fpr" '
    function algo(a) {
      if (a == 1 || a == 2 || a == 3) return "RSA"
      if (a == 17) return "DSA"
      if (a == 18) return "ECC (ECDH)"
      if (a == 19) return "ECC (ECDSA)"
      if (a == 22) return "ECC (EdDSA)"
      if (a == 16 || a == 20) return "Elgamal"
      return "algorithm " a
    }
    function refuse(msg) { print "sign: refused, nothing signed: " msg > "/dev/stderr"; bad = 1; exit 1 }
    $1 == "sec" || $1 == "ssb" { kind = $1; valid = $2; alg = $4; caps = $12; next }
    $1 == "fpr" && kind != "" {
      if (kind == "sec" && primary == "") { primary = algo(alg); primary_fpr = $10 }
      if ($10 == want) { found = 1; mine = algo(alg); my_valid = valid; my_caps = caps; my_alg = alg }
      kind = ""
    }
    END {
      if (bad) exit 1
      if (!found) refuse("the keyring lists no key " want)
      if (primary != "RSA" && primary != "DSA")
        refuse("the key " primary_fpr " is " primary ": the Terraform Registry accepts RSA and DSA keys only. Make an RSA key (gpg --quick-gen-key NAME rsa4096 sign 2y) and set GPG_FINGERPRINT to it")
      if (mine != "RSA" && mine != "DSA")
        refuse("the key " want " is " mine ": the Terraform Registry accepts RSA and DSA keys only. Sign with an RSA or DSA key")
      if (my_valid == "r" || my_valid == "e")
        refuse("the key " want " is " (my_valid == "r" ? "revoked" : "expired"))
      if (my_alg == 2 || index(my_caps, "s") == 0)
        refuse("the key " want " cannot sign (its capabilities: " my_caps "): give the fingerprint of its signing key")
    }'
}

sign() {
  local file="$1" status
  [ -f "$file" ] || fail "no file $file to sign"
  check
  rm -f "$file.sig"
  local args=(--batch --yes --no-tty --local-user "$fpr!" --digest-algo SHA512)
  if [ -n "${GPG_PASSPHRASE:-}" ]; then
    printf '%s' "$GPG_PASSPHRASE" | gpg "${args[@]}" --pinentry-mode loopback --passphrase-fd 0 \
      --detach-sign --output "$file.sig" "$file" || fail "gpg could not sign $file with $fpr"
  else
    gpg "${args[@]}" --detach-sign --output "$file.sig" "$file" </dev/null \
      || fail "gpg could not sign $file with $fpr (a key with a passphrase needs GPG_PASSPHRASE)"
  fi
  status="$(gpg --batch --status-fd 1 --verify "$file.sig" "$file" 2>/dev/null)" \
    || fail "the signature $file.sig does not verify"
  printf '%s\n' "$status" | grep -q "^\[GNUPG:\] VALIDSIG $fpr " \
    || fail "$file.sig was not made by $fpr"
  echo "$file.sig"
}

case "${1:-}" in
  check) check ;;
  import) gpg --batch --import >&2 || fail "gpg could not import the key on standard input" ;;
  "") fail "usage: sign.sh check | FILE | import" ;;
  *) sign "$1" ;;
esac
