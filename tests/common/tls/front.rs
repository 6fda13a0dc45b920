//! A TLS front on 127.0.0.1: takes TLS connections with a certificate the test chose, and
//! passes the bytes on to a plain HTTP server (the stand-in). It counts the connections,
//! so that a test can tell how many attempts a client made.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use super::ca::{server_config, Leaf};
use super::server::LoopbackServer;

/// The front; stops when dropped.
pub struct TlsFront {
    server: LoopbackServer,
    connections: Arc<AtomicUsize>,
    handshakes: Arc<AtomicUsize>,
}

impl TlsFront {
    /// Presents `leaf` on a free port of 127.0.0.1, and passes each connection on to
    /// `backend`.
    pub fn start(leaf: Leaf, backend: SocketAddr) -> TlsFront {
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(server_config(leaf)));
        let connections = Arc::new(AtomicUsize::new(0));
        let handshakes = Arc::new(AtomicUsize::new(0));
        let (seen, shook) = (connections.clone(), handshakes.clone());
        let server = LoopbackServer::start("the TLS front", move |tcp| {
            seen.fetch_add(1, Ordering::SeqCst);
            let (acceptor, shook) = (acceptor.clone(), shook.clone());
            async move {
                // A client that refuses the certificate ends the handshake.
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                shook.fetch_add(1, Ordering::SeqCst);
                let Ok(mut plain) = tokio::net::TcpStream::connect(backend).await else {
                    return;
                };
                let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
            }
        });
        TlsFront {
            server,
            connections,
            handshakes,
        }
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.server.addr().port()
    }

    /// TCP connections taken so far.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    /// Connections whose TLS handshake completed.
    pub fn handshakes(&self) -> usize {
        self.handshakes.load(Ordering::SeqCst)
    }
}
