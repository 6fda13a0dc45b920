//! `terraform import` of a `devin_secret`: by id, by `org_id/secret_id`, or by a key that
//! names exactly one secret.

use tf_provider::Diagnostics;

use super::edits::baseline_of;
use super::lookup::{self, find, Found, Lookup};
use super::metadata::imported_state;
use super::problems::SecretProblem;
use super::state::{SecretPrivate, SecretState};
use crate::api::{SecretId, SecretMetadata};
use crate::diagnostics::Action;
use crate::provider::ApiHandle;

/// The state and private state an import of `import_id` records, or `None` with the
/// reason reported.
pub(crate) async fn import_secret(
    api: &ApiHandle,
    diags: &mut Diagnostics,
    import_id: &str,
) -> Option<(SecretState<'static>, Option<SecretPrivate>)> {
    let action = Action::ImportSecret {
        id: import_id.to_string(),
    };
    let client = api.client_or_diag(diags, &action)?;
    let org = client.org_id();
    let named = import_target(diags, import_id, org)?;
    let listing = lookup::listing(&client, diags, &action).await?;
    // Changes made in Devin before the import are the secret as adopted; later ones are
    // seen against the baseline recorded now.
    let imported = |meta: &SecretMetadata| {
        Some((
            imported_state(meta, org),
            Some(SecretPrivate {
                imported: true,
                baseline: baseline_of(meta),
                ..Default::default()
            }),
        ))
    };
    // Ids are unique: were one listed twice, the first stands.
    match find(&listing, &Lookup::Id(named)) {
        Found::One(meta) => return imported(meta),
        Found::Several(all) => return imported(all[0]),
        Found::None => {}
    }
    // Users often know a secret by its key: accept one that names exactly one secret.
    match find(&listing, &Lookup::Key(named)) {
        Found::One(meta) => {
            SecretProblem::ImportedByKey {
                key: named,
                id: &meta.id,
            }
            .report(diags);
            imported(meta)
        }
        Found::None => {
            SecretProblem::ImportFoundNothing {
                import_id: named,
                org,
                why_not_an_id: SecretId::parse(named).err().map(|e| e.to_string()),
            }
            .report(diags);
            None
        }
        Found::Several(all) => {
            SecretProblem::ImportFoundSeveral {
                import_id: named,
                ids: all.iter().map(|s| s.id.as_str()).collect(),
            }
            .report(diags);
            None
        }
    }
}

/// The secret id (or key) an import id names: `secret_id`, or `org_id/secret_id` for
/// the provider's own organization on API v3.
fn import_target<'i>(
    diags: &mut Diagnostics,
    import_id: &'i str,
    org: Option<&str>,
) -> Option<&'i str> {
    let Some((named_org, secret)) = import_id.split_once('/') else {
        return Some(import_id);
    };
    let problem = match org {
        Some(org) if org == named_org => return Some(secret),
        Some(org) => SecretProblem::ImportFromOtherOrganization {
            import_id,
            named_org,
            org,
        },
        None => SecretProblem::ImportWithOrganizationOnV1 { import_id },
    };
    problem.report(diags);
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn import_ids_name_the_providers_organization_or_fail() {
        let mut diags = Diagnostics::default();
        assert_eq!(
            import_target(&mut diags, "sec_1", Some("org-a")),
            Some("sec_1")
        );
        assert_eq!(
            import_target(&mut diags, "org-a/sec_1", Some("org-a")),
            Some("sec_1")
        );
        assert!(diags.errors.is_empty());
        assert!(import_target(&mut diags, "org-b/sec_1", Some("org-a")).is_none());
        assert!(format!("{:?}", diags.errors).contains("alias"));
        let mut diags = Diagnostics::default();
        assert!(import_target(&mut diags, "org-b/sec_1", None).is_none());
        assert!(format!("{:?}", diags.errors).contains("v1"));
    }
}
