//! A request whose client hangs up before the answer: dropped with its connection by
//! default, carried out to the end with `finish_abandoned`, as by a server behind a load
//! balancer.

use std::time::{Duration, Instant};

use devin_api_standin::{Budget, Config, Fault, FaultRule, StandIn};
use serde_json::json;

const V1_KEY: &str = "test-api-key";

/// POSTs a secret whose answer is delayed by 800 ms, hanging up after 200 ms, then waits
/// until the delay is long past and says how many secrets the stand-in holds.
async fn abandon_a_delayed_create(api: &StandIn) -> usize {
    api.push_fault(FaultRule {
        fault: Fault::Delay { ms: 800 },
        method: Some("POST".into()),
        path_prefix: Some("/v1/secrets".into()),
        budget: Budget::Next { count: 1 },
    });
    let sent = reqwest::Client::new()
        .post(format!("{}/v1/secrets", api.url()))
        .bearer_auth(V1_KEY)
        .timeout(Duration::from_millis(200))
        .json(&json!({"type": "key-value", "key": "LATE", "value": "v", "sensitive": true, "note": ""}))
        .send()
        .await;
    assert!(sent.is_err(), "the client gave up before the answer");
    let deadline = Instant::now() + Duration::from_millis(2500);
    while Instant::now() < deadline && api.secrets().is_empty() {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    api.secrets().len()
}

#[tokio::test]
async fn an_abandoned_request_is_dropped_by_default() {
    let api = StandIn::start(Config::default()).unwrap();
    assert_eq!(abandon_a_delayed_create(&api).await, 0);
    assert_eq!(api.request_counts().post, 1);
}

#[tokio::test]
async fn finish_abandoned_carries_it_out() {
    let api = StandIn::start(Config {
        finish_abandoned: true,
        ..Config::default()
    })
    .unwrap();
    assert_eq!(abandon_a_delayed_create(&api).await, 1);
    assert_eq!(api.secrets()[0].key, "LATE");
    // The switch works on a running stand-in too, both ways.
    api.set_finish_abandoned(false);
    api.remove_secret(&api.secrets()[0].id.clone());
    assert_eq!(abandon_a_delayed_create(&api).await, 0);
}
