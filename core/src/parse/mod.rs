//! From header bytes to [`Limits`]: one module per header family, each turning the
//! fields it owns into windows, hints and warnings (`../shared/spec/headers.md`).
//!
//! [`parse()`] walks the headers once to index the fields it knows (noting which
//! are present), then lets every family with a field present read its fields; a
//! family that needs every line of a repeated field walks the headers again for
//! that field only. Each Structured Field is validated once, and the usual draft-08
//! `RateLimit` / `RateLimit-Policy` Lists are validated and read in the same pass.
//! Nothing allocates, and the (kilobytes large) [`Limits`] is filled in place: in
//! the caller's own storage with [`parse_into`].

mod anthropic;
mod body;
mod bucketed;
mod ctx;
mod fields;
mod gitlab;
mod hubspot;
mod ietf_dictionary;
mod ietf_named;
mod ietf_policy;
mod ietf_split;
mod input;
mod kong;
#[cfg(test)]
mod one_pass_tests;
mod reset;
mod retry_after;
mod salesforce;
mod shopify;
mod signals;
mod singleton;
mod twitter;
mod x_rate_limit;
mod x_ratelimit;

pub use input::{HeaderPair, ParseOptions, Response};

use crate::model::Limits;
use ctx::Ctx;
use fields::{BucketFamily, Fields};
use ietf_policy::Policies;

/// Parses a response into [`Limits`] with the default capacities (16 windows, 16
/// warnings).
///
/// ```
/// use ratelimit_governor::{parse, Response, UnixTime};
///
/// let headers: &[(&str, &str)] = &[
///     ("RateLimit-Policy", r#""burst";q=100;w=60"#),
///     ("RateLimit", r#""burst";r=0;t=12"#),
/// ];
/// let limits = parse(&Response::new(headers).status(429).now(UnixTime::from_secs(1_700_000_000)));
/// let w = limits.windows().next().unwrap();
/// assert_eq!(w.limit, Some(100));
/// assert_eq!(w.reset, Some(core::time::Duration::from_secs(12)));
/// ```
#[inline(always)]
pub fn parse<'a, H, P>(response: &Response<'a, H>) -> Limits<'a>
where
    H: IntoIterator<Item = P> + Clone,
    P: HeaderPair<'a>,
{
    parse_with_capacity(response)
}

/// Parses a response into [`Limits`] with capacities chosen by the caller: at most `W`
/// windows and `N` warnings.
#[inline(always)]
pub fn parse_with_capacity<'a, H, P, const W: usize, const N: usize>(
    response: &Response<'a, H>,
) -> Limits<'a, W, N>
where
    H: IntoIterator<Item = P> + Clone,
    P: HeaderPair<'a>,
{
    // `Limits` is kilobytes large: it is built once, here, and filled in place.
    let mut out = Limits::empty(response.status);
    fill(response, &mut out, true);
    out
}

/// Parses a response into `out`, storage the caller owns (and may reuse), instead
/// of returning a new [`Limits`]: what `out` held before is cleared, and nothing
/// kilobytes large is built or moved. The result is the one [`parse_with_capacity`]
/// returns.
///
/// ```
/// use ratelimit_governor::{parse, Limits, Response, UnixTime};
/// use ratelimit_governor::parse::parse_into;
///
/// let headers: &[(&str, &str)] = &[
///     ("RateLimit-Policy", r#""burst";q=100;w=60"#),
///     ("RateLimit", r#""burst";r=0;t=12"#),
/// ];
/// let response = Response::new(headers).status(429).now(UnixTime::from_secs(1_700_000_000));
/// let mut limits = Limits::new();
/// for _ in 0..2 {
///     parse_into(&response, &mut limits);
///     assert_eq!(limits, parse(&response));
/// }
/// ```
#[inline]
pub fn parse_into<'a, H, P, const W: usize, const N: usize>(
    response: &Response<'a, H>,
    out: &mut Limits<'a, W, N>,
) where
    H: IntoIterator<Item = P> + Clone,
    P: HeaderPair<'a>,
{
    out.reset(response.status);
    fill(response, out, true);
}

/// The fields each family reads: a family none of whose fields is present has
/// nothing to say, and is not run.
mod families {
    use super::fields::{Field, FieldSet};

    pub(super) const RETRY: FieldSet = FieldSet::of(&[Field::RetryAfter, Field::RetryAfterMs]);
    pub(super) const SIGNALS: FieldSet = FieldSet::of(&[
        Field::StripeShouldRetry,
        Field::XShouldRetry,
        Field::StripeReason,
        Field::RateLimitReason,
        Field::XrlGlobal,
        Field::XrlScope,
        Field::XrlNearLimit,
    ]);
    pub(super) const IETF: FieldSet = FieldSet::of(&[
        Field::RateLimit,
        Field::RateLimitPolicy,
        Field::RateLimitLimit,
        Field::RateLimitRemaining,
        Field::RateLimitReset,
        Field::RateLimitObserved,
        Field::RateLimitResetTime,
        Field::RateLimitName,
    ]);
    pub(super) const X_RATELIMIT: FieldSet =
        FieldSet::of(&[Field::XrlLimit, Field::XrlRemaining, Field::XrlUsed]);
    pub(super) const X_RATE_LIMIT: FieldSet =
        FieldSet::of(&[Field::XRateLimit, Field::XdLimit, Field::XdRemaining]);
    pub(super) const SHOPIFY: FieldSet = FieldSet::of(&[Field::ShopifyCallLimit]);
    pub(super) const HUBSPOT: FieldSet = FieldSet::of(&[
        Field::HubDaily,
        Field::HubDailyRemaining,
        Field::HubIntervalMs,
        Field::HubMax,
        Field::HubRemaining,
        Field::HubSecondly,
        Field::HubSecondlyRemaining,
    ]);
    pub(super) const SALESFORCE: FieldSet = FieldSet::of(&[Field::SforceLimitInfo]);
    pub(super) const TWITTER: FieldSet = FieldSet::of(&[
        Field::AppDayLimit,
        Field::AppDayRemaining,
        Field::UserDayLimit,
        Field::UserDayRemaining,
    ]);
}

/// [`parse()`] with the one-pass readers of the usual List shapes turned off: every
/// field goes through the general readers (for differential tests).
#[cfg(test)]
pub(crate) fn parse_general<'a, H, P, const W: usize, const N: usize>(
    response: &Response<'a, H>,
) -> Limits<'a, W, N>
where
    H: IntoIterator<Item = P> + Clone,
    P: HeaderPair<'a>,
{
    let mut out = Limits::empty(response.status);
    fill(response, &mut out, false);
    out
}

/// Fills `out`, which is empty, from `response`; `one_pass` lets the one-pass readers
/// of the usual List shapes run (always, outside tests).
fn fill<'a, H, P, const W: usize, const N: usize>(
    response: &Response<'a, H>,
    out: &mut Limits<'a, W, N>,
    one_pass: bool,
) where
    H: IntoIterator<Item = P> + Clone,
    P: HeaderPair<'a>,
{
    let mut fields = Fields::new(&response.headers);
    fields.index(&response.headers, out);
    let f = &fields;
    let mut ctx = Ctx::new(f, response, out);
    if !one_pass {
        general_readers_only(&mut ctx);
    }
    ctx.establish_reference_time();
    ctx.check_cached();

    if f.has_any(families::RETRY) {
        retry_after::parse(&mut ctx);
    }
    if f.has_any(families::SIGNALS) {
        signals::parse(&mut ctx);
    }

    if f.has_any(families::IETF) && !ctx.ignoring_ietf() {
        let mut policies = Policies::None;
        ietf_policy::parse(&mut ctx, &mut policies);
        ietf_named::parse(&mut ctx, &mut policies);
        if gitlab::detect(&ctx) {
            gitlab::parse(&mut ctx);
        } else if !kong::present(&ctx) {
            ietf_split::parse(&mut ctx, &mut policies);
        }
        ietf_policy::emit_unmatched(&mut ctx, &policies);
    }
    if f.has_any(families::X_RATELIMIT) {
        x_ratelimit::parse(&mut ctx);
    }
    if f.has_any(families::X_RATE_LIMIT) {
        x_rate_limit::parse(&mut ctx);
    }
    let openai_or_kong = f.has_family(BucketFamily::XRateLimit);
    if openai_or_kong || f.has_family(BucketFamily::Zendesk) {
        bucketed::parse(&mut ctx);
    }
    if openai_or_kong {
        kong::attach_summary(&mut ctx);
    }
    if f.has_family(BucketFamily::Anthropic) {
        anthropic::parse(&mut ctx);
    }
    if f.has_any(families::SHOPIFY) {
        shopify::parse(&mut ctx);
    }
    if f.has_any(families::HUBSPOT) {
        hubspot::parse(&mut ctx);
    }
    if f.has_any(families::SALESFORCE) {
        salesforce::parse(&mut ctx);
    }
    if f.has_any(families::TWITTER) {
        twitter::parse(&mut ctx);
    }
    body::parse(&mut ctx);

    ctx.finish();
}

#[cfg(test)]
fn general_readers_only<const W: usize, const N: usize>(ctx: &mut Ctx<'_, '_, W, N>) {
    ctx.general_readers_only();
}

#[cfg(not(test))]
#[inline(always)]
fn general_readers_only<const W: usize, const N: usize>(_: &mut Ctx<'_, '_, W, N>) {}
