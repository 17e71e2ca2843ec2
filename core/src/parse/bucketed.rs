//! Bucketed vendor fields, grouped by bucket name (`../shared/spec/headers.md`
//! section 5, T42-T45, T58, T62): OpenAI's `x-ratelimit-{limit,remaining,reset}-<bucket>`
//! (counts, Go-duration resets, Azure's `-1` = unknown), Kong's
//! `x-ratelimit-{limit,remaining}-<period>` ([`super::kong`]), and Zendesk's
//! `zendesk-ratelimit-<name>: total=100; remaining=99; resets=41`.

use core::time::Duration;

use super::ctx::Ctx;
use super::fields::{BucketFamily, Bucketed, Metric};
use super::kong;
use super::reset::{ResetKind, reset_value};
use super::singleton::{Conservative, MEMBER_CAPACITY, combine, count_value};
use crate::model::{Bounded, Problem, Source, Text, Unit, Window};
use crate::number::parse_decimal;

/// The distinct buckets of a family, in order of first appearance.
pub(crate) fn buckets<'a, const W: usize, const N: usize>(
    ctx: &Ctx<'a, '_, W, N>,
    family: BucketFamily,
) -> Bounded<&'a [u8], { super::fields::BUCKETED_CAPACITY }> {
    let mut out: Bounded<&'a [u8], { super::fields::BUCKETED_CAPACITY }> = Bounded::new();
    for b in ctx.fields.buckets().filter(|b| b.family == family) {
        if !out.iter().any(|seen| seen.eq_ignore_ascii_case(b.bucket)) {
            out.push(b.bucket);
        }
    }
    out
}

/// The lines of one bucket and metric.
pub(crate) fn lines<'a, const W: usize, const N: usize>(
    ctx: &Ctx<'a, '_, W, N>,
    family: BucketFamily,
    bucket: &[u8],
    metric: Metric,
) -> Bounded<Bucketed<'a>, MEMBER_CAPACITY> {
    let mut out = Bounded::new();
    for b in ctx.fields.buckets() {
        if b.family == family && b.metric == metric && b.bucket.eq_ignore_ascii_case(bucket) {
            out.push(*b);
        }
    }
    out
}

/// A count from every line of one bucket and metric, combined conservatively.
pub(crate) fn bucket_count<'a, const W: usize, const N: usize>(
    ctx: &mut Ctx<'a, '_, W, N>,
    family: BucketFamily,
    bucket: &[u8],
    metric: Metric,
) -> Option<u64> {
    let found = lines(ctx, family, bucket, metric);
    let mut values: Bounded<u64, MEMBER_CAPACITY> = Bounded::new();
    let mut name: &'a [u8] = b"";
    for line in found.iter() {
        name = line.name;
        if let Some(v) = count_value(ctx, line.name, line.value) {
            values.push(v);
        }
    }
    combine(ctx, name, values.iter().copied(), Conservative::Min)
}

/// A reset from every line of one bucket, combined conservatively.
pub(crate) fn bucket_reset<'a, const W: usize, const N: usize>(
    ctx: &mut Ctx<'a, '_, W, N>,
    family: BucketFamily,
    bucket: &[u8],
    kind: ResetKind,
) -> Option<Duration> {
    let found = lines(ctx, family, bucket, Metric::Reset);
    let mut values: Bounded<Duration, MEMBER_CAPACITY> = Bounded::new();
    let mut name: &'a [u8] = b"";
    for line in found.iter() {
        name = line.name;
        if let Some(v) = reset_value(ctx, line.name, line.value, kind) {
            values.push(v);
        }
    }
    combine(ctx, name, values.iter().copied(), Conservative::Max)
}

/// The bucket's name as text, or `None` (with a warning) when it is not UTF-8.
pub(crate) fn bucket_text<'a, const W: usize, const N: usize>(
    ctx: &mut Ctx<'a, '_, W, N>,
    family: BucketFamily,
    bucket: &'a [u8],
) -> Option<Text<'a>> {
    match core::str::from_utf8(bucket) {
        Ok(s) => Some(Text::plain(s)),
        Err(_) => {
            if let Some(line) = lines(ctx, family, bucket, Metric::Limit).get(0).copied() {
                ctx.warn_name(line.name, Problem::NotText);
            }
            None
        }
    }
}

pub(crate) fn parse<const W: usize, const N: usize>(ctx: &mut Ctx<'_, '_, W, N>) {
    parse_openai_and_kong(ctx);
    parse_zendesk(ctx);
}

fn first_name<'a, const W: usize, const N: usize>(
    ctx: &Ctx<'a, '_, W, N>,
    family: BucketFamily,
    bucket: &[u8],
) -> &'a [u8] {
    ctx.fields
        .buckets()
        .find(|b| b.family == family && b.bucket.eq_ignore_ascii_case(bucket))
        .map_or(b"", |b| b.name)
}

fn parse_openai_and_kong<const W: usize, const N: usize>(ctx: &mut Ctx<'_, '_, W, N>) {
    let family = BucketFamily::XRateLimit;
    for &bucket in buckets(ctx, family).iter() {
        let limit = bucket_count(ctx, family, bucket, Metric::Limit);
        let remaining = bucket_count(ctx, family, bucket, Metric::Remaining);
        let name = first_name(ctx, family, bucket);
        if let Some((period_name, length)) = kong::period(bucket) {
            let mut w = Window::new(Source::Kong);
            w.policy = Some(Text::plain(period_name));
            w.limit = limit;
            w.remaining = remaining;
            w.window = Some(length);
            if w.has_quota() {
                ctx.push(w, name);
            }
            continue;
        }
        let reset = bucket_reset(ctx, family, bucket, ResetKind::Delta);
        let mut w = Window::new(Source::OpenAi);
        w.policy = bucket_text(ctx, family, bucket);
        w.unit = if contains_ci(bucket, b"token") {
            Unit::Tokens
        } else {
            Unit::Requests
        };
        w.limit = limit;
        w.remaining = remaining;
        w.reset = reset;
        if w.has_quota() {
            ctx.push(w, name);
        }
    }
}

pub(crate) fn contains_ci(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

fn parse_zendesk<const W: usize, const N: usize>(ctx: &mut Ctx<'_, '_, W, N>) {
    let family = BucketFamily::Zendesk;
    for &bucket in buckets(ctx, family).iter() {
        let found = lines(ctx, family, bucket, Metric::Combined);
        let Some(line) = found.get(0).copied() else {
            continue;
        };
        let mut w = Window::new(Source::Zendesk);
        w.policy = bucket_text(ctx, family, bucket);
        for pair in line.value.split(|&b| b == b';' || b == b',') {
            let Some(eq) = pair.iter().position(|&b| b == b'=') else {
                continue;
            };
            let key = pair.get(..eq).unwrap_or_default().trim_ascii();
            let value = pair.get(eq.saturating_add(1)..).unwrap_or_default();
            if key.eq_ignore_ascii_case(b"total") {
                w.limit = count_value(ctx, line.name, value);
            } else if key.eq_ignore_ascii_case(b"remaining") {
                w.remaining = count_value(ctx, line.name, value);
            } else if key.eq_ignore_ascii_case(b"resets") {
                match parse_decimal(value) {
                    Ok(d) => w.reset = Some(d.as_seconds()),
                    Err(e) => ctx.warn_name(line.name, Problem::InvalidNumber(e)),
                }
            }
        }
        if w.has_quota() {
            ctx.push(w, line.name);
        } else {
            ctx.warn_name(line.name, Problem::UnrecognizedValue);
        }
    }
}
