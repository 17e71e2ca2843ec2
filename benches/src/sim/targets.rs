//! The targets for "ours" (the governor with its default configuration), as
//! checks that can fail:
//!
//! | scenario target | check |
//! |---|---|
//! | [`Target::Lone`] | 0 rejections, every request done, completion <= 1.005 x lower bound |
//! | [`Target::Shared`] | at most 0.5% of the job rejected, every request done, <= 1.10 x lower bound |
//! | [`Target::Headerless`] | 429s and completion time both <= those of (b) honour-Retry-After |
//! | every scenario | ours <= each of a-d on (requests not done, 429s, completion time), in that order |

use super::engine::RunResult;
use super::scenario::{Scenario, Target};
use super::strategy::Strategy;

/// Largest completion / lower bound for a lone client with headers.
pub const LONE_RATIO: f64 = 1.005;
/// Largest completion / lower bound for clients sharing a key.
pub const SHARED_RATIO: f64 = 1.10;
/// Largest share of the job rejected for clients sharing a key.
pub const SHARED_REJECTED: f64 = 0.005;

/// One target check.
#[derive(Clone, Debug, PartialEq)]
pub struct Check {
    /// Scenario name.
    pub scenario: String,
    /// The rule checked.
    pub rule: String,
    /// Whether it holds.
    pub pass: bool,
    /// The numbers behind the verdict.
    pub detail: String,
}

fn find(results: &[RunResult], s: Strategy) -> Option<&RunResult> {
    results.iter().find(|r| r.strategy == s)
}

/// (requests not done, 429s, completion): smaller is better, in that order.
fn rank(r: &RunResult) -> (u64, u64, u64) {
    (r.requests - r.done, r.rejected, r.completion)
}

fn summary(r: &RunResult) -> String {
    format!(
        "{} done/{}, {} 429s, {:.2} s = {:.4} x bound",
        r.done,
        r.requests,
        r.rejected,
        r.completion_secs(),
        r.ratio()
    )
}

/// The scenario's own target for "ours".
pub fn target_check(scenario: &Scenario, results: &[RunResult]) -> Option<Check> {
    let ours = find(results, Strategy::Ours)?;
    let all_done = ours.done == ours.requests;
    let (rule, pass) = match scenario.target {
        Target::Lone => (
            format!("lone client: 0 rejections, <= {LONE_RATIO} x bound"),
            all_done && ours.rejected == 0 && ours.ratio() <= LONE_RATIO,
        ),
        Target::Shared => (
            format!(
                "shared key: <= {:.1}% rejected, <= {SHARED_RATIO:.2} x bound",
                SHARED_REJECTED * 100.0
            ),
            all_done && ours.rejected_share() <= SHARED_REJECTED && ours.ratio() <= SHARED_RATIO,
        ),
        Target::Headerless => {
            let b = find(results, Strategy::RetryAfter)?;
            return Some(Check {
                scenario: scenario.name.clone(),
                rule: "no headers: 429s and completion <= (b)'s".to_owned(),
                pass: all_done && ours.rejected <= b.rejected && ours.completion <= b.completion,
                detail: format!("ours {}; b {}", summary(ours), summary(b)),
            });
        }
        Target::Report(_) => return None,
    };
    Some(Check {
        scenario: scenario.name.clone(),
        rule,
        pass,
        detail: summary(ours),
    })
}

/// "Ours beats each of a-d on (not done, 429s, completion)": one check per seed
/// strategy.
pub fn beats_seeds(scenario: &Scenario, results: &[RunResult]) -> Vec<Check> {
    let Some(ours) = find(results, Strategy::Ours) else {
        return Vec::new();
    };
    Strategy::SEEDS
        .iter()
        .filter_map(|&s| find(results, s))
        .map(|other| Check {
            scenario: scenario.name.clone(),
            rule: format!(
                "ours <= {} on (not done, 429s, time)",
                other.strategy.label()
            ),
            pass: rank(ours) <= rank(other),
            detail: format!("ours {}; {}", summary(ours), summary(other)),
        })
        .collect()
}

/// Every check for one scenario.
pub fn checks(scenario: &Scenario, results: &[RunResult]) -> Vec<Check> {
    let mut out: Vec<Check> = target_check(scenario, results).into_iter().collect();
    out.extend(beats_seeds(scenario, results));
    out
}
