//! An HTTP CONNECT proxy on 127.0.0.1, as a company's egress proxy (`HTTPS_PROXY`): it
//! opens the tunnel each CONNECT asks for, and records the targets.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

use super::server::LoopbackServer;

/// The proxy; stops when dropped.
pub struct ConnectProxy {
    server: LoopbackServer,
    targets: Arc<Mutex<Vec<String>>>,
}

impl ConnectProxy {
    /// Listens on a free port of 127.0.0.1. It tunnels only to 127.0.0.1 and `localhost`.
    pub fn start() -> ConnectProxy {
        let targets: Arc<Mutex<Vec<String>>> = Arc::default();
        let seen = targets.clone();
        let server =
            LoopbackServer::start("the CONNECT proxy", move |tcp| tunnel(tcp, seen.clone()));
        ConnectProxy { server, targets }
    }

    /// `http://127.0.0.1:PORT`, for `HTTPS_PROXY`.
    pub fn url(&self) -> String {
        format!("http://{}", self.server.addr())
    }

    /// The `host:port` of each CONNECT so far.
    pub fn targets(&self) -> Vec<String> {
        self.targets.lock().unwrap().clone()
    }
}

async fn tunnel(tcp: tokio::net::TcpStream, targets: Arc<Mutex<Vec<String>>>) {
    let mut client = BufReader::new(tcp);
    let mut line = String::new();
    if client.read_line(&mut line).await.is_err() {
        return;
    }
    let mut words = line.split_whitespace();
    let (Some("CONNECT"), Some(target)) = (words.next(), words.next()) else {
        let _ = client
            .get_mut()
            .write_all(b"HTTP/1.1 405 Method Not Allowed\r\ncontent-length: 0\r\n\r\n")
            .await;
        return;
    };
    let target = target.to_string();
    // The rest of the request head.
    loop {
        let mut header = String::new();
        match client.read_line(&mut header).await {
            Ok(0) | Err(_) => return,
            Ok(_) if header == "\r\n" || header == "\n" => break,
            Ok(_) => {}
        }
    }
    targets.lock().unwrap().push(target.clone());
    let local = target.starts_with("127.0.0.1:") || target.starts_with("localhost:");
    let upstream = if local {
        let port = target.rsplit(':').next().unwrap_or("0");
        tokio::net::TcpStream::connect(format!("127.0.0.1:{port}"))
            .await
            .ok()
    } else {
        None
    };
    let Some(mut upstream) = upstream else {
        let _ = client
            .get_mut()
            .write_all(b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n")
            .await;
        return;
    };
    if client
        .get_mut()
        .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
        .await
        .is_err()
    {
        return;
    }
    let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
}
