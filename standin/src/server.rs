//! HTTP handling: the Devin API v1 secrets endpoints, and the `/_standin` control endpoints.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::{Method, Request, Response, StatusCode};
use serde_json::{json, Value};

use crate::model::{Fault, FaultRule, ListShape, RecordedRequest, StoredSecret};
use crate::state::{new_id, now, State};

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

fn json_response(status: u16, body: &Value) -> Response<Full<Bytes>> {
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

fn detail(status: u16, text: &str) -> Response<Full<Bytes>> {
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
    if !path.starts_with("/v1/") {
        return Ok(detail(404, "Not Found"));
    }
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
    let outcome = apply_fault(&state, fault, &method, &path, &headers, &body).await;
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

async fn apply_fault(
    state: &Arc<State>,
    fault: Option<Fault>,
    method: &Method,
    path: &str,
    headers: &[(String, String)],
    body: &str,
) -> Answer {
    let real = || v1(state, method, path, headers, body);
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

/// The Devin API v1 secrets endpoints.
fn v1(
    state: &Arc<State>,
    method: &Method,
    path: &str,
    headers: &[(String, String)],
    body: &str,
) -> Response<Full<Bytes>> {
    let mut s = state.lock();
    let auth = headers
        .iter()
        .find(|(k, _)| k == "authorization")
        .map(|(_, v)| v.as_str());
    match auth {
        None => return detail(401, "Not authenticated"),
        Some(v) if v != format!("Bearer {}", s.api_key) => return detail(401, "Invalid API key"),
        Some(_) => {}
    }
    let path_only = path.split('?').next().unwrap_or(path);
    let id_segment = path_only.strip_prefix("/v1/secrets/");
    match (method, path_only, id_segment) {
        (&Method::GET, "/v1/secrets", _) => {
            let items: Vec<Value> = s
                .secrets
                .iter()
                .map(|x| json!({"id": x.id, "type": x.kind, "key": x.key, "created_at": x.created_at}))
                .collect();
            match s.list_shape {
                ListShape::Bare => json_response(200, &Value::Array(items)),
                ListShape::Wrapped => json_response(200, &json!({ "secrets": items })),
            }
        }
        (&Method::POST, "/v1/secrets", _) => match validate_new(body) {
            Err(issues) => json_response(422, &json!({ "detail": issues })),
            Ok(new) if s.secrets.iter().any(|x| x.key == new.key) => detail(
                409,
                &format!("A secret with key '{}' already exists", new.key),
            ),
            Ok(mut new) => {
                new.id = new_id();
                new.created_at = now();
                let id = new.id.clone();
                s.secrets.push(new);
                json_response(200, &json!({ "id": id }))
            }
        },
        (&Method::DELETE, _, Some(segment)) if !segment.is_empty() && !segment.contains('/') => {
            let id = percent_encoding::percent_decode_str(segment)
                .decode_utf8_lossy()
                .into_owned();
            let before = s.secrets.len();
            s.secrets.retain(|x| x.id != id);
            if s.secrets.len() < before {
                json_response(200, &json!({ "message": "Secret deleted successfully" }))
            } else if s.unknown_delete_status == 403 {
                detail(403, "Forbidden")
            } else {
                detail(s.unknown_delete_status, "Secret not found")
            }
        }
        (_, "/v1/secrets", _) => detail(405, "Method Not Allowed"),
        (_, _, Some(seg)) if !seg.is_empty() && !seg.contains('/') => {
            detail(405, "Method Not Allowed")
        }
        _ => detail(404, "Not Found"),
    }
}

/// Checks a POST body the way FastAPI and pydantic v2 do, with pydantic's `input` echo.
fn validate_new(body: &str) -> Result<StoredSecret, Vec<Value>> {
    let parsed: Value = serde_json::from_str(body).map_err(|e| {
        vec![json!({"type": "json_invalid", "loc": ["body", e.column()], "msg": "JSON decode error", "input": {}, "ctx": {"error": e.to_string()}})]
    })?;
    let Some(obj) = parsed.as_object() else {
        return Err(vec![
            json!({"type": "model_attributes_type", "loc": ["body"], "msg": "Input should be a valid dictionary or object to extract fields from", "input": parsed}),
        ]);
    };
    let mut issues = Vec::new();
    let missing = |f: &str| json!({"type": "missing", "loc": ["body", f], "msg": "Field required", "input": parsed});
    let text = |f: &str, issues: &mut Vec<Value>| match obj.get(f) {
        None => {
            issues.push(missing(f));
            String::new()
        }
        Some(Value::String(s)) => s.clone(),
        Some(other) => {
            issues.push(json!({"type": "string_type", "loc": ["body", f], "msg": "Input should be a valid string", "input": other}));
            String::new()
        }
    };
    let kind = text("type", &mut issues);
    if obj.get("type").is_some_and(Value::is_string)
        && !["cookie", "key-value", "totp"].contains(&kind.as_str())
    {
        issues.push(json!({"type": "enum", "loc": ["body", "type"], "msg": "Input should be 'cookie', 'key-value' or 'totp'", "input": kind, "ctx": {"expected": "'cookie', 'key-value' or 'totp'"}}));
    }
    let key = text("key", &mut issues);
    if obj.get("key").is_some_and(Value::is_string) && key.is_empty() {
        issues.push(json!({"type": "string_too_short", "loc": ["body", "key"], "msg": "String should have at least 1 character", "input": key, "ctx": {"min_length": 1}}));
    }
    let value = text("value", &mut issues);
    let sensitive = match obj.get("sensitive") {
        None => {
            issues.push(missing("sensitive"));
            false
        }
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            issues.push(json!({"type": "bool_type", "loc": ["body", "sensitive"], "msg": "Input should be a valid boolean", "input": other}));
            false
        }
    };
    let note = text("note", &mut issues);
    if !issues.is_empty() {
        return Err(issues);
    }
    Ok(StoredSecret {
        id: String::new(),
        key,
        value,
        kind,
        sensitive,
        note,
        created_at: String::new(),
    })
}

/// `/_standin/...`: for scripts that cannot link the library.
fn control(state: &Arc<State>, method: &Method, path: &str, body: &str) -> Response<Full<Bytes>> {
    let mut s = state.lock();
    let parsed: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    let field = |name: &str| parsed.get(name).and_then(Value::as_str).map(str::to_string);
    match (method, path) {
        (&Method::GET, "/_standin/state") => {
            json_response(200, &json!({ "secrets": s.secrets, "counts": s.counts }))
        }
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
            let id = new_id();
            s.secrets.push(StoredSecret {
                id: id.clone(),
                key: field("key").unwrap_or_default(),
                value: field("value").unwrap_or_default(),
                kind: field("type").unwrap_or_else(|| "key-value".into()),
                sensitive: true,
                note: String::new(),
                created_at: now(),
            });
            json_response(200, &json!({ "id": id }))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_valid_body_is_accepted() {
        let s =
            validate_new(r#"{"type":"totp","key":"K","value":"v","sensitive":false,"note":""}"#)
                .unwrap();
        assert_eq!(
            (s.kind.as_str(), s.key.as_str(), s.sensitive),
            ("totp", "K", false)
        );
    }

    #[test]
    fn invalid_bodies_get_fastapi_shaped_issues() {
        let issues = validate_new(r#"{"type":"password","key":"","value":1,"sensitive":"yes"}"#)
            .unwrap_err();
        let locs: Vec<String> = issues.iter().map(|i| i["loc"].to_string()).collect();
        assert_eq!(
            locs,
            [
                r#"["body","type"]"#,
                r#"["body","key"]"#,
                r#"["body","value"]"#,
                r#"["body","sensitive"]"#,
                r#"["body","note"]"#
            ]
        );
        assert_eq!(issues[4]["type"], "missing");
        assert_eq!(issues[4]["msg"], "Field required");
        assert_eq!(validate_new("[]").unwrap_err()[0]["loc"], json!(["body"]));
        assert_eq!(validate_new("{").unwrap_err()[0]["type"], "json_invalid");
    }
}
