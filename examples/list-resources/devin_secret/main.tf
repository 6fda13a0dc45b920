# `terraform query` reads the .tfquery.hcl files beside a configuration's .tf files, where
# the provider is required and configured.
terraform {
  required_providers {
    devin = {
      source = "devin-oss/devin"
    }
  }
}

provider "devin" {}
