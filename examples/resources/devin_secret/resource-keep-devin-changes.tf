# On API v3 a change made to a secret in Devin (its value, note or sensitive flag) moves
# its `updated_at`, and the next plan replaces the secret to send the configured value
# again. To leave such changes to the people who make them in Devin, ignore
# `updated_at`, and `note` and `sensitive` too: the plan compares those on their own.
variable "vendor_api_key" {
  description = "The vendor's API key: its first value; the team rotates it in Devin."
  type        = string
  sensitive   = true
}

resource "devin_secret" "vendor_api_key" {
  key   = "VENDOR_API_KEY"
  value = var.vendor_api_key

  lifecycle {
    ignore_changes = [updated_at, note, sensitive]
  }
}
