//! The Devin API v3 secrets endpoints: `/v3/organizations/{org_id}/secrets`, one `cog_`
//! key per organization, cursor pages, the whole secret in every answer (never its value).

use bytes::Bytes;
use http_body_util::Full;
use hyper::{Method, Response};
use serde_json::{json, Value};

use crate::model::{StoredSecret, TimestampUnit};
use crate::server::{authorization, detail, json_response};
use crate::state::{new_id, now, Inner};
use crate::v1::{duplicate, unknown_delete};
use crate::validate::{query_issue, Body};

/// Page size when the client sends no `first`, and the largest it may ask for.
const DEFAULT_FIRST: i64 = 100;
const MAX_FIRST: i64 = 200;

/// `created_by` of every secret: the stand-in does not model users.
const CREATED_BY: &str = "user-standin";

/// Answers one `/v3` request.
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
    let key = auth.strip_prefix("Bearer ").unwrap_or_default();
    let Some(key_org) = s.orgs.iter().find(|o| o.key == key).map(|o| o.id.clone()) else {
        // Said apart from a wrong key so that a client pointing the v1 key at v3 sees why.
        if key == s.api_key {
            return detail(
                401,
                "Legacy API keys are not accepted by the v3 API; use a cog_ key",
            );
        }
        return detail(401, "Invalid API key");
    };
    let (path_only, query) = path.split_once('?').unwrap_or((path, ""));
    let Some(route) = Route::parse(path_only) else {
        return detail(404, "Not Found");
    };
    if route.org != key_org {
        return detail(
            403,
            &format!("This key cannot act in organization '{}'", route.org),
        );
    }
    match (method, &route.secret_id) {
        (&Method::GET, None) => list(s, &route.org, query),
        (&Method::POST, None) => create(s, &route.org, body),
        (&Method::DELETE, Some(id)) => delete(s, &route.org, id),
        _ => detail(405, "Method Not Allowed"),
    }
}

/// `/v3/organizations/{org}/secrets[/{secret_id}]`, segments percent-decoded.
struct Route {
    org: String,
    secret_id: Option<String>,
}

impl Route {
    fn parse(path: &str) -> Option<Route> {
        let rest = path.strip_prefix("/v3/organizations/")?;
        let segments: Vec<&str> = rest.split('/').collect();
        let decode = |s: &str| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .into_owned()
        };
        match segments.as_slice() {
            [org, "secrets"] if !org.is_empty() => Some(Route {
                org: decode(org),
                secret_id: None,
            }),
            [org, "secrets", id] if !org.is_empty() && !id.is_empty() => Some(Route {
                org: decode(org),
                secret_id: Some(decode(id)),
            }),
            _ => None,
        }
    }
}

/// `GET`: one page of the organization's secrets, in creation order.
fn list(s: &Inner, org: &str, query: &str) -> Response<Full<Bytes>> {
    let params = parse_query(query);
    // FastAPI keeps the last of a repeated scalar parameter.
    let param = |name: &str| params.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v);
    let mut issues = Vec::new();
    let first = match param("first") {
        None => DEFAULT_FIRST,
        Some(raw) => match raw.parse::<i64>() {
            Err(_) => {
                issues.push(query_issue(
                    "int_parsing",
                    "first",
                    "Input should be a valid integer, unable to parse string as an integer",
                    raw,
                    None,
                ));
                DEFAULT_FIRST
            }
            Ok(n) if n < 1 => {
                issues.push(query_issue(
                    "greater_than_equal",
                    "first",
                    "Input should be greater than or equal to 1",
                    raw,
                    Some(json!({ "ge": 1 })),
                ));
                DEFAULT_FIRST
            }
            Ok(n) if n > MAX_FIRST => {
                issues.push(query_issue(
                    "less_than_equal",
                    "first",
                    &format!("Input should be less than or equal to {MAX_FIRST}"),
                    raw,
                    Some(json!({ "le": MAX_FIRST })),
                ));
                DEFAULT_FIRST
            }
            Ok(n) => n,
        },
    };
    let after = match param("after").map(|raw| (raw, Cursor::decode(raw))) {
        None => None,
        Some((_, Some(cursor))) => Some(cursor),
        Some((raw, None)) => {
            issues.push(query_issue(
                "value_error",
                "after",
                "Value error, Invalid cursor",
                raw,
                None,
            ));
            None
        }
    };
    if !issues.is_empty() {
        return json_response(422, &json!({ "detail": issues }));
    }
    let items: Vec<&StoredSecret> = s.secrets.iter().filter(|x| x.org_id == org).collect();
    let start = after.map_or(0, |c| c.resume_at(&items));
    let page: Vec<&StoredSecret> = items[start..]
        .iter()
        .take(first as usize)
        .copied()
        .collect();
    let has_next_page = start + page.len() < items.len();
    json_response(
        200,
        &json!({
            "items": page.iter().map(|x| secret_response(x, s.v3_timestamps)).collect::<Vec<_>>(),
            "end_cursor": page.last().map(|x| Cursor::after(x).encode()),
            "has_next_page": has_next_page,
            "total": items.len(),
        }),
    )
}

/// `POST`: checks the body as FastAPI would, refuses a key the organization already has.
fn create(s: &mut Inner, org: &str, body: &str) -> Response<Full<Bytes>> {
    let new = match validate_create(body) {
        Ok(new) => new,
        Err(issues) => return json_response(422, &json!({ "detail": issues })),
    };
    if s.secrets
        .iter()
        .any(|x| x.org_id == org && x.key == new.key)
    {
        return duplicate(&new.key);
    }
    let secret = StoredSecret {
        id: new_id(),
        created_at: now(),
        org_id: org.into(),
        ..new
    };
    let answer = secret_response(&secret, s.v3_timestamps);
    s.secrets.push(secret);
    json_response(200, &answer)
}

/// `DELETE`: the deleted secret; an id the organization does not have gets the configured
/// status (403 by default), whether it never existed or belongs to another organization.
fn delete(s: &mut Inner, org: &str, id: &str) -> Response<Full<Bytes>> {
    match s.secrets.iter().position(|x| x.id == id && x.org_id == org) {
        Some(pos) => {
            let gone = s.secrets.remove(pos);
            json_response(200, &secret_response(&gone, s.v3_timestamps))
        }
        None => unknown_delete(s.v3_unknown_delete_status),
    }
}

/// Checks a `SecretCreateRequest`: `type`, `key`, `value` required, `is_sensitive`
/// defaulting to true, `note` a string or null.
fn validate_create(body: &str) -> Result<StoredSecret, Vec<Value>> {
    let mut b = Body::parse(body)?;
    let kind = b.kind("type");
    let key = b.key("key");
    let value = b.text("value");
    let sensitive = b.boolean("is_sensitive", Some(true));
    let note = b.optional_text("note");
    b.finish()?;
    Ok(StoredSecret {
        id: String::new(),
        key,
        value,
        kind,
        sensitive,
        // The store keeps one note string for both versions; "no note" is "" there.
        note: note.unwrap_or_default(),
        created_at: String::new(),
        org_id: String::new(),
        updated_at: None,
        updated_by: None,
    })
}

/// A `SecretResponse`. Never the value.
fn secret_response(x: &StoredSecret, unit: TimestampUnit) -> Value {
    // The store cannot tell a note sent as "" from none (v1 sends "" for none), so both
    // are answered as null: clients have to treat the two alike anyway.
    let note = if x.note.is_empty() {
        Value::Null
    } else {
        Value::String(x.note.clone())
    };
    json!({
        "secret_id": x.id,
        "key": x.key,
        "note": note,
        "is_sensitive": x.sensitive,
        "secret_type": x.kind,
        "access_type": "org",
        "created_by": CREATED_BY,
        "created_at": timestamp(&x.created_at, unit),
        // Null until the secret is changed outside the API (`StandIn::edit_secret`).
        "updated_at": x.updated_at.as_deref().map(|t| timestamp(t, unit)),
        "updated_by": x.updated_by,
    })
}

/// The stored time as an integer in `unit`; 0 if it does not parse, which only a test
/// that wrote its own `created_at` could cause.
fn timestamp(stored: &str, unit: TimestampUnit) -> i64 {
    let Some(t) = parse_stored_time(stored) else {
        return 0;
    };
    match unit {
        TimestampUnit::Seconds => t.unix_timestamp(),
        TimestampUnit::Millis => (t.unix_timestamp_nanos() / 1_000_000) as i64,
    }
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction]Z`, the format [`now`] writes. Read by hand because the
/// `time` crate's parser is a feature that would change the workspace's lock file.
pub(crate) fn parse_stored_time(s: &str) -> Option<time::OffsetDateTime> {
    let s = s.strip_suffix('Z')?;
    let (date, clock) = s.split_once('T')?;
    let (clock, fraction) = clock.split_once('.').unwrap_or((clock, ""));
    let numbers = |text: &str, sep: char| -> Option<Vec<u32>> {
        text.split(sep).map(|n| n.parse().ok()).collect()
    };
    let (&[year, month, day], &[hour, minute, second]) = (
        numbers(date, '-')?.as_slice(),
        numbers(clock, ':')?.as_slice(),
    ) else {
        return None;
    };
    if fraction.len() > 9 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let nanos: u32 = format!("{fraction:0<9}").parse().ok()?;
    let date = time::Date::from_calendar_date(
        i32::try_from(year).ok()?,
        time::Month::try_from(u8::try_from(month).ok()?).ok()?,
        u8::try_from(day).ok()?,
    )
    .ok()?;
    let clock = time::Time::from_hms_nano(
        u8::try_from(hour).ok()?,
        u8::try_from(minute).ok()?,
        u8::try_from(second).ok()?,
        nanos,
    )
    .ok()?;
    Some(time::PrimitiveDateTime::new(date, clock).assume_utc())
}

/// A position in an organization's list: just after a secret. It carries the secret's
/// creation time as well as its id so that a page can resume in the right place even
/// when that secret is deleted between pages.
#[derive(Debug, PartialEq)]
struct Cursor {
    created_at: String,
    id: String,
}

/// Tells this stand-in's cursors apart from other strings that happen to be hex.
const CURSOR_TAG: &str = "c1";

impl Cursor {
    fn after(x: &StoredSecret) -> Cursor {
        Cursor {
            created_at: x.created_at.clone(),
            id: x.id.clone(),
        }
    }

    /// Hex, so that clients treat it as opaque and it needs no escaping in a query.
    fn encode(&self) -> String {
        format!("{CURSOR_TAG}\n{}\n{}", self.created_at, self.id)
            .bytes()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    fn decode(raw: &str) -> Option<Cursor> {
        if raw.is_empty() || !raw.len().is_multiple_of(2) {
            return None;
        }
        let bytes = (0..raw.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(raw.get(i..i + 2)?, 16).ok())
            .collect::<Option<Vec<u8>>>()?;
        let text = String::from_utf8(bytes).ok()?;
        let rest = text.strip_prefix(CURSOR_TAG)?.strip_prefix('\n')?;
        let (created_at, id) = rest.split_once('\n')?;
        Some(Cursor {
            created_at: created_at.into(),
            id: id.into(),
        })
    }

    /// The index in `items` (creation order) of the first secret after this cursor.
    fn resume_at(&self, items: &[&StoredSecret]) -> usize {
        if let Some(pos) = items.iter().position(|x| x.id == self.id) {
            return pos + 1;
        }
        // Gone since: the first secret created after it. The stored format is fixed
        // width, so comparing the strings compares the times.
        items
            .iter()
            .position(|x| x.created_at.as_str() > self.created_at.as_str())
            .unwrap_or(items.len())
    }
}

/// `a=1&b=x%20y` as decoded pairs, `+` read as a space as HTML forms send it.
fn parse_query(query: &str) -> Vec<(String, String)> {
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(&s.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned()
    };
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(id: &str, created_at: &str) -> StoredSecret {
        StoredSecret {
            id: id.into(),
            key: id.into(),
            value: "v".into(),
            kind: "key-value".into(),
            sensitive: true,
            note: String::new(),
            created_at: created_at.into(),
            org_id: "o".into(),
            updated_at: None,
            updated_by: None,
        }
    }

    #[test]
    fn cursors_round_trip_and_refuse_anything_else() {
        let c = Cursor::after(&secret("sec_a", "2026-01-02T03:04:05.000006Z"));
        assert_eq!(Cursor::decode(&c.encode()), Some(c));
        for bad in ["", "zz", "abc", "6869", "not a cursor", "%%"] {
            assert_eq!(Cursor::decode(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_cursor_resumes_after_its_secret_even_once_it_is_gone() {
        let (a, b, c) = (
            secret("a", "2026-01-01T00:00:01.000000Z"),
            secret("b", "2026-01-01T00:00:02.000000Z"),
            secret("c", "2026-01-01T00:00:03.000000Z"),
        );
        let cursor = Cursor::after(&b);
        assert_eq!(cursor.resume_at(&[&a, &b, &c]), 2);
        assert_eq!(cursor.resume_at(&[&a, &c]), 1);
        assert_eq!(cursor.resume_at(&[&a]), 1);
    }

    #[test]
    fn timestamps_convert_to_either_unit() {
        let t = "2026-02-01T00:00:00.123456Z";
        assert_eq!(timestamp(t, TimestampUnit::Seconds), 1_769_904_000);
        assert_eq!(timestamp(t, TimestampUnit::Millis), 1_769_904_000_123);
        assert_eq!(
            timestamp("2026-02-01T00:00:07Z", TimestampUnit::Millis),
            1_769_904_007_000
        );
        for bad in [
            "yesterday",
            "2026-02-01T00:00:00",
            "2026-13-01T00:00:00Z",
            "2026-02-01T00:00:00.x1Z",
        ] {
            assert_eq!(timestamp(bad, TimestampUnit::Seconds), 0, "{bad}");
        }
        // What the store writes today reads back as today.
        let today = timestamp(&now(), TimestampUnit::Seconds);
        let wall = time::OffsetDateTime::now_utc().unix_timestamp();
        assert!((wall - today).abs() < 5, "{today} vs {wall}");
    }

    #[test]
    fn create_defaults_sensitivity_to_true_and_takes_a_null_note() {
        let s = validate_create(r#"{"type":"cookie","key":"K","value":"v","note":null}"#).unwrap();
        assert!(s.sensitive);
        assert_eq!(s.note, "");
        let issues = validate_create(r#"{"type":"cookie","key":"K","is_sensitive":1,"note":2}"#)
            .unwrap_err();
        let locs: Vec<String> = issues.iter().map(|i| i["loc"].to_string()).collect();
        assert_eq!(
            locs,
            [
                r#"["body","value"]"#,
                r#"["body","is_sensitive"]"#,
                r#"["body","note"]"#
            ]
        );
    }

    #[test]
    fn queries_decode() {
        assert_eq!(
            parse_query("first=5&after=a%3Db+c&flag"),
            [
                ("first".into(), "5".into()),
                ("after".into(), "a=b c".into()),
                ("flag".into(), String::new())
            ]
        );
    }
}
