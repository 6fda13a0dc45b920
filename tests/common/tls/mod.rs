//! What the TLS tests (tests/e2e_tls.rs) need beside the harness: a CA of their own, a TLS
//! front for the stand-in, and a CONNECT proxy. Kept out of `common`'s own modules, as
//! `registry` is; a test file takes it with `#[path = "common/tls/mod.rs"] mod tls;`.

#![allow(dead_code)] // each test file uses a different part of it

pub mod ca;
pub mod front;
pub mod proxy;
pub mod server;
