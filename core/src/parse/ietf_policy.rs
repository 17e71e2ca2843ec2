//! `RateLimit-Policy` in both of its forms (`../shared/spec/headers.md` sections 1.3-1.5,
//! A10-A12): draft-04..07 quota values (`10;w=1, 50;w=60`, matched to a limit by value)
//! and draft-08..11 named policies (`"burst";q=100;w=60;qu="...";pk=:...:`, matched by
//! id; Token ids accepted leniently, A11). A field that fails Structured-Field parsing
//! or breaks the draft's types is ignored whole, with a warning. Policies no
//! `RateLimit` item or limit claims become windows of their own.

use core::time::Duration;

use super::ctx::Ctx;
use super::fields::Field;
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

/// Something that visits every line of one field.
pub(crate) type Lines<'a, 'l> = dyn FnMut(&mut dyn FnMut(&'a [u8])) + 'l;

/// Parses every line of a List field; `Err` carries the first SF failure.
pub(crate) fn each_list_member<'a>(
    lines: &mut Lines<'a, '_>,
    visit: &mut dyn FnMut(Member<'a>),
) -> Result<(), sf::Error> {
    // Validate every line before visiting any member: a failure anywhere ignores the
    // whole field (RFC 9651 section 4.2). The first few validated lists are kept, so
    // the usual one- or two-line field is parsed once.
    let mut failure: Option<sf::Error> = None;
    let mut kept: Bounded<sf::List<'a>, KEPT_LINES> = Bounded::new();
    lines(&mut |line| {
        if failure.is_none() {
            match sf::parse_list(line) {
                Ok(list) => {
                    kept.push(list);
                }
                Err(e) => failure = Some(e),
            }
        }
    });
    if let Some(e) = failure {
        return Err(e);
    }
    if kept.overflowed() == 0 {
        for list in kept.iter() {
            for member in list.iter() {
                visit(member);
            }
        }
        return Ok(());
    }
    lines(&mut |line| {
        if let Ok(list) = sf::parse_list(line) {
            for member in list.iter() {
                visit(member);
            }
        }
    });
    Ok(())
}

/// Lines of one field whose validated lists are kept for the second pass.
const KEPT_LINES: usize = 4;

enum Shape {
    Empty,
    Named,
    Valued,
    Mixed,
}

fn named_item<'a>(item: &Item<'a>) -> Result<NamedPolicy<'a>, Broken> {
    let id = policy_id(item.bare).ok_or(("id", "must be a String"))?;
    let quota = opt_non_negative("q", item.params.get("q"))?.ok_or(("q", "is required"))?;
    let window = window_param(item.params.get("w"))?;
    let unit = match item.params.get("qu") {
        None => Unit::Requests,
        Some(BareItem::String(s)) => Unit::from_name(string_text(s)),
        Some(_) => return Err(("qu", "must be a String")),
    };
    let partition_key = partition_key(item.params.get("pk"))?;
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

/// Parses `RateLimit-Policy`.
pub(crate) fn parse<'a, const W: usize, const N: usize>(
    ctx: &mut Ctx<'a, '_, W, N>,
) -> Policies<'a> {
    if !ctx.fields.has(Field::RateLimitPolicy) {
        return Policies::None;
    }
    let fields = ctx.fields;
    let mut lines =
        |visit: &mut dyn FnMut(&'a [u8])| fields.each_line(Field::RateLimitPolicy, visit);

    let mut shape = Shape::Empty;
    let mut broken: Option<Broken> = None;
    let mut named: Bounded<NamedPolicy<'a>, POLICY_CAPACITY> = Bounded::new();
    let mut valued: Bounded<ValuedPolicy, POLICY_CAPACITY> = Bounded::new();
    let mut duplicate_quota = false;
    let result = each_list_member(&mut lines, &mut |member| {
        if broken.is_some() {
            return;
        }
        let Member::Item(item) = member else {
            broken = Some(("member", "must be an Item, not an Inner List"));
            return;
        };
        let is_named = matches!(item.bare, BareItem::String(_) | BareItem::Token(_));
        shape = match (&shape, is_named) {
            (Shape::Empty | Shape::Named, true) => Shape::Named,
            (Shape::Empty | Shape::Valued, false) => Shape::Valued,
            _ => Shape::Mixed,
        };
        if is_named {
            match named_item(&item) {
                Ok(p) => {
                    named.push(p);
                }
                Err(b) => broken = Some(b),
            }
        } else {
            match valued_item(&item, true) {
                Ok(p) => {
                    duplicate_quota |= valued.iter().any(|q| q.quota == p.quota);
                    valued.push(p);
                }
                Err(b) => broken = Some(b),
            }
        }
    });
    if let Err(e) = result {
        ctx.warn(
            Field::RateLimitPolicy,
            Problem::MalformedStructuredField {
                error: e.kind,
                offset: e.offset,
            },
        );
        return Policies::None;
    }
    if let Some((param, rule)) = broken {
        ctx.warn(
            Field::RateLimitPolicy,
            Problem::DraftViolation { param, rule },
        );
        return Policies::None;
    }
    match shape {
        Shape::Empty => Policies::None,
        Shape::Mixed => {
            ctx.warn(
                Field::RateLimitPolicy,
                Problem::DraftViolation {
                    param: "policy",
                    rule: "mixes named policies and quota values",
                },
            );
            Policies::None
        }
        Shape::Named => {
            if named.overflowed() > 0 {
                ctx.warn(Field::RateLimitPolicy, Problem::FieldCapacityExceeded);
            }
            Policies::Named(named)
        }
        Shape::Valued => {
            if duplicate_quota {
                ctx.warn(Field::RateLimitPolicy, Problem::DuplicateQuotaPolicy);
                return Policies::None;
            }
            if valued.overflowed() > 0 {
                ctx.warn(Field::RateLimitPolicy, Problem::FieldCapacityExceeded);
            }
            Policies::Valued(valued)
        }
    }
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
