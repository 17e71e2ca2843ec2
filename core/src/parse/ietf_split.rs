//! draft-00..06 separate fields: `RateLimit-Limit`, `RateLimit-Remaining`,
//! `RateLimit-Reset` (`../shared/spec/headers.md` sections 1.1-1.3, A12, T01, T20-T25).
//!
//! `RateLimit-Limit` is read as an SF Integer Item (draft-04..06), else as an SF List
//! whose first member is the expiring limit and the rest quota policies
//! (draft-02/03), else leniently as the draft-00/01 ABNF (whitespace around `;`,
//! draft-polli-00's `window=`). `RateLimit-Reset` may be an IMF-fixdate
//! (draft-polli-00). The limit is matched by value to a quota policy for its window;
//! unmatched inline policies become windows of their own.

use core::time::Duration;

use super::ctx::Ctx;
use super::fields::Field;
use super::ietf_policy::{
    POLICY_CAPACITY, Policies, ValuedPolicy, each_list_member, match_value, non_negative,
    valued_item,
};
use crate::model::{Bounded, Problem, Source, Window};
use crate::number::parse_u64;
use crate::sf::{self, Member};
use crate::time::parse_http_date;

type Inline = Bounded<ValuedPolicy, POLICY_CAPACITY>;

/// Parses the draft-00..06 fields, when present.
pub(crate) fn parse<'a, const W: usize, const N: usize>(
    ctx: &mut Ctx<'a, '_, W, N>,
    policies: &mut Policies<'a>,
) {
    let present = [
        Field::RateLimitLimit,
        Field::RateLimitRemaining,
        Field::RateLimitReset,
    ]
    .iter()
    .any(|&f| ctx.fields.has(f));
    if !present {
        return;
    }
    let mut source = Source::IetfDraft06;
    let mut inline = Inline::new();
    let limit = read_limit(ctx, &mut source, &mut inline);
    let remaining = read_integer_item(ctx, Field::RateLimitRemaining);
    let reset = read_reset(ctx, &mut source);

    let mut window = None;
    if let Some(l) = limit {
        if let Some(p) = inline.iter_mut().find(|p| p.quota == l) {
            p.matched = true;
            window = p.window;
        }
    }
    if window.is_none() {
        window = match_value(policies, limit);
    }
    let name = ctx.fields.name(Field::RateLimitLimit);
    if limit.is_some() || remaining.is_some() || reset.is_some() {
        let mut w = Window::new(source);
        w.limit = limit;
        w.remaining = remaining;
        w.reset = reset;
        w.window = window;
        ctx.push(w, name);
    }
    for p in inline.iter().filter(|p| !p.matched) {
        let mut w = Window::new(source);
        w.limit = Some(p.quota);
        w.window = p.window;
        ctx.push(w, name);
    }
}

fn read_limit<'a, const W: usize, const N: usize>(
    ctx: &mut Ctx<'a, '_, W, N>,
    source: &mut Source,
    inline: &mut Inline,
) -> Option<u64> {
    let field = Field::RateLimitLimit;
    let first = ctx.fields.first(field)?;
    if ctx.fields.line_count(field) == 1 {
        if let Ok(item) = sf::parse_item(first) {
            return match non_negative("RateLimit-Limit", item.bare) {
                Ok(v) => Some(v),
                Err((param, rule)) => {
                    ctx.warn(field, Problem::DraftViolation { param, rule });
                    None
                }
            };
        }
    }
    // draft-02/03: a List, the first member being the expiring limit.
    let mut expiring: Option<u64> = None;
    let mut broken = None;
    let mut first_member = true;
    let list = each_list_member(ctx.fields, field, |member| {
        let Member::Item(item) = member else {
            broken.get_or_insert(("member", "must be an Item, not an Inner List"));
            return;
        };
        match valued_item(&item, false) {
            Ok(p) => {
                if first_member {
                    expiring = Some(p.quota);
                }
                if !first_member || p.window.is_some() {
                    inline.push(p);
                }
            }
            Err(b) => {
                broken.get_or_insert(b);
            }
        }
        first_member = false;
    });
    match list {
        Ok(()) => {
            if let Some((param, rule)) = broken {
                ctx.warn(field, Problem::DraftViolation { param, rule });
                *inline = Inline::new();
                return None;
            }
            *source = Source::IetfDraft03;
            expiring
        }
        Err(e) => {
            // draft-00/01 ABNF, leniently; what the List lines before the failure
            // gave is discarded.
            *inline = Inline::new();
            expiring = None;
            let mut ok = true;
            let mut first_abnf = true;
            ctx.fields.each_line(field, &mut |line| {
                for member in line.split(|&b| b == b',') {
                    match abnf_policy(member) {
                        Some(p) => {
                            if first_abnf {
                                expiring = Some(p.quota);
                            }
                            if !first_abnf || p.window.is_some() {
                                inline.push(p);
                            }
                        }
                        None => ok = false,
                    }
                    first_abnf = false;
                }
            });
            if ok && expiring.is_some() {
                *source = Source::IetfDraft01;
                expiring
            } else {
                *inline = Inline::new();
                ctx.warn(
                    field,
                    Problem::MalformedStructuredField {
                        error: e.kind,
                        offset: e.offset,
                    },
                );
                None
            }
        }
    }
}

/// `quota [ OWS ";" OWS key "=" value ]*` with `w` or `window` giving the window.
fn abnf_policy(member: &[u8]) -> Option<ValuedPolicy> {
    let mut parts = member.split(|&b| b == b';');
    let quota = parse_u64(parts.next()?).ok()?;
    let mut window = None;
    for part in parts {
        let part = part.trim_ascii();
        if part.is_empty() {
            continue;
        }
        let eq = part.iter().position(|&b| b == b'=')?;
        let key = part.get(..eq)?.trim_ascii();
        let value = part.get(eq.saturating_add(1)..)?.trim_ascii();
        if key.eq_ignore_ascii_case(b"w") || key.eq_ignore_ascii_case(b"window") {
            match parse_u64(value).ok()? {
                0 => return None,
                w => window = Some(Duration::from_secs(w)),
            }
        }
    }
    Some(ValuedPolicy {
        quota,
        window,
        matched: false,
    })
}

/// An SF Integer Item that must appear once and be non-negative.
fn read_integer_item<'a, const W: usize, const N: usize>(
    ctx: &mut Ctx<'a, '_, W, N>,
    field: Field,
) -> Option<u64> {
    let value = ctx.fields.first(field)?;
    if ctx.fields.line_count(field) > 1 {
        ctx.warn(
            field,
            Problem::DraftViolation {
                param: "field",
                rule: "must appear once (an Integer Item cannot be split over lines)",
            },
        );
        return None;
    }
    match sf::parse_item(value) {
        Ok(item) => match non_negative("value", item.bare) {
            Ok(v) => Some(v),
            Err((param, rule)) => {
                ctx.warn(field, Problem::DraftViolation { param, rule });
                None
            }
        },
        Err(e) => {
            ctx.warn(
                field,
                Problem::MalformedStructuredField {
                    error: e.kind,
                    offset: e.offset,
                },
            );
            None
        }
    }
}

/// delay-seconds; an IMF-fixdate (draft-polli-00); an epoch timestamp is read as one
/// with a warning (GitLab-style servers without GitLab's other fields).
fn read_reset<'a, const W: usize, const N: usize>(
    ctx: &mut Ctx<'a, '_, W, N>,
    source: &mut Source,
) -> Option<Duration> {
    let field = Field::RateLimitReset;
    let value = ctx.fields.first(field)?;
    let name = ctx.fields.name(field);
    if ctx.fields.line_count(field) == 1 && sf::parse_item(value).is_err() {
        let century = ctx.century_reference();
        if let Some(at) = parse_http_date(value, century) {
            *source = Source::IetfDraft01;
            return ctx.until(at, name);
        }
    }
    let secs = read_integer_item(ctx, field)?;
    if secs >= 1_000_000_000 {
        if let Some(reference) = ctx.out.reference_time() {
            let at = crate::time::UnixTime::from_secs(i64::try_from(secs).unwrap_or(i64::MAX));
            let year_ms: i64 = 366 * 24 * 3600 * 1000;
            if at.millis_since(reference).saturating_abs() <= year_ms {
                ctx.warn(field, Problem::ResetReadAsEpoch);
                return ctx.until(at, name);
            }
        }
    }
    Some(Duration::from_secs(secs))
}
