# A quick start: two secrets for a Devin organization. The demo (make demo) applies and
# destroys this against the project's local Devin API stand-in.
terraform {
  required_providers {
    devin = {
      source  = "devin-oss/devin"
      version = "0.1.0"
    }
  }
}

# Reads DEVIN_API_KEY and DEVIN_API_URL from the environment.
provider "devin" {}

variable "github_token" {
  description = "Token Devin uses to clone private repositories."
  type        = string
  sensitive   = true
  default     = "ghp_demo_not_a_real_token"
}

variable "npm_otp_seed" {
  description = "TOTP seed for the npm publishing account."
  type        = string
  sensitive   = true
  default     = "JBSWY3DPEHPK3PXP"
}

resource "devin_secret" "github_token" {
  key   = "GITHUB_TOKEN"
  value = var.github_token
  note  = "Read-only token for private repositories"
}

resource "devin_secret" "npm_otp" {
  key       = "NPM_OTP"
  value     = var.npm_otp_seed
  type      = "totp"
  sensitive = true
}

output "secret_ids" {
  value = {
    github_token = devin_secret.github_token.id
    npm_otp      = devin_secret.npm_otp.id
  }
}
