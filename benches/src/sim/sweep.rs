//! A range of generated scenarios judged one by one ([`super::invariants`]) and
//! summarized per class: how many pass, the worst ratio to the bound the class is
//! judged against (and to the fair and min-RTT bounds), rejections (those forced by
//! first contact with a drained key apart), which invariants failed and the failing
//! seeds. Also reads seed lists (the
//! regression file: one seed a line, `#` starts a comment).

use std::fmt::Write as _;

use super::generate::Class;
use super::invariants::{Rule, Verdict, judge};

/// The figures of one class over a sweep.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ClassSummary {
    /// Scenarios of the class.
    pub scenarios: u32,
    /// Scenarios where every invariant held.
    pub passed: u32,
    /// The worst completion / judged bound ([`Verdict::judged_bound`]: the
    /// probe-first fair bound for a class (a) client with several workers, the fair
    /// bound otherwise) among runs that finished, and its seed.
    pub worst_ratio: Option<(f64, u64)>,
    /// The worst completion / fair bound among runs that finished, and its seed.
    pub worst_fair_ratio: Option<(f64, u64)>,
    /// The worst completion / min-RTT bound among runs that finished, and its seed
    /// (reported only: the invariants use the fair bound).
    pub worst_min_rtt_ratio: Option<(f64, u64)>,
    /// 429s of the governor, summed.
    pub rejected: u64,
    /// 429s of the governor forced by first contact with a drained key
    /// ([`super::engine::RunResult::forced_rejections`]), summed.
    pub forced: u64,
    /// Requests of the jobs, summed.
    pub requests: u64,
    /// Scenarios failing each rule.
    pub by_rule: Vec<(Rule, u32)>,
    /// The failing seeds.
    pub failing: Vec<u64>,
}

/// Judges every seed of `seeds`.
pub fn sweep(seeds: &[u64]) -> Vec<Verdict> {
    seeds.iter().map(|&s| judge(s)).collect()
}

/// The per-class figures of `verdicts`, in [`Class::ALL`] order.
pub fn summarize(verdicts: &[Verdict]) -> Vec<(Class, ClassSummary)> {
    Class::ALL
        .into_iter()
        .map(|class| {
            let mut sum = ClassSummary::default();
            for v in verdicts.iter().filter(|v| v.class == class) {
                sum.scenarios += 1;
                sum.rejected += v.ours.rejected;
                sum.forced += v.ours.forced_rejections;
                sum.requests += v.ours.requests;
                if v.ours.done == v.ours.requests {
                    worsen(&mut sum.worst_ratio, v.judged_ratio(), v.seed);
                    worsen(&mut sum.worst_fair_ratio, v.ours.ratio(), v.seed);
                    worsen(&mut sum.worst_min_rtt_ratio, v.ours.min_rtt_ratio(), v.seed);
                }
                if v.pass() {
                    sum.passed += 1;
                } else {
                    sum.failing.push(v.seed);
                }
                let mut rules: Vec<Rule> = v.failures.iter().map(|f| f.rule).collect();
                rules.dedup();
                for rule in rules {
                    match sum.by_rule.iter_mut().find(|(r, _)| *r == rule) {
                        Some((_, n)) => *n += 1,
                        None => sum.by_rule.push((rule, 1)),
                    }
                }
            }
            sum.by_rule.sort();
            (class, sum)
        })
        .collect()
}

/// Keeps the larger of `worst` and `(ratio, seed)`.
fn worsen(worst: &mut Option<(f64, u64)>, ratio: f64, seed: u64) {
    if worst.is_none_or(|(w, _)| ratio > w) {
        *worst = Some((ratio, seed));
    }
}

/// A markdown table of [`summarize`], then the failing seeds per class. The judged
/// ratio is the one the invariants use; the fair and min-RTT columns are for
/// comparison. Forced 429s are those of first contact with a drained key, counted
/// in the 429s too.
pub fn table(verdicts: &[Verdict]) -> String {
    let mut out = String::from(
        "| class | scenarios | pass | worst judged ratio (seed) | worst x fair bound (seed) | worst x min-RTT bound (seed) | 429s / requests | forced first-contact 429s | failing invariants |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|---|\n",
    );
    let summaries = summarize(verdicts);
    let show = |worst: Option<(f64, u64)>| {
        worst.map_or("-".to_owned(), |(r, seed)| format!("{r:.3} ({seed})"))
    };
    for (class, s) in &summaries {
        let rules: Vec<String> = s
            .by_rule
            .iter()
            .map(|&(r, n)| format!("{r:?} {n}"))
            .collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} / {} | {} | {} |",
            class.label(),
            s.scenarios,
            s.passed,
            show(s.worst_ratio),
            show(s.worst_fair_ratio),
            show(s.worst_min_rtt_ratio),
            s.rejected,
            s.requests,
            s.forced,
            rules.join(", ")
        );
    }
    for (class, s) in &summaries {
        if !s.failing.is_empty() {
            let seeds: Vec<String> = s.failing.iter().map(u64::to_string).collect();
            let _ = writeln!(out, "\nfailing {}: {}", class.label(), seeds.join(" "));
        }
    }
    out
}

/// The seeds of a seed list: one per line, `#` starts a comment, blank lines are
/// skipped. An unreadable line is an error naming it.
pub fn parse_seed_list(text: &str) -> Result<Vec<u64>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let data = line.split('#').next().unwrap_or("").trim();
        if data.is_empty() {
            continue;
        }
        match data.parse() {
            Ok(seed) => out.push(seed),
            Err(_) => return Err(format!("line {}: {line:?} is not a seed", i + 1)),
        }
    }
    Ok(out)
}

/// The seeds of `A..B` (B excluded) or `A..=B` (B included).
pub fn parse_range(text: &str) -> Option<Vec<u64>> {
    let (a, b) = text.split_once("..")?;
    let a: u64 = a.trim().parse().ok()?;
    let (b, inclusive) = match b.strip_prefix('=') {
        Some(b) => (b.trim().parse::<u64>().ok()?, true),
        None => (b.trim().parse::<u64>().ok()?, false),
    };
    let end = if inclusive { b.checked_add(1)? } else { b };
    (a < end).then(|| (a..end).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_lists_skip_comments_and_reject_garbage() {
        let text = "# regressions\n17  # sends at once after a reset\n\n  42\n";
        assert_eq!(parse_seed_list(text), Ok(vec![17, 42]));
        assert!(parse_seed_list("12\nabc\n").unwrap_err().contains("line 2"));
    }

    #[test]
    fn ranges_follow_rust_syntax() {
        assert_eq!(parse_range("1..4"), Some(vec![1, 2, 3]));
        assert_eq!(parse_range("1..=4"), Some(vec![1, 2, 3, 4]));
        assert_eq!(parse_range("4..4"), None);
        assert_eq!(parse_range("x..4"), None);
    }

    #[test]
    fn the_summary_counts_every_verdict_once() {
        let verdicts = sweep(&[1, 2, 3, 4, 5, 6]);
        let summaries = summarize(&verdicts);
        let total: u32 = summaries.iter().map(|(_, s)| s.scenarios).sum();
        assert_eq!(total, 6);
        for (_, s) in &summaries {
            assert_eq!(s.passed as usize + s.failing.len(), s.scenarios as usize);
            assert!(s.forced <= s.rejected);
            // The judged bound is never below the fair bound.
            if let (Some((judged, _)), Some((fair, _))) = (s.worst_ratio, s.worst_fair_ratio) {
                assert!(judged <= fair);
            }
        }
        assert!(table(&verdicts).starts_with("| class |"));
    }
}
