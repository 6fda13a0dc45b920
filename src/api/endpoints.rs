//! Where each call goes, per API version: the one place that knows the paths.

use url::Url;

use super::types::{encode_segment, ApiVersion, OrgId, SecretId};

/// Items asked for per v3 list page: the most the API serves, so that a walk costs
/// ⌈N/200⌉ requests.
pub const PAGE_SIZE: u32 = 200;

/// The URLs of the secrets endpoints of one API version, organization included.
#[derive(Clone, Debug)]
pub struct Endpoints {
    version: ApiVersion,
    /// The base URL without its trailing `/`, for telling the API path in logs.
    base: String,
    org: Option<OrgId>,
    /// `{base}/v1` or `{base}/v3/organizations/{org}`: what `/secrets` hangs from.
    root: String,
}

impl Endpoints {
    /// The endpoints of `version` under `base` (whose path prefix is kept). v3 needs an
    /// organization id; v1 ignores one, since its key implies the organization. The
    /// error is a sentence for a person.
    pub fn new(base: &Url, version: ApiVersion, org_id: Option<&str>) -> Result<Self, String> {
        let base = base.as_str().trim_end_matches('/').to_string();
        let (org, root) = match version {
            ApiVersion::V1 => (None, format!("{base}/v1")),
            ApiVersion::V3 => {
                let org = OrgId::parse(org_id.unwrap_or(""))?;
                let root = format!("{base}/v3/organizations/{}", org.path_segment());
                (Some(org), root)
            }
        };
        Ok(Self {
            version,
            base,
            org,
            root,
        })
    }

    /// The version these endpoints belong to.
    pub fn version(&self) -> ApiVersion {
        self.version
    }

    /// The organization in the paths: `None` on v1.
    pub fn org_id(&self) -> Option<&str> {
        self.org.as_ref().map(OrgId::as_str)
    }

    /// The collection: the v1 list, and the create of both versions.
    pub fn secrets(&self) -> String {
        format!("{}/secrets", self.root)
    }

    /// One secret, for its delete.
    pub fn secret(&self, id: &SecretId) -> String {
        format!("{}/secrets/{}", self.root, id.path_segment())
    }

    /// One v3 list page: the first, or the one after `after` (a cursor from the API,
    /// query-encoded so that it can hold anything).
    pub fn page(&self, after: Option<&str>) -> String {
        let first = format!("{}?first={PAGE_SIZE}", self.secrets());
        match after {
            Some(cursor) => format!("{first}&after={}", encode_segment(cursor)),
            None => first,
        }
    }

    /// The part of `url` after the base URL, as log lines and error texts name a call:
    /// `/v3/organizations/org-1/secrets?first=200`.
    pub fn path_of<'a>(&self, url: &'a str) -> &'a str {
        url.strip_prefix(self.base.as_str()).unwrap_or(url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoints(base: &str, version: ApiVersion, org: Option<&str>) -> Endpoints {
        Endpoints::new(&Url::parse(base).unwrap(), version, org).unwrap()
    }

    #[test]
    fn v1_paths() {
        let e = endpoints("http://127.0.0.1:1/", ApiVersion::V1, Some("ignored"));
        assert_eq!(e.org_id(), None);
        assert_eq!(e.secrets(), "http://127.0.0.1:1/v1/secrets");
        let id = SecretId::parse("a/b").unwrap();
        assert_eq!(e.secret(&id), "http://127.0.0.1:1/v1/secrets/a%2Fb");
        assert_eq!(e.path_of(&e.secret(&id)), "/v1/secrets/a%2Fb");
    }

    #[test]
    fn v3_paths_hold_the_org_as_one_segment() {
        let e = endpoints("https://api.devin.ai/prefix", ApiVersion::V3, Some("../x"));
        assert_eq!(e.org_id(), Some("../x"));
        assert_eq!(
            e.secrets(),
            "https://api.devin.ai/prefix/v3/organizations/..%2Fx/secrets"
        );
        let id = SecretId::parse("secret-1").unwrap();
        assert_eq!(
            e.path_of(&e.secret(&id)),
            "/v3/organizations/..%2Fx/secrets/secret-1"
        );
        // What the URL parser makes of it: the org stays one segment.
        let parsed = Url::parse(&e.secret(&id)).unwrap();
        assert_eq!(
            parsed.path(),
            "/prefix/v3/organizations/..%2Fx/secrets/secret-1"
        );
    }

    #[test]
    fn v3_page_cursors_are_query_encoded() {
        let e = endpoints("http://h", ApiVersion::V3, Some("org-1"));
        assert_eq!(
            e.path_of(&e.page(None)),
            "/v3/organizations/org-1/secrets?first=200"
        );
        let url = e.page(Some("a+b/c=&first=1#x"));
        assert_eq!(
            e.path_of(&url),
            "/v3/organizations/org-1/secrets?first=200&after=a%2Bb%2Fc%3D%26first%3D1%23x"
        );
        let parsed = Url::parse(&url).unwrap();
        let query: Vec<_> = parsed.query_pairs().collect();
        assert_eq!(query.len(), 2);
        assert_eq!(query[1].1, "a+b/c=&first=1#x");
    }

    #[test]
    fn v3_needs_an_org() {
        let base = Url::parse("http://h").unwrap();
        for org in [None, Some(""), Some("  ")] {
            let err = Endpoints::new(&base, ApiVersion::V3, org).unwrap_err();
            assert!(err.contains("organization id"), "{err}");
        }
        assert!(Endpoints::new(&base, ApiVersion::V3, Some("..")).is_err());
        assert!(Endpoints::new(&base, ApiVersion::V1, None).is_ok());
    }
}
