terraform {
  required_providers {
    devin = {
      source  = "devin-oss/devin"
      version = "~> 0.1"
    }
  }
}

# The API key comes from the environment, so it stays out of the configuration
# and the state:
#
#   export DEVIN_API_KEY="apk_..."
provider "devin" {
  # api_url defaults to DEVIN_API_URL, then https://api.devin.ai.
  request_timeout = "30s"
  max_retries     = 5
}
