//! The `provider "devin"` block: its schema, and the struct Terraform's configuration
//! decodes into. The descriptions are the one source of the provider's reference docs.

use serde::{Deserialize, Serialize};
use tf_provider::schema::{AttributeConstraint::Optional, AttributeType, Schema};
use tf_provider::value::{Value, ValueString};
use tfplugin::builders::{attr, block};
use tfplugin::Number;

/// The provider block, as Terraform sends it. Arguments a CLI does not send (an older
/// schema cached by the CLI) read as null.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ProviderConfig<'a> {
    /// `api_key`; falls back to `DEVIN_API_KEY`.
    pub api_key: ValueString<'a>,
    /// `api_url`; falls back to `DEVIN_API_URL`, then [`super::settings::DEFAULT_API_URL`].
    pub api_url: ValueString<'a>,
    /// `request_timeout`, a duration such as `30s`.
    pub request_timeout: ValueString<'a>,
    /// `max_retries`: any number Terraform sends, so that a fractional or huge one is an
    /// error on `max_retries` rather than a configuration the provider cannot read.
    pub max_retries: Value<Number>,
    /// `org_id`: the organization of API v3; falls back to `DEVIN_ORG_ID`.
    pub org_id: ValueString<'a>,
    /// `api_version`: `v1` or `v3`, for a key whose prefix does not say.
    pub api_version: ValueString<'a>,
}

/// The provider's schema.
pub fn provider_schema() -> Schema {
    Schema {
        version: 0,
        block: block(
            "The Devin provider manages the secrets of a Devin organization through the Devin \
             API: v3 with a service-user credential (`cog_…`, what new Devin accounts get) and \
             an `org_id`, or the legacy v1 with an `apk_…` key. The key's prefix picks the \
             version. When Terraform configures it, the provider lists the organization's \
             secrets once: a wrong API key or an unreachable API is one error there, whatever \
             the number of secrets, and the reads of the run share that list. To manage \
             several organizations, declare one provider block per organization, with \
             `alias`.",
            vec![
                (
                    "api_key",
                    attr(
                        AttributeType::String,
                        Optional,
                        true,
                        "A Devin API credential. A service-user credential (`cog_…`, with the \
                         `ManageOrgSecrets` permission) speaks API v3 and needs `org_id`; a \
                         legacy Personal (`apk_user_…`) or Service (`apk_…`) key speaks API v1 \
                         and implies its organization. Defaults to the `DEVIN_API_KEY` \
                         environment variable. Prefer the environment variable, so the key \
                         stays out of your configuration. White space around the key, such as \
                         the newline that ends a key file, is ignored.",
                    ),
                ),
                (
                    "api_url",
                    attr(
                        AttributeType::String,
                        Optional,
                        false,
                        "Base URL of the Devin API. Defaults to the `DEVIN_API_URL` environment \
                         variable, then `https://api.devin.ai`. Must be `https://`; plain \
                         `http://` is accepted only for a loopback host (`localhost`, \
                         `127.0.0.1`, `::1`), so the key never crosses a network unencrypted. \
                         Credentials, a query or a fragment are refused.",
                    ),
                ),
                (
                    "request_timeout",
                    attr(
                        AttributeType::String,
                        Optional,
                        false,
                        "How long one HTTP request may take before it is abandoned (and retried \
                         when safe), as a duration from `1s` to `10m`, such as `30s` or `2m`. \
                         Defaults to `30s`.",
                    ),
                ),
                (
                    "max_retries",
                    attr(
                        AttributeType::Number,
                        Optional,
                        false,
                        "How many times a failed request is retried (on HTTP 429, 5xx and \
                         connection errors, with exponential backoff and jitter, honouring \
                         `Retry-After`): a whole number from 0 to 20. Defaults to 5; 0 \
                         disables retries.",
                    ),
                ),
                (
                    "org_id",
                    attr(
                        AttributeType::String,
                        Optional,
                        false,
                        "The Devin organization whose secrets this provider manages, such as \
                         `org-abc123`: required with a `cog_` credential (API v3), and refused \
                         with an `apk_` key (API v1 takes the organization from the key). \
                         Defaults to the `DEVIN_ORG_ID` environment variable.",
                    ),
                ),
                (
                    "api_version",
                    attr(
                        AttributeType::String,
                        Optional,
                        false,
                        "`v1` or `v3`. Only needed for a key whose prefix is neither `cog_` \
                         (v3) nor `apk_` (v1); without it, such a key speaks v3 when an \
                         `org_id` is given and v1 otherwise.",
                    ),
                ),
            ],
        ),
    }
}
