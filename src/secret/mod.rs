//! The secret domain: resource `devin_secret`, data sources `devin_secret` and
//! `devin_secrets`, and list resource `devin_secret`.

pub mod data_secret;
pub mod data_secrets;
pub mod filters;
pub mod list;
pub mod resource;
