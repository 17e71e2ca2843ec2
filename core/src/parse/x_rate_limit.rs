//! `X-Rate-Limit-*` with a dash (Okta, X/Twitter, prisjakt: epoch or delta by
//! magnitude), and bare `X-Rate-Limit`, which is Zendesk's account limit when it is a
//! number and Apple App Store Connect's `user-hour-lim:3600;user-hour-rem:3598;`
//! otherwise (`../shared/spec/headers.md` section 5, T54, T57, T58, T68, T69).

use core::time::Duration;

use super::ctx::Ctx;
use super::fields::Field;
use super::reset::{ResetKind, reset_members};
use super::singleton::{count, count_value, members};
use crate::model::{Bounded, Problem, Source, Text, Window};

pub(crate) fn parse<const W: usize, const N: usize>(ctx: &mut Ctx<'_, '_, W, N>) {
    let mut remaining_used = false;
    if let Some(value) = ctx.fields.first(Field::XRateLimit) {
        if value.contains(&b':') {
            apple(ctx);
        } else {
            let mut w = Window::new(Source::Zendesk);
            w.limit = count(ctx, Field::XRateLimit);
            w.remaining = count(ctx, Field::XdRemaining);
            remaining_used = true;
            let name = ctx.fields.name(Field::XRateLimit);
            if w.has_quota() {
                ctx.push(w, name);
            }
        }
    }
    let f = ctx.fields;
    if remaining_used || !(f.has(Field::XdLimit) || f.has(Field::XdRemaining)) {
        return;
    }
    let mut w = Window::new(Source::XRateLimitDashed);
    w.limit = count(ctx, Field::XdLimit);
    w.remaining = count(ctx, Field::XdRemaining);
    let name = ctx.fields.name(Field::XdReset);
    let list = members(ctx, Field::XdReset);
    w.reset = reset_members(ctx, name, &list, ResetKind::Auto);
    let name = ctx.fields.name(Field::XdLimit);
    if w.has_quota() {
        ctx.push(w, name);
    }
}

const APPLE_CAPACITY: usize = 8;

fn period_of(name: &[u8]) -> Option<Duration> {
    let secs = if contains(name, b"second") {
        1
    } else if contains(name, b"minute") {
        60
    } else if contains(name, b"hour") {
        3600
    } else if contains(name, b"day") {
        86_400
    } else {
        return None;
    };
    Some(Duration::from_secs(secs))
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

/// `user-hour-lim:3600;user-hour-rem:3598;` (lines may be comma-joined).
fn apple<'a, const W: usize, const N: usize>(ctx: &mut Ctx<'a, '_, W, N>) {
    let header = ctx.fields.name(Field::XRateLimit);
    let mut windows: Bounded<Window<'a>, APPLE_CAPACITY> = Bounded::new();
    let mut pairs: Bounded<(&'a [u8], &'a [u8]), { APPLE_CAPACITY * 2 }> = Bounded::new();
    ctx.fields.each_line(Field::XRateLimit, &mut |line| {
        for pair in line.split(|&b| b == b';' || b == b',') {
            let pair = pair.trim_ascii();
            if let Some(colon) = pair.iter().position(|&b| b == b':') {
                let key = pair.get(..colon).unwrap_or_default().trim_ascii();
                let value = pair.get(colon.saturating_add(1)..).unwrap_or_default();
                pairs.push((key, value));
            }
        }
    });
    if pairs.overflowed() > 0 {
        ctx.warn(Field::XRateLimit, Problem::FieldCapacityExceeded);
    }
    for &(key, value) in pairs.iter() {
        let (stem, is_limit) = if let Some(s) = key.strip_suffix(b"-lim") {
            (s, true)
        } else if let Some(s) = key.strip_suffix(b"-rem") {
            (s, false)
        } else {
            ctx.warn(Field::XRateLimit, Problem::UnrecognizedValue);
            continue;
        };
        let Ok(stem_text) = core::str::from_utf8(stem) else {
            ctx.warn(Field::XRateLimit, Problem::NotText);
            continue;
        };
        let amount = count_value(ctx, header, value);
        let existing = windows
            .iter_mut()
            .find(|w| w.policy.is_some_and(|p| p.raw() == stem_text));
        let w = match existing {
            Some(w) => w,
            None => {
                let mut w = Window::new(Source::Apple);
                w.policy = Some(Text::plain(stem_text));
                w.window = period_of(stem);
                if !windows.push(w) {
                    continue;
                }
                match windows.iter_mut().last() {
                    Some(w) => w,
                    None => continue,
                }
            }
        };
        if is_limit {
            w.limit = amount;
        } else {
            w.remaining = amount;
        }
    }
    for w in windows.iter() {
        ctx.push(*w, header);
    }
}
