//! The reqwest adapter as the real-server tests drive it: reqwest through
//! reqwest-middleware and the governor's middleware, one tokio task per worker on a
//! two-thread runtime, each request telling the governor the work left.

use std::time::Instant;

use ratelimit_governor_std::Governor;
use ratelimit_governor_std::reqwest::{WorkLeft, client};
use reqwest_middleware::ClientWithMiddleware;

use super::adapter::Adapter;
use super::report::{JobReport, Outcomes};
use super::runtime::runtime;

/// The reqwest adapter (`GovernorMiddleware` in a reqwest-middleware client).
pub struct Reqwest;

impl Adapter for Reqwest {
    const NAME: &'static str = "reqwest";

    fn run(&self, governor: Governor, url: &str, shares: &[u64]) -> JobReport {
        runtime().block_on(async {
            let http = client(reqwest::Client::new(), governor);
            let started = Instant::now();
            let tasks: Vec<_> = shares
                .iter()
                .map(|&n| tokio::spawn(worker(http.clone(), url.to_owned(), n)))
                .collect();
            let mut outcomes = Outcomes::default();
            for task in tasks {
                outcomes.add(task.await.expect("a reqwest worker panicked"));
            }
            JobReport {
                started,
                elapsed: started.elapsed(),
                outcomes,
            }
        })
    }
}

/// `n` GETs of `url` one after the other, telling the governor what is left.
async fn worker(http: ClientWithMiddleware, url: String, n: u64) -> Outcomes {
    let mut outcomes = Outcomes::default();
    for done in 0..n {
        let sent = http
            .get(&url)
            .with_extension(WorkLeft(n - done))
            .send()
            .await;
        match sent {
            Ok(response) if response.status().is_success() => outcomes.ok += 1,
            Ok(response) => outcomes
                .failures
                .push(format!("status {}", response.status())),
            Err(e) => outcomes.failures.push(e.to_string()),
        }
    }
    outcomes
}
