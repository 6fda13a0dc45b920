//! The client itself: its configuration, what its clones share, and how it is built.
//! Its operations are in `operations.rs`.

use std::sync::Arc;
use std::time::Duration;

use reqwest::header;
use tokio_util::sync::CancellationToken;
use url::Url;

use super::cache::ListCache;
use super::redact::Sensitive;
use super::retry::RetryPolicy;
use super::transport::error_chain;
use super::types::ApiVersion;
use super::version::Dialect;

/// Everything a [`Client`] needs, checked by the caller.
#[derive(Clone, Debug)]
pub struct ClientConfig {
    /// Base URL, e.g. `https://api.devin.ai`; a path prefix is kept.
    pub base_url: Url,
    /// The bearer key.
    pub api_key: Sensitive,
    /// The longest one HTTP request may take.
    pub request_timeout: Duration,
    /// How calls are retried.
    pub retry: RetryPolicy,
    /// The `User-Agent` header.
    pub user_agent: String,
    /// The API version to speak.
    pub version: ApiVersion,
    /// The organization, which v3 names in every path: required on v3, ignored on v1
    /// (whose key implies the organization).
    pub org_id: Option<String>,
}

/// The Devin API client. Cheap to clone; clones share connections and the list cache.
#[derive(Clone)]
pub struct Client {
    pub(super) inner: Arc<Shared>,
}

/// What the clones of one client share.
pub(super) struct Shared {
    pub(super) http: reqwest::Client,
    pub(super) dialect: Box<dyn Dialect>,
    pub(super) key: Sensitive,
    pub(super) retry: RetryPolicy,
    pub(super) cancel: CancellationToken,
    pub(super) cache: ListCache,
    /// Configure's first page of a v3 list that goes on (see `listing.rs`).
    pub(super) head: std::sync::Mutex<Option<super::listing::Head>>,
    /// Where the trusted roots came from (see `trust.rs`).
    pub(super) trusted: String,
}

/// How a delete ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Deleted {
    /// The API deleted it now.
    Now,
    /// It was not there any more (deleted outside Terraform, or by an earlier attempt).
    AlreadyGone,
}

impl Client {
    /// Builds a client; `cancel` ends every request and wait when Terraform stops. The
    /// error is a sentence for a person, and never quotes the key: v3 without an
    /// organization id, an organization id that cannot be a path segment, or a key that
    /// cannot be sent.
    pub fn new(config: ClientConfig, cancel: CancellationToken) -> Result<Self, String> {
        let dialect = config
            .version
            .dialect(&config.base_url, config.org_id.as_deref())?;
        let mut auth =
            header::HeaderValue::from_str(&format!("Bearer {}", config.api_key.expose())).map_err(
                |_| "the API key holds characters that cannot be sent in a header".to_string(),
            )?;
        auth.set_sensitive(true);
        let mut headers = header::HeaderMap::new();
        headers.insert(header::AUTHORIZATION, auth);
        headers.insert(
            header::ACCEPT,
            header::HeaderValue::from_static("application/json"),
        );
        let trust = super::trust::load()?;
        let builder = reqwest::Client::builder();
        #[cfg(target_os = "linux")]
        let builder = builder.dns_resolver(Arc::new(super::resolve::Resolver::default()));
        let http = builder
            .use_preconfigured_tls(trust.config)
            .default_headers(headers)
            .user_agent(config.user_agent.clone())
            .timeout(config.request_timeout)
            // Shorter than the request timeout, so that a connection that never opens is
            // reported as such (`is_connect`), not as a request that may have been applied.
            .connect_timeout((config.request_timeout * 3 / 4).min(Duration::from_secs(10)))
            // A redirect would carry the bearer key somewhere the user did not name.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {}", error_chain(&e)))?;
        Ok(Self {
            inner: Arc::new(Shared {
                http,
                dialect,
                key: config.api_key,
                retry: config.retry,
                cancel,
                cache: ListCache::default(),
                head: std::sync::Mutex::default(),
                trusted: trust.source,
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(version: ApiVersion, org_id: Option<&str>) -> ClientConfig {
        ClientConfig {
            base_url: Url::parse("http://127.0.0.1:1").unwrap(),
            api_key: Sensitive::new("cog_secret_key_123"),
            request_timeout: Duration::from_secs(5),
            retry: RetryPolicy::default(),
            user_agent: "test".into(),
            version,
            org_id: org_id.map(Into::into),
        }
    }

    #[test]
    fn v3_needs_an_org_id() {
        for org in [None, Some(""), Some(" \t")] {
            let err = Client::new(config(ApiVersion::V3, org), CancellationToken::new())
                .err()
                .expect("refused");
            assert!(err.contains("organization id"), "{err}");
            assert!(!err.contains("cog_secret_key_123"));
        }
        let v3 = Client::new(
            config(ApiVersion::V3, Some("org-1")),
            CancellationToken::new(),
        )
        .unwrap();
        assert_eq!((v3.version(), v3.org_id()), (ApiVersion::V3, Some("org-1")));
        let v1 = Client::new(
            config(ApiVersion::V1, Some("org-1")),
            CancellationToken::new(),
        )
        .unwrap();
        assert_eq!((v1.version(), v1.org_id()), (ApiVersion::V1, None));
    }
}
