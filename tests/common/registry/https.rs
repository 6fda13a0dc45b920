//! A real HTTPS server on 127.0.0.1 that serves fixed files (hyper over rustls, as the
//! stand-in serves HTTP), with a certificate for `localhost` and 127.0.0.1 signed by a
//! test CA it makes, which a CLI trusts through `SSL_CERT_FILE`. The registry tests serve
//! a release over the Provider Registry and Network Mirror protocols with it.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http_body_util::Full;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;

use super::ca::{server_config, TestCa, Validity};
use super::server::LoopbackServer;

type Files = Arc<Mutex<BTreeMap<String, Bytes>>>;

/// The server; stops when dropped.
pub struct Https {
    server: LoopbackServer,
    ca_pem: String,
    files: Files,
    requests: Arc<Mutex<Vec<String>>>,
}

impl Https {
    /// Starts on a free port of 127.0.0.1, serving nothing yet.
    pub fn start() -> Https {
        let ca = TestCa::new("terraform-provider-devin test CA");
        let ca_pem = ca.pem();
        let config = server_config(ca.leaf(&["localhost", "127.0.0.1"], Validity::Always));
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let files: Files = Arc::default();
        let requests: Arc<Mutex<Vec<String>>> = Arc::default();
        let (served, seen) = (files.clone(), requests.clone());
        let server = LoopbackServer::start("the HTTPS server", move |tcp| {
            serve(tcp, acceptor.clone(), served.clone(), seen.clone())
        });
        Https {
            server,
            ca_pem,
            files,
            requests,
        }
    }

    /// `localhost:PORT`: the host of a provider source address, and of the URLs.
    pub fn host(&self) -> String {
        format!("localhost:{}", self.server.addr().port())
    }

    /// `https://localhost:PORT` followed by `path`.
    pub fn url(&self, path: &str) -> String {
        format!("https://{}{path}", self.host())
    }

    /// Serves `body` at `path` (from now on).
    pub fn put(&self, path: &str, body: impl Into<Bytes>) {
        self.files
            .lock()
            .unwrap()
            .insert(path.to_string(), body.into());
    }

    /// Writes the test CA's certificate, the one to trust, to `file`.
    pub fn write_ca(&self, file: &Path) {
        std::fs::write(file, &self.ca_pem).expect("write the CA certificate");
    }

    /// The paths asked for so far, in order, each as `GET /path`.
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

/// One connection: the TLS handshake, then HTTP/1.1 serving `files`.
async fn serve(
    tcp: tokio::net::TcpStream,
    acceptor: tokio_rustls::TlsAcceptor,
    files: Files,
    requests: Arc<Mutex<Vec<String>>>,
) {
    // A client that gives up on the handshake is no error of the server's.
    let Ok(tls) = acceptor.accept(tcp).await else {
        return;
    };
    let service = hyper::service::service_fn(move |req: Request<hyper::body::Incoming>| {
        let path = req.uri().path().to_string();
        requests
            .lock()
            .unwrap()
            .push(format!("{} {path}", req.method()));
        let body = files.lock().unwrap().get(&path).cloned();
        async move {
            let mut response = match body {
                Some(body) => Response::new(Full::new(body)),
                None => {
                    let mut r = Response::new(Full::new(Bytes::from_static(b"not found")));
                    *r.status_mut() = StatusCode::NOT_FOUND;
                    r
                }
            };
            if path.ends_with(".json") || !path.contains('.') {
                response.headers_mut().insert(
                    hyper::header::CONTENT_TYPE,
                    hyper::header::HeaderValue::from_static("application/json"),
                );
            }
            Ok::<_, std::convert::Infallible>(response)
        }
    });
    let _ = hyper::server::conn::http1::Builder::new()
        .serve_connection(TokioIo::new(tls), service)
        .await;
}
