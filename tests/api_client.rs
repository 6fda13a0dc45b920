//! A real client against the local stand-in of the API, on both versions.

use std::time::Duration;

use devin_api_standin::{
    Budget, Config, Fault, FaultRule, StandIn, TimestampUnit, DEFAULT_ORG, DEFAULT_ORG_KEY,
};
use devin_provider::api::client::Deleted;
use devin_provider::api::{
    ApiError, ApiVersion, Call, Client, ClientConfig, NewSecret, RetryPolicy, SecretId, SecretType,
    Sensitive,
};
use tokio_util::sync::CancellationToken;
use url::Url;

const BOTH: [ApiVersion; 2] = [ApiVersion::V1, ApiVersion::V3];

fn client(standin: &StandIn, version: ApiVersion) -> Client {
    let (key, org_id) = match version {
        ApiVersion::V1 => (Config::default().api_key, None),
        ApiVersion::V3 => (DEFAULT_ORG_KEY.to_string(), Some(DEFAULT_ORG.to_string())),
    };
    let config = ClientConfig {
        base_url: Url::parse(&standin.url()).unwrap(),
        api_key: Sensitive::new(key),
        request_timeout: Duration::from_secs(5),
        retry: RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_millis(10),
            max_backoff: Duration::from_millis(100),
            max_elapsed: Duration::from_secs(10),
        },
        user_agent: "api-tests".into(),
        version,
        org_id,
    };
    Client::new(config, CancellationToken::new()).unwrap()
}

fn new_secret(key: &str) -> NewSecret {
    NewSecret {
        kind: SecretType::KeyValue,
        key: key.into(),
        value: Sensitive::new("hunter2-value"),
        sensitive: false,
        note: "a note".into(),
    }
}

#[tokio::test]
async fn create_list_delete_round_trip() {
    for version in BOTH {
        let standin = StandIn::start(Config::default()).unwrap();
        let client = client(&standin, version);
        let created = client
            .create_secret(&new_secret("API_TOKEN"))
            .await
            .unwrap();
        assert!(created.created_at.is_some(), "{version:?}: {created:?}");
        assert!(client.created_here(&created.id));
        let id = SecretId::parse(&created.id).unwrap();
        let found = client.find_secret(&id).await.unwrap().unwrap();
        assert_eq!(found.key.as_deref(), Some("API_TOKEN"));
        assert_eq!(found.kind.as_deref(), Some("key-value"));
        assert_eq!(found.created_at, created.created_at, "{version:?}");
        match version {
            ApiVersion::V1 => assert_eq!((found.note, found.sensitive), (None, None)),
            ApiVersion::V3 => assert_eq!(
                (found.note.as_deref(), found.sensitive),
                (Some("a note"), Some(false))
            ),
        }
        let stored = standin.secrets();
        assert_eq!((stored.len(), stored[0].sensitive), (1, false));
        assert_eq!(client.delete_secret(&id).await.unwrap(), Deleted::Now);
        assert!(standin.secrets().is_empty());
        assert_eq!(client.find_secret(&id).await.unwrap(), None);
    }
}

#[tokio::test]
async fn v3_creates_need_no_list_after_the_post() {
    let standin = StandIn::start(Config::default()).unwrap();
    let client = client(&standin, ApiVersion::V3);
    client.list_secrets().await.unwrap();
    standin.reset_counts();
    client.create_secret(&new_secret("K")).await.unwrap();
    let counts = standin.request_counts();
    assert_eq!((counts.get, counts.post), (0, 1));
    let posted = standin
        .requests()
        .into_iter()
        .find(|r| r.method == "POST")
        .unwrap();
    assert_eq!(posted.path, "/v3/organizations/org-test/secrets");
    let body: serde_json::Value = serde_json::from_str(&posted.body).unwrap();
    assert_eq!(body["is_sensitive"], false);
    assert_eq!(body["note"], "a note");
}

#[tokio::test]
async fn v3_millisecond_timestamps_are_detected() {
    let standin = StandIn::start(Config {
        v3_timestamps: TimestampUnit::Millis,
        ..Config::default()
    })
    .unwrap();
    let client = client(&standin, ApiVersion::V3);
    let created = client.create_secret(&new_secret("K")).await.unwrap();
    let at = created.created_at.unwrap();
    // `YYYY-MM-DDTHH:MM:SS.mmmZ`, in this century.
    assert_eq!(at.len(), 24, "{at}");
    assert!(at.starts_with("20") && at.ends_with('Z') && at.as_bytes()[19] == b'.');
}

#[tokio::test]
async fn a_long_v3_list_is_walked_in_pages_of_200_once() {
    let standin = StandIn::start(Config::default()).unwrap();
    for n in 0..450 {
        standin.insert_secret(&format!("K{n}"), "key-value", "v");
    }
    let client = client(&standin, ApiVersion::V3);
    let reads = (0..20).map(|_| client.list_secrets());
    for listing in futures::future::join_all(reads).await {
        let listing = listing.unwrap();
        assert_eq!(listing.len(), 450);
        assert_eq!(listing[449].key.as_deref(), Some("K449"));
    }
    let gets: Vec<_> = standin
        .requests()
        .into_iter()
        .filter(|r| r.method == "GET")
        .map(|r| r.path)
        .collect();
    assert_eq!(gets.len(), 3, "{gets:?}");
    assert_eq!(gets[0], "/v3/organizations/org-test/secrets?first=200");
    assert!(gets[1..].iter().all(|p| p.contains("first=200&after=")));
}

#[tokio::test]
async fn a_post_answer_lost_after_it_was_applied_is_adopted() {
    for version in BOTH {
        let standin = StandIn::start(Config::default()).unwrap();
        let client = client(&standin, version);
        standin.push_fault(FaultRule {
            fault: Fault::DropAfter,
            method: Some("POST".into()),
            path_prefix: None,
            budget: Budget::Next { count: 1 },
        });
        let created = client.create_secret(&new_secret("K")).await.unwrap();
        let stored = standin.secrets();
        assert_eq!(stored.len(), 1, "{version:?}: no duplicate");
        assert_eq!(created.id, stored[0].id);
        assert!(client.created_here(&created.id));
        assert!(created.created_at.is_some(), "{version:?}");
        assert_eq!(
            standin.request_counts().post,
            1,
            "{version:?}: not sent again"
        );
    }
}

#[tokio::test]
async fn a_v3_post_answer_that_is_not_a_secret_is_settled_by_the_list() {
    let standin = StandIn::start(Config::default()).unwrap();
    let client = client(&standin, ApiVersion::V3);
    standin.push_fault(FaultRule {
        fault: Fault::MalformedAfter,
        method: Some("POST".into()),
        path_prefix: None,
        budget: Budget::Next { count: 1 },
    });
    let created = client.create_secret(&new_secret("K")).await.unwrap();
    assert_eq!(standin.secrets().len(), 1);
    assert_eq!(created.id, standin.secrets()[0].id);
}

#[tokio::test]
async fn a_duplicate_key_names_the_holder_on_both_versions() {
    for version in BOTH {
        let standin = StandIn::start(Config::default()).unwrap();
        let client = client(&standin, version);
        // Listed first, then created behind the client's back: the POST meets a 409.
        client.list_secrets().await.unwrap();
        let holder = standin.insert_secret("K", "key-value", "v");
        let err = client.create_secret(&new_secret("K")).await.unwrap_err();
        assert_eq!(
            err,
            ApiError::Duplicate {
                existing_id: Some(holder),
                detail: "A secret with key 'K' already exists".into()
            },
            "{version:?}"
        );
    }
}

#[tokio::test]
async fn deleting_an_unknown_id_on_v3_is_already_gone() {
    for status in [403, 404] {
        let standin = StandIn::start(Config {
            v3_unknown_delete_status: status,
            ..Config::default()
        })
        .unwrap();
        let client = client(&standin, ApiVersion::V3);
        let id = SecretId::parse("secret-nope").unwrap();
        assert_eq!(
            client.delete_secret(&id).await.unwrap(),
            Deleted::AlreadyGone,
            "{status}"
        );
    }
}

#[tokio::test]
async fn a_v3_refusal_to_delete_a_listed_secret_is_an_error() {
    for status in [403, 404] {
        let standin = StandIn::start(Config::default()).unwrap();
        let id = standin.insert_secret("K", "key-value", "v");
        let client = client(&standin, ApiVersion::V3);
        standin.push_fault(FaultRule {
            fault: Fault::Status {
                status,
                retry_after: None,
                body: None,
            },
            method: Some("DELETE".into()),
            path_prefix: None,
            budget: Budget::Next { count: 1 },
        });
        let err = client
            .delete_secret(&SecretId::parse(&id).unwrap())
            .await
            .unwrap_err();
        let expected = match status {
            403 => ApiError::Forbidden {
                detail: "Injected fault".into(),
            },
            _ => ApiError::NotFound {
                detail: "Injected fault".into(),
            },
        };
        assert_eq!(err, expected);
        assert_eq!(standin.secrets().len(), 1);
    }
}

#[tokio::test]
async fn errors_name_the_v3_path_and_hide_the_value_and_key() {
    let standin = StandIn::start(Config::default()).unwrap();
    let client = client(&standin, ApiVersion::V3);
    standin.push_fault(FaultRule {
        fault: Fault::Status {
            status: 503,
            retry_after: Some("0".into()),
            body: Some(format!(
                r#"{{"detail":"echo hunter2-value {DEFAULT_ORG_KEY}"}}"#
            )),
        },
        method: Some("GET".into()),
        path_prefix: None,
        budget: Budget::Always,
    });
    let err = client.list_secrets().await.unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(
        matches!(
            err,
            ApiError::Exhausted {
                call: Call::List,
                ..
            }
        ),
        "{text}"
    );
    assert!(!text.contains(DEFAULT_ORG_KEY), "{text}");
    standin.clear_faults();
    standin.push_fault(FaultRule {
        fault: Fault::Status {
            status: 422,
            retry_after: None,
            body: Some(
                r#"{"detail":[{"type":"x","loc":["body","is_sensitive"],"msg":"bad hunter2-value","input":"hunter2-value"}]}"#
                    .into(),
            ),
        },
        method: Some("POST".into()),
        path_prefix: None,
        budget: Budget::Always,
    });
    let err = client.create_secret(&new_secret("K")).await.unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(!text.contains("hunter2"), "{text}");
    match err {
        ApiError::Validation(issues) => assert_eq!(issues[0].field(), Some("sensitive")),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn the_check_at_configure_is_the_first_page_of_the_next_walk() {
    for (version, secrets, seen, gets) in [
        (ApiVersion::V1, 450, 450, 1),
        (ApiVersion::V3, 150, 150, 1),
        (ApiVersion::V3, 450, 200, 3),
    ] {
        let standin = StandIn::start(Config::default()).unwrap();
        for n in 0..secrets {
            standin.insert_secret(&format!("K{n}"), "key-value", "v");
        }
        let client = client(&standin, version);
        assert_eq!(client.check_access().await.unwrap(), seen, "{version:?}");
        let listing = client.list_secrets().await.unwrap();
        assert_eq!(listing.len(), secrets, "{version:?} with {secrets}");
        assert_eq!(
            standin.request_counts().get,
            gets,
            "{version:?} with {secrets}: the check's GET is not made twice"
        );
    }
    // A write after the check: the walk starts again, so it shows the write.
    let standin = StandIn::start(Config::default()).unwrap();
    for n in 0..450 {
        standin.insert_secret(&format!("K{n}"), "key-value", "v");
    }
    let client = client(&standin, ApiVersion::V3);
    client.check_access().await.unwrap();
    let created = client.create_secret(&new_secret("NEW")).await.unwrap();
    let listing = client.list_secrets().await.unwrap();
    assert_eq!(listing.len(), 451);
    assert!(listing.iter().any(|s| s.id == created.id));
}
