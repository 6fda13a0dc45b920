//! Which planned create takes which key.

use std::sync::Arc;
use std::time::Instant;

use super::*;

fn ids(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn decide(claims: &KeyClaims, key: &str, own: Option<&str>, holders: &[&str]) -> Decision {
    claims.lock().decide(key, own, &ids(holders), false)
}

fn decide_at_last(claims: &KeyClaims, key: &str, holders: &[&str]) -> Decision {
    claims.lock().decide(key, None, &ids(holders), true)
}

fn clash(c: Clash) -> Decision {
    Decision::Clash(c)
}

#[test]
fn a_free_key_is_claimed_once() {
    let claims = KeyClaims::default();
    assert_eq!(decide(&claims, "K", None, &[]), Decision::Claimed);
    assert_eq!(decide(&claims, "K", None, &[]), clash(Clash::PlannedTwice));
    assert_eq!(decide(&claims, "L", None, &[]), Decision::Claimed);
}

#[test]
fn a_replacement_plans_its_create_without_clashing_with_its_old_secret() {
    for forced in [false, true] {
        let claims = KeyClaims::default();
        claims.held("sec_old");
        if forced {
            // `-replace`: the provider planned no replacement, Terraform forces one.
            claims.kept("sec_old");
        } else {
            claims.replaced("sec_old", Some("K"));
        }
        assert_eq!(
            decide(&claims, "K", Some("sec_old"), &["sec_old"]),
            Decision::Claimed
        );
        // Another create of the key is a second one.
        assert_eq!(decide(&claims, "K", None, &[]), clash(Clash::PlannedTwice));
    }
}

#[test]
fn a_create_of_a_key_whose_secret_is_replaced_clashes_with_the_replacement() {
    let claims = KeyClaims::default();
    claims.replaced("sec_old", Some("K"));
    // Planned before the replacement's own create: its key is taken all the same.
    assert_eq!(
        decide(&claims, "K", None, &["sec_old"]),
        clash(Clash::PlannedTwice)
    );
    // Replaced under another key (or one not known yet), the old secret holds "OLD"
    // until it is deleted.
    claims.replaced("sec_rekeyed", Some("NEW"));
    claims.replaced("sec_unknown", None);
    for id in ["sec_rekeyed", "sec_unknown"] {
        assert_eq!(
            decide(&claims, "OLD", None, &[id]),
            clash(Clash::HeldByAnother {
                id: id.into(),
                rekeyed: true
            })
        );
    }
}

#[test]
fn the_holder_s_fate_decides_the_clash() {
    let claims = KeyClaims::default();
    claims.destroyed("sec_gone");
    assert_eq!(
        decide(&claims, "K", None, &["sec_gone"]),
        clash(Clash::HeldByDestroyed {
            id: "sec_gone".into()
        })
    );
    claims.kept("sec_kept");
    assert_eq!(
        decide(&claims, "K", None, &["sec_kept"]),
        clash(Clash::HeldByAnother {
            id: "sec_kept".into(),
            rekeyed: false
        })
    );
    // A refresh after the plan does not undo the fate.
    claims.held("sec_gone");
    assert_eq!(
        decide_at_last(&claims, "K", &["sec_gone"]),
        clash(Clash::HeldByDestroyed {
            id: "sec_gone".into()
        })
    );
    // Never seen: wait, then say that no resource of the plan holds it.
    assert_eq!(decide(&claims, "K", None, &["sec_new"]), Decision::Wait);
    assert_eq!(
        decide_at_last(&claims, "K", &["sec_new"]),
        clash(Clash::Exists {
            id: "sec_new".into()
        })
    );
    // None of those clashes claimed the key.
    assert_eq!(decide(&claims, "K", None, &[]), Decision::Claimed);
}

#[test]
fn a_secret_refreshed_and_never_planned_is_the_tainted_resource_s_own() {
    let claims = KeyClaims::default();
    claims.held("sec_tainted");
    assert_eq!(decide(&claims, "K", None, &["sec_tainted"]), Decision::Wait);
    assert_eq!(
        decide_at_last(&claims, "K", &["sec_tainted"]),
        Decision::Claimed
    );
}

#[tokio::test]
async fn a_create_waits_for_the_holder_s_plan_and_no_longer() {
    let claims = Arc::new(KeyClaims::default());
    let waiting = {
        let claims = claims.clone();
        tokio::spawn(async move { claims.claim_create("K", None, &ids(&["sec_x"])).await })
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
        claims.claim_create("L", None, &ids(&["sec_y"])).await,
        Err(Clash::Exists { id: "sec_y".into() })
    );
    let waited = started.elapsed();
    assert!(waited >= FATE_WAIT && waited < FATE_WAIT * 2, "{waited:?}");
}
