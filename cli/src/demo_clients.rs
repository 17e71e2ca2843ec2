//! The demo's two clients, each running the same bulk job of `n` GET requests, one
//! after the other, against its own server:
//!
//! - naive: plain ureq, sends as fast as it can; on a 429 it sleeps 1 s, 2 s, then
//!   4 s and sends again; a request still refused after those three retries (or
//!   failing in transport) is counted as failed and the job moves on;
//! - governed: [`GovernedAgent`] with the default settings, telling the governor
//!   how much work is left ([`WorkLeft`]).

use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use ratelimit_governor_std::Governor;
use ratelimit_governor_std::ureq::{GovernedAgent, WorkLeft};
use ureq::Agent;
use ureq::config::ConfigBuilder;
use ureq::typestate::AgentScope;

/// The naive client's sleeps before its retries.
pub const NAIVE_BACKOFF: [Duration; 3] = [
    Duration::from_secs(1),
    Duration::from_secs(2),
    Duration::from_secs(4),
];

/// A job's progress, read by the progress display while the job runs.
#[derive(Debug, Default)]
pub struct JobProgress {
    done: AtomicU64,
    failed: AtomicU64,
}

impl JobProgress {
    /// Requests finished (successfully or not).
    pub fn done(&self) -> u64 {
        self.done.load(Ordering::Relaxed)
    }

    /// Requests that ended without a 2xx response.
    pub fn failed(&self) -> u64 {
        self.failed.load(Ordering::Relaxed)
    }

    fn finish(&self, ok: bool) {
        if !ok {
            self.failed.fetch_add(1, Ordering::Relaxed);
        }
        self.done.fetch_add(1, Ordering::Relaxed);
    }
}

/// What one client's job ended with.
#[derive(Clone, Debug, PartialEq)]
pub struct JobOutcome {
    /// Requests that ended with a 2xx response.
    pub ok: u64,
    /// Requests that did not.
    pub failed: u64,
    /// Wall time from the first send to the last response.
    pub elapsed: Duration,
    /// The first failure's description, if any.
    pub first_error: Option<String>,
}

/// ureq's defaults plus timeouts for each phase of a request (not for the
/// governor's waits, which happen before the request is sent).
fn agent_config() -> ConfigBuilder<AgentScope> {
    Agent::config_builder()
        .timeout_connect(Some(Duration::from_secs(5)))
        .timeout_recv_response(Some(Duration::from_secs(30)))
        .timeout_recv_body(Some(Duration::from_secs(30)))
}

/// The URL of the job's `i`-th request.
fn item_url(base: &str, i: u64) -> String {
    format!("{base}/items/{i}")
}

/// Runs `n` requests with the naive client.
pub fn run_naive(base: &str, n: u64, progress: &JobProgress) -> JobOutcome {
    let agent: Agent = agent_config().http_status_as_error(false).build().into();
    run_job(n, progress, |i| {
        let url = item_url(base, i);
        // Bounded: one send, then one per backoff step.
        for attempt in 0..=NAIVE_BACKOFF.len() {
            let status = match agent.get(&url).call() {
                Ok(mut response) => {
                    // Drain the body so the connection can be reused.
                    let _ = response.body_mut().read_to_string();
                    response.status().as_u16()
                }
                Err(e) => return Err(e.to_string()),
            };
            match (status, NAIVE_BACKOFF.get(attempt)) {
                (200..=299, _) => return Ok(()),
                (429, Some(&sleep)) => thread::sleep(sleep),
                (status, _) => return Err(format!("status {status}")),
            }
        }
        Err("no attempt left".to_owned())
    })
}

/// Runs `n` requests with the governed client.
pub fn run_governed(base: &str, n: u64, progress: &JobProgress) -> JobOutcome {
    let agent = GovernedAgent::with_config(Governor::new(), agent_config());
    run_job(n, progress, |i| {
        let request = ureq::http::Request::get(item_url(base, i))
            .extension(WorkLeft(n - i))
            .body(())
            .map_err(|e| e.to_string())?;
        let mut response = agent.run(request).map_err(|e| e.to_string())?;
        let _ = response.body_mut().read_to_string();
        match response.status().as_u16() {
            200..=299 => Ok(()),
            status => Err(format!("status {status}")),
        }
    })
}

/// Runs `send(i)` for `i` in `0..n`, timing the whole and counting outcomes.
fn run_job(
    n: u64,
    progress: &JobProgress,
    mut send: impl FnMut(u64) -> Result<(), String>,
) -> JobOutcome {
    let start = Instant::now();
    let mut outcome = JobOutcome {
        ok: 0,
        failed: 0,
        elapsed: Duration::ZERO,
        first_error: None,
    };
    for i in 0..n {
        let result = send(i);
        progress.finish(result.is_ok());
        match result {
            Ok(()) => outcome.ok += 1,
            Err(e) => {
                outcome.failed += 1;
                outcome.first_error.get_or_insert(e);
            }
        }
    }
    outcome.elapsed = start.elapsed();
    outcome
}
