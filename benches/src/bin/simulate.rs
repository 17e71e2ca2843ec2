//! `simulate`: runs every scenario of `ratelimit_governor_benches::sim` with every
//! strategy and prints one markdown table per scenario, then the target checks; or
//! runs generated scenarios and checks their invariants.
//!
//! ```text
//! cargo run --release -p ratelimit-governor-benches --bin simulate -- [--seed N] [--only S1,S5]
//! cargo run --release -p ratelimit-governor-benches --bin simulate -- --trace S2:ours
//! cargo run --release -p ratelimit-governor-benches --bin simulate -- --generated 42 [--trace ours]
//! cargo run --release -p ratelimit-governor-benches --bin simulate -- --generated-range 1..=500 [--explain]
//! cargo run --release -p ratelimit-governor-benches --bin simulate -- --generated-list benches/tests/regressions.txt
//! ```
//!
//! The output is a pure function of the arguments (the catalogue's seed defaults to
//! 1; a generated scenario runs with its own seed), apart from the elapsed time a
//! sweep prints.

use std::process::ExitCode;
use std::time::Instant;

use ratelimit_governor_benches::sim::{
    self, Scenario, Strategy, TraceEvent, generate, invariants, report, scenario, sweep, targets,
};

const USAGE: &str = "usage: simulate [--seed N] [--only NAME[,NAME...]] [--trace NAME:KEY]
       simulate --generated SEED [--trace KEY]
       simulate --generated-range A..B|A..=B [--explain]
       simulate --generated-list FILE [--explain]
  --trace prints every step of one run instead of the tables; KEY is a, b, c, d, ours or smooth
  --generated runs every strategy in the scenario generated from SEED and checks its invariants
  --generated-range / --generated-list summarize the invariants per class over many seeds
  --explain prints every failing scenario's figures and replay command";

/// What the command line asked for.
#[derive(Default)]
struct Args {
    seed: Option<u64>,
    only: Option<Vec<String>>,
    trace: Option<String>,
    generated: Option<u64>,
    range: Option<Vec<u64>>,
    explain: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut out = Args::default();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--seed" => out.seed = Some(value()?.parse().map_err(|_| "bad --seed")?),
            "--only" => out.only = Some(value()?.split(',').map(str::to_owned).collect()),
            "--trace" => out.trace = Some(value()?),
            "--generated" => {
                out.generated = Some(value()?.parse().map_err(|_| "bad --generated")?);
            }
            "--generated-range" => {
                let v = value()?;
                out.range = Some(sweep::parse_range(&v).ok_or(format!("bad range {v:?}"))?);
            }
            "--generated-list" => {
                let path = value()?;
                let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
                out.range =
                    Some(sweep::parse_seed_list(&text).map_err(|e| format!("{path}: {e}"))?);
            }
            "--explain" => out.explain = true,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(out)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) if e.is_empty() => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("{e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    if let Some(seeds) = &args.range {
        return print_sweep(seeds, args.explain);
    }
    if let Some(seed) = args.generated {
        let s = generate::generate(seed);
        return match &args.trace {
            Some(key) => print_trace(&s, key, seed),
            None => print_generated(&s, seed),
        };
    }
    let seed = args.seed.unwrap_or(1);
    if let Some(spec) = &args.trace {
        let (name, key) = spec.split_once(':').unwrap_or((spec, "ours"));
        let Some(s) = scenario::by_name(name) else {
            eprintln!("no scenario {name:?}");
            return ExitCode::from(2);
        };
        return print_trace(&s, key, seed);
    }
    print_catalogue(args.only.as_deref(), seed)
}

/// S1-S12 (or those named by `--only`): tables and target checks.
fn print_catalogue(only: Option<&[String]>, seed: u64) -> ExitCode {
    let scenarios: Vec<_> = scenario::all()
        .into_iter()
        .filter(|s| only.is_none_or(|o| o.iter().any(|n| n.eq_ignore_ascii_case(&s.name))))
        .collect();
    if scenarios.is_empty() {
        eprintln!("no scenario matches");
        return ExitCode::from(2);
    }
    println!("## Simulation results (seed {seed})\n");
    let mut all_checks = Vec::new();
    for s in &scenarios {
        let results = sim::run_all(s, seed);
        println!("{}", report::table(s, &results));
        all_checks.extend(targets::checks(s, &results));
    }
    println!("## Target checks for \"ours\"\n");
    println!("{}", report::checks(&all_checks));
    let failed = all_checks.iter().filter(|c| !c.pass).count();
    println!("{} checks, {} failed", all_checks.len(), failed);
    ExitCode::SUCCESS
}

/// One generated scenario: every strategy's row, then the invariants.
fn print_generated(s: &Scenario, seed: u64) -> ExitCode {
    let results = sim::run_all(s, seed);
    println!("{}", report::table(s, &results));
    let verdict = invariants::judge_scenario(s, seed);
    println!(
        "invariants (ratio limit {:.2}x): {}",
        verdict.ratio_limit,
        verdict.explain()
    );
    ExitCode::SUCCESS
}

/// The per-class summary of `seeds`, and the failing seeds.
fn print_sweep(seeds: &[u64], explain: bool) -> ExitCode {
    let started = Instant::now();
    let verdicts = sweep::sweep(seeds);
    let elapsed = started.elapsed();
    println!("## Generated scenarios: {} seeds\n", seeds.len());
    println!("{}", sweep::table(&verdicts));
    if explain {
        for v in verdicts.iter().filter(|v| !v.pass()) {
            println!("{}", v.explain());
        }
    }
    let failed = verdicts.iter().filter(|v| !v.pass()).count();
    println!(
        "{} scenarios, {} failed, in {:.2} s",
        verdicts.len(),
        failed,
        elapsed.as_secs_f64()
    );
    ExitCode::SUCCESS
}

/// Prints one line per step of `strategy`'s run in `s`.
fn print_trace(s: &Scenario, key: &str, seed: u64) -> ExitCode {
    let Some(strategy) = Strategy::from_key(key) else {
        eprintln!("unknown strategy {key:?}\n{USAGE}");
        return ExitCode::from(2);
    };
    println!("# {}: {}", s.name, s.title);
    let secs = |t: u64| t as f64 / sim::SEC as f64;
    let result = sim::run_traced(s, strategy, seed, &mut |at, worker, event| {
        let what = match event {
            TraceEvent::Wait(d) => format!("wait {:.6}", secs(d)),
            TraceEvent::Sent => "send".to_owned(),
            TraceEvent::GaveUp => "give up".to_owned(),
            TraceEvent::Livelock => "stopped: livelock".to_owned(),
            TraceEvent::Served(r) => {
                let headers: Vec<String> = r
                    .headers
                    .iter()
                    .filter(|(n, _)| n != "Date")
                    .map(|(n, v)| format!("{n}: {v}"))
                    .collect();
                format!("server {} {}", r.status, headers.join(" | "))
            }
        };
        println!("{:>14.6} w{worker} {what}", secs(at));
    });
    println!("{result:?}");
    ExitCode::SUCCESS
}
