//! Every generated scenario of seeds 1..=500, and every seed of `regressions.txt`, is
//! held to the invariants of `ratelimit_governor_benches::sim::invariants` for the
//! library's governor. All failures are printed, each with the command that replays
//! it, before the test fails.

use ratelimit_governor_benches::sim::{invariants, sweep};

/// The seeds every run checks.
const SEEDS: std::ops::RangeInclusive<u64> = 1..=500;

/// Seeds that once failed, one per line with a comment.
const REGRESSIONS: &str = include_str!("regressions.txt");

#[test]
fn every_generated_scenario_keeps_its_invariants() {
    let regressions = sweep::parse_seed_list(REGRESSIONS).expect("regressions.txt is readable");
    assert!(!regressions.is_empty(), "regressions.txt lists no seed");
    let mut seeds: Vec<u64> = SEEDS.collect();
    seeds.extend(regressions.iter().filter(|s| !SEEDS.contains(s)));
    let verdicts = sweep::sweep(&seeds);
    assert_eq!(verdicts.len(), seeds.len());
    let failed: Vec<String> = verdicts
        .iter()
        .filter(|v| !v.pass())
        .map(invariants::Verdict::explain)
        .collect();
    assert!(
        failed.is_empty(),
        "{} of {} generated scenarios failed:\n\n{}\n{}",
        failed.len(),
        verdicts.len(),
        failed.join("\n"),
        sweep::table(&verdicts)
    );
}
