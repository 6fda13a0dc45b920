//! Edits made in Devin's UI, behind the API's back: they change a secret and move its
//! `updated_at`, which `/v3` lists report and `/v1` lists do not.

use devin_api_standin::{Config, SecretEdit, StandIn, TimestampUnit, DEFAULT_ORG, DEFAULT_ORG_KEY};
use serde_json::{json, Value};

const V1_KEY: &str = "test-api-key";

async fn get(api: &StandIn, path: &str, key: &str) -> Value {
    reqwest::Client::new()
        .get(format!("{}{path}", api.url()))
        .bearer_auth(key)
        .send()
        .await
        .expect("an answer")
        .json()
        .await
        .expect("JSON")
}

async fn v3_item(api: &StandIn) -> Value {
    let path = format!("/v3/organizations/{DEFAULT_ORG}/secrets");
    get(api, &path, DEFAULT_ORG_KEY).await["items"][0].clone()
}

#[tokio::test]
async fn an_edit_moves_updated_at_in_either_unit_and_only_v3_shows_it() {
    for unit in [TimestampUnit::Seconds, TimestampUnit::Millis] {
        let api = StandIn::start(Config {
            v3_timestamps: unit,
            ..Config::default()
        })
        .unwrap();
        let id = api.insert_secret("K", "key-value", "v");
        let fresh = v3_item(&api).await;
        assert_eq!(
            (&fresh["updated_at"], &fresh["updated_by"]),
            (&Value::Null, &Value::Null)
        );

        let mut seen = fresh["created_at"].as_i64().unwrap();
        for (n, edit) in [
            SecretEdit {
                value: Some("edited".into()),
                updated_by: "ann".into(),
                ..Default::default()
            },
            SecretEdit {
                note: Some("n".into()),
                updated_by: "bob".into(),
                ..Default::default()
            },
            SecretEdit {
                is_sensitive: Some(false),
                updated_by: "ann".into(),
                ..Default::default()
            },
        ]
        .iter()
        .enumerate()
        {
            assert!(api.edit_secret(&id, edit), "edit {n}");
            let item = v3_item(&api).await;
            let at = item["updated_at"].as_i64().expect("an integer");
            assert!(at > seen, "{unit:?} edit {n}: {at} after {seen}");
            seen = at;
            assert_eq!(item["updated_by"], edit.updated_by.as_str());
        }
        let stored = &api.secrets()[0];
        assert_eq!(
            (
                stored.value.as_str(),
                stored.note.as_str(),
                stored.sensitive
            ),
            ("edited", "n", false)
        );
        assert!(!api.edit_secret("sec_nope", &SecretEdit::default()));

        let v1 = get(&api, "/v1/secrets", V1_KEY).await;
        assert!(
            v1[0].get("updated_at").is_none() && v1[0].get("updated_by").is_none(),
            "{v1}"
        );
    }
}

#[tokio::test]
async fn the_control_endpoint_edits_too() {
    let api = StandIn::start(Config::default()).unwrap();
    let id = api.insert_secret("K", "key-value", "v");
    let client = reqwest::Client::new();
    let edit = |id: String, body: Value| {
        client
            .post(format!("{}/_standin/secrets/{id}/edit", api.url()))
            .json(&body)
            .send()
    };
    let done = edit(
        id.clone(),
        json!({"value": "w", "updated_by": "ops@example.com"}),
    )
    .await
    .unwrap();
    assert_eq!(done.status(), 200);
    assert_eq!(api.secrets()[0].value, "w");
    assert_eq!(v3_item(&api).await["updated_by"], "ops@example.com");
    let missing = edit("sec_nope".into(), json!({})).await.unwrap();
    assert_eq!(missing.status(), 404);
    let bad = edit(id, json!({"is_sensitive": "no"})).await.unwrap();
    assert_eq!(bad.status(), 400);
}
