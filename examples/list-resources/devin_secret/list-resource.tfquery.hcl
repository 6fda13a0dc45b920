# The organization's secrets whose key starts with "CI_" (`type` filters by type, too).
# `terraform query` prints each one's identity and key; `terraform query
# -generate-config-out=generated.tf` writes an import block and a devin_secret resource
# for each.
list "devin_secret" "ci" {
  provider = devin

  config {
    key_prefix = "CI_"
  }
}
