//! Turns off Nagle's algorithm on the plugin's gRPC sockets.
//!
//! tf-provider serves gRPC from its own listener without `TCP_NODELAY`, so a response
//! written in several small segments waits for Terraform's delayed ACK: milliseconds per
//! call, seconds over the thousands of calls of a large plan. The crate gives no hook on
//! its sockets, so a short-lived thread finds the process's TCP sockets and sets the
//! option on each; the listening socket passes it on to the connections it accepts.

use std::time::{Duration, Instant};

/// How long to keep looking when no connection comes: Terraform connects right after
/// the handshake, and once.
const WATCH: Duration = Duration::from_secs(2);
const EVERY: Duration = Duration::from_millis(2);

/// Starts the watching thread.
pub fn spawn() {
    let _ = std::thread::Builder::new()
        .name("nodelay".into())
        .spawn(|| {
            let started = Instant::now();
            while started.elapsed() < WATCH {
                if set_on_tcp_sockets() {
                    return;
                }
                std::thread::sleep(EVERY);
            }
        });
}

/// Sets the option on every TCP socket; true once a connection (not only the listener)
/// was among them.
fn set_on_tcp_sockets() -> bool {
    let Ok(entries) = std::fs::read_dir("/proc/self/fd") else {
        return true;
    };
    let mut connected = false;
    for fd in entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<libc::c_int>().ok())
    {
        if is_tcp(fd) {
            let on: libc::c_int = 1;
            // SAFETY: setsockopt reads `on` only; a descriptor closed since the scan
            // makes the call fail harmlessly.
            unsafe {
                libc::setsockopt(
                    fd,
                    libc::IPPROTO_TCP,
                    libc::TCP_NODELAY,
                    (&on as *const libc::c_int).cast(),
                    std::mem::size_of::<libc::c_int>() as libc::socklen_t,
                );
            }
            connected |= int_option(fd, libc::SOL_SOCKET, libc::SO_ACCEPTCONN) == Some(0);
        }
    }
    connected
}

fn int_option(fd: libc::c_int, level: libc::c_int, name: libc::c_int) -> Option<libc::c_int> {
    let mut value: libc::c_int = 0;
    let mut len = std::mem::size_of::<libc::c_int>() as libc::socklen_t;
    // SAFETY: getsockopt writes at most `len` bytes into `value`; non-sockets fail.
    let ok = unsafe {
        libc::getsockopt(
            fd,
            level,
            name,
            (&mut value as *mut libc::c_int).cast(),
            &mut len,
        )
    } == 0;
    ok.then_some(value)
}

fn is_tcp(fd: libc::c_int) -> bool {
    if int_option(fd, libc::SOL_SOCKET, libc::SO_TYPE) != Some(libc::SOCK_STREAM) {
        return false;
    }
    // SAFETY: sockaddr_storage is plain data; all zeroes is a valid value.
    let mut addr: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
    let mut alen = std::mem::size_of::<libc::sockaddr_storage>() as libc::socklen_t;
    // SAFETY: getsockname writes at most `alen` bytes into `addr`.
    let named = unsafe {
        libc::getsockname(
            fd,
            (&mut addr as *mut libc::sockaddr_storage).cast(),
            &mut alen,
        )
    } == 0;
    named
        && matches!(
            addr.ss_family as libc::c_int,
            libc::AF_INET | libc::AF_INET6
        )
}
