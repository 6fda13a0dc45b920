# A template, not a runnable file: replace the id with one of your secrets' ids (the
# devin_secrets data source and `terraform query` list them), and declare resource
# "devin_secret" "github_token" beside it.
import {
  to = devin_secret.github_token
  identity = {
    id     = "sec_7hq4m2x9k3p8w1n6r5t0v2b4"
    org_id = "org-platform" # optional: the provider's org_id; leave it out on API v1
  }
}
