terraform {
  required_providers {
    devin = {
      source  = "devin-oss/devin"
      version = "~> 0.1"
    }
  }
}

# The credential comes from the environment, so it stays out of the configuration and
# the state. Its prefix picks the Devin API version:
#
#   export DEVIN_API_KEY="cog_..."   # a service-user credential: API v3,
#   export DEVIN_ORG_ID="org-..."    # which needs the organization's id
#
#   export DEVIN_API_KEY="apk_..."   # a legacy key (apk_ or apk_user_): API v1,
#                                    # where the key implies the organization
provider "devin" {
  # api_url defaults to DEVIN_API_URL, then https://api.devin.ai.
  request_timeout = "30s"
  max_retries     = 5
}
