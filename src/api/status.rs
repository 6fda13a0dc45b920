//! What an HTTP answer that retrying cannot change means, as an [`ApiError`]: the one
//! mapping of statuses to the cases a user must tell apart.

use super::error::{body_detail, validation_issues, ApiError, LastAnswer};
use super::transport::HttpAnswer;

/// A failed answer as the last one of a call that may give up: its status, and what its
/// body said with `hidden` scrubbed.
pub(super) fn last_answer(answer: &HttpAnswer, hidden: &[&str]) -> LastAnswer {
    LastAnswer::Status {
        status: answer.status.as_u16(),
        detail: body_detail(&answer.body, hidden),
    }
}

/// The error for an answer that retrying cannot change; every text taken from the body
/// has `hidden` scrubbed.
pub(super) fn status_error(answer: &HttpAnswer, hidden: &[&str]) -> ApiError {
    let detail = body_detail(&answer.body, hidden);
    match answer.status.as_u16() {
        401 => ApiError::Unauthenticated { detail },
        403 => ApiError::Forbidden { detail },
        404 => ApiError::NotFound { detail },
        409 => ApiError::Duplicate {
            existing_id: None,
            detail,
        },
        422 => match validation_issues(&answer.body, hidden) {
            Some(items) => ApiError::Validation(items),
            None => ApiError::Status {
                status: 422,
                detail,
            },
        },
        // Retryable statuses never get here: `call_idempotent` and the POST's
        // reconciliation retry them, and give up with `ApiError::Exhausted`.
        status => ApiError::Status { status, detail },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::StatusCode;

    fn answer(status: u16, body: &str) -> HttpAnswer {
        HttpAnswer {
            status: StatusCode::from_u16(status).unwrap(),
            retry_after: None,
            body: body.into(),
        }
    }

    #[test]
    fn statuses_map_to_the_cases_a_user_tells_apart() {
        let said = r#"{"detail":"no apk_key"}"#;
        let hidden = ["apk_key"];
        let detail = "no <redacted>".to_string();
        assert_eq!(
            status_error(&answer(401, said), &hidden),
            ApiError::Unauthenticated {
                detail: detail.clone()
            }
        );
        assert_eq!(
            status_error(&answer(409, said), &hidden),
            ApiError::Duplicate {
                existing_id: None,
                detail: detail.clone()
            }
        );
        assert_eq!(
            status_error(&answer(422, said), &hidden),
            ApiError::Status {
                status: 422,
                detail: detail.clone()
            }
        );
        let issues = r#"{"detail":[{"loc":["body","key"],"msg":"bad","type":"x"}]}"#;
        assert!(matches!(
            status_error(&answer(422, issues), &hidden),
            ApiError::Validation(_)
        ));
        assert_eq!(
            last_answer(&answer(503, said), &hidden),
            LastAnswer::Status {
                status: 503,
                detail
            }
        );
    }
}
