//! Salesforce's `Sforce-Limit-Info: api-usage=10018/100000; api-bursts=1/750`
//! (`../shared/spec/headers.md` section 5, T60): `name=used/limit` pairs, the older
//! `per-app-api-usage=17/250(appName=...)` included. `api-usage` is a rolling day.

use core::time::Duration;

use super::ctx::Ctx;
use super::fields::Field;
use super::shopify::used_of_limit;
use crate::model::{Problem, Source, Text, Window};

pub(crate) fn parse<'a, const W: usize, const N: usize>(ctx: &mut Ctx<'a, '_, W, N>) {
    let Some(value) = ctx.fields.first(Field::SforceLimitInfo) else {
        return;
    };
    let name = ctx.fields.name(Field::SforceLimitInfo);
    for pair in value.split(|&b| b == b';') {
        let pair = pair.trim_ascii();
        if pair.is_empty() {
            continue;
        }
        let Some(eq) = pair.iter().position(|&b| b == b'=') else {
            ctx.warn(Field::SforceLimitInfo, Problem::UnrecognizedValue);
            continue;
        };
        let key = pair.get(..eq).unwrap_or_default().trim_ascii();
        let mut rest = pair.get(eq.saturating_add(1)..).unwrap_or_default();
        if let Some(paren) = rest.iter().position(|&b| b == b'(') {
            rest = rest.get(..paren).unwrap_or_default();
        }
        let (Ok(key_text), Some((used, limit))) = (core::str::from_utf8(key), used_of_limit(rest))
        else {
            ctx.warn(Field::SforceLimitInfo, Problem::UnrecognizedValue);
            continue;
        };
        let mut w = Window::new(Source::Salesforce);
        w.policy = Some(Text::plain(key_text));
        w.used = Some(used);
        w.limit = Some(limit);
        w.remaining = Some(limit.saturating_sub(used));
        if key_text == "api-usage" {
            w.window = Some(Duration::from_secs(86_400));
        }
        ctx.push(w, name);
    }
}
