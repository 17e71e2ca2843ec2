//! Differential tests of the one-pass readers of the usual draft-08 `RateLimit` /
//! `RateLimit-Policy` Lists: on generated fields, usual and not, a parse with them
//! gives exactly the [`Limits`](crate::Limits) (windows, warnings, everything) of a
//! parse that leaves every field to the general readers. Also: [`parse_into`]
//! storage reused from an earlier response ends up as [`parse`] would build it.

extern crate std;

use std::format;
use std::string::String;
use std::vec::Vec;

use proptest::prelude::*;

use super::{Response, parse, parse_general, parse_into, parse_with_capacity};
use crate::model::Limits;
use crate::time::UnixTime;

const NOW: UnixTime = UnixTime::from_secs(1_700_000_000);

/// A usual piece most of the time, an unusual one now and then.
fn piece(
    usual: &'static [&'static str],
    unusual: &'static [&'static str],
) -> impl Strategy<Value = &'static str> + Clone {
    prop_oneof![
        5 => prop::sample::select(usual),
        1 => prop::sample::select(unusual),
    ]
}

/// A List (or not quite one) of named items with parameters from `params`.
fn named_field(params: &'static [&'static str]) -> impl Strategy<Value = String> + Clone {
    let id = piece(
        &[
            "\"burst\"",
            "\"daily\"",
            "\"hourly\"",
            "burst",
            "daily",
            "\"\"",
        ],
        &["\"a\\\"b\"", "\"burst", "1", "(1 2)", "?1", "\"caf\u{e9}\""],
    );
    let param = piece(
        params,
        &[
            ";q=1.5",
            ";r=-1",
            ";t=?1",
            ";q",
            ";w=0",
            ";pk=:aGk=:",
            ";qu=\"tokens\"",
            ";qu=\"requests\"",
            "; q=5",
            ";r=1234567890123456",
            ";t=abc",
        ],
    );
    let member = (id, prop::collection::vec(param, 0..4))
        .prop_map(|(id, params)| format!("{id}{}", params.concat()));
    let separator = piece(&[", ", ","], &[" , ", ",\t", ",  ", " ", ""]);
    (
        prop::collection::vec((member, separator), 0..5),
        piece(&[""], &[" ", ","]),
        piece(&[""], &[" ", ", ", "\t"]),
    )
        .prop_map(|(members, lead, trail)| {
            let mut text = String::from(lead);
            let last = members.len().saturating_sub(1);
            for (n, (member, separator)) in members.iter().enumerate() {
                text.push_str(member);
                if n < last {
                    text.push_str(separator);
                }
            }
            text.push_str(trail);
            text
        })
}

/// The `RateLimit-Policy` value: named policies mostly, quota values (draft 04-07)
/// or garbage sometimes.
fn policy_value() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => named_field(&[";q=100", ";q=1000", ";w=60", ";w=86400", ";q=5", ";w=1", ";x=9", ";q=007"]),
        1 => Just(String::from("10;w=1, 50;w=60")),
        1 => "[ -~]{0,20}",
    ]
}

/// The `RateLimit` value: named items mostly, a draft-07 Dictionary or garbage
/// sometimes.
fn rate_limit_value() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => named_field(&[";r=0", ";r=950", ";t=20", ";t=3600", ";q=100", ";r=5", ";t=123456789", ";z=1"]),
        1 => Just(String::from("limit=10, remaining=5, reset=3")),
        1 => "[ -~]{0,20}",
    ]
}

/// Header lists: the pair, sometimes a field twice, with a `Date` and a
/// `Retry-After` now and then.
fn headers() -> impl Strategy<Value = Vec<(&'static str, String)>> {
    (
        prop::option::weighted(0.9, policy_value()),
        prop::option::weighted(0.9, rate_limit_value()),
        prop::option::weighted(0.1, policy_value()),
        prop::option::weighted(0.1, rate_limit_value()),
        any::<bool>(),
        prop::sample::select(&["RateLimit", "ratelimit", "RATELIMIT"][..]),
    )
        .prop_map(|(policy, limit, policy2, limit2, date, name)| {
            let mut headers = Vec::new();
            if date {
                headers.push(("Date", String::from("Tue, 14 Nov 2023 22:13:20 GMT")));
            }
            for (field, value) in [
                ("RateLimit-Policy", policy),
                (name, limit),
                ("RateLimit-Policy", policy2),
                (name, limit2),
            ] {
                if let Some(value) = value {
                    headers.push((field, value));
                }
            }
            headers.push(("Retry-After", String::from("20")));
            headers
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn one_pass_readers_change_nothing(headers in headers()) {
        let text: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
        let bytes: Vec<(&[u8], &[u8])> =
            headers.iter().map(|(n, v)| (n.as_bytes(), v.as_bytes())).collect();
        let general: Limits<'_> = parse_general(&Response::new(&text[..]).status(429).now(NOW));
        let fast = parse(&Response::new(&text[..]).status(429).now(NOW));
        prop_assert_eq!(fast, general);
        let fast_bytes = parse(&Response::new(&bytes[..]).status(429).now(NOW));
        prop_assert_eq!(fast_bytes, general);
        // Past the capacities too.
        let response = Response::new(&text[..]).status(429).now(NOW);
        let general: Limits<'_, 2, 1> = parse_general(&response);
        prop_assert_eq!(parse_with_capacity::<_, _, 2, 1>(&response), general);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn reused_storage_ends_up_as_a_new_parse(first in headers(), second in headers(), more in any::<bool>()) {
        let first: Vec<(&str, &str)> = first.iter().map(|(n, v)| (*n, v.as_str())).collect();
        let mut second: Vec<(&str, &str)> = second.iter().map(|(n, v)| (*n, v.as_str())).collect();
        if more {
            second.push(("Date", "not a date"));
        }
        let mut limits: Limits<'_, 2, 2> = Limits::default();
        parse_into(&Response::new(&first[..]).status(429).now(NOW), &mut limits);
        let response = Response::new(&second[..]).status(200);
        parse_into(&response, &mut limits);
        prop_assert_eq!(limits, parse_with_capacity(&response));
    }
}

#[test]
fn usual_pair_reads_alike_both_ways() {
    let headers: &[(&str, &str)] = &[
        (
            "RateLimit-Policy",
            r#""burst";q=100;w=60, "daily";q=1000;w=86400"#,
        ),
        (
            "RateLimit",
            r#""burst";r=0;t=20, "daily";r=950;t=3600, "extra";r=1;t=2"#,
        ),
    ];
    let response = Response::new(headers).status(429).now(NOW);
    let fast = parse(&response);
    let general: Limits<'_> = parse_general(&response);
    assert_eq!(fast, general);
    assert_eq!(fast.window_count(), 3);
    assert_eq!(fast.warnings().count(), 0);
}
