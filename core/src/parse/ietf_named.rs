//! The `RateLimit` field: draft-08..11 named items (`"burst";r=45;t=30`), or, when it
//! is not a List of named items, the draft-07 Dictionary ([`super::ietf_dictionary`]).
//! `../shared/spec/headers.md` sections 1.4-1.6, A12 (try List first, then
//! Dictionary), T03-T16.
//!
//! Items are joined to `RateLimit-Policy` by id. `r` and `t` (and `q`, seen in the
//! draft-11 appendix) must be non-negative Integers: a Decimal or negative value
//! makes the whole field malformed, and it is ignored with a warning.

use super::ctx::Ctx;
use super::fields::Field;
use super::ietf_dictionary;
use super::ietf_policy::{
    Broken, Policies, each_list_member, opt_non_negative, partition_key, policy_id,
};
use crate::model::{Bounded, PartitionKey, Problem, Source, Text, Window};
use crate::sf::{self, Member};
use core::time::Duration;

#[derive(Clone, Copy)]
struct Named<'a> {
    id: Text<'a>,
    remaining: Option<u64>,
    reset: Option<Duration>,
    quota: Option<u64>,
    partition_key: Option<PartitionKey<'a>>,
}

fn read_item<'a>(member: Member<'a>) -> Result<Option<Named<'a>>, Broken> {
    let Member::Item(item) = member else {
        return Ok(None);
    };
    let Some(id) = policy_id(item.bare) else {
        return Ok(None);
    };
    Ok(Some(Named {
        id,
        remaining: opt_non_negative("r", item.params.get("r"))?,
        reset: opt_non_negative("t", item.params.get("t"))?.map(Duration::from_secs),
        quota: opt_non_negative("q", item.params.get("q"))?,
        partition_key: partition_key(item.params.get("pk"))?,
    }))
}

/// Parses `RateLimit`, joining named items to `policies`.
pub(crate) fn parse<'a, const W: usize, const N: usize>(
    ctx: &mut Ctx<'a, '_, W, N>,
    policies: &mut Policies<'a>,
) {
    if !ctx.fields.has(Field::RateLimit) {
        return;
    }
    let fields = ctx.fields;
    let mut lines = |visit: &mut dyn FnMut(&'a [u8])| fields.each_line(Field::RateLimit, visit);

    // One pass: is it a List whose members are all named Items? Keep the items (up to
    // the window capacity; the rest are counted as dropped windows).
    let mut all_named = true;
    let mut any = false;
    let mut broken: Option<Broken> = None;
    let mut items: Bounded<Named<'a>, W> = Bounded::new();
    let list_result = each_list_member(&mut lines, &mut |member| {
        any = true;
        match read_item(member) {
            Ok(Some(item)) => {
                items.push(item);
            }
            Ok(None) => all_named = false,
            Err(b) => {
                if broken.is_none() {
                    broken = Some(b);
                }
            }
        }
    });
    let list_error = match list_result {
        Ok(()) if all_named && any => None,
        Ok(()) => Some(None),
        Err(e) => Some(Some(e)),
    };
    if let Some(list_error) = list_error {
        // Not draft-08+: try the draft-07 Dictionary.
        if let Err(dict_error) = ietf_dictionary::parse(ctx, policies) {
            let e = pick_error(list_error, dict_error);
            ctx.warn(
                Field::RateLimit,
                Problem::MalformedStructuredField {
                    error: e.kind,
                    offset: e.offset,
                },
            );
        }
        return;
    }
    if let Some((param, rule)) = broken {
        ctx.warn(Field::RateLimit, Problem::DraftViolation { param, rule });
        return;
    }

    let name = ctx.fields.name(Field::RateLimit);
    for item in items.iter() {
        let mut w = Window::new(Source::IetfDraft08);
        w.policy = Some(item.id);
        w.remaining = item.remaining;
        w.reset = item.reset;
        w.limit = item.quota;
        w.partition_key = item.partition_key;
        if let Policies::Named(list) = policies {
            if let Some(p) = list.iter_mut().find(|p| p.id.same_as(&item.id)) {
                p.matched = true;
                w.limit = Some(p.quota);
                w.window = p.window;
                w.unit = p.unit;
                w.partition_key = w.partition_key.or(p.partition_key);
            }
        }
        ctx.push(w, name);
    }
    ctx.out.windows_mut().count_overflow(items.overflowed());
}

/// Of a List failure and a Dictionary failure, report the one that got further.
fn pick_error(list: Option<sf::Error>, dict: sf::Error) -> sf::Error {
    match list {
        Some(l) if l.offset >= dict.offset => l,
        _ => dict,
    }
}
