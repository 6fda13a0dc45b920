# Several organizations: one provider block each, told apart by `alias`. A resource, data
# source, list or import block picks its organization with `provider`; one without it
# uses the default (unaliased) block.
#
# Each block names its organization with `org_id` (API v3) and needs a cog_ credential
# with the ManageOrgSecrets permission there: one credential serves several blocks when
# it holds that permission in each of their organizations.

variable "research_devin_api_key" {
  description = "A cog_ credential of the research organization."
  type        = string
  sensitive   = true
}

# Uses DEVIN_API_KEY, like the default block.
provider "devin" {
  alias  = "platform"
  org_id = "org-platform"
}

provider "devin" {
  alias   = "research"
  org_id  = "org-research"
  api_key = var.research_devin_api_key
}

variable "platform_github_token" {
  type      = string
  sensitive = true
  ephemeral = true
}

variable "research_github_token" {
  type      = string
  sensitive = true
  ephemeral = true
}

# The same key in two organizations: two secrets, one per provider block.
resource "devin_secret" "platform_github_token" {
  provider         = devin.platform
  key              = "GITHUB_TOKEN"
  value_wo         = var.platform_github_token
  value_wo_version = 1
}

resource "devin_secret" "research_github_token" {
  provider         = devin.research
  key              = "GITHUB_TOKEN"
  value_wo         = var.research_github_token
  value_wo_version = 1
}
