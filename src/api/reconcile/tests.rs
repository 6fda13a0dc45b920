use reqwest::StatusCode;
use url::Url;

use super::*;
use crate::api::error::NoAnswer;
use crate::api::redact::Sensitive;
use crate::api::transport::{HttpAnswer, TransportFailure};
use crate::api::types::{ApiVersion, SecretType};

fn new_secret() -> NewSecret {
    NewSecret {
        kind: SecretType::KeyValue,
        key: "K".into(),
        value: Sensitive::new("hunter2-value"),
        sensitive: true,
        note: String::new(),
    }
}

#[test]
fn adoption_takes_only_a_new_id_with_our_key() {
    let new = new_secret();
    let before = vec![SecretMetadata::listed("old", "OTHER")];
    assert_eq!(newly_created(&before, &new, &before), None);
    let after = vec![
        SecretMetadata::listed("old", "OTHER"),
        SecretMetadata::listed("x", "K"),
    ];
    assert_eq!(newly_created(&after, &new, &before).unwrap().id, "x");
    let before_with_k = vec![SecretMetadata::listed("x", "K")];
    assert_eq!(newly_created(&after, &new, &before_with_k), None);
}

fn v1() -> Box<dyn Dialect> {
    ApiVersion::V1
        .dialect(&Url::parse("http://h").unwrap(), None)
        .unwrap()
}

fn answered(status: u16, retry_after: Option<Duration>, body: &str) -> Exchange {
    Ok(Ok(HttpAnswer {
        status: StatusCode::from_u16(status).unwrap(),
        retry_after,
        body: body.into(),
    }))
}

fn no_answer(kind: NoAnswer) -> Exchange {
    Ok(Err(TransportFailure {
        message: "connection reset".into(),
        kind,
    }))
}

fn after_send(exchange: Exchange) -> PostState {
    PostState::after_send(exchange, v1().as_ref(), &new_secret(), &["hunter2-value"])
}

#[test]
fn a_created_answer_ends_the_create() {
    match after_send(answered(200, None, r#"{"id":"s1"}"#)) {
        PostState::Created(created) => assert_eq!(created.id, "s1"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_answer_that_may_have_been_applied_is_checked_in_the_list() {
    let wait = Some(Duration::from_secs(2));
    assert_eq!(
        after_send(answered(503, wait, r#"{"detail":"down hunter2-value"}"#)),
        PostState::CheckList {
            last: LastAnswer::Status {
                status: 503,
                detail: "down <redacted>".into()
            },
            retry_after: wait
        }
    );
    match after_send(answered(200, None, "not json")) {
        PostState::CheckList { last, .. } => {
            assert!(
                last.to_string().contains("body is not {\"id\": …}"),
                "{last}"
            )
        }
        other => panic!("{other:?}"),
    }
    for kind in [NoAnswer::TimedOut, NoAnswer::Broken] {
        assert!(matches!(
            after_send(no_answer(kind)),
            PostState::CheckList { .. }
        ));
    }
}

#[test]
fn only_what_cannot_have_been_applied_is_sent_again_blindly() {
    let wait = Some(Duration::from_secs(1));
    assert!(matches!(
        after_send(answered(429, wait, "")),
        PostState::BackOff { retry_after, .. } if retry_after == wait
    ));
    assert!(matches!(
        after_send(no_answer(NoAnswer::NotConnected)),
        PostState::BackOff { .. }
    ));
}

#[test]
fn refusals_and_interruptions() {
    assert_eq!(
        after_send(answered(409, None, r#"{"detail":"taken"}"#)),
        PostState::Failed(ApiError::Duplicate {
            existing_id: None,
            detail: "taken".into()
        })
    );
    assert!(matches!(
        after_send(answered(401, None, "")),
        PostState::Failed(ApiError::Unauthenticated { .. })
    ));
    assert_eq!(after_send(Err(ApiError::Cancelled)), PostState::Interrupted);
}

#[test]
fn the_list_settles_an_ambiguous_post() {
    let last = LastAnswer::Status {
        status: 502,
        detail: String::new(),
    };
    let check = |found| PostState::after_check(last.clone(), None, found);
    assert_eq!(
        check(Ok(Some(SecretMetadata::listed("x", "K")))),
        PostState::Created(SecretMetadata::listed("x", "K"))
    );
    assert_eq!(
        check(Ok(None)),
        PostState::BackOff {
            last: last.clone(),
            retry_after: None
        }
    );
    assert_eq!(check(Err(ApiError::Cancelled)), PostState::Interrupted);
    match check(Err(ApiError::NotFound {
        detail: "gone".into(),
    })) {
        PostState::Failed(ApiError::Unconfirmed { cause, reason }) => {
            assert_eq!(cause, last);
            assert_eq!(reason, "listing the secrets failed too (HTTP 404: gone)");
        }
        other => panic!("{other:?}"),
    }
}
