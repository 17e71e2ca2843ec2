//! The rate-limit header families the simulated server speaks, and the exact text of
//! each (`../shared/spec/headers.md`): the IETF drafts 6, 7 and 8 (joined and split
//! over field lines), legacy `X-RateLimit-*` with an epoch reset, Discord's
//! `X-RateLimit-Reset-After`, OpenAI's `x-ratelimit-*-requests`, or none.
//!
//! Resets are rounded up to the family's precision: milliseconds for Discord and
//! OpenAI, whole seconds for the others (so a client never wakes early). The families
//! that carry one window report the one closest to exhaustion, as the IETF draft's
//! example B.1.2 does.

use std::fmt::Write as _;

use super::clock::{Micros, ceil_millis, ceil_secs};

/// Which rate-limit headers the server sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HeaderFormat {
    /// No rate-limit headers (only `Retry-After` on 429, if enabled).
    None,
    /// IETF draft-06: `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset`
    /// (delta seconds) for the window closest to exhaustion, and
    /// `RateLimit-Policy: 5;w=2, 15;w=10` listing every window.
    Draft6,
    /// IETF draft-07: `RateLimit: limit=5, remaining=4, reset=2` for the window
    /// closest to exhaustion, and `RateLimit-Policy: 5;w=2, 15;w=10`.
    Draft7,
    /// IETF draft-08, one line per field: `RateLimit-Policy: "a";q=5;w=2, "b";q=15;w=10`
    /// and `RateLimit: "a";r=4;t=2, "b";r=14;t=10`.
    Draft8,
    /// IETF draft-08 split over field lines: one `RateLimit-Policy` and one
    /// `RateLimit` line per window.
    Draft8Split,
    /// Legacy `X-RateLimit-Limit/-Remaining/-Reset` for the window closest to
    /// exhaustion, reset as a Unix epoch in whole seconds rounded up (GitHub style).
    LegacyEpoch,
    /// Legacy `X-RateLimit-Limit/-Remaining` plus `X-RateLimit-Reset-After` in seconds
    /// with millisecond precision (Discord style) for the window closest to exhaustion.
    LegacyResetAfterMs,
    /// OpenAI's `x-ratelimit-limit-requests`, `x-ratelimit-remaining-requests` and
    /// `x-ratelimit-reset-requests` (a Go duration such as `1m30.5s` or `20ms`, whole
    /// milliseconds) for the window closest to exhaustion.
    OpenAi,
}

/// One window as the server reads it out after handling a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reading<'a> {
    /// Policy name.
    pub name: &'a str,
    /// Requests per window.
    pub limit: u64,
    /// Window length.
    pub length: Micros,
    /// Units left.
    pub remaining: u64,
    /// Time until the window resets, as the server reads it.
    pub reset: Micros,
}

impl HeaderFormat {
    /// Every family that carries rate-limit headers.
    pub const WITH_HEADERS: [HeaderFormat; 7] = [
        HeaderFormat::Draft6,
        HeaderFormat::Draft7,
        HeaderFormat::Draft8,
        HeaderFormat::Draft8Split,
        HeaderFormat::LegacyEpoch,
        HeaderFormat::LegacyResetAfterMs,
        HeaderFormat::OpenAi,
    ];

    /// A short label for tables.
    pub const fn label(self) -> &'static str {
        match self {
            HeaderFormat::None => "none",
            HeaderFormat::Draft6 => "draft-6",
            HeaderFormat::Draft7 => "draft-7",
            HeaderFormat::Draft8 => "draft-8",
            HeaderFormat::Draft8Split => "draft-8 split",
            HeaderFormat::LegacyEpoch => "x-ratelimit epoch",
            HeaderFormat::LegacyResetAfterMs => "discord reset-after ms",
            HeaderFormat::OpenAi => "openai go-duration",
        }
    }

    /// Whether resets carry milliseconds (else whole seconds, rounded up).
    pub const fn millis(self) -> bool {
        matches!(
            self,
            HeaderFormat::LegacyResetAfterMs | HeaderFormat::OpenAi
        )
    }

    /// Appends this family's headers for `windows` to `out`; `wall_now` is the
    /// server's wall clock in µs past the Unix epoch (for epoch resets).
    pub fn write(self, windows: &[Reading<'_>], wall_now: Micros, out: &mut Vec<(String, String)>) {
        match self {
            HeaderFormat::None => {}
            HeaderFormat::Draft6 | HeaderFormat::Draft7 => {
                let Some(w) = closest_to_exhaustion(windows) else {
                    return;
                };
                let reset = ceil_secs(w.reset);
                if self == HeaderFormat::Draft6 {
                    push(out, "RateLimit-Limit", w.limit.to_string());
                    push(out, "RateLimit-Remaining", w.remaining.to_string());
                    push(out, "RateLimit-Reset", reset.to_string());
                } else {
                    let value = format!(
                        "limit={}, remaining={}, reset={reset}",
                        w.limit, w.remaining
                    );
                    push(out, "RateLimit", value);
                }
                let policies: Vec<String> = windows
                    .iter()
                    .map(|w| format!("{};w={}", w.limit, policy_secs(w.length)))
                    .collect();
                push(out, "RateLimit-Policy", policies.join(", "));
            }
            HeaderFormat::Draft8 => {
                let mut policy = String::new();
                let mut state = String::new();
                for (i, w) in windows.iter().enumerate() {
                    let sep = if i == 0 { "" } else { ", " };
                    let _ = write!(policy, "{sep}{}", draft8_policy(w));
                    let _ = write!(state, "{sep}{}", draft8_state(w));
                }
                push(out, "RateLimit-Policy", policy);
                push(out, "RateLimit", state);
            }
            HeaderFormat::Draft8Split => {
                for w in windows {
                    push(out, "RateLimit-Policy", draft8_policy(w));
                }
                for w in windows {
                    push(out, "RateLimit", draft8_state(w));
                }
            }
            HeaderFormat::LegacyEpoch | HeaderFormat::LegacyResetAfterMs => {
                let Some(w) = closest_to_exhaustion(windows) else {
                    return;
                };
                push(out, "X-RateLimit-Limit", w.limit.to_string());
                push(out, "X-RateLimit-Remaining", w.remaining.to_string());
                if self == HeaderFormat::LegacyEpoch {
                    let at = ceil_secs(wall_now.saturating_add(w.reset));
                    push(out, "X-RateLimit-Reset", at.to_string());
                } else {
                    let ms = ceil_millis(w.reset);
                    let value = format!("{}.{:03}", ms / 1000, ms % 1000);
                    push(out, "X-RateLimit-Reset-After", value);
                }
            }
            HeaderFormat::OpenAi => {
                let Some(w) = closest_to_exhaustion(windows) else {
                    return;
                };
                push(out, "x-ratelimit-limit-requests", w.limit.to_string());
                push(
                    out,
                    "x-ratelimit-remaining-requests",
                    w.remaining.to_string(),
                );
                let reset = go_duration_millis(ceil_millis(w.reset));
                push(out, "x-ratelimit-reset-requests", reset);
            }
        }
    }
}

fn push(out: &mut Vec<(String, String)>, name: &str, value: String) {
    out.push((name.to_owned(), value));
}

/// A window length as the policies' `w` (whole seconds, at least 1).
fn policy_secs(length: Micros) -> u64 {
    ceil_secs(length).max(1)
}

fn draft8_policy(w: &Reading<'_>) -> String {
    format!("\"{}\";q={};w={}", w.name, w.limit, policy_secs(w.length))
}

fn draft8_state(w: &Reading<'_>) -> String {
    format!("\"{}\";r={};t={}", w.name, w.remaining, ceil_secs(w.reset))
}

/// The window a single-window family reports: an exhausted one with the longest
/// reset, else the one with the smallest share of its limit left.
pub fn closest_to_exhaustion<'r, 'a>(windows: &'r [Reading<'a>]) -> Option<&'r Reading<'a>> {
    let exhausted = windows
        .iter()
        .filter(|w| w.remaining == 0)
        .max_by_key(|w| w.reset);
    exhausted.or_else(|| {
        windows.iter().min_by(|a, b| {
            let left = u128::from(a.remaining) * u128::from(b.limit);
            let right = u128::from(b.remaining) * u128::from(a.limit);
            left.cmp(&right)
        })
    })
}

/// `ms` milliseconds as Go's `time.Duration.String` prints it: `0s`, `20ms`,
/// `1.5s`, `6m0s`, `1h2m3.25s`.
pub fn go_duration_millis(ms: u64) -> String {
    if ms == 0 {
        return "0s".to_owned();
    }
    if ms < 1000 {
        return format!("{ms}ms");
    }
    let total = ms / 1000;
    let (h, m, s) = (total / 3600, total % 3600 / 60, total % 60);
    let frac = ms % 1000;
    let mut out = String::new();
    if h > 0 {
        let _ = write!(out, "{h}h");
    }
    if h > 0 || m > 0 {
        let _ = write!(out, "{m}m");
    }
    let _ = write!(out, "{s}");
    if frac > 0 {
        let digits = format!("{frac:03}");
        let _ = write!(out, ".{}", digits.trim_end_matches('0'));
    }
    out.push('s');
    out
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use ratelimit_governor::{Response, UnixTime, parse};

    use super::*;

    use super::super::clock::SEC;

    const NOW_SECS: u64 = 1_700_000_000;

    const fn secs(s: u64) -> Micros {
        s * SEC
    }

    fn two_windows() -> [Reading<'static>; 2] {
        [
            Reading {
                name: "a",
                limit: 5,
                length: secs(2),
                remaining: 4,
                reset: 1_500_000,
            },
            Reading {
                name: "b",
                limit: 15,
                length: secs(10),
                remaining: 3,
                reset: 9_000_001,
            },
        ]
    }

    fn headers(format: HeaderFormat) -> Vec<(String, String)> {
        let mut out = vec![(
            "Date".to_owned(),
            "Tue, 14 Nov 2023 22:13:20 GMT".to_owned(),
        )];
        format.write(&two_windows(), secs(NOW_SECS), &mut out);
        out
    }

    /// (limit, remaining, reset in ms, window length in s) of one parsed window.
    type Parsed = (Option<u64>, Option<u64>, Option<u128>, Option<u64>);

    /// Every window the parser reads from `format`'s headers, sorted.
    fn parsed(format: HeaderFormat) -> Vec<Parsed> {
        let h = headers(format);
        let pairs: Vec<(&str, &str)> = h.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let limits = parse(
            &Response::new(&pairs[..])
                .status(200)
                .now(UnixTime::from_secs(NOW_SECS as i64)),
        );
        assert_eq!(limits.warnings().count(), 0, "{format:?}: {h:?}");
        let mut out: Vec<_> = limits
            .windows()
            .map(|w| {
                (
                    w.limit,
                    w.remaining,
                    w.reset.map(|d| d.as_millis()),
                    w.window.map(|d: Duration| d.as_secs()),
                )
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn each_family_has_the_documented_text() {
        let text = |f| {
            headers(f)
                .into_iter()
                .skip(1)
                .map(|(n, v)| format!("{n}: {v}"))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            text(HeaderFormat::Draft6),
            [
                "RateLimit-Limit: 15",
                "RateLimit-Remaining: 3",
                "RateLimit-Reset: 10",
                "RateLimit-Policy: 5;w=2, 15;w=10"
            ]
        );
        assert_eq!(
            text(HeaderFormat::Draft7),
            [
                "RateLimit: limit=15, remaining=3, reset=10",
                "RateLimit-Policy: 5;w=2, 15;w=10"
            ]
        );
        assert_eq!(
            text(HeaderFormat::Draft8),
            [
                "RateLimit-Policy: \"a\";q=5;w=2, \"b\";q=15;w=10",
                "RateLimit: \"a\";r=4;t=2, \"b\";r=3;t=10"
            ]
        );
        assert_eq!(
            text(HeaderFormat::Draft8Split),
            [
                "RateLimit-Policy: \"a\";q=5;w=2",
                "RateLimit-Policy: \"b\";q=15;w=10",
                "RateLimit: \"a\";r=4;t=2",
                "RateLimit: \"b\";r=3;t=10"
            ]
        );
        assert_eq!(
            text(HeaderFormat::LegacyEpoch),
            [
                "X-RateLimit-Limit: 15",
                "X-RateLimit-Remaining: 3",
                "X-RateLimit-Reset: 1700000010"
            ]
        );
        assert_eq!(
            text(HeaderFormat::LegacyResetAfterMs),
            [
                "X-RateLimit-Limit: 15",
                "X-RateLimit-Remaining: 3",
                "X-RateLimit-Reset-After: 9.001"
            ]
        );
        assert_eq!(
            text(HeaderFormat::OpenAi),
            [
                "x-ratelimit-limit-requests: 15",
                "x-ratelimit-remaining-requests: 3",
                "x-ratelimit-reset-requests: 9.001s"
            ]
        );
        assert!(text(HeaderFormat::None).is_empty());
    }

    #[test]
    fn the_parser_reads_every_family_as_sent() {
        let both = vec![
            (Some(5), Some(4), Some(2_000), Some(2)),
            (Some(15), Some(3), Some(10_000), Some(10)),
        ];
        assert_eq!(parsed(HeaderFormat::Draft8), both);
        assert_eq!(parsed(HeaderFormat::Draft8Split), both);
        let b = (Some(15), Some(3), Some(10_000), Some(10));
        assert!(
            parsed(HeaderFormat::Draft6).contains(&b),
            "{:?}",
            parsed(HeaderFormat::Draft6)
        );
        assert!(
            parsed(HeaderFormat::Draft7).contains(&b),
            "{:?}",
            parsed(HeaderFormat::Draft7)
        );
        assert_eq!(
            parsed(HeaderFormat::LegacyEpoch),
            [(Some(15), Some(3), Some(10_000), None)]
        );
        assert_eq!(
            parsed(HeaderFormat::LegacyResetAfterMs),
            [(Some(15), Some(3), Some(9_001), None)]
        );
        assert_eq!(
            parsed(HeaderFormat::OpenAi),
            [(Some(15), Some(3), Some(9_001), None)]
        );
        assert!(parsed(HeaderFormat::None).is_empty());
    }

    #[test]
    fn go_durations_print_as_go_prints_them() {
        for (ms, text) in [
            (0, "0s"),
            (20, "20ms"),
            (1_000, "1s"),
            (1_500, "1.5s"),
            (90_500, "1m30.5s"),
            (360_000, "6m0s"),
            (3_723_250, "1h2m3.25s"),
            (86_400_005, "24h0m0.005s"),
        ] {
            assert_eq!(go_duration_millis(ms), text);
        }
    }

    #[test]
    fn single_window_families_report_the_window_closest_to_exhaustion() {
        let mut w = two_windows();
        assert_eq!(closest_to_exhaustion(&w).map(|r| r.name), Some("b"));
        w[0].remaining = 0;
        assert_eq!(closest_to_exhaustion(&w).map(|r| r.name), Some("a"));
    }
}
