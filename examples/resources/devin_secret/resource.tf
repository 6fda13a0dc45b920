# Without write-only arguments (OpenTofu 1.6, Terraform before 1.11), `value` holds the
# value, and Terraform stores it in its state, marked sensitive.
variable "staging_session_cookie" {
  description = "Session cookie for the staging web app."
  type        = string
  sensitive   = true
}

# A cookie Devin can use to sign in to a web app. Any change to `value` replaces it.
resource "devin_secret" "staging_cookie" {
  key   = "STAGING_SESSION_COOKIE"
  type  = "cookie"
  value = var.staging_session_cookie
  note  = "Staging web app session"
}
