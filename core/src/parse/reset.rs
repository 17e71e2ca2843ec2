//! Vendor reset values: epoch or delta, seconds or milliseconds, number, duration or
//! date (`../shared/spec/headers.md` section 6 A1, A2, A16).
//!
//! The header family decides when it can ([`ResetKind::Delta`], [`ResetKind::Epoch`]);
//! otherwise ([`ResetKind::Auto`]) a number is an epoch in seconds when it is at least
//! 1e9 and within a year of the reference time, an epoch in milliseconds when it is at
//! least 1e12 and within a year, and delta seconds otherwise. Epochs are measured from
//! the reference time (the server's `Date` when present), which cancels clock skew.

use core::time::Duration;

use super::ctx::Ctx;
use super::singleton::{Conservative, combine};
use crate::model::{Bounded, Problem};
use crate::number::{Decimal, NumberError, parse_decimal};
use crate::time::{UnixTime, parse_go_duration, parse_lenient_date};

/// How a family's reset numbers are to be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ResetKind {
    /// Seconds from now.
    Delta,
    /// Unix seconds (decimals allowed).
    Epoch,
    /// Decide by magnitude (A1).
    Auto,
}

const YEAR_MS: i64 = 366 * 24 * 3600 * 1000;

fn epoch_of(d: Decimal) -> UnixTime {
    let secs = i64::try_from(d.whole).unwrap_or(i64::MAX);
    UnixTime::from_secs_nanos(secs, d.nanos)
}

fn near(reference: UnixTime, t: UnixTime) -> bool {
    t.millis_since(reference).saturating_abs() <= YEAR_MS
}

/// Reads one reset value; `None` (with a warning) when it cannot be read.
pub(crate) fn reset_value<'a, const W: usize, const N: usize>(
    ctx: &mut Ctx<'a, '_, W, N>,
    name: &'a [u8],
    value: &'a [u8],
    kind: ResetKind,
) -> Option<Duration> {
    let trimmed = value.trim_ascii();
    match parse_decimal(trimmed) {
        Ok(d) => return numeric_reset(ctx, name, d, kind),
        Err(NumberError::Negative) => {
            let problem = if trimmed == b"-1" {
                Problem::UnknownSentinel
            } else {
                Problem::InvalidNumber(NumberError::Negative)
            };
            ctx.warn_name(name, problem);
            return None;
        }
        Err(NumberError::Overflow) => {
            ctx.warn_name(name, Problem::InvalidNumber(NumberError::Overflow));
            return None;
        }
        Err(_) => {}
    }
    if let Some(d) = parse_go_duration(trimmed) {
        return Some(d);
    }
    let reference = ctx.century_reference();
    match parse_lenient_date(trimmed, reference) {
        Some(at) => ctx.until(at, name),
        None => {
            ctx.warn_name(name, Problem::InvalidDate);
            None
        }
    }
}

fn numeric_reset<'a, const W: usize, const N: usize>(
    ctx: &mut Ctx<'a, '_, W, N>,
    name: &'a [u8],
    d: Decimal,
    kind: ResetKind,
) -> Option<Duration> {
    match kind {
        ResetKind::Delta => Some(d.as_seconds()),
        ResetKind::Epoch => ctx.until(epoch_of(d), name),
        ResetKind::Auto => {
            if d.whole < 1_000_000_000 {
                return Some(d.as_seconds());
            }
            let Some(reference) = ctx.out.reference_time() else {
                ctx.warn_name(name, Problem::NoReferenceTime);
                return None;
            };
            let as_secs = epoch_of(d);
            if near(reference, as_secs) {
                return ctx.until(as_secs, name);
            }
            let as_millis = UnixTime::from_millis(i64::try_from(d.whole).unwrap_or(i64::MAX));
            if d.whole >= 1_000_000_000_000 && near(reference, as_millis) {
                return ctx.until(as_millis, name);
            }
            Some(d.as_seconds())
        }
    }
}

/// Reads every member of a reset field and keeps the latest (A3).
pub(crate) fn reset_members<'a, const W: usize, const N: usize>(
    ctx: &mut Ctx<'a, '_, W, N>,
    name: &'a [u8],
    members: &Bounded<&'a [u8], { super::singleton::MEMBER_CAPACITY }>,
    kind: ResetKind,
) -> Option<Duration> {
    let mut values: Bounded<Duration, { super::singleton::MEMBER_CAPACITY }> = Bounded::new();
    for &m in members.iter() {
        if let Some(v) = reset_value(ctx, name, m, kind) {
            values.push(v);
        }
    }
    combine(ctx, name, values.iter().copied(), Conservative::Max)
}
