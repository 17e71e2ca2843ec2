//! GitLab's `RateLimit-*` fields (`../shared/spec/headers.md` section 5, A1, T56):
//! IETF names, but `RateLimit-Reset` is an epoch, `RateLimit-Observed` counts used
//! requests, `RateLimit-Name` names the throttle and `RateLimit-ResetTime` is an
//! HTTP-date. Recognised by `RateLimit-Observed`, `-ResetTime` or `-Name`; the limit is
//! per minute.

use core::time::Duration;

use super::ctx::Ctx;
use super::fields::Field;
use super::reset::{ResetKind, reset_members};
use super::singleton::{count, members};
use crate::model::{Problem, Source, Text, Window};
use crate::time::parse_lenient_date;

/// True when GitLab's own fields are present.
pub(crate) fn detect<const W: usize, const N: usize>(ctx: &Ctx<'_, '_, W, N>) -> bool {
    ctx.fields.has(Field::RateLimitObserved)
        || ctx.fields.has(Field::RateLimitResetTime)
        || ctx.fields.has(Field::RateLimitName)
}

/// Parses GitLab's fields into one window.
pub(crate) fn parse<'a, const W: usize, const N: usize>(ctx: &mut Ctx<'a, '_, W, N>) {
    let mut w = Window::new(Source::GitLab);
    w.limit = count(ctx, Field::RateLimitLimit);
    w.remaining = count(ctx, Field::RateLimitRemaining);
    w.used = count(ctx, Field::RateLimitObserved);
    w.window = Some(Duration::from_secs(60));
    let reset_name = ctx.fields.name(Field::RateLimitReset);
    let list = members(ctx, Field::RateLimitReset);
    w.reset = reset_members(ctx, reset_name, &list, ResetKind::Auto);
    if w.reset.is_none() {
        if let Some(value) = ctx.fields.first(Field::RateLimitResetTime) {
            let century = ctx.century_reference();
            let name = ctx.fields.name(Field::RateLimitResetTime);
            match parse_lenient_date(value, century) {
                Some(at) => w.reset = ctx.until(at, name),
                None => ctx.warn(Field::RateLimitResetTime, Problem::InvalidDate),
            }
        }
    }
    if let Some(value) = ctx.fields.first(Field::RateLimitName) {
        match core::str::from_utf8(value.trim_ascii()) {
            Ok(s) if !s.is_empty() => w.policy = Some(Text::plain(s)),
            Ok(_) => {}
            Err(_) => ctx.warn(Field::RateLimitName, Problem::NotText),
        }
    }
    let name = ctx.fields.name(Field::RateLimitLimit);
    ctx.push(w, name);
}
