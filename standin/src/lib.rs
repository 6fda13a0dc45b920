//! A local stand-in of the Devin API v1 secrets endpoints, on 127.0.0.1, keeping secrets
//! in memory. It checks the bearer key, answers invalid requests with FastAPI-shaped 422s,
//! and lets tests read its state, count requests, add latency and inject faults (statuses
//! with `Retry-After`, delays, dropped connections, malformed bodies).
//!
//! Tests, the demo and the benchmark use it; the provider never links it.

mod model;
mod server;
mod state;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::watch;

pub use model::{
    Budget, Fault, FaultRule, ListShape, RecordedRequest, RequestCounts, StoredSecret,
};
use state::{new_id, now, Inner, State};

/// How the stand-in behaves.
#[derive(Clone, Debug)]
pub struct Config {
    /// The one bearer key accepted.
    pub api_key: String,
    /// Added to every `/v1` request.
    pub latency: Duration,
    /// Status for deleting an unknown id: 404, or 403 as a related v3 endpoint answers.
    pub unknown_delete_status: u16,
    /// Shape of the list answer.
    pub list_shape: ListShape,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            api_key: "test-api-key".into(),
            latency: Duration::ZERO,
            unknown_delete_status: 404,
            list_shape: ListShape::Bare,
        }
    }
}

/// A running stand-in. Dropping it stops the server.
pub struct StandIn {
    addr: SocketAddr,
    state: Arc<State>,
    stop: Option<watch::Sender<bool>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl StandIn {
    /// Starts a server on 127.0.0.1 with a free port, on a thread of its own.
    pub fn start(config: Config) -> std::io::Result<StandIn> {
        Self::start_on(config, 0)
    }

    /// Starts a server on 127.0.0.1:`port` (0 for a free one).
    pub fn start_on(config: Config, port: u16) -> std::io::Result<StandIn> {
        let state = Arc::new(State::new(Inner {
            api_key: config.api_key,
            latency: config.latency,
            unknown_delete_status: config.unknown_delete_status,
            list_shape: config.list_shape,
            secrets: Vec::new(),
            counts: RequestCounts::default(),
            requests: Vec::new(),
            rules: Vec::new(),
        }));
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()?;
        let std_listener = std::net::TcpListener::bind(("127.0.0.1", port))?;
        std_listener.set_nonblocking(true)?;
        let addr = std_listener.local_addr()?;
        let (stop, stopped) = watch::channel(false);
        let served = state.clone();
        let thread = std::thread::Builder::new()
            .name("devin-api-standin".into())
            .spawn(move || {
                runtime.block_on(async move {
                    if let Ok(listener) = TcpListener::from_std(std_listener) {
                        serve(listener, served, stopped).await;
                    }
                });
                runtime.shutdown_timeout(Duration::from_secs(1));
            })?;
        Ok(StandIn {
            addr,
            state,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The stored secrets, values included, in creation order.
    pub fn secrets(&self) -> Vec<StoredSecret> {
        self.state.lock().secrets.clone()
    }

    /// `/v1` requests seen since the start or the last reset.
    pub fn request_counts(&self) -> RequestCounts {
        self.state.lock().counts
    }

    /// Sets the counters back to zero.
    pub fn reset_counts(&self) {
        self.state.lock().counts = RequestCounts::default();
    }

    /// `/v1` requests in the order they were answered.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state.lock().requests.clone()
    }

    /// Adds a fault rule; rules are tried in the order they were added.
    pub fn push_fault(&self, rule: FaultRule) {
        self.state.lock().push_rule(rule);
    }

    /// Removes every fault rule.
    pub fn clear_faults(&self) {
        self.state.lock().rules.clear();
    }

    /// Sets the latency added to every `/v1` request.
    pub fn set_latency(&self, latency: Duration) {
        self.state.lock().latency = latency;
    }

    /// Creates a secret behind the API's back (as someone in the Devin UI would); keys
    /// are not checked for uniqueness, so tests can set up duplicates. Returns its id.
    pub fn insert_secret(&self, key: &str, kind: &str, value: &str) -> String {
        let id = new_id();
        self.state.lock().secrets.push(StoredSecret {
            id: id.clone(),
            key: key.into(),
            value: value.into(),
            kind: kind.into(),
            sensitive: true,
            note: String::new(),
            created_at: now(),
        });
        id
    }

    /// Changes a secret's key or type behind the API's back. False when there is no such id.
    pub fn update_secret(&self, id: &str, key: Option<&str>, kind: Option<&str>) -> bool {
        let mut s = self.state.lock();
        let Some(secret) = s.secrets.iter_mut().find(|x| x.id == id) else {
            return false;
        };
        if let Some(key) = key {
            secret.key = key.into();
        }
        if let Some(kind) = kind {
            secret.kind = kind.into();
        }
        true
    }

    /// Deletes a secret behind the API's back. False when there is no such id.
    pub fn remove_secret(&self, id: &str) -> bool {
        let mut s = self.state.lock();
        let before = s.secrets.len();
        s.secrets.retain(|x| x.id != id);
        s.secrets.len() < before
    }
}

impl Drop for StandIn {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(true);
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Accepts connections until `stopped` turns true.
async fn serve(listener: TcpListener, state: Arc<State>, mut stopped: watch::Receiver<bool>) {
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            _ = stopped.changed() => return,
        };
        let Ok((stream, _)) = accepted else { continue };
        let state = state.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| server::handle(state.clone(), req));
            // An error here is a dropped connection, on purpose or by the client.
            let _ = hyper::server::conn::http1::Builder::new()
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// For the binary: a stand-in that runs until the process is told to stop.
pub fn run_forever(config: Config, port: u16, on_ready: impl FnOnce(&str)) -> std::io::Result<()> {
    let standin = StandIn::start_on(config, port)?;
    on_ready(&standin.url());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
        Ok::<_, std::io::Error>(())
    })?;
    drop(standin);
    Ok(())
}
