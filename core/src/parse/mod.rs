//! From header bytes to [`Limits`]: one module per header family, each turning the
//! fields it owns into windows, hints and warnings (`../shared/spec/headers.md`).
//!
//! [`parse()`] walks the headers once to index the fields it knows, then
//! lets every family read its fields; a family that needs every line of a repeated
//! field walks the headers again for that field only. Nothing allocates.

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
use fields::Fields;

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
pub fn parse<'a, H, P>(response: &Response<'a, H>) -> Limits<'a>
where
    H: IntoIterator<Item = P> + Clone,
    P: HeaderPair<'a>,
{
    parse_with_capacity(response)
}

/// Parses a response into [`Limits`] with capacities chosen by the caller: at most `W`
/// windows and `N` warnings.
pub fn parse_with_capacity<'a, H, P, const W: usize, const N: usize>(
    response: &Response<'a, H>,
) -> Limits<'a, W, N>
where
    H: IntoIterator<Item = P> + Clone,
    P: HeaderPair<'a>,
{
    let mut out = Limits::empty(response.status);
    let fields = Fields::index(&response.headers, &mut out);
    let mut ctx = Ctx::new(&fields, response, out);
    ctx.establish_reference_time();
    ctx.check_cached();

    retry_after::parse(&mut ctx);
    signals::parse(&mut ctx);

    if !ctx.ignoring_ietf() {
        let mut policies = ietf_policy::parse(&mut ctx);
        ietf_named::parse(&mut ctx, &mut policies);
        if gitlab::detect(&ctx) {
            gitlab::parse(&mut ctx);
        } else if !kong::present(&ctx) {
            ietf_split::parse(&mut ctx, &mut policies);
        }
        ietf_policy::emit_unmatched(&mut ctx, &policies);
    }
    x_ratelimit::parse(&mut ctx);
    x_rate_limit::parse(&mut ctx);
    bucketed::parse(&mut ctx);
    kong::attach_summary(&mut ctx);
    anthropic::parse(&mut ctx);
    shopify::parse(&mut ctx);
    hubspot::parse(&mut ctx);
    salesforce::parse(&mut ctx);
    twitter::parse(&mut ctx);
    body::parse(&mut ctx);

    ctx.finish()
}
