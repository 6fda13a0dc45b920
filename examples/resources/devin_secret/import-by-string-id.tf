import {
  to = devin_secret.github_token
  id = "sec_3fj2k8q9x1m4n7p0r5t6v8w2"
}
