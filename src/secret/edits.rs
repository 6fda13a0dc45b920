//! Changes made to a secret in Devin, outside Terraform.
//!
//! The API never returns a value, but v3 reports when and by whom each secret was last
//! changed (`updated_at`, `updated_by`). The provider keeps the `updated_at` that the
//! create or import saw in private state (its baseline) and refreshes the `updated_at`
//! attribute from every list: a refreshed one later than the baseline means the secret
//! was changed outside Terraform, and the plan replaces it to send the configured value
//! again, unless `lifecycle { ignore_changes = [updated_at] }` keeps the change (Terraform
//! then sends the refreshed value in the configuration). v1 reports no such field: there,
//! such changes go unseen.

use super::metadata::later;
use super::state::{Baseline, Private, SecretPrivate, SecretState};
use crate::api::SecretMetadata;

/// A change made in Devin since Terraform recorded the secret.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct OutsideEdit<'s> {
    /// When, as the list reports it.
    pub at: &'s str,
    /// Who, when the list says.
    pub by: Option<&'s str>,
    /// The last change Terraform knew of; `None` when the secret had none.
    pub recorded: Option<&'s str>,
}

/// The baseline a create or an import records: the last change the API reports, when it
/// reports one (v3).
pub(crate) fn baseline_of(meta: &SecretMetadata) -> Option<Baseline> {
    meta.updated.as_ref().map(|u| Baseline {
        updated_at: u.at.clone(),
    })
}

/// The private state a create records: the baseline, when the API reports one.
pub(crate) fn created_private(meta: &SecretMetadata) -> Private {
    baseline_of(meta).map(|baseline| SecretPrivate {
        imported: false,
        baseline: Some(baseline),
        ..Default::default()
    })
}

/// The private state after a read. A secret without a baseline (recorded by an earlier
/// release, or created through v1 and now read through v3) takes what this read reports:
/// a change made before it cannot be told from the secret as Terraform created it.
pub(crate) fn adopt_baseline(private: Private, meta: &SecretMetadata) -> Private {
    if private.as_ref().is_some_and(|p| p.baseline.is_some()) {
        return private;
    }
    let Some(baseline) = baseline_of(meta) else {
        return private;
    };
    let mut private = private.unwrap_or_default();
    private.baseline = Some(baseline);
    Some(private)
}

/// The change made in Devin that the refreshed `prior` shows, if any: an `updated_at`
/// later than the baseline.
pub(crate) fn outside_edit<'s>(
    prior: &'s SecretState<'_>,
    private: &'s Private,
) -> Option<OutsideEdit<'s>> {
    let baseline = private.as_ref()?.baseline.as_ref()?;
    let at = prior.updated_at.as_deref_option()?;
    let recorded = baseline.updated_at.as_deref();
    if recorded.is_some_and(|recorded| !later(at, recorded)) {
        return None;
    }
    Some(OutsideEdit {
        at,
        by: prior.updated_by.as_deref_option(),
        recorded,
    })
}

/// The private state an in-place update records: no longer imported (the value is now
/// recorded), the baseline kept. A change kept by `ignore_changes` stays a change: were
/// `ignore_changes` removed, the plan would replace the secret.
pub(crate) fn updated_private(planned: Private) -> Private {
    planned.and_then(|p| {
        p.baseline.is_some().then_some(SecretPrivate {
            imported: false,
            ..p
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::LastUpdate;
    use crate::secret::state::owned;
    use crate::secret::test_support::{meta, state};

    fn v3_meta(at: Option<&str>, by: Option<&str>) -> SecretMetadata {
        let mut m = meta("sec_1", "K");
        m.updated = Some(LastUpdate {
            at: at.map(Into::into),
            by: by.map(Into::into),
        });
        m
    }

    fn refreshed(at: Option<&str>, by: Option<&str>) -> SecretState<'static> {
        let mut s = state("K", Some("v"));
        s.updated_at = owned(at.map(Into::into));
        s.updated_by = owned(by.map(Into::into));
        s
    }

    #[test]
    fn a_later_updated_at_than_the_baseline_is_a_change_made_in_devin() {
        let never_changed = created_private(&v3_meta(None, None));
        assert!(outside_edit(&refreshed(None, None), &never_changed).is_none());
        assert_eq!(
            outside_edit(
                &refreshed(Some("2026-03-01T10:00:00Z"), Some("ann")),
                &never_changed
            ),
            Some(OutsideEdit {
                at: "2026-03-01T10:00:00Z",
                by: Some("ann"),
                recorded: None,
            })
        );
        let changed = created_private(&v3_meta(Some("2026-03-01T10:00:00Z"), Some("ann")));
        for same_or_older in [
            "2026-03-01T10:00:00Z",
            "2026-03-01T10:00:00.000Z",
            "2026-02-01T00:00:00Z",
        ] {
            assert!(outside_edit(&refreshed(Some(same_or_older), None), &changed).is_none());
        }
        let later = refreshed(Some("2026-03-01T10:00:01.5Z"), None);
        let edit = outside_edit(&later, &changed);
        assert_eq!(edit.map(|e| e.recorded), Some(Some("2026-03-01T10:00:00Z")));
    }

    #[test]
    fn v1_records_no_baseline_and_sees_no_change() {
        let v1 = meta("sec_1", "K");
        assert_eq!(created_private(&v1), None);
        assert_eq!(adopt_baseline(None, &v1), None);
        assert!(outside_edit(&refreshed(Some("2026-03-01T10:00:00Z"), None), &None).is_none());
    }

    #[test]
    fn a_secret_without_a_baseline_takes_the_first_one_read_and_keeps_it() {
        let imported = Some(SecretPrivate {
            imported: true,
            baseline: None,
            ..Default::default()
        });
        let first = adopt_baseline(imported, &v3_meta(Some("2026-03-01T10:00:00Z"), None));
        let first = first.expect("adopted");
        assert!(first.imported, "still imported");
        assert_eq!(
            first
                .baseline
                .as_ref()
                .and_then(|b| b.updated_at.as_deref()),
            Some("2026-03-01T10:00:00Z")
        );
        let kept = adopt_baseline(
            Some(first.clone()),
            &v3_meta(Some("2026-04-01T00:00:00Z"), None),
        );
        assert_eq!(kept, Some(first));
    }

    #[test]
    fn an_update_in_place_keeps_the_baseline_and_ends_the_import() {
        let private = Some(SecretPrivate {
            imported: true,
            baseline: Some(Baseline::default()),
            ..Default::default()
        });
        let updated = updated_private(private).expect("kept");
        assert!(!updated.imported);
        assert_eq!(updated.baseline, Some(Baseline::default()));
        let v1_import = Some(SecretPrivate {
            imported: true,
            baseline: None,
            ..Default::default()
        });
        assert_eq!(updated_private(v1_import), None);
    }
}
