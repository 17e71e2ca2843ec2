//! The invariants every generated scenario ([`super::generate`]) is held to, for the
//! library's governor with its default configuration (`Strategy::Ours`):
//!
//! | class | invariant |
//! |---|---|
//! | (a) one client, headers | 0 rejections; completion <= 1.02 x the oracle's bound (1.10 x when resets are whole seconds and a window is 2 s or shorter) |
//! | (b) K sharers, headers | at most 0.5% of the job rejected; completion <= 1.15 x the bound |
//! | (c) no headers | no more rejections and no more time than (b) honour-Retry-After in the same scenario and seed; completion <= 1.05 x the bound |
//! | every class | every request done; no single wait longer than the longest window plus 1 s unless a server hint (`Retry-After`, a reset) named a later instant; no livelock |
//!
//! A failed invariant carries its figures and the command that replays the scenario.

use super::clock::{SEC, secs};
use super::engine::{RunResult, run_with_bound};
use super::generate::{Class, generate};
use super::network::Network;
use super::oracle::lower_bound_of;
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
    /// A [`Rule::Slow`] failure that the jitter alone explains: the run is within
    /// the class's ratio of the bound computed at the network's mean round trip
    /// without jitter (the true bound uses the shortest delay of the jitter range,
    /// which no client gets on every request).
    pub jitter_dominated: bool,
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
        "{} done/{}, {} 429s, {:.2} s = {:.4} x bound {:.2} s",
        r.done,
        r.requests,
        r.rejected,
        r.completion_secs(),
        r.ratio(),
        secs(r.lower_bound)
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
    let mut fail = |rule, detail: String, jitter_dominated: bool| {
        out.push(Failure {
            rule,
            detail,
            jitter_dominated,
        });
    };
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
            false,
        );
    }
    if ours.livelocks > 0 {
        fail(
            Rule::Livelock,
            format!("{} workers stopped without sending", ours.livelocks),
            false,
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
            false,
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
            false,
        );
    }
    if ours.done == ours.requests && ours.ratio() > limit {
        let at_mean = bound_at_mean_rtt(scenario);
        let mean_ratio = ours.completion as f64 / at_mean.max(1) as f64;
        let jitter_dominated = scenario.network.jitter && mean_ratio <= limit;
        let detail = format!(
            "{} > {limit} x; {mean_ratio:.4} x the bound at the mean RTT without jitter{}",
            figures(ours),
            if jitter_dominated {
                " (jitter-dominated)"
            } else {
                ""
            }
        );
        fail(Rule::Slow, detail, jitter_dominated);
    }
    if let Some(b) = retry_after.filter(|_| class == Class::Headerless)
        && (ours.rejected > b.rejected || ours.completion > b.completion)
    {
        fail(
            Rule::WorseThanRetryAfter,
            format!("ours {}; b {}", figures(ours), figures(b)),
            false,
        );
    }
    out
}

/// The oracle's bound for `scenario` at the network's mean round trip without
/// jitter: not a lower bound (a lucky run may beat it), a yardstick for how much of a
/// run's time the jitter alone costs.
pub fn bound_at_mean_rtt(scenario: &Scenario) -> u64 {
    let mut steady = scenario.clone();
    steady.network = Network::steady(scenario.network.mean_rtt());
    lower_bound_of(&steady)
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
    let bound = lower_bound_of(scenario);
    let ours = run_with_bound(scenario, Strategy::Ours, seed, bound);
    let retry_after = (class == Class::Headerless)
        .then(|| run_with_bound(scenario, Strategy::RetryAfter, seed, bound));
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
        let bound = lower_bound_of(s);
        RunResult {
            strategy: Strategy::Ours,
            rejected: 0,
            sent: s.requests,
            done: s.requests,
            requests: s.requests,
            completion: bound,
            lower_bound: bound,
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
