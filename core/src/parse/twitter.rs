//! X/Twitter v2's 24-hour families `x-app-limit-24hour-{limit,remaining,reset}` and
//! `x-user-limit-24hour-{...}` (epoch resets; `../shared/spec/headers.md` section 5).

use core::time::Duration;

use super::ctx::Ctx;
use super::fields::Field;
use super::reset::{ResetKind, reset_members};
use super::singleton::{count, members};
use crate::model::{Source, Text, Window};

pub(crate) fn parse<const W: usize, const N: usize>(ctx: &mut Ctx<'_, '_, W, N>) {
    for (policy, limit, remaining, reset) in [
        (
            "app-24hour",
            Field::AppDayLimit,
            Field::AppDayRemaining,
            Field::AppDayReset,
        ),
        (
            "user-24hour",
            Field::UserDayLimit,
            Field::UserDayRemaining,
            Field::UserDayReset,
        ),
    ] {
        if !(ctx.fields.has(limit) || ctx.fields.has(remaining)) {
            continue;
        }
        let mut w = Window::new(Source::Twitter);
        w.policy = Some(Text::plain(policy));
        w.window = Some(Duration::from_secs(86_400));
        w.limit = count(ctx, limit);
        w.remaining = count(ctx, remaining);
        let name = ctx.fields.name(reset);
        let list = members(ctx, reset);
        w.reset = reset_members(ctx, name, &list, ResetKind::Auto);
        let name = ctx.fields.name(limit);
        if w.has_quota() {
            ctx.push(w, name);
        }
    }
}
