//! `RateLimit-Policy` in both of its forms (`../shared/spec/headers.md` sections 1.3-1.5,
//! A10-A12): draft-04..07 quota values (`10;w=1, 50;w=60`, matched to a limit by value)
//! and draft-08..11 named policies (`"burst";q=100;w=60;qu="...";pk=:...:`, matched by
//! id; Token ids accepted leniently, A11). A field that fails Structured-Field parsing
//! or breaks the draft's types is ignored whole, with a warning. Policies no
//! `RateLimit` item or limit claims become windows of their own.

use core::time::Duration;

use super::ctx::Ctx;
use super::fields::{Field, Fields};
use crate::model::{Bounded, PartitionKey, Problem, Source, Text, Unit, Window};
use crate::sf::{self, BareItem, Item, Member};

/// Most policies one `RateLimit-Policy` field keeps.
pub(crate) const POLICY_CAPACITY: usize = 16;

/// A draft-08+ policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct NamedPolicy<'a> {
    pub id: Text<'a>,
    pub quota: u64,
    pub window: Option<Duration>,
    pub unit: Unit<'a>,
    pub partition_key: Option<PartitionKey<'a>>,
    pub matched: bool,
}

/// A draft-04..07 policy (also the inline policies of a draft-02/03 `RateLimit-Limit`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ValuedPolicy {
    pub quota: u64,
    pub window: Option<Duration>,
    pub matched: bool,
}

/// The parsed `RateLimit-Policy` field (lives on the stack for one parse only).
#[allow(clippy::large_enum_variant)]
pub(crate) enum Policies<'a> {
    None,
    Named(Bounded<NamedPolicy<'a>, POLICY_CAPACITY>),
    Valued(Bounded<ValuedPolicy, POLICY_CAPACITY>),
}

/// A draft type rule a value broke.
pub(crate) type Broken = (&'static str, &'static str);

const NOT_NON_NEGATIVE_INTEGER: &str = "must be a non-negative Integer";

/// A non-negative Integer, or the rule it broke.
pub(crate) fn non_negative(param: &'static str, bare: BareItem<'_>) -> Result<u64, Broken> {
    match bare {
        BareItem::Integer(v) => u64::try_from(v).map_err(|_| (param, NOT_NON_NEGATIVE_INTEGER)),
        _ => Err((param, NOT_NON_NEGATIVE_INTEGER)),
    }
}

/// An optional non-negative Integer parameter.
pub(crate) fn opt_non_negative(
    param: &'static str,
    bare: Option<BareItem<'_>>,
) -> Result<Option<u64>, Broken> {
    bare.map(|b| non_negative(param, b)).transpose()
}

/// A window length: Integer of at least 1 (draft-09+).
pub(crate) fn window_param(bare: Option<BareItem<'_>>) -> Result<Option<Duration>, Broken> {
    match opt_non_negative("w", bare)? {
        Some(0) => Err(("w", "must not be zero")),
        Some(w) => Ok(Some(Duration::from_secs(w))),
        None => Ok(None),
    }
}

/// The text of an SF String, escapes kept for [`Text`] to remove.
pub(crate) fn string_text(s: sf::SfString<'_>) -> Text<'_> {
    if s.has_escapes() {
        Text::sf_escaped(s.raw())
    } else {
        Text::plain(s.raw())
    }
}

/// A policy id: String, or Token leniently.
pub(crate) fn policy_id(bare: BareItem<'_>) -> Option<Text<'_>> {
    match bare {
        BareItem::String(s) => Some(string_text(s)),
        BareItem::Token(t) => Some(Text::plain(t)),
        _ => None,
    }
}

/// A partition key: Byte Sequence.
pub(crate) fn partition_key(
    bare: Option<BareItem<'_>>,
) -> Result<Option<PartitionKey<'_>>, Broken> {
    match bare {
        None => Ok(None),
        Some(BareItem::ByteSequence(b)) => Ok(Some(PartitionKey::from_base64(b))),
        Some(_) => Err(("pk", "must be a Byte Sequence")),
    }
}

/// The value of `field` as text when it was sent on one line (the usual case, which
/// the one-pass readers take); `None` when it was sent on several lines or is not
/// UTF-8 (left to the general reader).
#[inline(always)]
pub(crate) fn one_line_text<'a>(fields: &Fields<'a, '_>, field: Field) -> Option<&'a str> {
    if fields.line_count(field) != 1 {
        return None;
    }
    match fields.first_text(field) {
        Some(text) => Some(text),
        None => core::str::from_utf8(fields.first(field)?).ok(),
    }
}

/// Parses every line of a List field once and visits its members; `Err` carries the
/// first SF failure.
///
/// A failure anywhere ignores the whole field (RFC 9651 section 4.2), but members of
/// the lines before a failing one have been visited by then: callers discard what
/// they gathered when this returns `Err`.
pub(crate) fn each_list_member<'a>(
    fields: &Fields<'a, '_>,
    field: Field,
    mut visit: impl FnMut(Member<'a>),
) -> Result<(), sf::Error> {
    if fields.line_count(field) <= 1 {
        // The usual case: one line, validated once, then walked once.
        // A value that is text already is not validated as UTF-8 again.
        let list = match fields.first_text(field) {
            Some(text) => sf::parse_list_text(text)?,
            None => match fields.first(field) {
                Some(line) => sf::parse_list(line)?,
                None => return Ok(()),
            },
        };
        for member in list.iter() {
            visit(member);
        }
        return Ok(());
    }
    let mut failure: Option<sf::Error> = None;
    fields.each_line(field, &mut |line| {
        if failure.is_none() {
            match sf::parse_list(line) {
                Ok(list) => {
                    for member in list.iter() {
                        visit(member);
                    }
                }
                Err(e) => failure = Some(e),
            }
        }
    });
    match failure {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    Empty,
    Named,
    Valued,
    Mixed,
}

fn named_item<'a>(item: &Item<'a>) -> Result<NamedPolicy<'a>, Broken> {
    let id = policy_id(item.bare).ok_or(("id", "must be a String"))?;
    let params = &item.params;
    let quota = opt_non_negative("q", params.get("q"))?.ok_or(("q", "is required"))?;
    let window = window_param(params.get("w"))?;
    let unit = match params.get("qu") {
        None => Unit::Requests,
        Some(BareItem::String(s)) => Unit::from_name(string_text(s)),
        Some(_) => return Err(("qu", "must be a String")),
    };
    let partition_key = partition_key(params.get("pk"))?;
    Ok(NamedPolicy {
        id,
        quota,
        window,
        unit,
        partition_key,
        matched: false,
    })
}

/// A draft-04..07 quota policy item (`10;w=1`); `window=` (draft-polli-00) is an alias.
pub(crate) fn valued_item(item: &Item<'_>, require_window: bool) -> Result<ValuedPolicy, Broken> {
    let quota = non_negative("quota", item.bare)?;
    let w = item.params.get("w").or_else(|| item.params.get("window"));
    let window = window_param(w)?;
    if require_window && window.is_none() {
        return Err(("w", "is required"));
    }
    Ok(ValuedPolicy {
        quota,
        window,
        matched: false,
    })
}

/// Parses `RateLimit-Policy` into `policies` (which is [`Policies::None`] on entry and
/// stays so when the field is absent or ignored).
pub(crate) fn parse<'a, const W: usize, const N: usize>(
    ctx: &mut Ctx<'a, '_, W, N>,
    policies: &mut Policies<'a>,
) {
    if !ctx.fields.has(Field::RateLimitPolicy) {
        return;
    }
    if parse_named_integers(ctx, policies) {
        return;
    }
    let mut shape = Shape::Empty;
    let mut broken: Option<Broken> = None;
    let mut duplicate_quota = false;
    let result = each_list_member(ctx.fields, Field::RateLimitPolicy, |member| {
        if broken.is_some() {
            return;
        }
        let Member::Item(item) = member else {
            broken = Some(("member", "must be an Item, not an Inner List"));
            return;
        };
        let is_named = matches!(item.bare, BareItem::String(_) | BareItem::Token(_));
        shape = match (shape, is_named) {
            (Shape::Empty | Shape::Named, true) => Shape::Named,
            (Shape::Empty | Shape::Valued, false) => Shape::Valued,
            _ => Shape::Mixed,
        };
        // The policies are filled in place; the first member sets the kind.
        if is_named {
            match named_item(&item) {
                Ok(p) => {
                    if matches!(policies, Policies::None) {
                        *policies = Policies::Named(Bounded::new());
                    }
                    if let Policies::Named(list) = policies {
                        list.push(p);
                    }
                }
                Err(b) => broken = Some(b),
            }
        } else {
            match valued_item(&item, true) {
                Ok(p) => {
                    if matches!(policies, Policies::None) {
                        *policies = Policies::Valued(Bounded::new());
                    }
                    if let Policies::Valued(list) = policies {
                        duplicate_quota |= list.iter().any(|q| q.quota == p.quota);
                        list.push(p);
                    }
                }
                Err(b) => broken = Some(b),
            }
        }
    });
    if let Err(e) = result {
        *policies = Policies::None;
        ctx.warn(
            Field::RateLimitPolicy,
            Problem::MalformedStructuredField {
                error: e.kind,
                offset: e.offset,
            },
        );
        return;
    }
    if let Some((param, rule)) = broken {
        *policies = Policies::None;
        ctx.warn(
            Field::RateLimitPolicy,
            Problem::DraftViolation { param, rule },
        );
        return;
    }
    match shape {
        Shape::Empty => {}
        Shape::Mixed => {
            *policies = Policies::None;
            ctx.warn(
                Field::RateLimitPolicy,
                Problem::DraftViolation {
                    param: "policy",
                    rule: "mixes named policies and quota values",
                },
            );
        }
        Shape::Named => {
            if let Policies::Named(list) = policies {
                if list.overflowed() > 0 {
                    ctx.warn(Field::RateLimitPolicy, Problem::FieldCapacityExceeded);
                }
            }
        }
        Shape::Valued => {
            if duplicate_quota {
                *policies = Policies::None;
                ctx.warn(Field::RateLimitPolicy, Problem::DuplicateQuotaPolicy);
                return;
            }
            if let Policies::Valued(list) = policies {
                if list.overflowed() > 0 {
                    ctx.warn(Field::RateLimitPolicy, Problem::FieldCapacityExceeded);
                }
            }
        }
    }
}

/// The one-pass reader of the usual draft-08 field (`"burst";q=100;w=60, ...`: named
/// policies with Integer `q` and `w` only, [`sf::named_integer_members`]). Fills
/// `policies` exactly as the general reader would and returns `true`; returns `false`
/// with `policies` back to [`Policies::None`] for anything else (other parameters,
/// spacing or types, a missing `q`, `w=0`, several lines, invalid input), which the
/// general reader then handles.
fn parse_named_integers<'a, const W: usize, const N: usize>(
    ctx: &mut Ctx<'a, '_, W, N>,
    policies: &mut Policies<'a>,
) -> bool {
    if !ctx.one_pass_lists() {
        return false;
    }
    let Some(text) = one_line_text(ctx.fields, Field::RateLimitPolicy) else {
        return false;
    };
    *policies = Policies::Named(Bounded::new());
    let Policies::Named(list) = policies else {
        return false;
    };
    let read = sf::named_integer_members(text, [b'q', b'w'], |id, [quota, window]| {
        let (Some(quota), window) = (quota, window) else {
            return false; // `q` is required
        };
        if window == Some(0) {
            return false; // `w` must not be zero
        }
        list.push(NamedPolicy {
            id: Text::plain(id),
            quota,
            window: window.map(Duration::from_secs),
            unit: Unit::Requests,
            partition_key: None,
            matched: false,
        });
        true
    });
    if !read {
        *policies = Policies::None;
        return false;
    }
    if list.overflowed() > 0 {
        ctx.warn(Field::RateLimitPolicy, Problem::FieldCapacityExceeded);
    }
    true
}

/// Finds the valued policy for a limit and marks it matched.
pub(crate) fn match_value(policies: &mut Policies<'_>, limit: Option<u64>) -> Option<Duration> {
    let (Policies::Valued(list), Some(limit)) = (policies, limit) else {
        return None;
    };
    let p = list.iter_mut().find(|p| p.quota == limit)?;
    p.matched = true;
    p.window
}

/// Emits a window for every policy nothing matched.
pub(crate) fn emit_unmatched<'a, const W: usize, const N: usize>(
    ctx: &mut Ctx<'a, '_, W, N>,
    policies: &Policies<'a>,
) {
    let name = ctx.fields.name(Field::RateLimitPolicy);
    match policies {
        Policies::None => {}
        Policies::Named(list) => {
            for p in list.iter().filter(|p| !p.matched) {
                let mut w = Window::new(Source::IetfDraft08);
                w.policy = Some(p.id);
                w.limit = Some(p.quota);
                w.window = p.window;
                w.unit = p.unit;
                w.partition_key = p.partition_key;
                ctx.push(w, name);
            }
        }
        Policies::Valued(list) => {
            for p in list.iter().filter(|p| !p.matched) {
                let mut w = Window::new(Source::IetfDraft06);
                w.limit = Some(p.quota);
                w.window = p.window;
                ctx.push(w, name);
            }
        }
    }
}
