//! A local stand-in of the Devin API secrets endpoints, v1 (`/v1/secrets`, one legacy key)
//! and v3 (`/v3/organizations/{org_id}/secrets`, one `cog_` key per organization), on
//! 127.0.0.1, keeping secrets in memory in one store: the v1 key works in the first
//! organization, so a secret created through one version is seen through the other. It
//! checks bearer keys, answers invalid requests with FastAPI-shaped 422s, and lets tests
//! read its state, count requests, add latency and inject faults (statuses with
//! `Retry-After`, delays, dropped connections, malformed bodies) on either version.
//!
//! Tests, the demo and the benchmark use it; the provider never links it.

mod model;
mod server;
mod state;
mod v1;
mod v3;
mod validate;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::watch;

pub use model::{
    Budget, Fault, FaultRule, ListShape, Org, RecordedRequest, RequestCounts, SecretEdit,
    StoredSecret, TimestampUnit,
};
use state::{apply_edit, stored, Inner, State};

/// The first default organization: where the v1 key works.
pub const DEFAULT_ORG: &str = "org-test";
/// The `cog_` key of [`DEFAULT_ORG`].
pub const DEFAULT_ORG_KEY: &str = "cog_test_key";
/// A second default organization, for tests of keys used on the wrong organization.
pub const OTHER_ORG: &str = "org-other";
/// The `cog_` key of [`OTHER_ORG`].
pub const OTHER_ORG_KEY: &str = "cog_other_key";

/// How the stand-in behaves.
#[derive(Clone, Debug)]
pub struct Config {
    /// The one bearer key `/v1` accepts; it acts in the first of `orgs`. `/v3` refuses it.
    pub api_key: String,
    /// Added to every `/v1` and `/v3` request.
    pub latency: Duration,
    /// `/v1` status for deleting an unknown id: 404, or 403 as the v3 endpoint answers.
    pub unknown_delete_status: u16,
    /// Shape of the `/v1` list answer.
    pub list_shape: ListShape,
    /// The organizations `/v3` serves, each with its own key; the first is also the v1
    /// key's. `/v1` refuses these keys.
    pub orgs: Vec<Org>,
    /// `/v3` status for deleting an unknown id: 403 by default, because the official Go
    /// provider's code says that is what the real API answers.
    pub v3_unknown_delete_status: u16,
    /// The unit of `/v3` `created_at` integers.
    pub v3_timestamps: TimestampUnit,
    /// Whether a `/v1` or `/v3` request whose client hangs up before the answer (a
    /// timeout, an interrupt) is still carried out, as by a server behind a load balancer,
    /// which finishes what it received. Off by default: the request is dropped with the
    /// connection, and a delayed create never happens.
    pub finish_abandoned: bool,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            api_key: "test-api-key".into(),
            latency: Duration::ZERO,
            unknown_delete_status: 404,
            list_shape: ListShape::Bare,
            orgs: vec![
                Org {
                    id: DEFAULT_ORG.into(),
                    key: DEFAULT_ORG_KEY.into(),
                },
                Org {
                    id: OTHER_ORG.into(),
                    key: OTHER_ORG_KEY.into(),
                },
            ],
            v3_unknown_delete_status: 403,
            v3_timestamps: TimestampUnit::Seconds,
            finish_abandoned: false,
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
        let state = Arc::new(State::new(Inner::new(config)));
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

    /// The stored secrets of every organization, values included, in creation order.
    pub fn secrets(&self) -> Vec<StoredSecret> {
        self.state.lock().secrets.clone()
    }

    /// `/v1` and `/v3` requests seen since the start or the last reset, counted together.
    pub fn request_counts(&self) -> RequestCounts {
        self.state.lock().counts
    }

    /// Sets the counters back to zero.
    pub fn reset_counts(&self) {
        self.state.lock().counts = RequestCounts::default();
    }

    /// `/v1` and `/v3` requests in the order they were answered.
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

    /// Sets the latency added to every `/v1` and `/v3` request.
    pub fn set_latency(&self, latency: Duration) {
        self.state.lock().latency = latency;
    }

    /// Sets [`Config::finish_abandoned`]: whether requests whose client hung up are still
    /// carried out.
    pub fn set_finish_abandoned(&self, on: bool) {
        self.state.lock().finish_abandoned = on;
    }

    /// Creates a secret in the first organization (the v1 key's) behind the API's back,
    /// as someone in the Devin UI would; keys are not checked for uniqueness, so tests can
    /// set up duplicates. It is sensitive, with no note. Returns its id.
    pub fn insert_secret(&self, key: &str, kind: &str, value: &str) -> String {
        let mut s = self.state.lock();
        let secret = stored(s.default_org(), key, kind, value);
        let id = secret.id.clone();
        s.secrets.push(secret);
        id
    }

    /// [`insert_secret`](Self::insert_secret) in organization `org_id`, which need not be
    /// one the stand-in serves. Returns the secret's id.
    pub fn insert_secret_in(&self, org_id: &str, key: &str, kind: &str, value: &str) -> String {
        let secret = stored(org_id, key, kind, value);
        let id = secret.id.clone();
        self.state.lock().secrets.push(secret);
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

    /// Changes a secret's note or sensitivity behind the API's back, as drift made outside
    /// Terraform (`/v3` lists show both; `/v1` shows neither), leaving `updated_at` as it
    /// is ([`edit_secret`](Self::edit_secret) moves it, as Devin's UI would). An empty note
    /// is listed as `null`. False when there is no such id.
    pub fn update_secret_meta(
        &self,
        id: &str,
        note: Option<&str>,
        sensitive: Option<bool>,
    ) -> bool {
        let mut s = self.state.lock();
        let Some(secret) = s.secrets.iter_mut().find(|x| x.id == id) else {
            return false;
        };
        if let Some(note) = note {
            secret.note = note.into();
        }
        if let Some(sensitive) = sensitive {
            secret.sensitive = sensitive;
        }
        true
    }

    /// Edits a secret in Devin's UI, behind the API's back: its value, note or
    /// sensitivity, as `edit` gives them, moving its `updated_at` (to now, and past its
    /// previous change) and setting its `updated_by`. `/v3` lists show both; `/v1` lists
    /// neither. False when there is no such id.
    pub fn edit_secret(&self, id: &str, edit: &SecretEdit) -> bool {
        let mut s = self.state.lock();
        let Some(secret) = s.secrets.iter_mut().find(|x| x.id == id) else {
            return false;
        };
        apply_edit(secret, edit);
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
