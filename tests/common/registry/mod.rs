//! What the registry tests (tests/e2e_registry.rs) need beside the harness: a release of
//! the test build made by the project's scripts, an HTTPS server, and the two protocols
//! a CLI installs a provider by. Kept out of `common`'s own modules so that the other test
//! files do not compile an HTTPS server; a test file takes it with
//! `#[path = "common/registry/mod.rs"] mod registry;` beside `mod common;`.

#![allow(dead_code)] // each test file uses a different part of it

#[path = "../tls/ca.rs"]
pub mod ca;
pub mod gpg;
pub mod https;
pub mod release;
pub mod serve;
#[path = "../tls/server.rs"]
pub mod server;
