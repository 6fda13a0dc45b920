//! A TCP server on a free port of 127.0.0.1, on a runtime of its own in a thread, handing
//! each connection to a handler; it stops when dropped. The HTTPS server, the TLS front
//! and the CONNECT proxy are each such a server with a handler of their own.

use std::future::Future;
use std::net::SocketAddr;

use tokio::sync::watch;

/// The running server.
pub struct LoopbackServer {
    addr: SocketAddr,
    stop: Option<watch::Sender<bool>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl LoopbackServer {
    /// Listens, and runs `handle` (a task each) on every connection taken. `what` names it
    /// in a failure.
    pub fn start<H, F>(what: &'static str, handle: H) -> LoopbackServer
    where
        H: Fn(tokio::net::TcpStream) -> F + Send + 'static,
        F: Future<Output = ()> + Send + 'static,
    {
        let listener = std::net::TcpListener::bind(("127.0.0.1", 0))
            .unwrap_or_else(|e| panic!("{what}: bind 127.0.0.1: {e}"));
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, mut stopped) = watch::channel(false);
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap_or_else(|e| panic!("{what}: a runtime: {e}"));
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                loop {
                    let accepted = tokio::select! {
                        a = listener.accept() => a,
                        _ = stopped.changed() => return,
                    };
                    if let Ok((tcp, _)) = accepted {
                        tokio::spawn(handle(tcp));
                    }
                }
            });
        });
        LoopbackServer {
            addr,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for LoopbackServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(true);
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
