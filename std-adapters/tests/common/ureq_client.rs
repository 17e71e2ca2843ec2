//! The ureq adapter as the real-server tests drive it: one [`GovernedAgent`] shared
//! by one thread per worker, sequential GETs on each.

use std::time::Instant;

use ratelimit_governor_std::Governor;
use ratelimit_governor_std::ureq::GovernedAgent;

use super::adapter::Adapter;
use super::report::{JobReport, Outcomes};

/// The ureq adapter ([`GovernedAgent`]).
pub struct Ureq;

impl Adapter for Ureq {
    const NAME: &'static str = "ureq";

    fn run(&self, governor: Governor, url: &str, shares: &[u64]) -> JobReport {
        let agent = GovernedAgent::new(governor);
        let started = Instant::now();
        let outcomes = std::thread::scope(|scope| {
            let workers: Vec<_> = shares
                .iter()
                .map(|&n| {
                    let agent = agent.clone();
                    scope.spawn(move || worker(&agent, url, n))
                })
                .collect();
            let mut all = Outcomes::default();
            for w in workers {
                all.add(w.join().expect("a ureq worker panicked"));
            }
            all
        });
        JobReport {
            started,
            elapsed: started.elapsed(),
            outcomes,
        }
    }
}

/// `n` GETs of `url` one after the other.
fn worker(agent: &GovernedAgent, url: &str, n: u64) -> Outcomes {
    let mut outcomes = Outcomes::default();
    for _ in 0..n {
        match agent.get(url) {
            Ok(r) if r.status().is_success() => outcomes.ok += 1,
            Ok(r) => outcomes.failures.push(format!("status {}", r.status())),
            Err(e) => outcomes.failures.push(e.to_string()),
        }
    }
    outcomes
}
