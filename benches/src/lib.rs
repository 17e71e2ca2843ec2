//! Shared inputs for the benchmarks in `benches/`, and the small measured bodies that
//! are run both on `ratelimit-governor` and on its peers (so a unit test can check
//! that both sides compute the same answer before their speed is compared).
//!
//! | bench | ours | peer |
//! |---|---|---|
//! | `rate_limit_policy` | [`policy_ours`] (`sf::parse_list`) | [`policy_sfv`] (`sfv` 0.16) |
//! | `http_date` | `time::parse_imf_fixdate`, `time::parse_http_date` | `httpdate::parse_http_date` |
//! | `retry_after` | `parse` of [`RETRY_AFTER_SECONDS`] / [`RETRY_AFTER_DATE`] | `headers::RetryAfter` |
//! | `response` | `parse` of [`RESPONSE_HEADERS`] | none (target < 300 ns) |
//! | `hostile` | `parse` of [`hostile_list`], [`hostile_string`], [`hostile_garbage`] | none (target well under 5 ms) |
//! | `governor` | `GovernorState::decide` / `observe` (target `decide` < 50 ns); `Backoff::delay_for`, `Schedule::next` | `backon` `ExponentialBackoff::next`, `retry-policies` `ExponentialBackoff::should_retry` (the retry step only) |
//! | `adapters` | each `ratelimit-governor-std` adapter (`ureq`, `tower`, `reqwest`) on loopback; one `try_acquire` + `observe_http` round (target: overhead under 5 % or 20 µs per request) | the same client bare |

use ratelimit_governor::UnixTime;
use ratelimit_governor::sf::{self, BareItem, Member};

pub mod sim;

/// The client clock used by every whole-response bench: `NOW` of
/// `../shared/spec/headers.md` section 7 (`Tue, 14 Nov 2023 22:13:20 GMT`).
pub const NOW: UnixTime = UnixTime::from_secs(1_700_000_000);

/// A draft-08 `RateLimit-Policy` value with two policies.
pub const POLICY_VALUE: &str = r#""burst";q=100;w=60, "daily";q=1000;w=86400"#;

/// The RFC 9110 example IMF-fixdate.
pub const IMF_DATE: &str = "Sun, 06 Nov 1994 08:49:37 GMT";

/// A response carrying only `Retry-After` in delay-seconds form (T28).
pub const RETRY_AFTER_SECONDS: [(&str, &str); 1] = [("Retry-After", "120")];

/// A response carrying only `Retry-After` in IMF-fixdate form, 120 s after [`NOW`].
pub const RETRY_AFTER_DATE: [(&str, &str); 1] = [("Retry-After", "Tue, 14 Nov 2023 22:15:20 GMT")];

/// A realistic rate-limited response: a draft-08 `RateLimit` / `RateLimit-Policy` pair
/// with two policies, `Retry-After`, `Date`, and eleven ordinary headers a parser must
/// skip (15 headers in all). Parse it with status 429 and [`NOW`].
pub const RESPONSE_HEADERS: [(&str, &str); 15] = [
    ("Date", "Tue, 14 Nov 2023 22:13:20 GMT"),
    ("Content-Type", "application/problem+json; charset=utf-8"),
    ("Content-Length", "187"),
    ("Server", "nginx/1.25.3"),
    ("Cache-Control", "no-store, max-age=0"),
    ("ETag", "W/\"bb-2j6Q3OmS1kTqiP4c0l1bX6vY4mA\""),
    ("Vary", "Accept-Encoding, Authorization"),
    ("Connection", "keep-alive"),
    ("X-Request-Id", "9f1c2b7e-6a4d-4f0e-9b3a-1d2c3e4f5a6b"),
    (
        "Strict-Transport-Security",
        "max-age=63072000; includeSubDomains; preload",
    ),
    ("Access-Control-Allow-Origin", "*"),
    ("X-Content-Type-Options", "nosniff"),
    ("RateLimit-Policy", POLICY_VALUE),
    ("RateLimit", r#""burst";r=0;t=20, "daily";r=950;t=3600"#),
    ("Retry-After", "20"),
];

/// One MiB: the size of the hostile header values.
pub const HOSTILE_LEN: usize = 1 << 20;

/// A valid draft-08 `RateLimit` List of [`HOSTILE_LEN`] bytes (about 50,000 members
/// such as `"p12345";r=5;t=60`, all distinct): far more windows than fit, so the
/// parser must walk it all and report the overflow.
pub fn hostile_list() -> String {
    let mut s = String::with_capacity(HOSTILE_LEN + 64);
    let mut i = 0u32;
    while s.len() < HOSTILE_LEN - 32 {
        if i > 0 {
            s.push_str(", ");
        }
        s.push_str(&format!("\"p{i}\";r={};t=60", i % 1000));
        i += 1;
    }
    while s.len() < HOSTILE_LEN {
        s.push(' ');
    }
    s
}

/// A `RateLimit` value that is one valid SF String of [`HOSTILE_LEN`] bytes
/// (`"aaaa…"`): valid Structured Field syntax, useless content.
pub fn hostile_string() -> String {
    let mut s = String::with_capacity(HOSTILE_LEN);
    s.push('"');
    s.extend(std::iter::repeat_n('a', HOSTILE_LEN - 2));
    s.push('"');
    s
}

/// [`HOSTILE_LEN`] bytes of printable ASCII garbage from a fixed linear congruential
/// generator (reproducible; mostly fails SF parsing early, but every fallback reader
/// of the `RateLimit` field gets to look at it).
pub fn hostile_garbage() -> String {
    let mut state: u32 = 0x2545_f491;
    (0..HOSTILE_LEN)
        .map(|_| {
            state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            char::from(b' ' + ((state >> 24) % 95) as u8)
        })
        .collect()
}

/// What the `rate_limit_policy` bodies compute from a policy List, so ours and the
/// peer can be checked to agree: the number of named policies, the total length of
/// their ids, and the sums of their `q` and `w` parameters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PolicySummary {
    /// Members that are Items with a String id.
    pub policies: usize,
    /// Sum of the ids' lengths (as sent).
    pub id_bytes: usize,
    /// Sum of the `q` parameters.
    pub quota: i64,
    /// Sum of the `w` parameters.
    pub window: i64,
}

/// Parses `value` as an SF List with `ratelimit_governor::sf` and reads every
/// member's id, `q` and `w`.
pub fn policy_ours(value: &[u8]) -> Option<PolicySummary> {
    let list = sf::parse_list(value).ok()?;
    let mut out = PolicySummary::default();
    for member in list.iter() {
        let Member::Item(item) = member else { continue };
        let Some(id) = item.bare.as_string() else {
            continue;
        };
        out.policies += 1;
        out.id_bytes += id.raw().len();
        out.quota += item
            .params
            .get("q")
            .and_then(|v| v.as_integer())
            .unwrap_or(0);
        out.window += match item.params.get("w") {
            Some(BareItem::Integer(w)) => w,
            _ => 0,
        };
    }
    Some(out)
}

/// Parses `value` as an SF List with the `sfv` crate and reads every member's id,
/// `q` and `w`, like [`policy_ours`].
pub fn policy_sfv(value: &str) -> Option<PolicySummary> {
    let list: sfv::List = sfv::Parser::new(value).parse().ok()?;
    let mut out = PolicySummary::default();
    for entry in &list {
        let sfv::ListEntry::Item(item) = entry else {
            continue;
        };
        let Some(id) = item.bare_item.as_string() else {
            continue;
        };
        out.policies += 1;
        out.id_bytes += id.as_str().len();
        let int = |key: &str| {
            item.params
                .get(key)
                .and_then(sfv::BareItem::as_integer)
                .map_or(0, i64::from)
        };
        out.quota += int("q");
        out.window += int("w");
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratelimit_governor::{Response, parse};

    #[test]
    fn policy_bodies_agree() {
        let ours = policy_ours(POLICY_VALUE.as_bytes());
        assert_eq!(ours, policy_sfv(POLICY_VALUE));
        assert_eq!(
            ours,
            Some(PolicySummary {
                policies: 2,
                id_bytes: 10,
                quota: 1100,
                window: 86460
            })
        );
    }

    #[test]
    fn response_parses_as_documented() {
        let limits = parse(&Response::new(&RESPONSE_HEADERS[..]).status(429).now(NOW));
        assert_eq!(limits.window_count(), 2);
        assert_eq!(limits.warnings().count(), 0);
        assert_eq!(
            limits.retry_after(),
            Some(std::time::Duration::from_secs(20))
        );
    }

    #[test]
    fn hostile_inputs_have_the_documented_shape() {
        let list = hostile_list();
        assert_eq!(list.len(), HOSTILE_LEN);
        assert!(sf::parse_list(list.as_bytes()).is_ok());
        let string = hostile_string();
        assert_eq!(string.len(), HOSTILE_LEN);
        assert!(sf::parse_item(string.as_bytes()).is_ok());
        assert_eq!(hostile_garbage().len(), HOSTILE_LEN);
    }
}
