//! draft-07 `RateLimit: limit=100, remaining=50, reset=5` (`../shared/spec/headers.md`
//! section 1.4, T02, T17-T19, T27): an SF Dictionary; member parameters and unknown
//! keys are ignored; `limit`, `remaining` and `reset` must be non-negative Integers.
//! The limit is matched by value to a draft-04..07 `RateLimit-Policy` for its window.

use core::time::Duration;

use super::ctx::Ctx;
use super::fields::Field;
use super::ietf_policy::{Broken, Policies, match_value, non_negative};
use crate::model::{Problem, Source, Window};
use crate::sf::{self, Member};

#[derive(Default)]
struct Members {
    limit: Option<u64>,
    remaining: Option<u64>,
    reset: Option<u64>,
}

fn read(key: &str, member: Member<'_>, into: &mut Members) -> Result<(), Broken> {
    let slot = match key {
        "limit" => &mut into.limit,
        "remaining" => &mut into.remaining,
        "reset" => &mut into.reset,
        _ => return Ok(()),
    };
    let param: &'static str = match key {
        "limit" => "limit",
        "remaining" => "remaining",
        _ => "reset",
    };
    match member {
        Member::Item(item) => {
            *slot = Some(non_negative(param, item.bare)?);
            Ok(())
        }
        Member::InnerList(_) => Err((param, "must be a non-negative Integer")),
    }
}

/// Parses `RateLimit` as a Dictionary. `Err` when it is not one (the caller warns).
pub(crate) fn parse<'a, const W: usize, const N: usize>(
    ctx: &mut Ctx<'a, '_, W, N>,
    policies: &mut Policies<'a>,
) -> Result<(), sf::Error> {
    let mut failure: Option<sf::Error> = None;
    let mut broken: Option<Broken> = None;
    let mut members = Members::default();
    // Lines combine into one Dictionary; a later key overrides an earlier one.
    ctx.fields.each_line(Field::RateLimit, &mut |line| {
        if failure.is_some() {
            return;
        }
        match sf::parse_dictionary(line) {
            Ok(dict) => {
                for (key, member) in dict.iter() {
                    if let Err(b) = read(key, member, &mut members) {
                        broken.get_or_insert(b);
                    }
                }
            }
            Err(e) => failure = Some(e),
        }
    });
    if let Some(e) = failure {
        return Err(e);
    }
    if let Some((param, rule)) = broken {
        ctx.warn(Field::RateLimit, Problem::DraftViolation { param, rule });
        return Ok(());
    }
    if members.limit.is_none() && members.remaining.is_none() && members.reset.is_none() {
        ctx.warn(
            Field::RateLimit,
            Problem::MissingParameter { param: "limit" },
        );
        return Ok(());
    }
    let mut w = Window::new(Source::IetfDraft07);
    w.limit = members.limit;
    w.remaining = members.remaining;
    w.reset = members.reset.map(Duration::from_secs);
    w.window = match_value(policies, members.limit);
    let name = ctx.fields.name(Field::RateLimit);
    ctx.push(w, name);
    Ok(())
}
