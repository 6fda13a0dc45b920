terraform {
  required_providers {
    devin = {
      source = "devin-oss/devin"
    }
  }
}

# Look a secret up by its key (or set `id` instead; exactly one of the two).
data "devin_secret" "github_token" {
  key = "GITHUB_TOKEN"
}

output "github_token_secret" {
  value = {
    id         = data.devin_secret.github_token.id
    type       = data.devin_secret.github_token.type
    created_at = data.devin_secret.github_token.created_at
  }
}
