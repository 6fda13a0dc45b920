//! Which planned create takes which key.

use std::sync::Arc;
use std::time::Instant;

use super::*;

fn ids(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn decide(claims: &KeyClaims, key: &str, holders: &[&str], final_look: bool) -> Decision {
    claims.lock().decide(key, &ids(holders), final_look)
}

#[test]
fn a_free_key_is_claimed_once() {
    let claims = KeyClaims::default();
    assert_eq!(decide(&claims, "K", &[], false), Decision::Claimed);
    assert_eq!(
        decide(&claims, "K", &[], false),
        Decision::Clash(Clash::PlannedTwice)
    );
    assert_eq!(decide(&claims, "L", &[], false), Decision::Claimed);
}

#[test]
fn a_replacement_plans_its_create_without_clashing_with_its_old_secret() {
    let claims = KeyClaims::default();
    claims.held("sec_old");
    assert_eq!(claims.replaced("sec_old", Some("K")), Ok(()));
    assert_eq!(decide(&claims, "K", &["sec_old"], false), Decision::Claimed);
    // Another create of the key is a second one.
    assert_eq!(
        decide(&claims, "K", &["sec_old"], false),
        Decision::Clash(Clash::PlannedTwice)
    );
    // Planning the same replacement again (a new plan of the same resource) is no clash.
    assert_eq!(claims.replaced("sec_old", Some("K")), Ok(()));
    assert_eq!(decide(&claims, "K", &["sec_old"], false), Decision::Claimed);
}

#[test]
fn a_replacement_under_a_new_key_checks_that_key() {
    let claims = KeyClaims::default();
    claims.kept("sec_other");
    assert_eq!(claims.replaced("sec_old", Some("TAKEN")), Ok(()));
    assert_eq!(
        decide(&claims, "TAKEN", &["sec_other"], false),
        Decision::Clash(Clash::HeldByAnother {
            id: "sec_other".into(),
            rekeyed: false,
            undecided: false
        })
    );
    // The old key stays held until the old secret is gone.
    assert_eq!(
        decide(&claims, "OLD", &["sec_old"], false),
        Decision::Clash(Clash::HeldByAnother {
            id: "sec_old".into(),
            rekeyed: true,
            undecided: false
        })
    );
}

#[test]
fn a_replacement_clashes_with_a_create_planned_before_it() {
    let claims = KeyClaims::default();
    assert_eq!(decide(&claims, "K", &[], false), Decision::Claimed);
    assert_eq!(
        claims.replaced("sec_old", Some("K")),
        Err(Clash::PlannedTwice)
    );
    assert_eq!(claims.replaced("sec_unknown_key", None), Ok(()));
}

#[test]
fn the_holder_s_fate_decides_the_clash() {
    let claims = KeyClaims::default();
    claims.destroyed("sec_gone");
    assert_eq!(
        decide(&claims, "K", &["sec_gone"], false),
        Decision::Clash(Clash::HeldByDestroyed {
            id: "sec_gone".into()
        })
    );
    claims.kept("sec_kept");
    assert_eq!(
        decide(&claims, "K", &["sec_kept"], false),
        Decision::Clash(Clash::HeldByAnother {
            id: "sec_kept".into(),
            rekeyed: false,
            undecided: false
        })
    );
    // Refreshed but not planned yet, or never seen: wait, then say so.
    claims.held("sec_read");
    assert_eq!(decide(&claims, "K", &["sec_read"], false), Decision::Wait);
    assert_eq!(
        decide(&claims, "K", &["sec_read"], true),
        Decision::Clash(Clash::HeldByAnother {
            id: "sec_read".into(),
            rekeyed: false,
            undecided: true
        })
    );
    assert_eq!(decide(&claims, "K", &["sec_new"], false), Decision::Wait);
    assert_eq!(
        decide(&claims, "K", &["sec_new"], true),
        Decision::Clash(Clash::Exists {
            id: "sec_new".into()
        })
    );
    // A refresh after the plan does not undo the fate.
    claims.held("sec_gone");
    assert_eq!(
        decide(&claims, "K", &["sec_gone"], true),
        Decision::Clash(Clash::HeldByDestroyed {
            id: "sec_gone".into()
        })
    );
    // None of those clashes claimed the key.
    assert_eq!(decide(&claims, "K", &[], false), Decision::Claimed);
}

#[tokio::test]
async fn a_create_waits_for_the_holder_s_plan_and_no_longer() {
    let claims = Arc::new(KeyClaims::default());
    let waiting = {
        let claims = claims.clone();
        tokio::spawn(async move { claims.claim_create("K", &ids(&["sec_x"])).await })
    };
    tokio::time::sleep(Duration::from_millis(100)).await;
    claims.held("sec_x");
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(!waiting.is_finished(), "a refresh alone does not decide");
    claims.destroyed("sec_x");
    let started = Instant::now();
    assert_eq!(
        waiting.await.unwrap(),
        Err(Clash::HeldByDestroyed { id: "sec_x".into() })
    );
    assert!(started.elapsed() < Duration::from_millis(500));

    let started = Instant::now();
    assert_eq!(
        claims.claim_create("L", &ids(&["sec_y"])).await,
        Err(Clash::Exists { id: "sec_y".into() })
    );
    let waited = started.elapsed();
    assert!(waited >= FATE_WAIT && waited < FATE_WAIT * 2, "{waited:?}");
}
