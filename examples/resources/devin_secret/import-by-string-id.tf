# A template, not a runnable file: replace the id with one of your secrets' ids (the
# devin_secrets data source lists them; a secret's key is accepted too, when exactly one
# secret has it; on API v3, "org_id/secret_id" as well), and declare resource
# "devin_secret" "staging_cookie" beside it.
import {
  to = devin_secret.staging_cookie
  id = "sec_3fj2k8q9x1m4n7p0r5t6v8w2"
}
