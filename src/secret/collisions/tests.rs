//! The words for a key a create cannot have.

use tf_provider::{AttributePathStep, Diagnostics};

use super::*;

/// The one error `report` adds: summary and detail, after checking it is on `key`.
fn reported(report: impl FnOnce(&mut Diagnostics)) -> (String, String) {
    let mut diags = Diagnostics::default();
    report(&mut diags);
    assert_eq!(diags.errors.len(), 1);
    let d = &diags.errors[0];
    assert!(matches!(
        d.attribute.steps.as_slice(),
        [AttributePathStep::Attribute(a)] if a == "key"
    ));
    (d.summary.to_string(), d.detail.to_string())
}

#[test]
fn a_secret_no_resource_holds_gets_the_import_block_and_the_other_ways_out() {
    let (summary, detail) =
        reported(|d| report_clash(d, "K", &Clash::Exists { id: "sec_1".into() }));
    assert_eq!(summary, "A secret named \"K\" already exists in Devin");
    assert!(detail.contains("The existing secret has id sec_1"));
    assert!(detail.contains("import {\n  to = devin_secret.<name>\n  id = \"sec_1\"\n}"));
    assert!(detail.contains("terraform state list -id=sec_1"));
    assert!(detail.contains("`moved` block"));
    assert!(detail.contains("create_before_destroy"));
    let (_, at_apply) = reported(|d| report_exists(d, "K", "sec_1"));
    assert_eq!(at_apply, detail, "one wording at plan and at apply");
}

#[test]
fn a_secret_another_resource_destroys_gets_the_moved_block() {
    let (summary, detail) =
        reported(|d| report_clash(d, "K", &Clash::HeldByDestroyed { id: "sec_2".into() }));
    assert!(summary.contains("belongs to a devin_secret that this plan destroys"));
    assert!(detail.contains("renamed without a `moved` block"));
    assert!(detail
        .contains("moved {\n  from = devin_secret.<old name>\n  to   = devin_secret.<name>\n}"));
    assert!(detail.contains("terraform state list -id=sec_2"));
    assert!(!detail.contains("import {"), "{detail}");
}

#[test]
fn a_secret_another_resource_keeps_is_never_to_be_imported() {
    let kept = Clash::HeldByAnother {
        id: "sec_3".into(),
        rekeyed: false,
    };
    let (summary, detail) = reported(|d| report_clash(d, "K", &kept));
    assert_eq!(summary, "Two devin_secret resources use the key \"K\"");
    assert!(detail.contains("would make two resources manage one secret"));
    assert!(detail.contains("another `key`"));
    assert!(detail.contains("terraform state list -id=sec_3"));
    let rekeyed = Clash::HeldByAnother {
        id: "sec_3".into(),
        rekeyed: true,
    };
    let (_, detail) = reported(|d| report_clash(d, "K", &rekeyed));
    assert!(detail.contains("-target"));
    for clash in [kept, rekeyed] {
        let (_, detail) = reported(|d| report_clash(d, "K", &clash));
        assert!(!detail.contains("import {"), "{detail}");
        assert!(!detail.contains("terraform import"), "{detail}");
        assert!(!detail.contains("moved {"), "{detail}");
    }
}

#[test]
fn two_creates_of_one_key_say_so() {
    let (summary, detail) = reported(|d| report_clash(d, "K", &Clash::PlannedTwice));
    assert_eq!(summary, "Two devin_secret resources use the key \"K\"");
    assert!(detail.contains("Give each resource its own `key`"));
    let (summary, detail) = reported(|d| report_created_in_this_run(d, "K", "sec_4"));
    assert_eq!(summary, "Two devin_secret resources use the key \"K\"");
    assert!(detail.contains("created secret sec_4 with the key"));
    assert!(!detail.contains("import"));
}
