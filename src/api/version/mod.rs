//! The API versions, and the one place that tells them apart: [`ApiVersion`] picks a
//! [`Dialect`] (`v1.rs`, `v3.rs`), and the client asks the dialect, never the version.

mod v1;
mod v3;

use std::fmt;

use url::Url;

use super::types::{NewSecret, SecretId, SecretMetadata};
use super::wire::{CreateBody, SecretPage};

pub use v3::{v1_field_name, PAGE_SIZE};

/// The version of the Devin API a [`Client`](super::Client) speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApiVersion {
    /// `/v1/secrets`: legacy `apk_…` keys, the organization implied by the key.
    V1,
    /// `/v3/organizations/{org_id}/secrets`: `cog_…` service-user keys, the organization
    /// named in every path.
    V3,
}

impl ApiVersion {
    /// The version as it appears in the API's paths: `v1` or `v3`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::V1 => "v1",
            Self::V3 => "v3",
        }
    }

    /// How this version is spoken under `base` (whose path prefix is kept). v3 needs an
    /// organization id; v1 ignores one, since its key implies the organization. The
    /// error is a sentence for a person.
    pub fn dialect(self, base: &Url, org_id: Option<&str>) -> Result<Box<dyn Dialect>, String> {
        let base = base.as_str().trim_end_matches('/').to_string();
        Ok(match self {
            Self::V1 => Box::new(v1::V1::new(base)),
            Self::V3 => Box::new(v3::V3::new(base, org_id)?),
        })
    }
}

impl fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One GET of the list, read.
pub enum ListPage {
    /// The whole list in one answer (v1).
    Whole(Vec<SecretMetadata>),
    /// One page of a walk that follows cursors (v3).
    Page(SecretPage),
}

/// What a 403 or a 404 answered to a DELETE means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeleteRefusal {
    /// The secret is not there any more.
    AlreadyGone,
    /// It may be gone, or the key may lack the permission: a fresh list tells.
    GoneUnlessListed,
    /// An error as any other status.
    Refused,
}

/// Everything that differs between the API versions: paths, request bodies, and how
/// answers are read.
pub trait Dialect: Send + Sync {
    /// The version spoken.
    fn version(&self) -> ApiVersion;

    /// The organization in the paths: `None` on v1.
    fn org_id(&self) -> Option<&str>;

    /// The base URL without its trailing `/`.
    fn base(&self) -> &str;

    /// Where a create is POSTed.
    fn create_url(&self) -> String;

    /// One secret, for its delete.
    fn secret_url(&self, id: &SecretId) -> String;

    /// The GET of the list: the first page, or the one after the cursor `after`.
    fn list_url(&self, after: Option<&str>) -> String;

    /// What a list answer should be, as errors say it.
    fn list_expected(&self) -> &'static str;

    /// A 2xx list answer, or `None` when the body is not one.
    fn read_list(&self, body: &str) -> Option<ListPage>;

    /// The body of the create POST.
    fn create_body<'a>(&self, new: &'a NewSecret) -> CreateBody<'a>;

    /// What a create answer should be, as errors say it.
    fn created_expected(&self) -> &'static str;

    /// The secret a 2xx POST answer describes, or `None` when the body is not this
    /// version's answer (then the POST is ambiguous, and settled through the list).
    fn created_from(&self, body: &str, new: &NewSecret) -> Option<SecretMetadata>;

    /// What a DELETE answered with `status` (403 or 404) means.
    fn delete_refusal(&self, status: u16) -> DeleteRefusal;

    /// The part of `url` after the base URL, as log lines and error texts name a call:
    /// `/v3/organizations/org-1/secrets?first=200`.
    fn path_of<'a>(&self, url: &'a str) -> &'a str {
        url.strip_prefix(self.base()).unwrap_or(url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_as_the_paths_spell_them() {
        assert_eq!(ApiVersion::V1.as_str(), "v1");
        assert_eq!(ApiVersion::V3.as_str(), "v3");
        assert_eq!(ApiVersion::V3.to_string(), "v3");
    }

    #[test]
    fn v3_needs_an_org() {
        let base = Url::parse("http://h").unwrap();
        for org in [None, Some(""), Some("  ")] {
            let err = ApiVersion::V3.dialect(&base, org).err().unwrap();
            assert!(err.contains("organization id"), "{err}");
        }
        assert!(ApiVersion::V3.dialect(&base, Some("..")).is_err());
        assert!(ApiVersion::V1.dialect(&base, None).is_ok());
    }
}
