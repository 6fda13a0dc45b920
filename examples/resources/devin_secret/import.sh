# A template: replace the id with one of your secrets' ids (the devin_secrets data
# source lists them) or with its key. The configuration must declare the resource first.
terraform import devin_secret.staging_cookie sec_3fj2k8q9x1m4n7p0r5t6v8w2
