//! HubSpot's `X-HubSpot-RateLimit-*` (`../shared/spec/headers.md` section 5, A2, T59):
//! a burst window of `-Max` per `-Interval-Milliseconds` (milliseconds by name), a
//! per-second window and a daily window. HubSpot sends no reset.

use core::time::Duration;

use super::ctx::Ctx;
use super::fields::Field;
use super::singleton::count;
use crate::model::{Source, Text, Window};

pub(crate) fn parse<const W: usize, const N: usize>(ctx: &mut Ctx<'_, '_, W, N>) {
    let interval = count(ctx, Field::HubIntervalMs).map(Duration::from_millis);
    let windows = [
        ("burst", Field::HubMax, Field::HubRemaining, interval),
        (
            "secondly",
            Field::HubSecondly,
            Field::HubSecondlyRemaining,
            Some(Duration::from_secs(1)),
        ),
        (
            "daily",
            Field::HubDaily,
            Field::HubDailyRemaining,
            Some(Duration::from_secs(86_400)),
        ),
    ];
    for (policy, limit, remaining, length) in windows {
        if !(ctx.fields.has(limit) || ctx.fields.has(remaining)) {
            continue;
        }
        let mut w = Window::new(Source::HubSpot);
        w.policy = Some(Text::plain(policy));
        w.limit = count(ctx, limit);
        w.remaining = count(ctx, remaining);
        w.window = length;
        let name = ctx.fields.name(limit);
        if w.has_quota() {
            ctx.push(w, name);
        }
    }
}
