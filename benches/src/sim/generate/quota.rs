//! The quota of a generated server and the size of its job: 1-3 windows of 1 s to
//! 1 day with limits of 1 to 10,000, consistent with each other (a longer window has
//! a larger limit and no higher rate), one of them binding, and a job that spans about
//! 1-5 windows of the binding limit and at most [`MAX_REQUESTS`] requests.

use super::super::clock::{Micros, SEC};
use super::super::window::{WindowKind, WindowSpec};
use super::draw::Draw;

/// The largest job.
pub const MAX_REQUESTS: u64 = 3_000;
/// The largest limit of any window.
pub const MAX_LIMIT: u64 = 10_000;
/// The longest window, in seconds.
pub const MAX_WINDOW_SECS: u64 = 86_400;
/// Window lengths servers like to use, in seconds.
const USUAL_LENGTHS: [u64; 17] = [
    1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21_600, 43_200, 86_400,
];

/// What the rest of the scenario asks of the quota.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QuotaRules {
    /// How every window counts.
    pub kind: WindowKind,
    /// The longest window allowed, in seconds.
    pub longest_secs: u64,
    /// The smallest limit of any window.
    pub min_limit: u64,
    /// The smallest job.
    pub min_requests: u64,
}

/// The drawn windows (shortest first) and job.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quota {
    /// The windows, shortest first; limits grow with lengths.
    pub windows: Vec<WindowSpec>,
    /// Index of the window the job was sized against.
    pub binding: usize,
    /// Requests in the job.
    pub requests: u64,
}

/// How the job relates to the binding limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Span {
    /// Exactly k windows' worth (the knife edge where a lost unit costs a window).
    Whole,
    /// One request more than k windows' worth.
    WholePlusOne,
    /// Anything from 1 to 5 windows' worth.
    Any,
}

/// `secs` as a policy name: `10s`, `5m`, `1h`, `1d`, `90s`.
pub fn length_name(secs: u64) -> String {
    match secs {
        s if s % 86_400 == 0 => format!("{}d", s / 86_400),
        s if s % 3_600 == 0 => format!("{}h", s / 3_600),
        s if s % 60 == 0 => format!("{}m", s / 60),
        s => format!("{s}s"),
    }
}

/// 1-3 window lengths in seconds, ascending, each at least twice the previous.
fn lengths(d: &mut Draw, longest: u64) -> Vec<u64> {
    let count = d.weighted(&[(50, 1usize), (35, 2), (15, 3)]);
    let usual: Vec<u64> = USUAL_LENGTHS
        .iter()
        .copied()
        .filter(|&s| s <= longest)
        .collect();
    let mut drawn: Vec<u64> = (0..count)
        .map(|_| {
            if d.chance(0.6) {
                d.pick(&usual)
            } else {
                d.log_between(1, longest)
            }
        })
        .collect();
    drawn.sort_unstable();
    let mut out: Vec<u64> = Vec::with_capacity(count);
    for s in drawn {
        if out.last().is_none_or(|&prev| s >= 2 * prev) {
            out.push(s);
        }
    }
    out
}

/// Draws the windows and the job under `rules`.
pub fn draw_quota(d: &mut Draw, rules: &QuotaRules) -> Quota {
    let secs = lengths(d, rules.longest_secs.clamp(1, MAX_WINDOW_SECS));
    let n = secs.len();
    let b = usize::try_from(d.between(0, n as u64 - 1)).unwrap_or(0);
    let span = d.weighted(&[(2, Span::Whole), (1, Span::WholePlusOne), (7, Span::Any)]);
    let (k, ratio) = match span {
        Span::Any => (0, d.real(1.0, 5.0)),
        _ => {
            let k = d.between(1, 5);
            (k, k as f64)
        }
    };
    let lo = rules.min_limit.max(1);
    let hi = ((MAX_REQUESTS - 1) as f64 / ratio).floor() as u64;
    let binding_limit = d.log_between(lo, hi.max(lo));
    let requests = match span {
        Span::Whole => k * binding_limit,
        Span::WholePlusOne => k * binding_limit + 1,
        Span::Any => (ratio * binding_limit as f64).round() as u64,
    };
    let requests = requests.max(rules.min_requests).max(1);

    // Limits outward from the binding window: shorter windows get smaller limits but
    // no lower rate (so they do not bind the job instead), longer ones larger limits
    // but no higher rate than the next shorter one.
    let mut limits: Vec<Option<u64>> = vec![None; n];
    limits[b] = Some(binding_limit);
    let (mut next_limit, mut next_secs) = (binding_limit, secs[b]);
    for i in (0..b).rev() {
        let lower = (u128::from(next_limit) * u128::from(secs[i]))
            .div_ceil(u128::from(next_secs))
            .max(u128::from(lo)) as u64;
        if next_limit > lower {
            let l = d.log_between(lower, next_limit - 1);
            limits[i] = Some(l);
            (next_limit, next_secs) = (l, secs[i]);
        }
    }
    let (mut prev_limit, mut prev_secs) = (binding_limit, secs[b]);
    for i in b + 1..n {
        let cap = u128::from(prev_limit) * u128::from(secs[i]) / u128::from(prev_secs);
        let cap = u64::try_from(cap).unwrap_or(MAX_LIMIT).min(MAX_LIMIT);
        if cap > prev_limit {
            let l = d.log_between(prev_limit + 1, cap);
            limits[i] = Some(l);
            (prev_limit, prev_secs) = (l, secs[i]);
        }
    }
    let mut windows = Vec::with_capacity(n);
    let mut binding = 0;
    for (i, (&s, limit)) in secs.iter().zip(&limits).enumerate() {
        let Some(limit) = *limit else { continue };
        if i == b {
            binding = windows.len();
        }
        let length: Micros = s * SEC;
        windows.push(WindowSpec::new(&length_name(s), rules.kind, limit, length));
    }
    Quota {
        windows,
        binding,
        requests,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_use_the_largest_whole_unit() {
        for (secs, name) in [
            (1, "1s"),
            (90, "90s"),
            (300, "5m"),
            (7200, "2h"),
            (86_400, "1d"),
        ] {
            assert_eq!(length_name(secs), name);
        }
    }

    #[test]
    fn drawn_quotas_are_consistent_and_sized_as_documented() {
        let rules = QuotaRules {
            kind: WindowKind::Fixed,
            longest_secs: MAX_WINDOW_SECS,
            min_limit: 1,
            min_requests: 1,
        };
        let mut d = Draw::new(1);
        let mut window_counts = [0u32; 4];
        for _ in 0..2_000 {
            let q = draw_quota(&mut d, &rules);
            window_counts[q.windows.len()] += 1;
            assert!(q.requests >= 1 && q.requests <= MAX_REQUESTS, "{q:?}");
            let binding = &q.windows[q.binding];
            // About 1-5 windows of the binding limit.
            assert!(
                q.requests >= binding.limit && q.requests <= 5 * binding.limit + 1,
                "{q:?}"
            );
            for pair in q.windows.windows(2) {
                let (short, long) = (&pair[0], &pair[1]);
                assert!(long.length >= 2 * short.length, "{q:?}");
                assert!(long.limit > short.limit, "{q:?}");
                // No higher rate in the longer window.
                assert!(
                    u128::from(long.limit) * u128::from(short.length)
                        <= u128::from(short.limit) * u128::from(long.length),
                    "{q:?}"
                );
            }
            for w in &q.windows {
                assert!((1..=MAX_LIMIT).contains(&w.limit), "{q:?}");
                assert!((SEC..=MAX_WINDOW_SECS * SEC).contains(&w.length), "{q:?}");
            }
        }
        assert_eq!(window_counts[0], 0);
        assert!(
            window_counts[1..].iter().all(|&n| n > 100),
            "{window_counts:?}"
        );
    }

    #[test]
    fn every_limit_respects_the_floor() {
        let rules = QuotaRules {
            kind: WindowKind::Sliding,
            longest_secs: 3600,
            min_limit: 256,
            min_requests: 64,
        };
        let mut d = Draw::new(2);
        for _ in 0..500 {
            let q = draw_quota(&mut d, &rules);
            assert!(q.windows.iter().all(|w| w.limit >= 256), "{q:?}");
            assert!(q.windows.iter().all(|w| w.length <= 3600 * SEC));
        }
    }
}
