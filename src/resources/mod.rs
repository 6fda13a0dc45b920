//! Terraform resources, one file each.

pub mod secret;
