//! Legacy `X-RateLimit-*` and the vendors that share its names
//! (`../shared/spec/headers.md` sections 5 and 6 A1, A3, A6, A7; T38-T41, T48-T51,
//! T55, T63, T66, T70-T72):
//!
//! - GitHub (`-Used`, `-Resource`; epoch reset; 403 limits),
//! - Discord (`-Bucket`, float epoch `-Reset`, `-Reset-After` preferred),
//! - Reddit (`-Used` without `-Limit`: limit = used + remaining; delta reset),
//! - Envoy (`x-ratelimit-limit` in draft-03 list form; delta reset),
//! - everyone else (epoch or delta decided by magnitude against the reference time;
//!   dates such as Atlassian's minute-precision ISO reset).

use core::time::Duration;

use super::ctx::Ctx;
use super::fields::Field;
use super::ietf_policy::{
    POLICY_CAPACITY, ValuedPolicy, each_list_member, string_text, valued_item,
};
use super::reset::{ResetKind, reset_members};
use super::singleton::{count, members};
use crate::model::{Bounded, Problem, Source, Text, Window};
use crate::number::parse_decimal;
use crate::sf::{BareItem, Member};

pub(crate) fn parse<const W: usize, const N: usize>(ctx: &mut Ctx<'_, '_, W, N>) {
    let f = ctx.fields;
    if !(f.has(Field::XrlLimit) || f.has(Field::XrlRemaining) || f.has(Field::XrlUsed)) {
        return;
    }
    if f.first(Field::XrlLimit).is_some_and(is_list_form) {
        envoy(ctx);
        return;
    }
    let discord = f.has(Field::XrlBucket) || f.has(Field::XrlResetAfter) || f.has(Field::XrlScope);
    let has_used = f.has(Field::XrlUsed);
    let github = !discord && (f.has(Field::XrlResource) || (has_used && f.has(Field::XrlLimit)));
    let reddit = !discord && !github && has_used;
    let (source, kind) = if discord {
        (Source::Discord, ResetKind::Epoch)
    } else if github {
        (Source::GitHub, ResetKind::Epoch)
    } else if reddit {
        (Source::Reddit, ResetKind::Delta)
    } else {
        (Source::XRateLimit, ResetKind::Auto)
    };

    let mut w = Window::new(source);
    w.limit = count(ctx, Field::XrlLimit);
    w.remaining = count(ctx, Field::XrlRemaining);
    w.used = count(ctx, Field::XrlUsed);
    if w.limit.is_none() {
        if let (Some(u), Some(r)) = (w.used, w.remaining) {
            w.limit = Some(u.saturating_add(r));
        }
    }
    w.reset = reset_after(ctx);
    if w.reset.is_none() {
        let name = ctx.fields.name(Field::XrlReset);
        let list = members(ctx, Field::XrlReset);
        // An epoch-vendor reset far from the reference time is not an epoch after all.
        let kind = if kind == ResetKind::Epoch && !looks_like_epoch(&list) {
            ResetKind::Auto
        } else {
            kind
        };
        w.reset = reset_members(ctx, name, &list, kind);
    }
    let name_field = if discord {
        Field::XrlBucket
    } else {
        Field::XrlResource
    };
    if let Some(value) = ctx.fields.first(name_field) {
        match core::str::from_utf8(value.trim_ascii()) {
            Ok(s) if !s.is_empty() => w.policy = Some(Text::plain(s)),
            Ok(_) => {}
            Err(_) => ctx.warn(name_field, Problem::NotText),
        }
    }
    if github {
        w.window = w.policy.and_then(|p| github_window(p.raw()));
    }
    let name = ctx.fields.name(Field::XrlLimit);
    if w.has_quota() {
        ctx.push(w, name);
    }
}

fn looks_like_epoch(list: &Bounded<&[u8], { super::singleton::MEMBER_CAPACITY }>) -> bool {
    list.iter()
        .all(|m| parse_decimal(m).map_or(true, |d| d.whole >= 1_000_000_000))
}

/// GitHub's documented windows: hourly core/GraphQL quotas, per-minute search.
fn github_window(resource: &str) -> Option<Duration> {
    match resource {
        "core" | "graphql" | "integration_manifest" | "source_import" => {
            Some(Duration::from_secs(3600))
        }
        "search" | "code_search" => Some(Duration::from_secs(60)),
        _ => None,
    }
}

/// Discord's `X-RateLimit-Reset-After` (float seconds).
fn reset_after<const W: usize, const N: usize>(ctx: &mut Ctx<'_, '_, W, N>) -> Option<Duration> {
    let name = ctx.fields.name(Field::XrlResetAfter);
    let list = members(ctx, Field::XrlResetAfter);
    if list.is_empty() {
        return None;
    }
    reset_members(ctx, name, &list, ResetKind::Delta)
}

/// `10, 10;w=1;name="per-ip", 1000;w=3600`: the Envoy/draft-03 list form.
fn is_list_form(value: &[u8]) -> bool {
    value.contains(&b';')
}

fn envoy<'a, const W: usize, const N: usize>(ctx: &mut Ctx<'a, '_, W, N>) {
    let mut expiring: Option<u64> = None;
    let mut policies: Bounded<(ValuedPolicy, Option<Text<'a>>), POLICY_CAPACITY> = Bounded::new();
    let mut broken = None;
    let mut first = true;
    let result = each_list_member(ctx.fields, Field::XrlLimit, |member| {
        let Member::Item(item) = member else {
            broken.get_or_insert(("member", "must be an Item"));
            return;
        };
        match valued_item(&item, false) {
            Ok(p) => {
                if first {
                    expiring = Some(p.quota);
                }
                if !first || p.window.is_some() {
                    let name = match item.params.get("name") {
                        Some(BareItem::String(s)) => Some(string_text(s)),
                        Some(BareItem::Token(t)) => Some(Text::plain(t)),
                        _ => None,
                    };
                    policies.push((p, name));
                }
            }
            Err(b) => {
                broken.get_or_insert(b);
            }
        }
        first = false;
    });
    let name = ctx.fields.name(Field::XrlLimit);
    if let Err(e) = result {
        ctx.warn(
            Field::XrlLimit,
            Problem::MalformedStructuredField {
                error: e.kind,
                offset: e.offset,
            },
        );
        return;
    }
    if let Some((param, rule)) = broken {
        ctx.warn(Field::XrlLimit, Problem::DraftViolation { param, rule });
        return;
    }
    let mut w = Window::new(Source::Envoy);
    w.limit = expiring;
    w.remaining = count(ctx, Field::XrlRemaining);
    let reset_name = ctx.fields.name(Field::XrlReset);
    let list = members(ctx, Field::XrlReset);
    w.reset = reset_members(ctx, reset_name, &list, ResetKind::Delta);
    if let Some((p, policy)) = policies.iter_mut().find(|(p, _)| Some(p.quota) == expiring) {
        p.matched = true;
        w.window = p.window;
        w.policy = *policy;
    }
    ctx.push(w, name);
    for (p, policy) in policies.iter().filter(|(p, _)| !p.matched) {
        let mut w = Window::new(Source::Envoy);
        w.limit = Some(p.quota);
        w.window = p.window;
        w.policy = *policy;
        ctx.push(w, name);
    }
}
