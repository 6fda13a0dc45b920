//! What the provider was trying to do when something went wrong, as a message names it.

use std::fmt;

/// An action a diagnostic names: "Could not {action}", "Devin API refused to {action}".
/// Its [`Display`](fmt::Display) is the words a person reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// The list the provider takes when it is configured, which checks its credentials.
    CheckCredentials,
    /// A list for the `devin_secrets` data source or the `devin_secret` list resource.
    ListSecrets,
    /// Creating the secret named `key`.
    CreateSecret {
        /// The secret's name.
        key: String,
    },
    /// Refreshing the secret of a `devin_secret` resource.
    ReadSecret {
        /// The id that state records.
        id: String,
    },
    /// The `devin_secret` data source's lookup.
    ReadSecretBy {
        /// The argument that names the secret: `id` or `key`.
        attribute: &'static str,
        /// Its configured value.
        value: String,
    },
    /// Deleting the secret of a `devin_secret` resource. Named by its key, which a person
    /// finds in the configuration, by the resource type, and by its id, which Devin
    /// shows: Terraform names the resource's address only when the configuration still
    /// holds it, which a destroy's often does not.
    DeleteSecret {
        /// The secret's name, when state records one.
        key: Option<String>,
        /// The secret's id.
        id: String,
    },
    /// A delete named by its id alone, before the provider knows it can reach the API.
    DeleteSecretById {
        /// The secret's id.
        id: String,
    },
    /// Importing what an import id names.
    ImportSecret {
        /// The import id as given, a secret id or key.
        id: String,
    },
}

impl Action {
    /// The name of the secret the action is about, when known: advice about a taken
    /// key or a refused id names it.
    pub fn key(&self) -> Option<&str> {
        match self {
            Self::CreateSecret { key } => Some(key),
            Self::DeleteSecret { key, .. } => key.as_deref(),
            _ => None,
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::CheckCredentials => f.write_str("list the organization's secrets"),
            Self::ListSecrets => f.write_str("list secrets"),
            Self::CreateSecret { key } => write!(f, "create secret \"{key}\""),
            Self::ReadSecret { id } => write!(f, "read secret {id}"),
            Self::ReadSecretBy { attribute, value } => {
                write!(f, "read the secret with {attribute} {value:?}")
            }
            Self::DeleteSecret { key: Some(key), id } => {
                write!(f, "delete secret \"{key}\" (devin_secret, id {id})")
            }
            Self::DeleteSecret { key: None, id } => write!(f, "delete secret {id} (devin_secret)"),
            Self::DeleteSecretById { id } => write!(f, "delete secret {id}"),
            Self::ImportSecret { id } => write!(f, "import secret {id:?}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_delete_names_the_secret_by_key_type_and_id() {
        let delete = |key: Option<&str>| Action::DeleteSecret {
            key: key.map(str::to_string),
            id: "sec_1".into(),
        };
        assert_eq!(
            delete(Some("GH")).to_string(),
            "delete secret \"GH\" (devin_secret, id sec_1)"
        );
        assert_eq!(
            delete(None).to_string(),
            "delete secret sec_1 (devin_secret)"
        );
    }

    #[test]
    fn every_action_reads_as_before() {
        let cases = [
            (Action::CheckCredentials, "list the organization's secrets"),
            (Action::ListSecrets, "list secrets"),
            (
                Action::CreateSecret { key: "K".into() },
                "create secret \"K\"",
            ),
            (
                Action::ReadSecret { id: "sec_1".into() },
                "read secret sec_1",
            ),
            (
                Action::ReadSecretBy {
                    attribute: "key",
                    value: "K".into(),
                },
                "read the secret with key \"K\"",
            ),
            (
                Action::DeleteSecretById { id: "sec_1".into() },
                "delete secret sec_1",
            ),
            (
                Action::ImportSecret { id: "sec_1".into() },
                "import secret \"sec_1\"",
            ),
        ];
        for (action, words) in cases {
            assert_eq!(action.to_string(), words);
        }
    }
}
