//! The generated tfplugin6 (protocol 6.10) message types and service trait.
//!
//! The one place that names the bindings crate: swapping it means changing this file
//! (and the version pin in Cargo.toml), nothing else.

pub use magma_protocol::tfplugin6::*;
