//! Markdown tables of a scenario's results, in the layout of
//! `../shared/spec/governor.md` section 3.

use std::fmt::Write as _;

use super::SEC;
use super::engine::RunResult;
use super::oracle::per_client_schedule;
use super::scenario::{Scenario, Target};
use super::targets::Check;

/// The scenario's heading, its lower bound and one row per strategy.
pub fn table(scenario: &Scenario, results: &[RunResult]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "### {}: {}\n", scenario.name, scenario.title);
    if let Some(r) = results.first() {
        let feasible = per_client_schedule(
            &scenario.server,
            scenario.clients,
            scenario.requests,
            scenario.rtt,
        );
        let _ = writeln!(
            out,
            "lower bound (oracle, pooled pipelines): **{:.2} s**; best per-client schedule \
             found: {:.2} s; target: {}\n",
            r.lower_bound as f64 / SEC as f64,
            feasible as f64 / SEC as f64,
            match scenario.target {
                Target::Lone => "lone client (0 rejections, <= 1.005x)",
                Target::Shared => "shared key (<= 0.5% rejected, <= 1.10x)",
                Target::Headerless => "no headers (no worse than b)",
                Target::Report(why) => why,
            }
        );
    }
    out.push_str(
        "| strategy | 429s | sent | done | completion (s) | x lower bound | max attempts | give-ups |\n",
    );
    out.push_str("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for r in results {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {:.2} | {:.3} | {} | {} |",
            r.strategy.label(),
            r.rejected,
            r.sent,
            r.done,
            r.completion_secs(),
            r.ratio(),
            r.max_attempts,
            r.give_ups
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
