//! Property tests (proptest) for the public entry points of `ratelimit-governor`:
//!
//! - no entry point panics on arbitrary input: the Structured Field readers, the date,
//!   duration and number readers, and whole-response parsing with arbitrary header
//!   names, values, body, status and clock, followed by `advise`;
//! - generated valid draft-08 `RateLimit-Policy` / `RateLimit` pairs parse back to
//!   exactly the generated windows (policy id, limit, remaining, reset, window, unit);
//! - epoch resets are measured from the `Date` header and never go below zero;
//! - 10,000 list members fill the window capacity and are reported, without panic.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    reason = "test code: failing loudly is the point"
)]

use core::time::Duration;

use proptest::prelude::*;
use ratelimit_governor::number::{fraction_nanos, parse_decimal, parse_u64};
use ratelimit_governor::sf::{self, Member};
use ratelimit_governor::time::{
    parse_go_duration, parse_http_date, parse_imf_fixdate, parse_lenient_date, parse_rfc3339,
};
use ratelimit_governor::{
    Action, DEFAULT_MAX_WAIT, Limits, ParseOptions, Problem, Response, UnixTime, advise, parse,
};

/// `NOW` of `../shared/spec/headers.md` section 7.
const NOW: UnixTime = UnixTime::from_secs(1_700_000_000);

/// Largest SF Integer (15 digits).
const SF_INT_MAX: u64 = 999_999_999_999_999;

/// 256 cases per property (fast enough for every `cargo test`); `PROPTEST_CASES`
/// raises it for a longer run.
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256);
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------

/// Bytes that are sometimes random, sometimes printable ASCII, sometimes made of the
/// characters Structured Fields, dates and durations are built from.
fn fuzzy_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..96),
        "[ -~]{0,96}".prop_map(String::into_bytes),
        r#"[a-z0-9"();=,:*%@?.\- \\]{0,64}"#.prop_map(String::into_bytes),
        r"[A-Za-z0-9,:+\- ]{0,40}".prop_map(String::into_bytes),
        r"[0-9.hmsuµn+\- ]{0,24}".prop_map(String::into_bytes),
    ]
}

/// A header name: one the parser knows (in any case), or anything.
fn header_name() -> impl Strategy<Value = Vec<u8>> {
    let known = prop::sample::select(vec![
        "RateLimit",
        "RateLimit-Policy",
        "RateLimit-Limit",
        "RateLimit-Remaining",
        "RateLimit-Reset",
        "RateLimit-Name",
        "RateLimit-Observed",
        "RateLimit-ResetTime",
        "Retry-After",
        "retry-after-ms",
        "Date",
        "Age",
        "x-ratelimit-limit",
        "x-ratelimit-remaining",
        "x-ratelimit-reset",
        "x-ratelimit-used",
        "x-ratelimit-resource",
        "x-ratelimit-reset-after",
        "x-ratelimit-bucket",
        "x-ratelimit-global",
        "x-ratelimit-scope",
        "x-ratelimit-limit-tokens",
        "x-ratelimit-reset-requests",
        "x-ratelimit-limit-minute",
        "x-rate-limit-limit",
        "x-rate-limit-reset",
        "X-Rate-Limit",
        "anthropic-ratelimit-tokens-reset",
        "anthropic-ratelimit-requests-limit",
        "zendesk-ratelimit-tickets-index",
        "X-Shopify-Shop-Api-Call-Limit",
        "Sforce-Limit-Info",
        "Stripe-Should-Retry",
        "X-HubSpot-RateLimit-Max",
        "X-HubSpot-RateLimit-Interval-Milliseconds",
        "x-app-rate-limit-day-reset",
    ]);
    prop_oneof![
        3 => (known, any::<bool>()).prop_map(|(n, upper)| {
            if upper { n.to_ascii_uppercase().into_bytes() } else { n.as_bytes().to_vec() }
        }),
        1 => prop::collection::vec(any::<u8>(), 0..24),
    ]
}

/// A header value: realistic shapes mixed with noise.
fn header_value() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        fuzzy_bytes(),
        (0u64..3_000_000_000).prop_map(|n| n.to_string().into_bytes()),
        prop::sample::select(vec![
            r#""burst";q=100;w=60, "daily";q=1000;w=86400"#,
            r#""burst";r=0;t=20, "daily";r=950;t=3600"#,
            "limit=100, remaining=0, reset=5",
            "10, 10;w=1, 50;w=60",
            "Tue, 14 Nov 2023 22:15:20 GMT",
            "Tuesday, 14-Nov-23 22:15:20 GMT",
            "2023-11-14T22:14Z",
            "23h47m36.648s",
            "1700000064.57",
            "-1",
            "api-usage=10018/100000; api-bursts=1/750",
            "32/40",
            "total=100; remaining=99; resets=41",
            "user-hour-lim:3600;user-hour-rem:3598;",
        ])
        .prop_map(|s| s.as_bytes().to_vec()),
    ]
}

/// A body: none, noise, or a JSON error envelope with a number in it.
fn body() -> impl Strategy<Value = Option<Vec<u8>>> {
    prop_oneof![
        Just(None),
        fuzzy_bytes().prop_map(Some),
        (
            prop::sample::select(vec![
                "retry_after",
                "retryAfter",
                "retry_after_seconds",
                "rateLimitNextRequest",
                "message",
                "violated-policies",
            ]),
            "[0-9.a-z \"\\[\\],{}:]{0,40}"
        )
            .prop_map(|(k, v)| Some(format!(r#"{{"error":{{"{k}":{v}}}}}"#).into_bytes())),
    ]
}

/// A draft-08 policy: id (unescaped text), quota, window, optional unit.
#[derive(Clone, Debug)]
struct Policy {
    id: String,
    q: u64,
    w: u64,
    qu: Option<String>,
}

/// Remaining and reset for one policy's `RateLimit` item.
#[derive(Clone, Debug)]
struct Usage {
    r: u64,
    t: u64,
}

/// 1..8 policies with distinct ids (each with remaining <= quota) (including `"` and `\`, which must be escaped).
fn policies() -> impl Strategy<Value = Vec<(Policy, Usage)>> {
    prop::collection::btree_set(r#"[a-zA-Z0-9_.\-/ "\\]{1,12}"#, 1..=8).prop_flat_map(|ids| {
        let n = ids.len();
        let ids: Vec<String> = ids.into_iter().collect();
        let unit = prop_oneof![
            Just(None),
            prop::sample::select(vec![
                "requests",
                "content-bytes",
                "concurrent-requests",
                "tokens"
            ])
            .prop_map(|s| Some(s.to_owned())),
            "[a-z][a-z0-9-]{0,10}".prop_map(Some),
        ];
        let one = (
            0..=SF_INT_MAX,
            1..=SF_INT_MAX,
            unit,
            0..=SF_INT_MAX,
            0..=SF_INT_MAX,
        );
        prop::collection::vec(one, n).prop_map(move |rows| {
            ids.iter()
                .zip(rows)
                .map(|(id, (q, w, qu, r, t))| {
                    // remaining <= limit: a larger one is a (warned) anomaly.
                    let r = r % (q + 1);
                    (
                        Policy {
                            id: id.clone(),
                            q,
                            w,
                            qu,
                        },
                        Usage { r, t },
                    )
                })
                .collect()
        })
    })
}

/// An SF String for `s` (escaping `"` and `\`).
fn sf_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// A member separator (`,` with optional whitespace on both sides).
fn join(parts: &[String], seps: &[(bool, bool)]) -> String {
    let mut out = String::new();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            let (before, after) = seps[i % seps.len()];
            out.push_str(if before { " ," } else { "," });
            if after {
                out.push(' ');
            }
        }
        out.push_str(part);
    }
    out
}

/// Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// `secs` (Unix time) as an IMF-fixdate.
fn imf_fixdate(secs: i64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let days = secs.div_euclid(86_400);
    let tod = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{}, {d:02} {} {y:04} {:02}:{:02}:{:02} GMT",
        DAYS[days.rem_euclid(7) as usize],
        MONTHS[(m - 1) as usize],
        tod / 3600,
        tod % 3600 / 60,
        tod % 60
    )
}

// ---------------------------------------------------------------------------------
// Checks shared by the properties
// ---------------------------------------------------------------------------------

/// What must hold for any parse result and its advice.
fn check_limits(limits: &Limits<'_>) {
    for w in limits.windows() {
        if let (Some(e), Some(l)) = (w.effective_remaining(), w.limit) {
            assert!(e <= l);
        }
        if let Some(p) = w.policy {
            let _ = p.to_string();
        }
    }
    for warning in limits.warnings() {
        let _ = warning.to_string();
    }
    for max_wait in [Duration::ZERO, DEFAULT_MAX_WAIT, Duration::MAX] {
        let advice = advise(limits, max_wait);
        if advice.action == Action::Proceed {
            assert_eq!(advice.wait, Duration::ZERO, "{advice:?}");
        }
    }
}

fn walk_member(member: &Member<'_>) {
    for (_, value) in member.params().iter() {
        let _ = value.as_integer();
    }
    if let Member::InnerList(inner) = member {
        assert_eq!(inner.items().count(), inner.len());
    }
}

// ---------------------------------------------------------------------------------
// No panics
// ---------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config())]

    #[test]
    fn sf_readers_never_panic(input in fuzzy_bytes()) {
        if let Ok(item) = sf::parse_item(&input) {
            for (_, value) in item.params.iter() {
                let _ = value.as_decimal();
            }
        }
        if let Ok(list) = sf::parse_list(&input) {
            let mut n = 0;
            for member in list.iter() {
                walk_member(&member);
                n += 1;
            }
            prop_assert_eq!(n, list.len());
        }
        if let Ok(dict) = sf::parse_dictionary(&input) {
            for (key, member) in dict.iter() {
                prop_assert!(dict.contains_key(key));
                walk_member(&member);
            }
        }
    }

    #[test]
    fn date_readers_never_panic(input in fuzzy_bytes(), reference in any::<i64>()) {
        let reference = UnixTime::from_millis(reference);
        let fixdate = parse_imf_fixdate(&input);
        let http = parse_http_date(&input, reference);
        if fixdate.is_some() {
            prop_assert_eq!(http, fixdate);
        }
        let _ = parse_lenient_date(&input, reference);
        let _ = parse_lenient_date(&input, NOW);
        let _ = parse_rfc3339(&input);
    }

    #[test]
    fn duration_and_number_readers_never_panic(input in fuzzy_bytes()) {
        let _ = parse_go_duration(&input);
        let whole = parse_u64(&input);
        let decimal = parse_decimal(&input);
        if let Ok(v) = whole {
            prop_assert_eq!(decimal.map(|d| (d.whole, d.nanos)), Ok((v, 0)));
        }
        if let Ok(d) = decimal {
            prop_assert!(d.nanos < 1_000_000_000);
            let _ = (d.as_seconds(), d.as_millis_duration());
        }
        let _ = fraction_nanos(&input);
    }

    #[test]
    fn whole_response_never_panics(
        headers in prop::collection::vec((header_name(), header_value()), 0..12),
        body in body(),
        status in prop::option::of(any::<u16>()),
        now in prop::option::of(any::<i64>()),
        permissive in any::<bool>(),
    ) {
        let pairs: Vec<(&[u8], &[u8])> =
            headers.iter().map(|(n, v)| (n.as_slice(), v.as_slice())).collect();
        let mut response = Response::new(pairs.as_slice());
        if let Some(s) = status {
            response = response.status(s);
        }
        if let Some(ms) = now {
            response = response.now(UnixTime::from_millis(ms));
        }
        if let Some(b) = &body {
            response = response.body(b);
        }
        if permissive {
            response = response.options(ParseOptions {
                ignore_cached_ietf_fields: false,
                body_scan_limit: 8,
                refine_date_with_clock: true,
            });
        }
        let limits = parse(&response);
        check_limits(&limits);
        prop_assert_eq!(limits, parse(&response));
    }
}

// ---------------------------------------------------------------------------------
// Generated valid fields parse back exactly
// ---------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config())]

    #[test]
    fn draft8_pairs_round_trip(
        rows in policies(),
        order in any::<prop::sample::Index>(),
        seps in prop::collection::vec((any::<bool>(), any::<bool>()), 1..4),
        param_space in any::<bool>(),
    ) {
        let sp = if param_space { " " } else { "" };
        let policy_members: Vec<String> = rows
            .iter()
            .map(|(p, _)| {
                let mut m = format!("{};{sp}q={};{sp}w={}", sf_string(&p.id), p.q, p.w);
                if let Some(qu) = &p.qu {
                    m.push_str(&format!(";{sp}qu={}", sf_string(qu)));
                }
                m
            })
            .collect();
        // The RateLimit items in a rotated order: matching is by id, not position.
        let mut usage: Vec<&(Policy, Usage)> = rows.iter().collect();
        usage.rotate_left(order.index(rows.len()));
        let item_members: Vec<String> = usage
            .iter()
            .map(|(p, u)| format!("{};{sp}r={};{sp}t={}", sf_string(&p.id), u.r, u.t))
            .collect();
        let policy = join(&policy_members, &seps);
        let ratelimit = join(&item_members, &seps);
        let headers = [("RateLimit-Policy", policy.as_str()), ("RateLimit", ratelimit.as_str())];
        let limits = parse(&Response::new(&headers[..]).status(200).now(NOW));

        prop_assert_eq!(limits.warnings().count(), 0, "warnings: {:?}", limits.warnings().collect::<Vec<_>>());
        prop_assert_eq!(limits.window_count(), rows.len());
        for (w, (p, u)) in limits.windows().zip(usage.iter()) {
            let id = w.policy.expect("window without policy id");
            prop_assert!(id.eq_str(&p.id), "id {:?} != {:?}", id, p.id);
            prop_assert_eq!(id.to_string(), p.id.clone());
            prop_assert_eq!(w.limit, Some(p.q));
            prop_assert_eq!(w.remaining, Some(u.r));
            prop_assert_eq!(w.reset, Some(Duration::from_secs(u.t)));
            prop_assert_eq!(w.window, Some(Duration::from_secs(p.w)));
            prop_assert_eq!(w.unit.as_str(), p.qu.as_deref().unwrap_or("requests"));
        }
        // The policy field alone: every policy becomes a window of its own.
        let alone = [("RateLimit-Policy", policy.as_str())];
        let limits = parse(&Response::new(&alone[..]));
        prop_assert_eq!(limits.window_count(), rows.len());
        for (w, (p, _)) in limits.windows().zip(rows.iter()) {
            prop_assert!(w.policy.is_some_and(|id| id.eq_str(&p.id)));
            prop_assert_eq!((w.limit, w.remaining, w.reset), (Some(p.q), None, None));
        }
    }

    #[test]
    fn epoch_resets_are_measured_from_date_and_clamped(
        date in 1_100_000_000i64..4_000_000_000,
        offset in -365 * 86_400i64..=365 * 86_400,
        millis in 0i64..1000,
        skew in -86_400i64..86_400,
        family in 0u8..3,
    ) {
        let epoch = date + offset;
        let date_header = imf_fixdate(date);
        prop_assert_eq!(parse_imf_fixdate(date_header.as_bytes()), Some(UnixTime::from_secs(date)));
        let epoch_text;
        let mut headers = vec![
            ("Date", date_header.as_str()),
            ("x-ratelimit-limit", "100"),
            ("x-ratelimit-remaining", "0"),
        ];
        let expected_ms = match family {
            // Plain X-RateLimit: epoch or delta decided by magnitude (A1).
            0 => {
                epoch_text = epoch.to_string();
                (epoch - date) * 1000
            }
            // GitHub: epoch by definition.
            1 => {
                epoch_text = epoch.to_string();
                headers.push(("x-ratelimit-used", "100"));
                headers.push(("x-ratelimit-resource", "core"));
                (epoch - date) * 1000
            }
            // Discord: float epoch seconds.
            _ => {
                epoch_text = format!("{epoch}.{millis:03}");
                headers.push(("x-ratelimit-bucket", "abcd1234"));
                (epoch - date) * 1000 + millis
            }
        };
        headers.push(("x-ratelimit-reset", epoch_text.as_str()));
        // The client clock is off: the Date header must win.
        let now = UnixTime::from_secs(date + skew);
        let limits = parse(&Response::new(headers.as_slice()).status(200).now(now));
        let expected = Duration::from_millis(u64::try_from(expected_ms.max(0)).unwrap());
        prop_assert_eq!(limits.server_date(), Some(UnixTime::from_secs(date)));
        prop_assert_eq!(limits.window_count(), 1);
        let w = limits.windows().next().unwrap();
        prop_assert_eq!(w.reset, Some(expected), "epoch {} date {}", epoch_text, date);
        prop_assert_eq!(limits.exhausted_reset(), Some(expected));
    }
}

// ---------------------------------------------------------------------------------
// Capacity
// ---------------------------------------------------------------------------------

#[test]
fn ten_thousand_members_fill_capacity_and_warn() {
    const MEMBERS: usize = 10_000;
    let items: Vec<String> = (0..MEMBERS)
        .map(|i| format!(r#""p{i}";r={};t=60"#, i % 7))
        .collect();
    let value = items.join(", ");
    let headers = [("RateLimit", value.as_str())];
    let limits = parse(&Response::new(&headers[..]).status(429).now(NOW));
    assert_eq!(limits.window_count(), 16);
    let dropped: Vec<usize> = limits
        .warnings()
        .filter_map(|w| match w.problem {
            Problem::WindowCapacityExceeded { dropped } => Some(dropped),
            _ => None,
        })
        .collect();
    assert_eq!(dropped, vec![MEMBERS - 16]);
    // The stored windows are the first sixteen, in order.
    for (i, w) in limits.windows().enumerate() {
        assert!(w.policy.is_some_and(|p| p.eq_str(&format!("p{i}"))));
    }
    let _ = advise(&limits, DEFAULT_MAX_WAIT);

    // The same with as many policies: the policy field keeps what fits and says so.
    let policies: Vec<String> = (0..MEMBERS)
        .map(|i| format!(r#""p{i}";q=10;w=60"#))
        .collect();
    let policy = policies.join(", ");
    let headers = [
        ("RateLimit-Policy", policy.as_str()),
        ("RateLimit", value.as_str()),
    ];
    let limits = parse(&Response::new(&headers[..]).status(429).now(NOW));
    assert_eq!(limits.window_count(), 16);
    assert!(
        limits
            .warnings()
            .any(|w| matches!(w.problem, Problem::WindowCapacityExceeded { .. })),
        "no capacity warning: {:?}",
        limits.warnings().collect::<Vec<_>>()
    );
    let _ = advise(&limits, DEFAULT_MAX_WAIT);
}
