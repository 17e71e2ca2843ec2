//! `ratelimit-governor fetch`: governed bulk GET requests
//! (`../shared/contract/cli.md` section 3).
//!
//! K worker threads share one [`GovernedAgent`] (one connection pool, one
//! [`Governor`] keyed per server). They take the job's requests in order from one
//! counter; each request carries, as [`WorkLeft`], how many requests to its server
//! are not yet started (this one included), so the governor's finish-line rule can
//! spend a window's quota at once when the job ends within it.

use std::collections::HashMap;
use std::ffi::OsString;
use std::io::{self, Read, Write};
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use ratelimit_governor_std::ureq::{Error, GovernedAgent, WorkLeft};
use ratelimit_governor_std::{Governor, GovernorError, ServerKey, Settings};
use ureq::http::Request;

use crate::failure::Failure;
use crate::fetch_args::{
    self, BODY_LIMIT, CONNECT_TIMEOUT, FetchArgs, FetchCommand, RESPONSE_TIMEOUT,
};
use crate::fetch_attempts::{AttemptLog, Attempts};
use crate::progress::{ProgressLine, Status, WaitGauge};

/// Failures listed on stderr at the end; the rest are counted.
const FAILURES_SHOWN: usize = 5;

/// Runs the command.
pub fn main(args: impl Iterator<Item = OsString>) -> ExitCode {
    let options = match fetch_args::parse_fetch(args) {
        Ok(FetchCommand::Help) => return crate::print(&fetch_args::fetch_help()),
        Ok(FetchCommand::Run(options)) => options,
        Err(message) => return crate::fail("fetch: ", &Failure::new(message)),
    };
    let job = match Job::plan(&options) {
        Ok(job) => job,
        Err(message) => return crate::fail("fetch: ", &Failure::new(message)),
    };
    let outcome = run(&job, &options);
    report(&outcome, options.summary_json)
}

/// One URL of the job.
#[derive(Debug)]
struct Target {
    url: String,
    /// URLs of the list, from this one on, that go to the same server.
    same_server_from_here: u64,
    /// URLs of the list that go to the same server.
    same_server: u64,
}

/// The job: every URL, `repeat` times, in rounds.
#[derive(Debug)]
struct Job {
    targets: Vec<Target>,
    repeat: u64,
    total: u64,
}

impl Job {
    /// The URLs of the arguments then of the `--urls` lists; at least one.
    fn plan(options: &FetchArgs) -> Result<Job, String> {
        let mut urls = options.urls.clone();
        for source in &options.url_files {
            urls.extend(fetch_args::read_url_list(source)?);
        }
        if urls.is_empty() {
            return Err(
                "no URL given: pass URLs as arguments or in a file with --urls FILE".to_owned(),
            );
        }
        Job::new(urls, options.repeat)
    }

    fn new(urls: Vec<String>, repeat: u64) -> Result<Job, String> {
        let total = u64::try_from(urls.len())
            .ok()
            .and_then(|n| n.checked_mul(repeat))
            .ok_or_else(|| "too many requests: URLs x --repeat is above 2^64".to_owned())?;
        // Checked URLs always have a key; one without would share a catch-all.
        let keys: Vec<Option<ServerKey>> = urls.iter().map(|u| ServerKey::from_url(u)).collect();
        let mut per_server: HashMap<&Option<ServerKey>, u64> = HashMap::new();
        for key in &keys {
            *per_server.entry(key).or_default() += 1;
        }
        let mut seen: HashMap<&Option<ServerKey>, u64> = HashMap::new();
        let targets = urls
            .iter()
            .zip(&keys)
            .map(|(url, key)| {
                let same_server = per_server.get(key).copied().unwrap_or(1);
                let before = seen.entry(key).or_default();
                let target = Target {
                    url: url.clone(),
                    same_server_from_here: same_server - *before,
                    same_server,
                };
                *before += 1;
                target
            })
            .collect();
        Ok(Job {
            targets,
            repeat,
            total,
        })
    }

    /// The `index`-th request: its URL and the requests to its server not yet
    /// started, this one included.
    fn request(&self, index: u64) -> (&Target, u64) {
        let n = self.targets.len() as u64;
        let (round, at) = (index / n, index % n);
        let target = &self.targets[usize::try_from(at).unwrap_or(0)];
        let later_rounds = self.repeat.saturating_sub(round + 1);
        let work_left = target
            .same_server
            .saturating_mul(later_rounds)
            .saturating_add(target.same_server_from_here);
        (target, work_left)
    }
}

/// How one logical request ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ending {
    /// A 2xx response.
    Ok,
    /// Abandoned: the governor would not wait that long, or the retry policy
    /// stopped while the server still refused (429/503).
    GaveUp,
    /// A transport error or another non-2xx response.
    Failed,
}

/// The workers' shared counts.
#[derive(Debug, Default)]
struct Tally {
    next: AtomicU64,
    done: AtomicU64,
    ok: AtomicU64,
    gave_up: AtomicU64,
    failed: AtomicU64,
    /// Retries really sent.
    resent: AtomicU64,
    /// The server of the latest request, for the progress line.
    latest: Mutex<Option<ServerKey>>,
    /// The first failures, as `URL: reason`.
    failures: Mutex<Vec<String>>,
}

impl Tally {
    fn record(&self, ending: Ending, url: &str, why: Option<String>, resent: u64) {
        self.resent.fetch_add(resent, Ordering::Relaxed);
        let counter = match ending {
            Ending::Ok => &self.ok,
            Ending::GaveUp => &self.gave_up,
            Ending::Failed => &self.failed,
        };
        counter.fetch_add(1, Ordering::Relaxed);
        if let Some(why) = why {
            let mut failures = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
            if failures.len() < FAILURES_SHOWN {
                failures.push(format!("{url}: {why}"));
            }
        }
        self.done.fetch_add(1, Ordering::Relaxed);
    }
}

/// What the run gave.
#[derive(Debug)]
struct Outcome {
    summary: Summary,
    failures: Vec<String>,
}

/// The contract's summary object.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Summary {
    requests: u64,
    ok: u64,
    rejected: u64,
    retries: u64,
    gave_up: u64,
    failed: u64,
    elapsed: Duration,
    waited: Duration,
}

impl Summary {
    /// One JSON line, keys in the contract's order, seconds to 0.01 s.
    fn json(&self) -> String {
        format!(
            "{{\"requests\": {}, \"ok\": {}, \"rejected\": {}, \"retries\": {}, \
             \"gave_up\": {}, \"failed\": {}, \"elapsed_s\": {}, \"waited_s\": {}}}\n",
            self.requests,
            self.ok,
            self.rejected,
            self.retries,
            self.gave_up,
            self.failed,
            centiseconds(self.elapsed),
            centiseconds(self.waited),
        )
    }

    /// One line for people.
    fn human(&self) -> String {
        format!(
            "{} requests in {:.1} s: {} ok, {} gave up, {} failed; {} rejected (429/503), \
             {} retries, {:.1} s waited on the governor\n",
            self.requests,
            self.elapsed.as_secs_f64(),
            self.ok,
            self.gave_up,
            self.failed,
            self.rejected,
            self.retries,
            self.waited.as_secs_f64(),
        )
    }
}

/// Seconds rounded to 0.01 s, printed shortest (`15.8`, `0.07`, `3`).
fn centiseconds(d: Duration) -> f64 {
    (d.as_secs_f64() * 100.0).round() / 100.0
}

/// Runs the job with its workers and a progress line.
fn run(job: &Job, options: &FetchArgs) -> Outcome {
    let mut settings = Settings::default();
    settings.config.max_wait = options.max_wait;
    let governor = Governor::with_settings(settings);
    let config = ureq::Agent::config_builder()
        .timeout_connect(Some(CONNECT_TIMEOUT))
        .timeout_recv_response(Some(RESPONSE_TIMEOUT))
        .middleware(AttemptLog);
    let agent = GovernedAgent::with_config(governor.clone(), config);
    let tally = Arc::new(Tally::default());
    let workers = options.concurrency.min(job.total);
    let started = Instant::now();

    let progress = ProgressLine::start({
        let (tally, governor, total) = (Arc::clone(&tally), governor.clone(), job.total);
        let mut gauge = WaitGauge::new();
        move || {
            let done = tally.done.load(Ordering::Relaxed);
            let latest = tally
                .latest
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .clone();
            let now = Instant::now();
            let waiters = workers.min(total.saturating_sub(done));
            Status {
                done,
                total,
                quota: latest.and_then(|key| governor.server(&key).quota()),
                waiting: gauge.update(governor.stats().waited, waiters, now),
                elapsed: now.saturating_duration_since(started),
            }
            .to_string()
        }
    });
    thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| work(job, &agent, &tally));
        }
    });
    if let Some(progress) = progress {
        progress.finish();
    }

    let stats = governor.stats();
    let failures = std::mem::take(
        &mut *tally
            .failures
            .lock()
            .unwrap_or_else(PoisonError::into_inner),
    );
    Outcome {
        summary: Summary {
            requests: job.total,
            ok: tally.ok.load(Ordering::Relaxed),
            rejected: stats.rejected,
            retries: tally.resent.load(Ordering::Relaxed),
            gave_up: tally.gave_up.load(Ordering::Relaxed),
            failed: tally.failed.load(Ordering::Relaxed),
            elapsed: started.elapsed(),
            waited: stats.waited,
        },
        failures,
    }
}

/// One worker: takes requests until none is left.
fn work(job: &Job, agent: &GovernedAgent, tally: &Tally) {
    loop {
        let index = tally.next.fetch_add(1, Ordering::Relaxed);
        if index >= job.total {
            return;
        }
        let (target, work_left) = job.request(index);
        *tally.latest.lock().unwrap_or_else(PoisonError::into_inner) =
            ServerKey::from_url(&target.url);
        let (ending, why, resent) = fetch_one(agent, &target.url, work_left);
        tally.record(ending, &target.url, why, resent);
    }
}

/// Sends one logical request (retries included) and reads its body; how it ended,
/// unless it ended well why, and how many retries were sent.
fn fetch_one(agent: &GovernedAgent, url: &str, work_left: u64) -> (Ending, Option<String>, u64) {
    let request = match Request::get(url).extension(WorkLeft(work_left)).body(()) {
        Ok(request) => request,
        Err(e) => return (Ending::Failed, Some(e.to_string()), 0),
    };
    Attempts::start();
    let result = agent.run(request);
    let attempts = Attempts::finish();
    let resent = attempts.resent();
    let (ending, why) = match result {
        Ok(mut response) => {
            let status = response.status();
            // Read to the end (bounded) so the connection goes back to the pool.
            let mut body = response.body_mut().with_config().reader().take(BODY_LIMIT);
            let read = io::copy(&mut body, &mut io::sink());
            let status_line = format!(
                "{} {}",
                status.as_u16(),
                status.canonical_reason().unwrap_or("")
            );
            let status_line = status_line.trim_end();
            if status.is_success() {
                match read {
                    Ok(_) => (Ending::Ok, None),
                    Err(e) => (
                        Ending::Failed,
                        Some(format!("{status_line}, then the body failed: {e}")),
                    ),
                }
            } else if matches!(status.as_u16(), 429 | 503) {
                let tries = attempts.sent.max(1);
                (
                    Ending::GaveUp,
                    Some(format!(
                        "{status_line} (gave up after {tries} attempt{})",
                        if tries == 1 { "" } else { "s" }
                    )),
                )
            } else {
                (Ending::Failed, Some(status_line.to_owned()))
            }
        }
        // Before any response (a declined retry hands back the last outcome).
        Err(Error::Governor(GovernorError::GaveUp(gave_up))) => {
            (Ending::GaveUp, Some(gave_up.to_string()))
        }
        Err(e) => (Ending::Failed, Some(e.to_string())),
    };
    (ending, why, resent)
}

/// Prints the failures and the summary; exit status 0 when every request ended
/// ok, 1 otherwise (2 when stdout cannot be written).
fn report(outcome: &Outcome, summary_json: bool) -> ExitCode {
    let summary = &outcome.summary;
    let not_ok = summary.requests.saturating_sub(summary.ok);
    {
        let mut err = io::stderr().lock();
        // Nothing more can be done when stderr is gone.
        for failure in &outcome.failures {
            let _ = writeln!(err, "{}: fetch: {failure}", crate::PROGRAM);
        }
        let unlisted = not_ok.saturating_sub(outcome.failures.len() as u64);
        if unlisted > 0 {
            let _ = writeln!(err, "{}: fetch: ... and {unlisted} more", crate::PROGRAM);
        }
        if !summary_json {
            let _ = err.write_all(summary.human().as_bytes());
        }
    }
    if summary_json {
        let mut out = io::stdout().lock();
        if let Err(e) = out
            .write_all(summary.json().as_bytes())
            .and_then(|()| out.flush())
        {
            return crate::fail("fetch: ", &Failure::output(&e));
        }
    }
    if not_ok == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(urls: &[&str], repeat: u64) -> Job {
        Job::new(urls.iter().map(|u| (*u).to_owned()).collect(), repeat).unwrap()
    }

    /// (URL, work left) of every request, in order.
    fn plan(job: &Job) -> Vec<(String, u64)> {
        (0..job.total)
            .map(|i| {
                let (t, left) = job.request(i);
                (t.url.clone(), left)
            })
            .collect()
    }

    #[test]
    fn rounds_and_work_left_per_server() {
        let j = job(
            &[
                "http://a.example/1",
                "http://b.example/",
                "http://A.example:80/2",
            ],
            2,
        );
        assert_eq!(j.total, 6);
        let expected = [
            ("http://a.example/1", 4),
            ("http://b.example/", 2),
            ("http://A.example:80/2", 3),
            ("http://a.example/1", 2),
            ("http://b.example/", 1),
            ("http://A.example:80/2", 1),
        ];
        let expected: Vec<(String, u64)> = expected
            .iter()
            .map(|(u, n)| ((*u).to_owned(), *n))
            .collect();
        assert_eq!(plan(&j), expected);
    }

    #[test]
    fn one_url_counts_down() {
        let j = job(&["http://a.example/"], 4);
        let left: Vec<u64> = plan(&j).into_iter().map(|(_, n)| n).collect();
        assert_eq!(left, [4, 3, 2, 1]);
    }

    #[test]
    fn too_many_requests_is_refused() {
        let urls = vec!["http://a.example/".to_owned(); 2];
        assert!(Job::new(urls, u64::MAX).is_err());
    }

    #[test]
    fn summary_json_in_the_contract_order() {
        let s = Summary {
            requests: 40,
            ok: 38,
            rejected: 3,
            retries: 2,
            gave_up: 1,
            failed: 1,
            elapsed: Duration::from_millis(15_804),
            waited: Duration::from_millis(14_896),
        };
        assert_eq!(
            s.json(),
            "{\"requests\": 40, \"ok\": 38, \"rejected\": 3, \"retries\": 2, \"gave_up\": 1, \
             \"failed\": 1, \"elapsed_s\": 15.8, \"waited_s\": 14.9}\n"
        );
        let parsed: serde_json::Value = serde_json::from_str(&s.json()).unwrap();
        assert_eq!(parsed["elapsed_s"], 15.8);
        assert_eq!(
            s.human(),
            "40 requests in 15.8 s: 38 ok, 1 gave up, 1 failed; 3 rejected (429/503), \
             2 retries, 14.9 s waited on the governor\n"
        );
    }
}
