//! [`Source`]: which header family a window came from.

/// The header family (and, for the IETF fields, the wire generation) that produced a
/// window. `../shared/spec/headers.md` sections 1 and 5.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Source {
    /// draft-polli-00 and draft-ietf 00-01: ABNF `RateLimit-Limit: 10, 10;w=1` (not SF).
    IetfDraft01,
    /// draft-ietf 02-03: Structured-Field List in `RateLimit-Limit`.
    IetfDraft03,
    /// draft-ietf 04-06: separate `RateLimit-Limit/-Remaining/-Reset` + `RateLimit-Policy`.
    IetfDraft06,
    /// draft-ietf 07: `RateLimit` Dictionary.
    IetfDraft07,
    /// draft-ietf 08-11: named `RateLimit` / `RateLimit-Policy` Lists.
    IetfDraft08,
    /// Legacy `X-RateLimit-*` of no specific vendor.
    XRateLimit,
    /// Legacy `X-Rate-Limit-*` (Okta, X/Twitter, prisjakt ...).
    XRateLimitDashed,
    /// GitHub (`x-ratelimit-used` / `x-ratelimit-resource`).
    GitHub,
    /// OpenAI / Azure OpenAI (`x-ratelimit-*-requests`, `-tokens`).
    OpenAi,
    /// Anthropic (`anthropic-ratelimit-*`).
    Anthropic,
    /// Discord (`x-ratelimit-bucket`, `-reset-after`).
    Discord,
    /// Shopify REST (`X-Shopify-Shop-Api-Call-Limit`).
    Shopify,
    /// Shopify GraphQL (`extensions.cost.throttleStatus` in the body).
    ShopifyGraphql,
    /// Reddit (`X-Ratelimit-Used` without a limit).
    Reddit,
    /// GitLab (`RateLimit-*` with epoch reset, `RateLimit-Observed`).
    GitLab,
    /// Zendesk (`X-Rate-Limit`, `Zendesk-RateLimit-*`).
    Zendesk,
    /// HubSpot (`X-HubSpot-RateLimit-*`).
    HubSpot,
    /// Salesforce (`Sforce-Limit-Info`).
    Salesforce,
    /// Kong (`X-RateLimit-Limit-Minute` ...).
    Kong,
    /// Envoy (`x-ratelimit-limit` in draft-03 list form).
    Envoy,
    /// Apple App Store Connect (`X-Rate-Limit: user-hour-lim:...`).
    Apple,
    /// X/Twitter v2 24-hour families (`x-app-limit-24hour-*`, `x-user-limit-24hour-*`).
    Twitter,
}

impl Source {
    /// A stable, lowercase name (`ietf-draft-08`, `github`, `openai` ...).
    pub const fn as_str(self) -> &'static str {
        match self {
            Source::IetfDraft01 => "ietf-draft-01",
            Source::IetfDraft03 => "ietf-draft-03",
            Source::IetfDraft06 => "ietf-draft-06",
            Source::IetfDraft07 => "ietf-draft-07",
            Source::IetfDraft08 => "ietf-draft-08",
            Source::XRateLimit => "x-ratelimit",
            Source::XRateLimitDashed => "x-rate-limit",
            Source::GitHub => "github",
            Source::OpenAi => "openai",
            Source::Anthropic => "anthropic",
            Source::Discord => "discord",
            Source::Shopify => "shopify",
            Source::ShopifyGraphql => "shopify-graphql",
            Source::Reddit => "reddit",
            Source::GitLab => "gitlab",
            Source::Zendesk => "zendesk",
            Source::HubSpot => "hubspot",
            Source::Salesforce => "salesforce",
            Source::Kong => "kong",
            Source::Envoy => "envoy",
            Source::Apple => "apple",
            Source::Twitter => "twitter",
        }
    }

    /// True for the IETF `RateLimit*` generations.
    pub const fn is_ietf(self) -> bool {
        matches!(
            self,
            Source::IetfDraft01
                | Source::IetfDraft03
                | Source::IetfDraft06
                | Source::IetfDraft07
                | Source::IetfDraft08
        )
    }
}
