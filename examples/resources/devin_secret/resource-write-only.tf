# Terraform 1.11 and later: `value_wo` is write-only. Terraform sends it when it creates
# the secret and stores it nowhere; an ephemeral variable keeps it out of saved plan
# files too.
variable "github_token" {
  description = "Read-only GitHub token for Devin's sessions."
  type        = string
  sensitive   = true
  ephemeral   = true
}

# A key-value secret: Devin's sessions see it as $GITHUB_TOKEN. To rotate it, pass the
# new token and bump `value_wo_version` (2, 3, … or a date): the new version replaces
# the secret. A new token alone changes nothing, as Terraform keeps no earlier value to
# compare it with.
resource "devin_secret" "github_token" {
  key              = "GITHUB_TOKEN"
  value_wo         = var.github_token
  value_wo_version = 1
  note             = "Read-only token of the CI bot, rotated every 90 days"
}
