terraform {
  required_providers {
    devin = {
      source = "devin-oss/devin"
    }
  }
}

# Every secret of the organization (ids, keys, types; never values).
data "devin_secrets" "all" {}

# Only the cookies whose key starts with "STAGING_".
data "devin_secrets" "staging_cookies" {
  type       = "cookie"
  key_prefix = "STAGING_"
}

output "secret_ids_by_key" {
  value = { for s in data.devin_secrets.all.secrets : s.key => s.id if s.key != null }
}

output "staging_cookie_keys" {
  value = data.devin_secrets.staging_cookies.secrets[*].key
}
