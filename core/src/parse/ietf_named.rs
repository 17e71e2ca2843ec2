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
    Broken, Policies, each_list_member, one_line_text, opt_non_negative, partition_key, policy_id,
};
use crate::model::{Bounded, Problem, Source, Text, Window};
use crate::sf::{self, Member};
use core::time::Duration;

/// Reads one member; a named Item becomes a window pushed to `windows` (counted as
/// dropped past their capacity). `Ok(false)` for a member that is not a named Item.
fn read_item<'a, const W: usize>(
    member: Member<'a>,
    windows: &mut Bounded<Window<'a>, W>,
) -> Result<bool, Broken> {
    let Member::Item(item) = member else {
        return Ok(false);
    };
    let Some(id) = policy_id(item.bare) else {
        return Ok(false);
    };
    // `Parameters::get` goes straight to the keys noted while validating and reads
    // short Integers in line: measured faster than one `iter()` pass decoding every
    // parameter, also on the 1 MiB List of the `hostile` bench.
    let params = &item.params;
    let remaining = opt_non_negative("r", params.get("r"))?;
    let reset = opt_non_negative("t", params.get("t"))?.map(Duration::from_secs);
    let quota = opt_non_negative("q", params.get("q"))?;
    let partition_key = partition_key(params.get("pk"))?;
    let mut w = Window::new(Source::IetfDraft08);
    w.policy = Some(id);
    w.remaining = remaining;
    w.reset = reset;
    w.limit = quota;
    w.partition_key = partition_key;
    windows.push(w);
    Ok(true)
}

/// Parses `RateLimit`, joining named items to `policies`.
///
/// Runs before any other family adds a window, so every item that fits in the
/// window capacity is stored.
pub(crate) fn parse<'a, const W: usize, const N: usize>(
    ctx: &mut Ctx<'a, '_, W, N>,
    policies: &mut Policies<'a>,
) {
    if !ctx.fields.has(Field::RateLimit) {
        return;
    }
    let mark = ctx.out.windows_mut().mark();
    if !read_named_integers(ctx) && !read_general(ctx, policies, mark) {
        return;
    }

    // Join the stored windows to their policies, in order.
    let name = ctx.fields.name(Field::RateLimit);
    let (first, _) = mark;
    let stored = ctx.out.windows.len();
    for i in first..stored {
        let Some(w) = ctx.out.windows_mut().get_mut(i) else {
            break;
        };
        if let (Policies::Named(list), Some(id)) = (&mut *policies, w.policy) {
            if let Some(p) = list.iter_mut().find(|p| p.id.same_as(&id)) {
                p.matched = true;
                w.limit = Some(p.quota);
                w.window = p.window;
                w.unit = p.unit;
                w.partition_key = w.partition_key.or(p.partition_key);
            }
        }
        if let (Some(r), Some(l)) = (w.remaining, w.limit) {
            if r > l {
                ctx.out.warn(name, Problem::RemainingAboveLimit);
            }
        }
    }
}

/// The one-pass reader of the usual draft-08 field (`"burst";r=0;t=20, ...`: named
/// items with Integer parameters only, [`sf::named_integer_members`]): pushes the
/// windows the general reader would push and returns `true`; returns `false`, with
/// nothing pushed, for anything else (other parameters, spacing or types, several
/// lines, invalid input), which the general reader then handles.
fn read_named_integers<const W: usize, const N: usize>(ctx: &mut Ctx<'_, '_, W, N>) -> bool {
    if !ctx.one_pass_lists() {
        return false;
    }
    let Some(text) = one_line_text(ctx.fields, Field::RateLimit) else {
        return false;
    };
    let windows = ctx.out.windows_mut();
    let mark = windows.mark();
    let read = sf::named_integer_members(text, [b'r', b't', b'q'], |id, [r, t, q]| {
        let mut w = Window::new(Source::IetfDraft08);
        w.policy = Some(Text::plain(id));
        w.remaining = r;
        w.reset = t.map(Duration::from_secs);
        w.limit = q;
        windows.push(w);
        true
    });
    if !read {
        windows.rewind(mark);
    }
    read
}

/// The general reader of `RateLimit`: a List of named items (their windows pushed
/// from `mark` on), else the draft-07 Dictionary. `true` when the List was read and
/// its windows are to be joined to their policies.
fn read_general<'a, const W: usize, const N: usize>(
    ctx: &mut Ctx<'a, '_, W, N>,
    policies: &mut Policies<'a>,
    mark: (usize, usize),
) -> bool {
    // One pass: is it a List whose members are all named Items? Their windows are
    // written straight into the result (past its capacity they are only counted as
    // dropped), and taken back when the field turns out not to be such a List.
    let fields = ctx.fields;
    let windows = ctx.out.windows_mut();
    let mut all_named = true;
    let mut any = false;
    let mut broken: Option<Broken> = None;
    let list_result = each_list_member(fields, Field::RateLimit, |member| {
        any = true;
        match read_item(member, windows) {
            Ok(true) => {}
            Ok(false) => all_named = false,
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
    if list_error.is_some() || broken.is_some() {
        ctx.out.windows_mut().rewind(mark);
    }
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
        return false;
    }
    if let Some((param, rule)) = broken {
        ctx.warn(Field::RateLimit, Problem::DraftViolation { param, rule });
        return false;
    }
    true
}

/// Of a List failure and a Dictionary failure, report the one that got further.
fn pick_error(list: Option<sf::Error>, dict: sf::Error) -> sf::Error {
    match list {
        Some(l) if l.offset >= dict.offset => l,
        _ => dict,
    }
}
