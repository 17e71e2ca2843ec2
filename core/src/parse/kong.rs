//! Kong's rate-limiting plugin (`../shared/spec/headers.md` section 5, T62): one
//! window per period (`X-RateLimit-Limit-Minute` ...), plus `RateLimit-Limit`,
//! `-Remaining`, `-Reset` summarising the most restrictive one (lowest remaining,
//! ties to the larger window). The summary's reset is attached to the period window
//! it describes instead of being reported as a window of its own.

use core::time::Duration;

use super::ctx::Ctx;
use super::fields::{BucketFamily, Field};
use crate::model::{Problem, Source, Window};
use crate::sf;

const PERIODS: [(&str, u64); 6] = [
    ("second", 1),
    ("minute", 60),
    ("hour", 3600),
    ("day", 86_400),
    ("month", 2_592_000),
    ("year", 31_536_000),
];

/// The Kong period a bucket names, with its length.
pub(crate) fn period(bucket: &[u8]) -> Option<(&'static str, Duration)> {
    PERIODS
        .iter()
        .find(|(name, _)| bucket.eq_ignore_ascii_case(name.as_bytes()))
        .map(|&(name, secs)| (name, Duration::from_secs(secs)))
}

/// True when the response carries Kong's per-period fields.
pub(crate) fn present<const W: usize, const N: usize>(ctx: &Ctx<'_, '_, W, N>) -> bool {
    ctx.fields
        .buckets()
        .any(|b| b.family == BucketFamily::XRateLimit && period(b.bucket).is_some())
}

fn integer<const W: usize, const N: usize>(
    ctx: &mut Ctx<'_, '_, W, N>,
    field: Field,
) -> Option<u64> {
    let value = ctx.fields.first(field)?;
    match sf::parse_item(value).map(|i| i.bare) {
        Ok(sf::BareItem::Integer(v)) if v >= 0 => u64::try_from(v).ok(),
        _ => {
            ctx.warn(field, Problem::UnrecognizedValue);
            None
        }
    }
}

/// Attaches the `RateLimit-*` summary to the Kong window it describes.
pub(crate) fn attach_summary<const W: usize, const N: usize>(ctx: &mut Ctx<'_, '_, W, N>) {
    if !present(ctx) || ctx.ignoring_ietf() {
        return;
    }
    let limit = integer(ctx, Field::RateLimitLimit);
    let remaining = integer(ctx, Field::RateLimitRemaining);
    let reset = integer(ctx, Field::RateLimitReset).map(Duration::from_secs);
    if limit.is_none() && remaining.is_none() && reset.is_none() {
        return;
    }
    let target = ctx
        .out
        .windows_mut()
        .iter_mut()
        .filter(|w| w.source == Source::Kong && w.limit == limit && w.remaining == remaining)
        .max_by_key(|w| w.window);
    match target {
        Some(w) => w.reset = reset,
        None => {
            let mut w = Window::new(Source::Kong);
            w.limit = limit;
            w.remaining = remaining;
            w.reset = reset;
            let name = ctx.fields.name(Field::RateLimitLimit);
            ctx.push(w, name);
        }
    }
}
