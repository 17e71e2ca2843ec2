//! Shopify REST's `X-Shopify-Shop-Api-Call-Limit: 32/40` (used/bucket size of a leaky
//! bucket; `../shared/spec/headers.md` section 5, T52). The GraphQL cost in the body
//! is read by [`super::body`].

use super::ctx::Ctx;
use super::fields::Field;
use crate::model::{Problem, Source, Window};
use crate::number::parse_u64;

/// Splits `used/limit`.
pub(crate) fn used_of_limit(value: &[u8]) -> Option<(u64, u64)> {
    let slash = value.iter().position(|&b| b == b'/')?;
    let used = parse_u64(value.get(..slash)?).ok()?;
    let limit = parse_u64(value.get(slash.saturating_add(1)..)?).ok()?;
    Some((used, limit))
}

pub(crate) fn parse<const W: usize, const N: usize>(ctx: &mut Ctx<'_, '_, W, N>) {
    let Some(value) = ctx.fields.first(Field::ShopifyCallLimit) else {
        return;
    };
    let name = ctx.fields.name(Field::ShopifyCallLimit);
    match used_of_limit(value) {
        Some((used, limit)) => {
            let mut w = Window::new(Source::Shopify);
            w.used = Some(used);
            w.limit = Some(limit);
            w.remaining = Some(limit.saturating_sub(used));
            ctx.push(w, name);
        }
        None => ctx.warn(Field::ShopifyCallLimit, Problem::UnrecognizedValue),
    }
}
