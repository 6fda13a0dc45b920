terraform {
  required_providers {
    devin = {
      source = "devin-oss/devin"
    }
  }
}

variable "github_token" {
  description = "Read-only GitHub token for Devin's sessions."
  type        = string
  sensitive   = true
}

variable "staging_session_cookie" {
  description = "Session cookie for the staging web app."
  type        = string
  sensitive   = true
}

# A key-value secret: Devin's sessions see it as $GITHUB_TOKEN.
resource "devin_secret" "github_token" {
  key   = "GITHUB_TOKEN"
  value = var.github_token
  note  = "Read-only token of the CI bot, rotated every 90 days"
}

# A cookie Devin can use to sign in to a web app.
resource "devin_secret" "staging_cookie" {
  key   = "STAGING_SESSION_COOKIE"
  type  = "cookie"
  value = var.staging_session_cookie
}
