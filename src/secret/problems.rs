//! Every message about a secret that a person reads, built from the typed problem the
//! resource, the data sources or the list resource ran into. Errors from the API itself
//! are worded in [`crate::diagnostics`].

use tf_provider::Diagnostics;

use super::edits::OutsideEdit;
use super::lookup::Lookup;
use crate::diagnostics;

/// Something about a secret that a person must hear of.
pub(crate) enum SecretProblem<'a> {
    /// The configuration of a `devin_secret` sets an attribute the API computes.
    ComputedAttributeSet { attribute: &'static str },
    /// The configuration of a `devin_secret` sets `updated_at`, which only
    /// `ignore_changes` may name.
    UpdatedAtSet,
    /// Devin reports a change made to the secret outside Terraform (a warning).
    ChangedInDevin { key: &'a str, edit: OutsideEdit<'a> },
    /// The configuration of a data source sets an attribute it reads.
    ReadAttributeSet { attribute: &'static str },
    /// `type` is not one of `allowed`.
    UnsupportedType {
        kind: &'a str,
        allowed: &'a [&'a str],
    },
    /// `key` is blank.
    EmptyKey,
    /// `key` evaluated to null.
    NullKey,
    /// Devin sessions will see the key under another name (a warning); `instead` is a key
    /// Devin keeps as it is.
    KeyRenamedInSessions {
        key: &'a str,
        env: &'a str,
        instead: String,
    },
    /// `key` holds a line break or another control character, shown escaped.
    KeyWithControlCharacter { shown: String },
    /// Neither `value` nor `value_wo` is set.
    NullValue,
    /// Both `value` and `value_wo` are set.
    BothValues,
    /// `value_wo_version` without `value_wo`.
    VersionWithoutWriteOnlyValue,
    /// The CLI would store `value_wo` in its plan and state.
    WriteOnlyUnsupported,
    /// A refresh before the provider's settings are known (a warning).
    NotRefreshed,
    /// The id in state is not a secret id.
    InvalidIdInState { id: &'a str, reason: String },
    /// The state records another organization than the provider's.
    OtherOrganization {
        recorded: &'a str,
        configured: &'a str,
    },
    /// The plan records values an import could not read, without checking them (a
    /// warning).
    RecordedNotChecked,
    /// An import id named the key of exactly one secret (a warning).
    ImportedByKey { key: &'a str, id: &'a str },
    /// No secret has the import id as id or key.
    ImportFoundNothing {
        import_id: &'a str,
        org: Option<&'a str>,
        why_not_an_id: Option<String>,
    },
    /// Several secrets have the import id as key.
    ImportFoundSeveral {
        import_id: &'a str,
        ids: Vec<&'a str>,
    },
    /// An `org_id/secret_id` import id names another organization than the provider's.
    ImportFromOtherOrganization {
        import_id: &'a str,
        named_org: &'a str,
        org: &'a str,
    },
    /// An `org_id/secret_id` import id on API v1, which has no organization ids.
    ImportWithOrganizationOnV1 { import_id: &'a str },
    /// An import identity without its `id`.
    IdentityWithoutId,
    /// The stored state was written by a newer provider.
    StateTooNew { version: i64, known: i64 },
    /// The stored state is not an object.
    StateNotObject,
    /// The stored state does not have the layout of its schema version.
    StateLayout { version: i64 },
    /// The data source's configuration sets both `id` and `key`.
    BothIdAndKey,
    /// The data source's configuration sets neither `id` nor `key`.
    NeitherIdNorKey,
    /// No secret matches the data source's lookup.
    NoSecretFound { lookup: &'a Lookup<'a> },
    /// Several secrets match the data source's lookup.
    SeveralSecretsFound {
        lookup: &'a Lookup<'a>,
        ids: Vec<&'a str>,
    },
}

/// Whether a problem stops the operation.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Severity {
    Error,
    Warning,
}

/// A problem in words: how grave, summary, detail, and the attribute it points at.
type Message = (Severity, String, String, Option<&'static str>);

impl SecretProblem<'_> {
    /// Adds the problem to `diags`, as an error or a warning.
    pub(crate) fn report(&self, diags: &mut Diagnostics) {
        let (severity, summary, detail, attribute) = self.message();
        match severity {
            Severity::Error => diagnostics::error(diags, summary, detail, attribute),
            Severity::Warning => diagnostics::warning(diags, summary, detail, attribute),
        }
    }

    fn message(&self) -> Message {
        use Severity::{Error, Warning};
        match self {
            Self::ComputedAttributeSet { attribute } => (
                Error,
                format!("`{attribute}` cannot be set"),
                format!(
                    "`{attribute}` is computed by the Devin API. Remove it from the \
                     configuration; to manage an existing secret, import it by id."
                ),
                Some(*attribute),
            ),
            Self::UpdatedAtSet => (
                Error,
                "`updated_at` cannot be set".into(),
                "`updated_at` is when Devin last changed the secret, as the Devin API reports \
                 it: remove it from the configuration (`-generate-config-out` writes it). To \
                 keep changes made in Devin instead of replacing the secret, name it in the \
                 resource's `lifecycle { ignore_changes = [updated_at] }`."
                    .into(),
                Some("updated_at"),
            ),
            Self::ChangedInDevin { key, edit } => {
                let by = edit.by.map_or_else(String::new, |by| format!(" by {by}"));
                let since = edit.recorded.map_or_else(
                    || "Terraform had recorded no change since it created or imported it".into(),
                    |at| format!("the last change Terraform had recorded was at {at}"),
                );
                (
                    Warning,
                    format!("Secret \"{key}\" was changed in Devin{by} at {}", edit.at),
                    format!(
                        "Devin reports that the secret was changed{by} at {}, outside \
                         Terraform ({since}). The Devin API does \
                         not return values, so Terraform cannot tell what changed: the plan \
                         replaces the secret to send the configured value again. To keep \
                         changes made in Devin instead, add `updated_at` to the resource's \
                         `lifecycle {{ ignore_changes = [...] }}`.",
                        edit.at
                    ),
                    Some("updated_at"),
                )
            }
            Self::ReadAttributeSet { attribute } => (
                Error,
                format!("`{attribute}` cannot be set"),
                format!(
                    "`{attribute}` is read from the Devin API; remove it from the configuration."
                ),
                Some(*attribute),
            ),
            Self::UnsupportedType { kind, allowed } => (
                Error,
                format!("Unsupported secret type \"{kind}\""),
                format!("`type` must be one of: {}.", allowed.join(", ")),
                Some("type"),
            ),
            Self::EmptyKey => (
                Error,
                "`key` cannot be empty".into(),
                "Give the secret a name, such as \"GITHUB_TOKEN\".".into(),
                Some("key"),
            ),
            Self::NullKey => (
                Error,
                "`key` is null".into(),
                "`key` is required, and its expression evaluated to null (for example a \
                 variable that has no value). Set it to the secret's name, such as \
                 \"GITHUB_TOKEN\". Nothing was sent to Devin."
                    .into(),
                Some("key"),
            ),
            Self::KeyRenamedInSessions { key, env, instead } => {
                let same = if instead == env {
                    format!("Use \"{instead}\" as the key to make the names match.")
                } else {
                    format!(
                        "No key gives {env}, since every name that does not start with a \
                         letter gets one more `_`. A key that Devin keeps as it is starts with \
                         a letter and holds only letters, digits and `_`, such as \"{instead}\"."
                    )
                };
                (
                    Warning,
                    // The same for every key: the CLI then folds several into one.
                    "Devin sessions will see this secret under another name".into(),
                    format!(
                        "Devin turns secret names into environment variable names: \
                         characters other than letters, digits and `_` become `_`, and a name \
                         that does not start with a letter gets a leading `_`. The key \
                         \"{key}\" becomes ${env}. {same}"
                    ),
                    Some("key"),
                )
            }
            Self::KeyWithControlCharacter { shown } => (
                Error,
                "`key` holds a line break or another control character".into(),
                format!(
                    "The key \"{shown}\" holds a character that cannot be part of a secret \
                     name (shown escaped). A name read from a file often ends with its line \
                     break: `trimspace(file(\"...\"))` removes it. Nothing was sent to Devin."
                ),
                Some("key"),
            ),
            Self::NullValue => (
                Error,
                "`value` is null".into(),
                "A secret needs a value: set `value_wo` (write-only, kept out of Terraform's \
                 state; Terraform 1.11 or later) or `value`. The expression given evaluated \
                 to null (for example a variable that has no value, or `value = null` in \
                 configuration written by `-generate-config-out`). Nothing was sent to Devin."
                    .into(),
                Some("value"),
            ),
            Self::BothValues => (
                Error,
                "`value` and `value_wo` are both set".into(),
                "Set exactly one of them: `value_wo` keeps the value out of Terraform's plans \
                 and state, `value` stores it in state (marked sensitive). Remove the other."
                    .into(),
                Some("value_wo"),
            ),
            Self::VersionWithoutWriteOnlyValue => (
                Error,
                "`value_wo_version` without `value_wo`".into(),
                "`value_wo_version` says when to send a new `value_wo`; with `value` it means \
                 nothing. Set `value_wo` instead of `value`, or remove `value_wo_version`."
                    .into(),
                Some("value_wo_version"),
            ),
            Self::WriteOnlyUnsupported => (
                Error,
                "`value_wo` needs a CLI that supports write-only attributes".into(),
                "`value_wo` is a write-only attribute: Terraform 1.11 and later send it to \
                 the provider without storing it. This CLI does not support write-only \
                 attributes (OpenTofu 1.6 and Terraform before 1.11 do not), and would store \
                 the value in its plan and state. Use Terraform 1.11 or later, or set `value` \
                 instead of `value_wo` (the value is then stored in state, marked \
                 sensitive). Nothing was sent to Devin."
                    .into(),
                Some("value_wo"),
            ),
            Self::NotRefreshed => (
                Warning,
                "Secret not refreshed: the provider configuration is not known yet".into(),
                "The `devin` provider block uses values Terraform learns only during apply, \
                 so the secret was not checked against the Devin API."
                    .into(),
                None,
            ),
            Self::InvalidIdInState { id, reason } => (
                Error,
                format!("Invalid secret id {id:?} in state"),
                format!(
                    "{reason}. Remove the resource from state with `terraform state rm` and \
                     import the secret by its id."
                ),
                Some("id"),
            ),
            Self::OtherOrganization {
                recorded,
                configured,
            } => (
                Error,
                format!("This secret belongs to organization {recorded}"),
                format!(
                    "The secret was created in Devin organization {recorded}, but this \
                     `devin` provider is configured for {configured} (`org_id`). Give the \
                     resource a provider configured for {recorded} (a provider alias with \
                     `org_id = \"{recorded}\"`, and `provider = devin.<alias>` on the \
                     resource), or remove it from state with `terraform state rm`."
                ),
                Some("org_id"),
            ),
            Self::RecordedNotChecked => (
                Warning,
                "The value will be recorded, not checked".into(),
                "This secret was imported. The Devin API never returns a secret's value \
                 (nor, on API v1, its note and sensitive flag), so Terraform records the \
                 configured ones without changing the secret and without being able to \
                 confirm that they match it. To make sure the secret holds the configured \
                 value, replace it once with the address shown with this warning: \
                 `terraform apply -replace=ADDRESS` (`tofu apply -replace=ADDRESS` under \
                 OpenTofu)."
                    .into(),
                None,
            ),
            Self::ImportedByKey { key, id } => (
                Warning,
                format!("Imported secret {id} by its key {key:?}"),
                format!(
                    "{key:?} is not a secret id but the key of exactly one secret, whose id \
                     is {id}. That secret was imported. Ids are stable where keys are not: \
                     prefer `{id}` in `import` blocks and scripts."
                ),
                None,
            ),
            Self::ImportFoundNothing {
                import_id,
                org,
                why_not_an_id,
            } => {
                let hint = why_not_an_id
                    .as_ref()
                    .map_or_else(String::new, |why| format!(" ({why})"));
                let place = match org {
                    Some(org) => format!("Devin organization {org}"),
                    None => "Devin organization".to_string(),
                };
                (
                    Error,
                    format!("Cannot import {import_id:?}: no secret has this id or key"),
                    format!(
                        "The {place} has no secret whose id or key is {import_id:?}{hint}. \
                         The `devin_secrets` data source lists the ids and keys of existing \
                         secrets."
                    ),
                    None,
                )
            }
            Self::ImportFoundSeveral { import_id, ids } => (
                Error,
                format!(
                    "Cannot import {import_id:?}: {} secrets have this key",
                    ids.len()
                ),
                format!("Import one of them by its id: {}.", ids.join(", ")),
                None,
            ),
            Self::ImportFromOtherOrganization {
                import_id,
                named_org,
                org,
            } => (
                Error,
                format!("Cannot import {import_id:?}"),
                format!(
                    "{import_id:?} names organization {named_org:?}, but this `devin` \
                     provider is configured for {org:?}. Import through a provider configured \
                     for {named_org:?}: declare a provider alias with \
                     `org_id = \"{named_org}\"` and set `provider = devin.<alias>` on the \
                     resource; the import then goes through it."
                ),
                None,
            ),
            Self::ImportWithOrganizationOnV1 { import_id } => (
                Error,
                format!("Cannot import {import_id:?}"),
                format!(
                    "{import_id:?} has the form `org_id/secret_id`, which names an \
                     organization of the Devin API v3; this provider speaks v1 (an `apk_` \
                     key), where the key implies the organization. Import by the secret id \
                     alone."
                ),
                None,
            ),
            Self::IdentityWithoutId => (
                Error,
                "The import identity has no `id`".into(),
                "Give the secret's id: `identity = { id = \"…\" }`. The `devin_secrets` data \
                 source and `terraform query` list them."
                    .into(),
                None,
            ),
            Self::StateTooNew { version, known } => (
                Error,
                UPGRADE_FAILED.into(),
                format!(
                    "The state was written by a newer version of the provider (schema \
                     version {version}; this one knows up to {known}). Upgrade the provider."
                ),
                None,
            ),
            Self::StateNotObject => (
                Error,
                UPGRADE_FAILED.into(),
                "The prior state is not an object.".into(),
                None,
            ),
            Self::StateLayout { version } => (
                Error,
                UPGRADE_FAILED.into(),
                format!("The prior state does not have the layout of schema version {version}."),
                None,
            ),
            Self::BothIdAndKey => (
                Error,
                "Set exactly one of `id` and `key`: both `id` and `key` are set".into(),
                ONE_OF_ID_AND_KEY.into(),
                None,
            ),
            Self::NeitherIdNorKey => (
                Error,
                "Set exactly one of `id` and `key`: neither `id` nor `key` is set (or both \
                 are null)"
                    .into(),
                ONE_OF_ID_AND_KEY.into(),
                None,
            ),
            Self::NoSecretFound { lookup } => (
                Error,
                format!("No Devin secret has {lookup}"),
                "The `devin_secrets` data source lists the organization's secrets.".into(),
                Some(lookup.attribute()),
            ),
            Self::SeveralSecretsFound { lookup, ids } => (
                Error,
                format!("{} Devin secrets have {lookup}", ids.len()),
                format!(
                    "Their ids are {}. Look the secret up by `id` instead.",
                    ids.join(", ")
                ),
                Some(lookup.attribute()),
            ),
        }
    }
}

/// The summary of every problem with a stored state.
const UPGRADE_FAILED: &str = "Cannot upgrade the stored state of a devin_secret";

/// Why the data source needs exactly one of `id` and `key`.
const ONE_OF_ID_AND_KEY: &str = "The data source finds one secret either by its id or by its \
                                 key. A variable that is null counts as not set.";
