//! The Devin API v1 secrets endpoints: `/v1/secrets`, one legacy key, acting in the first
//! organization of the shared store.

use bytes::Bytes;
use http_body_util::Full;
use hyper::{Method, Response};
use serde_json::{json, Value};

use crate::model::{ListShape, StoredSecret};
use crate::server::{authorization, detail, json_response};
use crate::state::{new_id, now, Inner};
use crate::validate::Body;

/// Answers one `/v1` request.
pub fn handle(
    s: &mut Inner,
    method: &Method,
    path: &str,
    headers: &[(String, String)],
    body: &str,
) -> Response<Full<Bytes>> {
    let Some(auth) = authorization(headers) else {
        return detail(401, "Not authenticated");
    };
    match auth.strip_prefix("Bearer ") {
        Some(key) if key == s.api_key => {}
        // Said apart from a wrong key so that a client pointing a v3 key at v1 sees why.
        Some(key) if key.starts_with("cog_") => {
            return detail(
                401,
                "Service-user (cog_) keys are not accepted by the v1 API",
            )
        }
        _ => return detail(401, "Invalid API key"),
    }
    let org = s.default_org().to_string();
    let path_only = path.split('?').next().unwrap_or(path);
    let id_segment = path_only.strip_prefix("/v1/secrets/");
    match (method, path_only, id_segment) {
        (&Method::GET, "/v1/secrets", _) => {
            let items: Vec<Value> = s
                .secrets
                .iter()
                .filter(|x| x.org_id == org)
                .map(|x| json!({"id": x.id, "type": x.kind, "key": x.key, "created_at": x.created_at}))
                .collect();
            match s.list_shape {
                ListShape::Bare => json_response(200, &Value::Array(items)),
                ListShape::Wrapped => json_response(200, &json!({ "secrets": items })),
            }
        }
        (&Method::POST, "/v1/secrets", _) => match validate_new(body) {
            Err(issues) => json_response(422, &json!({ "detail": issues })),
            Ok(new)
                if s.secrets
                    .iter()
                    .any(|x| x.org_id == org && x.key == new.key) =>
            {
                duplicate(&new.key)
            }
            Ok(mut new) => {
                new.id = new_id();
                new.created_at = now();
                new.org_id = org;
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
            s.secrets.retain(|x| !(x.id == id && x.org_id == org));
            if s.secrets.len() < before {
                json_response(200, &json!({ "message": "Secret deleted successfully" }))
            } else {
                unknown_delete(s.unknown_delete_status)
            }
        }
        (_, "/v1/secrets", _) => detail(405, "Method Not Allowed"),
        (_, _, Some(seg)) if !seg.is_empty() && !seg.contains('/') => {
            detail(405, "Method Not Allowed")
        }
        _ => detail(404, "Not Found"),
    }
}

/// The answer to creating a key the organization already has; `/v3` gives the same.
pub fn duplicate(key: &str) -> Response<Full<Bytes>> {
    detail(409, &format!("A secret with key '{key}' already exists"))
}

/// The answer to deleting an id the organization does not have; `/v3` gives the same.
pub fn unknown_delete(status: u16) -> Response<Full<Bytes>> {
    if status == 403 {
        detail(403, "Forbidden")
    } else {
        detail(status, "Secret not found")
    }
}

/// Checks a POST body: `type`, `key`, `value`, `sensitive` and `note`, all required.
fn validate_new(body: &str) -> Result<StoredSecret, Vec<Value>> {
    let mut b = Body::parse(body)?;
    let kind = b.kind("type");
    let key = b.key("key");
    let value = b.text("value");
    let sensitive = b.boolean("sensitive", None);
    let note = b.text("note");
    b.finish()?;
    Ok(StoredSecret {
        id: String::new(),
        key,
        value,
        kind,
        sensitive,
        note,
        created_at: String::new(),
        org_id: String::new(),
        updated_at: None,
        updated_by: None,
    })
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
        assert_eq!(issues[2]["type"], "string_type");
        assert_eq!(issues[2]["input"], 1);
        assert_eq!(issues[3]["type"], "bool_type");
        assert_eq!(validate_new("[]").unwrap_err()[0]["loc"], json!(["body"]));
        assert_eq!(validate_new("{").unwrap_err()[0]["type"], "json_invalid");
    }
}
