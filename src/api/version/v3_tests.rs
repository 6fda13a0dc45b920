use url::Url;

use super::*;
use crate::api::redact::Sensitive;
use crate::api::types::SecretType;

fn v3(base: &str, org: &str) -> V3 {
    V3::new(base.trim_end_matches('/').to_string(), Some(org)).unwrap()
}

#[test]
fn v3_paths_hold_the_org_as_one_segment() {
    let e = v3("https://api.devin.ai/prefix", "../x");
    assert_eq!(e.org_id(), Some("../x"));
    assert_eq!(
        e.create_url(),
        "https://api.devin.ai/prefix/v3/organizations/..%2Fx/secrets"
    );
    let id = SecretId::parse("secret-1").unwrap();
    assert_eq!(
        e.path_of(&e.secret_url(&id)),
        "/v3/organizations/..%2Fx/secrets/secret-1"
    );
    // What the URL parser makes of it: the org stays one segment.
    let parsed = Url::parse(&e.secret_url(&id)).unwrap();
    assert_eq!(
        parsed.path(),
        "/prefix/v3/organizations/..%2Fx/secrets/secret-1"
    );
}

#[test]
fn v3_page_cursors_are_query_encoded() {
    let e = v3("http://h", "org-1");
    assert_eq!(
        e.path_of(&e.list_url(None)),
        "/v3/organizations/org-1/secrets?first=200"
    );
    let url = e.list_url(Some("a+b/c=&first=1#x"));
    assert_eq!(
        e.path_of(&url),
        "/v3/organizations/org-1/secrets?first=200&after=a%2Bb%2Fc%3D%26first%3D1%23x"
    );
    let parsed = Url::parse(&url).unwrap();
    let query: Vec<_> = parsed.query_pairs().collect();
    assert_eq!(query.len(), 2);
    assert_eq!(query[1].1, "a+b/c=&first=1#x");
}

#[test]
fn a_v3_post_answer_is_the_whole_secret() {
    let dialect = v3("http://127.0.0.1:1", "org-1");
    let new = NewSecret {
        kind: SecretType::Totp,
        key: "K".into(),
        value: Sensitive::new("v"),
        sensitive: false,
        note: "n".into(),
    };
    let created = dialect
        .created_from(
            r#"{"secret_id":"secret-1","key":"K","note":"n","is_sensitive":false,
                "secret_type":"totp","access_type":"org","created_by":"u",
                "created_at":1767225600,"updated_at":null,"updated_by":null}"#,
            &new,
        )
        .unwrap();
    assert_eq!(created.created_at.as_deref(), Some("2026-01-01T00:00:00Z"));
    assert_eq!(
        (created.note.as_deref(), created.sensitive),
        (Some("n"), Some(false))
    );
    let sparse = dialect
        .created_from(r#"{"secret_id":"secret-2"}"#, &new)
        .unwrap();
    assert_eq!(
        (sparse.key.as_deref(), sparse.kind.as_deref()),
        (Some("K"), Some("totp"))
    );
    // v1's answer is not v3's: ambiguous, settled through the list.
    assert!(dialect.created_from(r#"{"id":"x"}"#, &new).is_none());
    assert!(dialect.created_from("", &new).is_none());
}

#[test]
fn v3_post_body_spells_is_sensitive() {
    let new = NewSecret {
        kind: SecretType::KeyValue,
        key: "K".into(),
        value: Sensitive::new("hunter2-value"),
        sensitive: true,
        note: String::new(),
    };
    let dialect = v3("http://h", "org-1");
    let body = serde_json::to_value(dialect.create_body(&new)).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"type":"key-value","key":"K","value":"hunter2-value",
            "is_sensitive":true,"note":""})
    );
    assert!(!format!("{:?}", dialect.create_body(&new)).contains("hunter2"));
}

#[test]
fn deletes_refused_per_status() {
    let e = v3("http://h", "org-1");
    assert_eq!(e.delete_refusal(403), DeleteRefusal::GoneUnlessListed);
    assert_eq!(e.delete_refusal(404), DeleteRefusal::GoneUnlessListed);
}
