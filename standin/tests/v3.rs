//! The stand-in's `/v3` endpoints over HTTP, and how they share one store, one set of
//! counters and one set of faults with `/v1`.

use std::collections::HashSet;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use devin_api_standin::{
    Budget, Config, Fault, FaultRule, StandIn, TimestampUnit, DEFAULT_ORG, DEFAULT_ORG_KEY,
    OTHER_ORG, OTHER_ORG_KEY,
};
use reqwest::Method;
use serde_json::{json, Value};

const V1_KEY: &str = "test-api-key";

/// One answer: status, body as JSON (Null if it is not), body as text.
struct Answer {
    status: u16,
    json: Value,
    text: String,
}

async fn call(
    api: &StandIn,
    method: Method,
    path: &str,
    key: Option<&str>,
    body: Option<Value>,
) -> Answer {
    let mut req = reqwest::Client::new().request(method, format!("{}{path}", api.url()));
    if let Some(key) = key {
        req = req.bearer_auth(key);
    }
    if let Some(body) = body {
        req = req.json(&body);
    }
    let res = req.send().await.expect("an answer");
    let status = res.status().as_u16();
    let text = res.text().await.expect("a body");
    Answer {
        status,
        json: serde_json::from_str(&text).unwrap_or(Value::Null),
        text,
    }
}

fn secrets_path(org: &str) -> String {
    format!("/v3/organizations/{org}/secrets")
}

async fn list(api: &StandIn, query: &str) -> Answer {
    let path = format!("{}{query}", secrets_path(DEFAULT_ORG));
    call(api, Method::GET, &path, Some(DEFAULT_ORG_KEY), None).await
}

async fn create(api: &StandIn, org: &str, key: &str, body: Value) -> Answer {
    call(api, Method::POST, &secrets_path(org), Some(key), Some(body)).await
}

fn start(config: Config) -> StandIn {
    StandIn::start(config).expect("stand-in")
}

fn locs(answer: &Answer) -> Vec<Value> {
    answer.json["detail"]
        .as_array()
        .unwrap_or_else(|| panic!("a FastAPI issue list: {}", answer.text))
        .iter()
        .map(|i| i["loc"].clone())
        .collect()
}

fn ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|x| x["secret_id"].as_str().expect("secret_id").to_string())
        .collect()
}

#[tokio::test]
async fn pages_walk_every_secret_once_in_creation_order() {
    let api = start(Config::default());
    let created: Vec<String> = (0..200)
        .map(|i| api.insert_secret(&format!("K{i}"), "key-value", "v"))
        .collect();
    // Another organization's secrets are neither listed nor counted.
    api.insert_secret_in(OTHER_ORG, "ELSEWHERE", "key-value", "v");

    let mut seen = Vec::new();
    let mut pages = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let query = match &after {
            None => "?first=50".to_string(),
            Some(c) => format!("?first=50&after={c}"),
        };
        let page = list(&api, &query).await;
        assert_eq!(page.status, 200, "{}", page.text);
        assert_eq!(page.json["total"], 200);
        seen.extend(ids(&page.json));
        pages.push(page.json["has_next_page"].as_bool().expect("has_next_page"));
        if !pages.last().unwrap() {
            break;
        }
        after = Some(page.json["end_cursor"].as_str().expect("a cursor").into());
        assert!(pages.len() < 10, "the walk does not end");
    }
    assert_eq!(pages, [true, true, true, false]);
    assert_eq!(seen, created, "no skips, no repeats, creation order");
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 200);

    // Past the end: an empty page.
    let last = list(&api, "?first=50").await;
    let mut cursor = last.json["end_cursor"].as_str().unwrap().to_string();
    for _ in 0..3 {
        let page = list(&api, &format!("?first=50&after={cursor}")).await;
        cursor = page.json["end_cursor"]
            .as_str()
            .unwrap_or_default()
            .to_string();
    }
    let beyond = list(&api, &format!("?after={cursor}")).await;
    assert_eq!(beyond.status, 200);
    assert_eq!(beyond.json["items"], json!([]));
    assert_eq!(beyond.json["end_cursor"], Value::Null);
    assert_eq!(beyond.json["has_next_page"], false);

    // No `first`: 100.
    let default = list(&api, "").await;
    assert_eq!(ids(&default.json).len(), 100);
    assert_eq!(default.json["has_next_page"], true);
    assert_eq!(list(&api, "?first=200").await.json["has_next_page"], false);
}

#[tokio::test]
async fn a_page_resumes_in_place_when_its_last_secret_is_deleted() {
    let api = start(Config::default());
    let created: Vec<String> = (0..6)
        .map(|i| api.insert_secret(&format!("K{i}"), "key-value", "v"))
        .collect();
    let first = list(&api, "?first=3").await;
    assert_eq!(ids(&first.json), created[..3]);
    api.remove_secret(&created[2]);
    let cursor = first.json["end_cursor"].as_str().unwrap();
    let next = list(&api, &format!("?first=3&after={cursor}")).await;
    assert_eq!(ids(&next.json), created[3..]);
    assert_eq!(next.json["total"], 5);
}

#[tokio::test]
async fn first_out_of_range_or_not_an_integer_and_bad_cursors_are_422() {
    let api = start(Config::default());
    api.insert_secret("K", "key-value", "v");
    for (query, kind) in [
        ("?first=0", "greater_than_equal"),
        ("?first=-3", "greater_than_equal"),
        ("?first=201", "less_than_equal"),
        ("?first=x", "int_parsing"),
        ("?first=", "int_parsing"),
        ("?first=1.5", "int_parsing"),
    ] {
        let a = list(&api, query).await;
        assert_eq!(a.status, 422, "{query}: {}", a.text);
        assert_eq!(locs(&a), [json!(["query", "first"])], "{query}");
        assert_eq!(a.json["detail"][0]["type"], kind, "{query}");
        assert!(a.json["detail"][0]["msg"].is_string());
    }
    for query in ["?first=1", "?first=200"] {
        assert_eq!(list(&api, query).await.status, 200, "{query}");
    }
    for cursor in ["nope", "zz", "00", "", "%ff"] {
        let a = list(&api, &format!("?after={cursor}")).await;
        assert_eq!(a.status, 422, "{cursor:?}: {}", a.text);
        assert_eq!(locs(&a), [json!(["query", "after"])], "{cursor:?}");
    }
    // Both at once, as FastAPI reports them.
    let both = list(&api, "?first=0&after=nope").await;
    assert_eq!(
        locs(&both),
        [json!(["query", "first"]), json!(["query", "after"])]
    );
}

#[tokio::test]
async fn keys_act_only_in_their_own_organization_and_version() {
    let api = start(Config::default());
    let theirs = api.insert_secret_in(OTHER_ORG, "THEIRS", "key-value", "v");
    let other_path = secrets_path(OTHER_ORG);
    for (method, path) in [
        (Method::GET, other_path.clone()),
        (Method::POST, other_path.clone()),
        (Method::DELETE, format!("{other_path}/{theirs}")),
        (Method::GET, secrets_path("org-nobody")),
    ] {
        let body = (method == Method::POST)
            .then(|| json!({"type": "key-value", "key": "X", "value": "v"}));
        let a = call(&api, method.clone(), &path, Some(DEFAULT_ORG_KEY), body).await;
        assert_eq!(a.status, 403, "{method} {path}: {}", a.text);
        assert!(a.json["detail"].is_string(), "{}", a.text);
    }
    assert_eq!(api.secrets().len(), 1, "nothing created or deleted");
    let own = call(&api, Method::GET, &other_path, Some(OTHER_ORG_KEY), None).await;
    assert_eq!(ids(&own.json), [theirs]);

    let default_path = secrets_path(DEFAULT_ORG);
    for key in [Some(V1_KEY), Some("cog_unknown"), None] {
        let a = call(&api, Method::GET, &default_path, key, None).await;
        assert_eq!(a.status, 401, "{key:?}: {}", a.text);
        assert!(a.json["detail"].is_string());
    }
    for key in [DEFAULT_ORG_KEY, OTHER_ORG_KEY] {
        let a = call(&api, Method::GET, "/v1/secrets", Some(key), None).await;
        assert_eq!(a.status, 401, "{key} on v1: {}", a.text);
    }
    let v1 = call(&api, Method::GET, "/v1/secrets", Some(V1_KEY), None).await;
    assert_eq!(v1.status, 200);
}

#[tokio::test]
async fn create_answers_the_whole_secret_with_an_integer_created_at() {
    for (unit, scale) in [(TimestampUnit::Seconds, 1), (TimestampUnit::Millis, 1000)] {
        let api = start(Config {
            v3_timestamps: unit,
            ..Config::default()
        });
        let before = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
        let a = create(
            &api,
            DEFAULT_ORG,
            DEFAULT_ORG_KEY,
            json!({"type": "totp", "key": "OTP", "value": "hunter2", "is_sensitive": false, "note": "n"}),
        )
        .await;
        let after = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
        assert_eq!(a.status, 200, "{}", a.text);
        let stored = api.secrets();
        assert_eq!(stored.len(), 1);
        assert_eq!(stored[0].org_id, DEFAULT_ORG);
        assert_eq!(stored[0].value, "hunter2");
        let created_at = a.json["created_at"].as_i64().expect("an integer");
        let (lo, hi) = if scale == 1 {
            (before.as_secs() as i64, after.as_secs() as i64)
        } else {
            (before.as_millis() as i64, after.as_millis() as i64)
        };
        assert!(
            (lo..=hi).contains(&created_at),
            "{unit:?}: {created_at} not in {lo}..={hi}"
        );
        assert_eq!(
            a.json,
            json!({
                "secret_id": stored[0].id,
                "key": "OTP",
                "note": "n",
                "is_sensitive": false,
                "secret_type": "totp",
                "access_type": "org",
                "created_by": a.json["created_by"],
                "created_at": created_at,
                "updated_at": null,
                "updated_by": null,
            })
        );
        assert!(a.json["created_by"].is_string());
        // The same secret, the same answer, in the list.
        let listed = list(&api, "").await;
        assert_eq!(listed.json["items"], json!([a.json]));
    }

    // Defaults: sensitive, and no note is null.
    let api = start(Config::default());
    let a = create(
        &api,
        DEFAULT_ORG,
        DEFAULT_ORG_KEY,
        json!({"type": "cookie", "key": "C", "value": "v"}),
    )
    .await;
    assert_eq!(
        (a.json["is_sensitive"].clone(), a.json["note"].clone()),
        (json!(true), Value::Null)
    );
}

#[tokio::test]
async fn create_checks_its_body_like_v1() {
    let api = start(Config::default());
    let missing = create(
        &api,
        DEFAULT_ORG,
        DEFAULT_ORG_KEY,
        json!({"type": "key-value", "key": "K"}),
    )
    .await;
    assert_eq!(missing.status, 422, "{}", missing.text);
    assert_eq!(locs(&missing), [json!(["body", "value"])]);
    assert_eq!(missing.json["detail"][0]["type"], "missing");

    let bad = create(
        &api,
        DEFAULT_ORG,
        DEFAULT_ORG_KEY,
        json!({"type": "password", "key": "", "value": "v", "is_sensitive": "yes", "note": 3}),
    )
    .await;
    assert_eq!(
        locs(&bad),
        [
            json!(["body", "type"]),
            json!(["body", "key"]),
            json!(["body", "is_sensitive"]),
            json!(["body", "note"])
        ]
    );
    assert!(api.secrets().is_empty());

    // A duplicate key gets what v1 gives it, across versions; other organizations may
    // reuse the key.
    let body =
        json!({"type": "key-value", "key": "DUP", "value": "v", "sensitive": true, "note": ""});
    let v1_first = call(
        &api,
        Method::POST,
        "/v1/secrets",
        Some(V1_KEY),
        Some(body.clone()),
    )
    .await;
    assert_eq!(v1_first.status, 200);
    let v1_again = call(&api, Method::POST, "/v1/secrets", Some(V1_KEY), Some(body)).await;
    let v3_again = create(
        &api,
        DEFAULT_ORG,
        DEFAULT_ORG_KEY,
        json!({"type": "key-value", "key": "DUP", "value": "v"}),
    )
    .await;
    assert_eq!(v1_again.status, 409);
    assert_eq!(
        (v3_again.status, v3_again.json.clone()),
        (v1_again.status, v1_again.json)
    );
    let elsewhere = create(
        &api,
        OTHER_ORG,
        OTHER_ORG_KEY,
        json!({"type": "key-value", "key": "DUP", "value": "v"}),
    )
    .await;
    assert_eq!(elsewhere.status, 200);
}

#[tokio::test]
async fn one_store_serves_both_versions() {
    let api = start(Config::default());
    let v1 = call(
        &api,
        Method::POST,
        "/v1/secrets",
        Some(V1_KEY),
        Some(json!({"type": "key-value", "key": "FROM_V1", "value": "a", "sensitive": true, "note": ""})),
    )
    .await;
    let v1_id = v1.json["id"].as_str().unwrap().to_string();
    let v3 = create(
        &api,
        DEFAULT_ORG,
        DEFAULT_ORG_KEY,
        json!({"type": "cookie", "key": "FROM_V3", "value": "b"}),
    )
    .await;
    let v3_id = v3.json["secret_id"].as_str().unwrap().to_string();
    create(
        &api,
        OTHER_ORG,
        OTHER_ORG_KEY,
        json!({"type": "cookie", "key": "OTHER", "value": "c"}),
    )
    .await;

    let on_v3 = list(&api, "").await;
    assert_eq!(ids(&on_v3.json), [v1_id.clone(), v3_id.clone()]);
    assert_eq!(on_v3.json["items"][0]["key"], "FROM_V1");
    let on_v1 = call(&api, Method::GET, "/v1/secrets", Some(V1_KEY), None).await;
    let v1_ids: Vec<&str> = on_v1
        .json
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        v1_ids,
        [v1_id.as_str(), v3_id.as_str()],
        "the other organization stays out of v1"
    );
    assert_eq!(
        api.secrets()
            .iter()
            .map(|x| x.org_id.as_str())
            .collect::<Vec<_>>(),
        [DEFAULT_ORG, DEFAULT_ORG, OTHER_ORG]
    );

    // Deleted through one version, gone from the other.
    let gone = call(
        &api,
        Method::DELETE,
        &format!("/v1/secrets/{v3_id}"),
        Some(V1_KEY),
        None,
    )
    .await;
    assert_eq!(gone.status, 200);
    let gone = call(
        &api,
        Method::DELETE,
        &format!("{}/{v1_id}", secrets_path(DEFAULT_ORG)),
        Some(DEFAULT_ORG_KEY),
        None,
    )
    .await;
    assert_eq!(gone.status, 200);
    assert_eq!(gone.json["secret_id"], v1_id.as_str());
    assert_eq!(gone.json["key"], "FROM_V1");
    assert_eq!(ids(&list(&api, "").await.json), Vec::<String>::new());
    let on_v1 = call(&api, Method::GET, "/v1/secrets", Some(V1_KEY), None).await;
    assert_eq!(on_v1.json, json!([]));
}

#[tokio::test]
async fn deleting_an_unknown_secret_is_403_unless_configured() {
    let api = start(Config::default());
    let theirs = api.insert_secret_in(OTHER_ORG, "THEIRS", "key-value", "v");
    for id in ["sec_doesnotexist", theirs.as_str()] {
        let a = call(
            &api,
            Method::DELETE,
            &format!("{}/{id}", secrets_path(DEFAULT_ORG)),
            Some(DEFAULT_ORG_KEY),
            None,
        )
        .await;
        assert_eq!(a.status, 403, "{id}: {}", a.text);
        assert!(a.json["detail"].is_string());
    }
    assert_eq!(
        api.secrets().len(),
        1,
        "another organization's secret survives"
    );

    let api = start(Config {
        v3_unknown_delete_status: 404,
        ..Config::default()
    });
    let a = call(
        &api,
        Method::DELETE,
        &format!("{}/sec_nope", secrets_path(DEFAULT_ORG)),
        Some(DEFAULT_ORG_KEY),
        None,
    )
    .await;
    assert_eq!(a.status, 404, "{}", a.text);
}

#[tokio::test]
async fn faults_latency_counts_and_records_cover_v3() {
    let api = start(Config::default());
    api.push_fault(FaultRule {
        fault: Fault::Status {
            status: 429,
            retry_after: Some("0".into()),
            body: None,
        },
        method: Some("GET".into()),
        path_prefix: Some("/v3/".into()),
        budget: Budget::Next { count: 1 },
    });
    let limited = list(&api, "?first=5").await;
    assert_eq!(limited.status, 429);
    assert_eq!(list(&api, "?first=5").await.status, 200);

    // A rule with no path hits either version.
    api.push_fault(FaultRule {
        fault: Fault::Status {
            status: 503,
            retry_after: None,
            body: None,
        },
        method: None,
        path_prefix: None,
        budget: Budget::Next { count: 2 },
    });
    assert_eq!(list(&api, "").await.status, 503);
    assert_eq!(
        call(&api, Method::GET, "/v1/secrets", Some(V1_KEY), None)
            .await
            .status,
        503
    );

    // Dropped before: no effect.
    api.push_fault(FaultRule {
        fault: Fault::DropBefore,
        method: Some("POST".into()),
        path_prefix: Some("/v3/organizations".into()),
        budget: Budget::Next { count: 1 },
    });
    let dropped = reqwest::Client::new()
        .post(format!("{}{}", api.url(), secrets_path(DEFAULT_ORG)))
        .bearer_auth(DEFAULT_ORG_KEY)
        .json(&json!({"type": "key-value", "key": "K", "value": "v"}))
        .send()
        .await;
    assert!(
        dropped.is_err(),
        "the connection is closed without an answer"
    );
    assert!(api.secrets().is_empty());
    api.clear_faults();

    api.set_latency(Duration::from_millis(150));
    let t = Instant::now();
    assert_eq!(list(&api, "").await.status, 200);
    assert!(
        t.elapsed() >= Duration::from_millis(150),
        "{:?}",
        t.elapsed()
    );
    api.set_latency(Duration::ZERO);

    let counts = api.request_counts();
    assert_eq!((counts.get, counts.post), (5, 1), "{counts:?}");
    let recorded = api.requests();
    assert_eq!(recorded.len(), 6);
    assert_eq!(
        recorded[0].path,
        "/v3/organizations/org-test/secrets?first=5"
    );
    assert_eq!(recorded[0].status, 429);
    assert_eq!(recorded[3].path, "/v1/secrets");
    assert_eq!(
        (recorded[4].method.as_str(), recorded[4].status),
        ("POST", 0)
    );
}

#[tokio::test]
async fn no_v3_answer_carries_a_value() {
    let api = start(Config::default());
    let value = "s3cr3t-VALUE-that-must-not-leak";
    let mut answers = Vec::new();
    let body = json!({"type": "key-value", "key": "K", "value": value, "note": "n"});
    answers.push(create(&api, DEFAULT_ORG, DEFAULT_ORG_KEY, body.clone()).await);
    answers.push(create(&api, DEFAULT_ORG, DEFAULT_ORG_KEY, body.clone()).await); // duplicate
    answers.push(create(&api, OTHER_ORG, DEFAULT_ORG_KEY, body.clone()).await); // wrong org
    let mut bad = body.clone();
    bad["type"] = json!("nope");
    answers.push(create(&api, DEFAULT_ORG, DEFAULT_ORG_KEY, bad).await);
    api.insert_secret("V1", "cookie", value);
    answers.push(list(&api, "").await);
    answers.push(list(&api, "?first=1").await);
    let id = api.secrets()[0].id.clone();
    answers.push(
        call(
            &api,
            Method::DELETE,
            &format!("{}/{id}", secrets_path(DEFAULT_ORG)),
            Some(DEFAULT_ORG_KEY),
            None,
        )
        .await,
    );
    assert_eq!(answers[0].status, 200);
    assert_eq!(answers[6].status, 200);
    for a in &answers {
        assert!(!a.text.contains(value), "{}", a.text);
    }
}

#[tokio::test]
async fn note_and_sensitivity_drift_shows_on_v3() {
    let api = start(Config::default());
    let id = api.insert_secret("K", "key-value", "v");
    assert!(api.update_secret_meta(&id, Some("changed in the UI"), Some(false)));
    assert!(!api.update_secret_meta("sec_nope", None, Some(true)));
    let item = list(&api, "").await.json["items"][0].clone();
    assert_eq!(
        (item["note"].clone(), item["is_sensitive"].clone()),
        (json!("changed in the UI"), json!(false))
    );
    assert!(api.update_secret_meta(&id, Some(""), None));
    assert_eq!(list(&api, "").await.json["items"][0]["note"], Value::Null);

    // The same through the control endpoints, for scripts.
    let client = reqwest::Client::new();
    let made: Value = client
        .post(format!("{}/_standin/secrets", api.url()))
        .json(&json!({"key": "THEIRS", "value": "v", "org_id": OTHER_ORG}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let theirs = made["id"].as_str().unwrap();
    let patched = client
        .patch(format!("{}/_standin/secrets/{theirs}", api.url()))
        .json(&json!({"note": "n", "is_sensitive": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(patched.status(), 200);
    let other = call(
        &api,
        Method::GET,
        &secrets_path(OTHER_ORG),
        Some(OTHER_ORG_KEY),
        None,
    )
    .await;
    assert_eq!(other.json["items"][0]["note"], "n");
    assert_eq!(other.json["items"][0]["is_sensitive"], false);
    let state: Value = client
        .get(format!("{}/_standin/state", api.url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(state["secrets"][1]["org_id"], OTHER_ORG);
    assert_eq!(state["orgs"][0]["key"], DEFAULT_ORG_KEY);
}

#[tokio::test]
async fn other_routes_and_methods_under_v3() {
    let api = start(Config::default());
    let base = secrets_path(DEFAULT_ORG);
    for (method, path, status) in [
        (Method::PUT, base.clone(), 405),
        (Method::GET, format!("{base}/sec_x"), 405),
        (Method::DELETE, base.clone(), 405),
        (Method::GET, "/v3/organizations/org-test".to_string(), 404),
        (Method::GET, format!("{base}/sec_x/more"), 404),
        (Method::GET, "/v3/secrets".to_string(), 404),
    ] {
        let a = call(&api, method.clone(), &path, Some(DEFAULT_ORG_KEY), None).await;
        assert_eq!(a.status, status, "{method} {path}: {}", a.text);
    }
}

#[tokio::test]
async fn organizations_are_configurable() {
    let api = start(Config {
        orgs: vec![devin_api_standin::Org {
            id: "org-solo".into(),
            key: "cog_solo".into(),
        }],
        ..Config::default()
    });
    let v1 = call(
        &api,
        Method::POST,
        "/v1/secrets",
        Some(V1_KEY),
        Some(json!({"type": "key-value", "key": "K", "value": "v", "sensitive": true, "note": ""})),
    )
    .await;
    assert_eq!(v1.status, 200);
    assert_eq!(
        api.secrets()[0].org_id,
        "org-solo",
        "v1 acts in the first organization"
    );
    let listed = call(
        &api,
        Method::GET,
        &secrets_path("org-solo"),
        Some("cog_solo"),
        None,
    )
    .await;
    assert_eq!(listed.json["total"], 1);
    let old = call(
        &api,
        Method::GET,
        &secrets_path(DEFAULT_ORG),
        Some(DEFAULT_ORG_KEY),
        None,
    )
    .await;
    assert_eq!(old.status, 401, "default keys are gone");
}
