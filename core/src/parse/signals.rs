//! Header signals that are neither windows nor delays: `Stripe-Should-Retry`,
//! `x-should-retry`, `Stripe-Rate-Limited-Reason`, `RateLimit-Reason`, Discord's
//! `X-RateLimit-Global` / `-Scope`, Atlassian's `X-RateLimit-NearLimit`
//! (`../shared/spec/headers.md` section 5, T51, T64, T66).

use super::ctx::Ctx;
use super::fields::Field;
use crate::model::Problem;

fn boolean(value: &[u8]) -> Option<bool> {
    let v = value.trim_ascii();
    if v.eq_ignore_ascii_case(b"true") || v == b"1" || v == b"?1" {
        Some(true)
    } else if v.eq_ignore_ascii_case(b"false") || v == b"0" || v == b"?0" {
        Some(false)
    } else {
        None
    }
}

fn read_bool<const W: usize, const N: usize>(
    ctx: &mut Ctx<'_, '_, W, N>,
    field: Field,
) -> Option<bool> {
    let value = ctx.fields.first(field)?;
    let parsed = boolean(value);
    if parsed.is_none() {
        ctx.warn(field, Problem::UnrecognizedValue);
    }
    parsed
}

fn read_text<'a, const W: usize, const N: usize>(
    ctx: &mut Ctx<'a, '_, W, N>,
    field: Field,
) -> Option<&'a str> {
    let value = ctx.fields.first(field)?;
    match core::str::from_utf8(value.trim_ascii()) {
        Ok(s) if !s.is_empty() => Some(s),
        Ok(_) => None,
        Err(_) => {
            ctx.warn(field, Problem::NotText);
            None
        }
    }
}

pub(crate) fn parse<const W: usize, const N: usize>(ctx: &mut Ctx<'_, '_, W, N>) {
    // Stripe's verdict wins over OpenAI's when both are present.
    let stripe = read_bool(ctx, Field::StripeShouldRetry);
    let openai = read_bool(ctx, Field::XShouldRetry);
    ctx.out.signals.should_retry = stripe.or(openai);
    ctx.out.signals.reason =
        read_text(ctx, Field::StripeReason).or(read_text(ctx, Field::RateLimitReason));
    ctx.out.signals.global = read_bool(ctx, Field::XrlGlobal).unwrap_or(false);
    ctx.out.signals.scope = read_text(ctx, Field::XrlScope);
    ctx.out.signals.near_limit = read_bool(ctx, Field::XrlNearLimit);
}
