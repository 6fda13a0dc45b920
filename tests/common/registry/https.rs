//! A real HTTPS server on 127.0.0.1 that serves fixed files (hyper over rustls, as the
//! stand-in serves HTTP), with a certificate for `localhost` and 127.0.0.1 signed by a
//! test CA it makes, which a CLI trusts through `SSL_CERT_FILE`. The registry tests serve
//! a release over the Provider Registry and Network Mirror protocols with it.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http_body_util::Full;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio::sync::watch;

type Files = Arc<Mutex<BTreeMap<String, Bytes>>>;

/// The server; stops when dropped.
pub struct Https {
    addr: SocketAddr,
    ca_pem: String,
    files: Files,
    requests: Arc<Mutex<Vec<String>>>,
    stop: Option<watch::Sender<bool>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Https {
    /// Starts on a free port of 127.0.0.1, serving nothing yet.
    pub fn start() -> Https {
        let (ca_pem, chain, key) = certificates();
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .and_then(|b| b.with_no_client_auth().with_single_cert(chain, key))
        .expect("the server's TLS configuration");
        let mut config = config;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let listener = std::net::TcpListener::bind(("127.0.0.1", 0)).expect("bind 127.0.0.1");
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let files: Files = Arc::default();
        let requests: Arc<Mutex<Vec<String>>> = Arc::default();
        let (stop, stopped) = watch::channel(false);
        let (served, seen) = (files.clone(), requests.clone());
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("a runtime for the HTTPS server");
            runtime.block_on(serve(listener, acceptor, served, seen, stopped));
        });
        Https {
            addr,
            ca_pem,
            files,
            requests,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// `localhost:PORT`: the host of a provider source address, and of the URLs.
    pub fn host(&self) -> String {
        format!("localhost:{}", self.addr.port())
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

impl Drop for Https {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(true);
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A CA, and a server certificate it signed for `localhost` and 127.0.0.1: the CA's PEM,
/// the chain to present, and the server's key.
fn certificates() -> (String, Vec<CertificateDer<'static>>, PrivateKeyDer<'static>) {
    use rcgen::{
        BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
        KeyUsagePurpose,
    };
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.distinguished_name
        .push(DnType::CommonName, "terraform-provider-devin test CA");
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let key = KeyPair::generate().unwrap();
    let mut leaf =
        CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()]).unwrap();
    leaf.distinguished_name
        .push(DnType::CommonName, "localhost");
    leaf.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let cert = leaf.signed_by(&key, &ca_cert, &ca_key).unwrap();
    (
        ca_cert.pem(),
        vec![cert.der().clone(), ca_cert.der().clone()],
        PrivateKeyDer::try_from(key.serialize_der()).unwrap(),
    )
}

async fn serve(
    listener: std::net::TcpListener,
    acceptor: tokio_rustls::TlsAcceptor,
    files: Files,
    requests: Arc<Mutex<Vec<String>>>,
    mut stopped: watch::Receiver<bool>,
) {
    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
        return;
    };
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            _ = stopped.changed() => return,
        };
        let Ok((tcp, _)) = accepted else { continue };
        let (acceptor, files, requests) = (acceptor.clone(), files.clone(), requests.clone());
        tokio::spawn(async move {
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
        });
    }
}
