# Not shown in the docs: the provider requirement that the examples of this directory
# share, so that the directory validates on its own (tests/docs_examples.rs).
terraform {
  required_providers {
    devin = {
      source = "devin-oss/devin"
    }
  }
}
