//! Markdown tables of a scenario's results, in the layout of
//! `../shared/spec/governor.md` section 3.

use std::fmt::Write as _;

use super::clock::SEC;
use super::engine::RunResult;
use super::oracle::per_client_schedule_of;
use super::scenario::{Scenario, Target};
use super::targets::Check;

/// The scenario's heading, its bounds (the fair one, which the ratios use, and the
/// min-RTT one) and one row per strategy.
pub fn table(scenario: &Scenario, results: &[RunResult]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "### {}: {}\n", scenario.name, scenario.title);
    if let Some(r) = results.first() {
        let feasible = per_client_schedule_of(scenario);
        let _ = writeln!(
            out,
            "lower bound (oracle, pooled pipelines, on this run's network delays): **{:.2} s**; \
             at the shortest delays (min RTT): {:.2} s; best per-client schedule found \
             there: {:.2} s; target: {}\n",
            r.lower_bound as f64 / SEC as f64,
            r.min_rtt_bound as f64 / SEC as f64,
            feasible as f64 / SEC as f64,
            match (scenario.seed, scenario.target) {
                (Some(_), _) => "the generated class's invariants (checked below)",
                (None, Target::Lone) => "lone client (0 rejections, <= 1.005x)",
                (None, Target::Shared) => "shared key (<= 0.5% rejected, <= 1.10x)",
                (None, Target::Headerless) => "no headers (no worse than b)",
                (None, Target::Report(why)) => why,
            }
        );
    }
    out.push_str(
        "| strategy | 429s | sent | done | completion (s) | x lower bound | max attempts | give-ups | livelocks | longest wait (s) |\n",
    );
    out.push_str("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for r in results {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {:.2} | {:.3} | {} | {} | {} | {:.2} |",
            r.strategy.label(),
            r.rejected,
            r.sent,
            r.done,
            r.completion_secs(),
            r.ratio(),
            r.max_attempts,
            r.give_ups,
            r.livelocks,
            r.longest_wait as f64 / SEC as f64
        );
    }
    out
}

/// A table of target checks.
pub fn checks(checks: &[Check]) -> String {
    let mut out = String::from("| scenario | rule | verdict | numbers |\n|---|---|---|---|\n");
    for c in checks {
        let verdict = if c.pass { "pass" } else { "**FAIL**" };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            c.scenario, c.rule, verdict, c.detail
        );
    }
    out
}
