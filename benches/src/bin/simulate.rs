//! `simulate`: runs every scenario of `ratelimit_governor_benches::sim` with every
//! strategy and prints one markdown table per scenario, then the target checks.
//!
//! ```text
//! cargo run --release -p ratelimit-governor-benches --bin simulate -- [--seed N] [--only S1,S5]
//! ```
//!
//! The output is a pure function of the seed (default 1).

use std::process::ExitCode;

use ratelimit_governor_benches::sim::{self, Strategy, TraceEvent, report, scenario, targets};

const USAGE: &str = "usage: simulate [--seed N] [--only NAME[,NAME...]] [--trace NAME:KEY]
  --trace prints every step of one run instead of the tables; KEY is a, b, c, d, ours or smooth";

fn main() -> ExitCode {
    let mut seed: u64 = 1;
    let mut only: Option<Vec<String>> = None;
    let mut trace: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--seed" => match args.next().and_then(|v| v.parse().ok()) {
                Some(s) => seed = s,
                None => {
                    eprintln!("{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "--only" => match args.next() {
                Some(v) => only = Some(v.split(',').map(str::to_owned).collect()),
                None => {
                    eprintln!("{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "--trace" => match args.next() {
                Some(v) => trace = Some(v),
                None => {
                    eprintln!("{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other => {
                eprintln!("unknown argument {other:?}\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    if let Some(spec) = trace {
        return print_trace(&spec, seed);
    }
    let scenarios: Vec<_> = scenario::all()
        .into_iter()
        .filter(|s| {
            only.as_ref()
                .is_none_or(|o| o.iter().any(|n| n.eq_ignore_ascii_case(s.name)))
        })
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

/// Prints one line per step of the run named `NAME:KEY`.
fn print_trace(spec: &str, seed: u64) -> ExitCode {
    let (name, key) = spec.split_once(':').unwrap_or((spec, "ours"));
    let strategy = match key {
        "a" => Strategy::Naive,
        "b" => Strategy::RetryAfter,
        "c" => Strategy::Threshold,
        "d" => Strategy::EvenPacing,
        "ours" => Strategy::Ours,
        "smooth" => Strategy::OursSmooth,
        _ => {
            eprintln!("unknown strategy {key:?}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let Some(s) = scenario::by_name(name) else {
        eprintln!("no scenario {name:?}");
        return ExitCode::from(2);
    };
    let secs = |t: u64| t as f64 / sim::SEC as f64;
    let result = sim::run_traced(&s, strategy, seed, &mut |at, client, event| {
        let what = match event {
            TraceEvent::Wait(d) => format!("wait {:.6}", secs(d)),
            TraceEvent::Sent => "send".to_owned(),
            TraceEvent::GaveUp => "give up".to_owned(),
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
        println!("{:>12.6} c{client} {what}", secs(at));
    });
    println!("{result:?}");
    ExitCode::SUCCESS
}
