//! HTTP handling: what every API request goes through (counting, latency, faults,
//! recording) before the `/v1` or `/v3` handler answers it, and the `/_standin` control
//! endpoints.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::{Method, Request, Response, StatusCode};
use serde_json::{json, Value};

use crate::model::{Fault, FaultRule, RecordedRequest, SecretEdit};
use crate::state::{apply_edit, stored, State};
use crate::{v1, v3};

/// Returned by the service to make hyper close the connection without answering.
#[derive(Debug)]
pub struct DropConnection;

impl std::fmt::Display for DropConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped on purpose")
    }
}

impl std::error::Error for DropConnection {}

type Answer = Result<Response<Full<Bytes>>, DropConnection>;

pub fn json_response(status: u16, body: &Value) -> Response<Full<Bytes>> {
    raw_response(status, "application/json", body.to_string())
}

fn raw_response(status: u16, content_type: &str, body: String) -> Response<Full<Bytes>> {
    let mut r = Response::new(Full::new(Bytes::from(body)));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if let Ok(v) = content_type.parse() {
        r.headers_mut().insert(hyper::header::CONTENT_TYPE, v);
    }
    r
}

pub fn detail(status: u16, text: &str) -> Response<Full<Bytes>> {
    json_response(status, &json!({ "detail": text }))
}

/// Entry point for every request.
pub async fn handle(state: Arc<State>, req: Request<hyper::body::Incoming>) -> Answer {
    let method = req.method().clone();
    let path = req
        .uri()
        .path_and_query()
        .map_or_else(|| req.uri().path().to_string(), |p| p.as_str().to_string());
    let headers: Vec<(String, String)> = req
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body = match req.into_body().collect().await {
        Ok(b) => String::from_utf8_lossy(&b.to_bytes()).into_owned(),
        Err(_) => return Err(DropConnection),
    };
    if path.starts_with("/_standin/") {
        return Ok(control(&state, &method, &path, &body));
    }
    let Some(version) = Version::of(&path) else {
        return Ok(detail(404, "Not Found"));
    };
    let request = ApiRequest {
        version,
        method,
        path,
        headers,
        body,
    };
    if state.lock().finish_abandoned {
        // On a task of its own, which goes on when the client hangs up and hyper drops
        // this future: as a server behind a load balancer finishes a request whose
        // client has gone.
        let task = tokio::spawn(serve_api(state, request));
        return task.await.unwrap_or(Err(DropConnection));
    }
    serve_api(state, request).await
}

/// One `/v1` or `/v3` request, read.
struct ApiRequest {
    version: Version,
    method: Method,
    path: String,
    headers: Vec<(String, String)>,
    body: String,
}

/// Counts, delays, faults, answers and records one API request.
async fn serve_api(state: Arc<State>, request: ApiRequest) -> Answer {
    let ApiRequest {
        version,
        method,
        path,
        headers,
        body,
    } = request;
    let (latency, fault) = {
        let mut s = state.lock();
        match method {
            Method::GET => s.counts.get += 1,
            Method::POST => s.counts.post += 1,
            Method::DELETE => s.counts.delete += 1,
            _ => s.counts.other += 1,
        }
        (s.latency, s.take_fault(method.as_str(), &path))
    };
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let real = || api(&state, version, &method, &path, &headers, &body);
    let outcome = apply_fault(fault, real).await;
    let status = outcome.as_ref().map_or(0, |r| r.status().as_u16());
    state.lock().requests.push(RecordedRequest {
        method: method.to_string(),
        path,
        headers,
        body,
        status,
    });
    outcome
}

/// Answers with `real` (the request's effect and answer), changed by `fault` if any.
async fn apply_fault(fault: Option<Fault>, real: impl Fn() -> Response<Full<Bytes>>) -> Answer {
    match fault {
        None => Ok(real()),
        Some(Fault::Status {
            status,
            retry_after,
            body,
        }) => {
            let mut r = match body {
                Some(b) => raw_response(status, "application/json", b),
                None => detail(status, "Injected fault"),
            };
            if let Some(Ok(v)) = retry_after.map(|v| v.parse()) {
                r.headers_mut().insert(hyper::header::RETRY_AFTER, v);
            }
            Ok(r)
        }
        Some(Fault::Delay { ms }) => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            Ok(real())
        }
        Some(Fault::DropBefore) => Err(DropConnection),
        Some(Fault::DropAfter) => {
            let _ = real();
            Err(DropConnection)
        }
        Some(Fault::MalformedBefore { status }) => Ok(raw_response(
            status,
            "text/html",
            "<html><body>upstream error</body></html>".into(),
        )),
        Some(Fault::MalformedAfter) => {
            let r = real();
            let full = r.into_body();
            let bytes = full
                .collect()
                .await
                .map(|c| c.to_bytes())
                .unwrap_or_default();
            let cut = bytes.slice(..bytes.len() / 2);
            Ok(raw_response(
                200,
                "application/json",
                String::from_utf8_lossy(&cut).into_owned(),
            ))
        }
        Some(Fault::Mixed) => Ok(real()), // resolved by the rule; never stored as is
    }
}

/// The header's value, if the request has one.
pub fn authorization(headers: &[(String, String)]) -> Option<&str> {
    headers
        .iter()
        .find(|(k, _)| k == "authorization")
        .map(|(_, v)| v.as_str())
}

/// The API version a path is under, if it is one the stand-in serves.
#[derive(Clone, Copy)]
enum Version {
    V1,
    V3,
}

impl Version {
    fn of(path: &str) -> Option<Version> {
        if path.starts_with("/v1/") {
            Some(Version::V1)
        } else if path.starts_with("/v3/") {
            Some(Version::V3)
        } else {
            None
        }
    }
}

/// The request's real effect and answer, under the one lock both versions share.
fn api(
    state: &Arc<State>,
    version: Version,
    method: &Method,
    path: &str,
    headers: &[(String, String)],
    body: &str,
) -> Response<Full<Bytes>> {
    let mut s = state.lock();
    match version {
        Version::V1 => v1::handle(&mut s, method, path, headers, body),
        Version::V3 => v3::handle(&mut s, method, path, headers, body),
    }
}

/// `/_standin/...`: for scripts that cannot link the library. `POST /_standin/secrets`
/// takes `key`, `type`, `value` and an optional `org_id` (the first organization when
/// absent); `PATCH /_standin/secrets/{id}` takes `key`, `type`, `note`, `is_sensitive`;
/// `POST /_standin/secrets/{id}/edit` takes a [`SecretEdit`] (`value`, `note`,
/// `is_sensitive`, `updated_by`), an edit in Devin's UI that moves `updated_at`.
fn control(state: &Arc<State>, method: &Method, path: &str, body: &str) -> Response<Full<Bytes>> {
    let mut s = state.lock();
    let parsed: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    let field = |name: &str| parsed.get(name).and_then(Value::as_str).map(str::to_string);
    match (method, path) {
        (&Method::GET, "/_standin/state") => json_response(
            200,
            &json!({ "secrets": s.secrets, "counts": s.counts, "orgs": s.orgs }),
        ),
        (&Method::POST, "/_standin/reset-counts") => {
            s.counts = Default::default();
            json_response(200, &json!({}))
        }
        (&Method::POST, "/_standin/faults") => match serde_json::from_str::<FaultRule>(body) {
            Ok(rule) => {
                s.push_rule(rule);
                json_response(200, &json!({}))
            }
            Err(e) => detail(400, &e.to_string()),
        },
        (&Method::DELETE, "/_standin/faults") => {
            s.rules.clear();
            json_response(200, &json!({}))
        }
        (&Method::PUT, "/_standin/latency") => match parsed.get("ms").and_then(Value::as_u64) {
            Some(ms) => {
                s.latency = Duration::from_millis(ms);
                json_response(200, &json!({}))
            }
            None => detail(400, "expected {\"ms\": N}"),
        },
        (&Method::POST, "/_standin/secrets") => {
            let org = field("org_id").unwrap_or_else(|| s.default_org().to_string());
            let secret = stored(
                &org,
                &field("key").unwrap_or_default(),
                &field("type").unwrap_or_else(|| "key-value".into()),
                &field("value").unwrap_or_default(),
            );
            let id = secret.id.clone();
            s.secrets.push(secret);
            json_response(200, &json!({ "id": id }))
        }
        (&Method::POST, p) if p.starts_with("/_standin/secrets/") && p.ends_with("/edit") => {
            let id = &p["/_standin/secrets/".len()..p.len() - "/edit".len()];
            let Ok(edit) = serde_json::from_str::<SecretEdit>(body) else {
                return detail(
                    400,
                    "expected {\"value\", \"note\", \"is_sensitive\", \"updated_by\"}",
                );
            };
            match s.secrets.iter_mut().find(|x| x.id == id) {
                Some(secret) => {
                    apply_edit(secret, &edit);
                    json_response(200, &json!({}))
                }
                None => detail(404, "Secret not found"),
            }
        }
        (m, p) if p.starts_with("/_standin/secrets/") => {
            let id = &p["/_standin/secrets/".len()..];
            let Some(pos) = s.secrets.iter().position(|x| x.id == id) else {
                return detail(404, "Secret not found");
            };
            match *m {
                Method::PATCH => {
                    if let Some(k) = field("key") {
                        s.secrets[pos].key = k;
                    }
                    if let Some(t) = field("type") {
                        s.secrets[pos].kind = t;
                    }
                    // Drift outside Terraform that only `/v3` lists show.
                    if let Some(n) = field("note") {
                        s.secrets[pos].note = n;
                    }
                    if let Some(b) = parsed.get("is_sensitive").and_then(Value::as_bool) {
                        s.secrets[pos].sensitive = b;
                    }
                    json_response(200, &json!({}))
                }
                Method::DELETE => {
                    s.secrets.remove(pos);
                    json_response(200, &json!({}))
                }
                _ => detail(405, "Method Not Allowed"),
            }
        }
        _ => detail(404, "Not Found"),
    }
}
