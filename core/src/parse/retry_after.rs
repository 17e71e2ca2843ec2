//! `Retry-After` (RFC 9110 section 10.2.3) and `retry-after-ms`
//! (`../shared/spec/headers.md` section 2, T28-T37).
//!
//! delay-seconds or any of the three HTTP-date forms, dates measured from the
//! reference time (`Date` when present). Decimal seconds (`1.5`, Shopify's `2.0`)
//! are accepted leniently with a warning. Repeated or comma-joined values that
//! disagree give the largest delay and a warning. `retry-after-ms` takes precedence.

use core::time::Duration;

use super::ctx::Ctx;
use super::fields::Field;
use super::singleton::{Conservative, MEMBER_CAPACITY, combine, members};
use crate::model::{Bounded, HintSource, Problem, RetryHint};
use crate::number::{NumberError, parse_decimal};
use crate::time::{UnixTime, parse_http_date};

pub(crate) fn parse<const W: usize, const N: usize>(ctx: &mut Ctx<'_, '_, W, N>) {
    if let Some(delay) = retry_after_ms(ctx) {
        ctx.out.retry = Some(RetryHint {
            delay,
            source: HintSource::RetryAfterMs,
        });
        return;
    }
    if let Some((delay, source)) = retry_after(ctx) {
        ctx.out.retry = Some(RetryHint { delay, source });
    }
}

fn retry_after_ms<const W: usize, const N: usize>(ctx: &mut Ctx<'_, '_, W, N>) -> Option<Duration> {
    if !ctx.fields.has(Field::RetryAfterMs) {
        return None;
    }
    let name = ctx.fields.name(Field::RetryAfterMs);
    let list = members(ctx, Field::RetryAfterMs);
    let mut values: Bounded<Duration, MEMBER_CAPACITY> = Bounded::new();
    for &m in list.iter() {
        match parse_decimal(m) {
            Ok(d) => {
                values.push(d.as_millis_duration());
            }
            Err(e) => ctx.warn_name(name, Problem::InvalidNumber(e)),
        }
    }
    combine(ctx, name, values.iter().copied(), Conservative::Max)
}

fn retry_after<'a, const W: usize, const N: usize>(
    ctx: &mut Ctx<'a, '_, W, N>,
) -> Option<(Duration, HintSource)> {
    if !ctx.fields.has(Field::RetryAfter) {
        return None;
    }
    let name = ctx.fields.name(Field::RetryAfter);
    let century = ctx.century_reference();
    // The usual case: one line, one member (no comma to split at).
    if ctx.fields.line_count(Field::RetryAfter) == 1 {
        if let Some(value) = ctx.fields.first(Field::RetryAfter) {
            // The most usual: a few plain digits (what `retry_member` reads first).
            if let Some(secs) = plain_seconds(value) {
                return Some((Duration::from_secs(secs), HintSource::RetryAfterSeconds));
            }
            if !value.contains(&b',') {
                let m = value.trim_ascii();
                if m.is_empty() {
                    return None;
                }
                return retry_member(ctx, name, m, century);
            }
        }
    }
    let list = members(ctx, Field::RetryAfter);
    let mut values: Bounded<(Duration, HintSource), MEMBER_CAPACITY> = Bounded::new();
    for &m in list.iter() {
        if let Some(v) = retry_member(ctx, name, m, century) {
            values.push(v);
        }
    }
    combine(ctx, name, values.iter().copied(), Conservative::Max)
}

/// The value of 1 to 18 ASCII digits (no overflow), read in one pass; `None` for
/// anything else.
#[inline(always)]
fn plain_seconds(m: &[u8]) -> Option<u64> {
    if m.is_empty() || m.len() > 18 {
        return None;
    }
    let mut secs = 0u64;
    for &b in m {
        let digit = b.wrapping_sub(b'0');
        if digit > 9 {
            return None;
        }
        secs = secs.wrapping_mul(10).wrapping_add(u64::from(digit));
    }
    Some(secs)
}

/// One (trimmed, non-empty) member of `Retry-After`.
fn retry_member<'a, const W: usize, const N: usize>(
    ctx: &mut Ctx<'a, '_, W, N>,
    name: &'a [u8],
    m: &'a [u8],
    century: UnixTime,
) -> Option<(Duration, HintSource)> {
    // The usual form, a few plain digits (at most 18: no overflow), needs neither
    // the date parser nor the decimal reader; the result is the same.
    if let Some(secs) = plain_seconds(m) {
        return Some((Duration::from_secs(secs), HintSource::RetryAfterSeconds));
    }
    // Every HTTP-date form starts with a day name, so delay-seconds (the usual
    // form) skip the date parser.
    if !m.first().is_some_and(u8::is_ascii_digit) {
        if let Some(at) = parse_http_date(m, century) {
            return ctx
                .until(at, name)
                .map(|delay| (delay, HintSource::RetryAfterDate));
        }
    }
    match parse_decimal(m) {
        Ok(d) => {
            if !d.is_whole() || m.contains(&b'.') {
                ctx.warn_name(name, Problem::LenientRetryAfter);
            }
            Some((d.as_seconds(), HintSource::RetryAfterSeconds))
        }
        Err(NumberError::NotANumber) if m.first().is_some_and(u8::is_ascii_alphabetic) => {
            ctx.warn_name(name, Problem::InvalidDate);
            None
        }
        Err(e) => {
            ctx.warn_name(name, Problem::InvalidNumber(e));
            None
        }
    }
}
