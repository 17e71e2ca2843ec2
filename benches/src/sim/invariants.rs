//! The invariants every generated scenario ([`super::generate`]) is held to, for the
//! library's governor with its default configuration (`Strategy::Ours`) except
//! `max_wait`, which a generated scenario sets to its longest window plus 2 min (the
//! wait a job against such a window tolerates, [`super::generate::MAX_WAIT_SLACK`]).
//!
//! Every ratio is to the fair bound ([`super::fair_bound`]): the perfect client on
//! the run's own network delays, so a run is never held to round trips it did not
//! get. The min-RTT bound is reported next to it.
//!
//! | class | invariant |
//! |---|---|
//! | (a) one client, headers | 0 rejections; completion <= 1.02 x the oracle's bound (1.10 x when resets are whole seconds and a window is 2 s or shorter) |
//! | (b) K sharers, headers | at most 0.5% of the job rejected; completion <= 1.15 x the bound |
//! | (c) no headers | no more rejections and no more time than (b) honour-Retry-After in the same scenario and seed; completion <= 1.05 x the bound |
//! | every class | every request done; no single wait longer than the longest window plus 1 s unless a server hint (`Retry-After`, a reset) named a later instant; no livelock |
//!
//! A failed invariant carries its figures and the command that replays the scenario.

use super::bounds::Bounds;
use super::clock::{SEC, secs};
use super::engine::{RunResult, run_with_bounds};
use super::generate::{Class, generate};
use super::scenario::Scenario;
use super::strategy::Strategy;

/// Largest completion / bound for one client with headers.
pub const ONE_CLIENT_RATIO: f64 = 1.02;
/// Largest completion / bound for one client when resets are whole seconds and some
/// window is [`COARSE_WINDOW`] or shorter (rounding up costs up to 1 s per window).
pub const COARSE_RESET_RATIO: f64 = 1.10;
/// Windows this short or shorter make whole-second resets coarse.
pub const COARSE_WINDOW: u64 = 2 * SEC;
/// Largest completion / bound for K sharers.
pub const SHARERS_RATIO: f64 = 1.15;
/// Largest share of the job rejected for K sharers.
pub const SHARERS_REJECTED: f64 = 0.005;
/// Largest completion / bound without headers.
pub const HEADERLESS_RATIO: f64 = 1.05;

/// Which invariant failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    /// Some request was never done (a give-up, a livelock, the horizon).
    Unfinished,
    /// More rejections than the class allows.
    Rejections,
    /// Slower than the class allows.
    Slow,
    /// More rejections or more time than (b) honour-Retry-After.
    WorseThanRetryAfter,
    /// A wait longer than the longest window plus 1 s that no hint asked for.
    OverlongWait,
    /// A worker decided [`super::engine::MAX_IDLE_DECISIONS`] times without sending.
    Livelock,
}

/// One failed invariant.
#[derive(Clone, Debug, PartialEq)]
pub struct Failure {
    /// The invariant.
    pub rule: Rule,
    /// Its figures.
    pub detail: String,
}

/// Every check of one generated scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    /// The seed.
    pub seed: u64,
    /// The class.
    pub class: Class,
    /// The scenario's one-line description.
    pub title: String,
    /// The governor's run.
    pub ours: RunResult,
    /// (b) honour-Retry-After's run (class (c) only).
    pub retry_after: Option<RunResult>,
    /// The ratio the class allows in this scenario.
    pub ratio_limit: f64,
    /// The invariants that failed.
    pub failures: Vec<Failure>,
}

impl Verdict {
    /// Whether every invariant held.
    pub fn pass(&self) -> bool {
        self.failures.is_empty()
    }

    /// A multi-line report of the failures with the replay command.
    pub fn explain(&self) -> String {
        let mut out = format!(
            "seed {} {}: {}\n  {}\n",
            self.seed,
            self.class.label(),
            if self.pass() { "pass" } else { "FAIL" },
            self.title
        );
        for f in &self.failures {
            out.push_str(&format!("  - {:?}: {}\n", f.rule, f.detail));
        }
        out.push_str(&format!("  replay: {}\n", replay_command(self.seed)));
        out
    }
}

/// The command that replays the scenario of `seed` with a trace of the governor.
pub fn replay_command(seed: u64) -> String {
    format!(
        "cargo run --release -p ratelimit-governor-benches --bin simulate -- --generated {seed} --trace ours"
    )
}

/// The ratio a scenario's class allows.
pub fn ratio_limit(scenario: &Scenario) -> f64 {
    match Class::of(scenario) {
        Some(Class::OneClient) => {
            let coarse = !scenario.server.format.millis()
                && scenario.server.shortest_window() <= COARSE_WINDOW;
            if coarse {
                COARSE_RESET_RATIO
            } else {
                ONE_CLIENT_RATIO
            }
        }
        Some(Class::Sharers) => SHARERS_RATIO,
        Some(Class::Headerless) | None => HEADERLESS_RATIO,
    }
}

fn figures(r: &RunResult) -> String {
    format!(
        "{} done/{}, {} 429s, {:.2} s = {:.4} x fair bound {:.2} s ({:.4} x min-RTT bound {:.2} s)",
        r.done,
        r.requests,
        r.rejected,
        r.completion_secs(),
        r.ratio(),
        secs(r.lower_bound),
        r.min_rtt_ratio(),
        secs(r.min_rtt_bound)
    )
}

/// The invariants of `scenario`'s class for the governor's run `ours`, and
/// (class (c)) for (b)'s run in the same scenario and seed.
pub fn check(
    scenario: &Scenario,
    ours: &RunResult,
    retry_after: Option<&RunResult>,
) -> Vec<Failure> {
    let mut out = Vec::new();
    let mut fail = |rule, detail: String| out.push(Failure { rule, detail });
    let class = Class::of(scenario).unwrap_or(Class::Headerless);
    let limit = ratio_limit(scenario);
    if ours.done < ours.requests {
        fail(
            Rule::Unfinished,
            format!(
                "{}; {} give-ups, {} livelocks{}",
                figures(ours),
                ours.give_ups,
                ours.livelocks,
                if ours.cut_short { ", cut short" } else { "" }
            ),
        );
    }
    if ours.livelocks > 0 {
        fail(
            Rule::Livelock,
            format!("{} workers stopped without sending", ours.livelocks),
        );
    }
    if let Some(w) = ours.first_overlong {
        fail(
            Rule::OverlongWait,
            format!(
                "{} waits too long; first at {:.3} s by worker {}: {:.3} s > {:.3} s allowed",
                ours.overlong_waits,
                secs(w.at),
                w.worker,
                secs(w.wait),
                secs(w.allowed)
            ),
        );
    }
    let rejections_allowed = match class {
        Class::OneClient => Some(0),
        Class::Sharers => Some((SHARERS_REJECTED * ours.requests as f64).floor() as u64),
        Class::Headerless => None,
    };
    if let Some(allowed) = rejections_allowed
        && ours.rejected > allowed
    {
        fail(
            Rule::Rejections,
            format!(
                "{} 429s > {allowed} allowed; {}",
                ours.rejected,
                figures(ours)
            ),
        );
    }
    if ours.done == ours.requests && ours.ratio() > limit {
        fail(Rule::Slow, format!("{} > {limit} x", figures(ours)));
    }
    if let Some(b) = retry_after.filter(|_| class == Class::Headerless)
        && (ours.rejected > b.rejected || ours.completion > b.completion)
    {
        fail(
            Rule::WorseThanRetryAfter,
            format!("ours {}; b {}", figures(ours), figures(b)),
        );
    }
    out
}

/// Generates the scenario of `seed`, runs the governor (and, without headers, (b)) in
/// it with run seed `seed`, and checks every invariant.
pub fn judge(seed: u64) -> Verdict {
    let scenario = generate(seed);
    judge_scenario(&scenario, seed)
}

/// [`judge`] for an already generated scenario.
pub fn judge_scenario(scenario: &Scenario, seed: u64) -> Verdict {
    let class = Class::of(scenario).unwrap_or(Class::Headerless);
    let bounds = Bounds::of(scenario, seed);
    let ours = run_with_bounds(scenario, Strategy::Ours, seed, bounds);
    let retry_after = (class == Class::Headerless)
        .then(|| run_with_bounds(scenario, Strategy::RetryAfter, seed, bounds));
    let failures = check(scenario, &ours, retry_after.as_ref());
    Verdict {
        seed,
        class,
        title: scenario.title.clone(),
        ratio_limit: ratio_limit(scenario),
        ours,
        retry_after,
        failures,
    }
}

#[cfg(test)]
mod tests {
    use super::super::scenario::by_name;
    use super::*;

    /// A run of `s` that finished at the oracle's bound without a rejection.
    fn clean(s: &Scenario) -> RunResult {
        let bound = Bounds::of(s, 1).fair;
        RunResult {
            strategy: Strategy::Ours,
            rejected: 0,
            sent: s.requests,
            done: s.requests,
            requests: s.requests,
            completion: bound,
            lower_bound: bound,
            min_rtt_bound: bound,
            max_attempts: 1,
            give_ups: 0,
            livelocks: 0,
            longest_wait: 0,
            overlong_waits: 0,
            first_overlong: None,
            cut_short: false,
            events: 0,
        }
    }

    #[test]
    fn a_run_that_breaks_each_rule_fails_it() {
        let s = by_name("S3").unwrap();
        let good = clean(&s);
        assert!(
            check(&s, &good, None).is_empty(),
            "{:?}",
            check(&s, &good, None)
        );
        let rules = |r: &RunResult| -> Vec<Rule> {
            check(&s, r, None).into_iter().map(|f| f.rule).collect()
        };
        let mut bad = good.clone();
        bad.rejected = 1;
        assert_eq!(rules(&bad), [Rule::Rejections]);
        let mut bad = good.clone();
        bad.completion = bad.lower_bound * 2;
        assert_eq!(rules(&bad), [Rule::Slow]);
        let mut bad = good.clone();
        bad.done -= 1;
        bad.livelocks = 1;
        assert_eq!(rules(&bad), [Rule::Unfinished, Rule::Livelock]);
        let mut bad = good.clone();
        bad.first_overlong = Some(super::super::engine::OverlongWait {
            at: 0,
            worker: 0,
            wait: 2 * 3600 * SEC,
            allowed: 3601 * SEC,
        });
        assert_eq!(rules(&bad), [Rule::OverlongWait]);
    }

    #[test]
    fn slowness_is_judged_against_the_fair_bound_alone() {
        let s = by_name("S3").unwrap();
        let mut r = clean(&s);
        // Jitter put the fair bound 10% above the min-RTT bound.
        r.min_rtt_bound = r.lower_bound * 10 / 11;
        r.completion = r.lower_bound * 101 / 100;
        assert!(check(&s, &r, None).is_empty());
        r.completion = r.lower_bound * 103 / 100;
        let failures = check(&s, &r, None);
        assert_eq!(failures.len(), 1);
        assert_eq!(failures[0].rule, Rule::Slow);
        assert!(failures[0].detail.contains("min-RTT bound"), "{failures:?}");
    }

    #[test]
    fn without_headers_ours_must_not_lose_to_retry_after() {
        let s = by_name("S4a").unwrap();
        let ours = clean(&s);
        let mut b = ours.clone();
        b.completion -= 1;
        let rules: Vec<Rule> = check(&s, &ours, Some(&b))
            .into_iter()
            .map(|f| f.rule)
            .collect();
        assert!(rules.contains(&Rule::WorseThanRetryAfter), "{rules:?}");
    }

    #[test]
    fn coarse_resets_on_short_windows_get_the_wider_ratio() {
        let mut s = generate(1);
        s.target = Class::OneClient.target();
        s.server.format = super::super::headers::HeaderFormat::Draft8;
        s.server.windows.truncate(1);
        s.server.windows[0].length = 2 * SEC;
        assert_eq!(ratio_limit(&s), COARSE_RESET_RATIO);
        s.server.format = super::super::headers::HeaderFormat::OpenAi;
        assert_eq!(ratio_limit(&s), ONE_CLIENT_RATIO);
        s.server.windows[0].length = 3 * SEC;
        s.server.format = super::super::headers::HeaderFormat::Draft8;
        assert_eq!(ratio_limit(&s), ONE_CLIENT_RATIO);
    }
}
