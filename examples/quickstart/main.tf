# A quick start: two secrets for a Devin organization. The demo (make demo) applies and
# destroys this against the project's local Devin API stand-in.
#
# The values are write-only (`value_wo`, Terraform 1.11 and later): Terraform sends them
# to Devin and stores them neither in its plan nor in its state. With OpenTofu, or
# Terraform before 1.11, write `value = var....` in place of `value_wo` and
# `value_wo_version`, and drop `ephemeral = true`.
terraform {
  required_providers {
    devin = {
      source  = "devin-oss/devin"
      version = "~> 0.1"
    }
  }
}

# Reads DEVIN_API_KEY, DEVIN_API_URL and, for a cog_ key (API v3), DEVIN_ORG_ID from the
# environment.
provider "devin" {}

variable "github_token" {
  description = "Token Devin uses to clone private repositories."
  type        = string
  sensitive   = true
  ephemeral   = true
  default     = "ghp_demo_not_a_real_token"
}

variable "npm_otp_seed" {
  description = "TOTP seed for the npm publishing account."
  type        = string
  sensitive   = true
  ephemeral   = true
  default     = "JBSWY3DPEHPK3PXP"
}

# To rotate a value: pass the new one and bump its value_wo_version, which replaces the
# secret. Changing only the value changes nothing: Terraform keeps no copy to compare.
resource "devin_secret" "github_token" {
  key              = "GITHUB_TOKEN"
  value_wo         = var.github_token
  value_wo_version = 1
  note             = "Read-only token for private repositories"
}

resource "devin_secret" "npm_otp" {
  key              = "NPM_OTP"
  value_wo         = var.npm_otp_seed
  value_wo_version = 1
  type             = "totp"
  sensitive        = true
}

output "secret_ids" {
  value = {
    github_token = devin_secret.github_token.id
    npm_otp      = devin_secret.npm_otp.id
  }
}
