//! The bulk-job scenarios through reqwest + [`GovernorMiddleware`] against the real
//! rate limiters (express-rate-limit, Flask-Limiter), on the system clock.
//!
//! Install the servers first: `scripts/servers-setup.sh`.

mod common;

use std::time::Instant;

use common::{
    BARE, DRAFT6, DRAFT7, DRAFT8, FLASK_DECLARED, FLASK_HTTP_DATE, FLASK_SECONDS, JobReport,
    LEGACY, Route, assert_job,
};
use ratelimit_governor_std::Governor;
use ratelimit_governor_std::reqwest::{WorkLeft, client};
use reqwest_middleware::ClientWithMiddleware;

/// `n` GETs of `url` one after the other, telling the governor what is left.
async fn worker(http: ClientWithMiddleware, url: String, n: u64) -> JobReport {
    let mut report = JobReport::default();
    for done in 0..n {
        let sent = http
            .get(&url)
            .with_extension(WorkLeft(n - done))
            .send()
            .await;
        match sent {
            Ok(response) if response.status().is_success() => report.ok += 1,
            Ok(response) => report
                .failures
                .push(format!("status {}", response.status())),
            Err(e) => report.failures.push(e.to_string()),
        }
    }
    report
}

/// Runs `route`'s bulk job against a fresh server, split over `workers` concurrent
/// tasks sharing one governor, and checks it.
async fn job(route: Route, workers: u64) {
    let server = route.start();
    let http = client(
        reqwest::Client::new(),
        Governor::with_settings(route.settings()),
    );
    let url = server.url(route.path);
    let started = Instant::now();
    let tasks: Vec<_> = (0..workers)
        .map(|w| tokio::spawn(worker(http.clone(), url.clone(), route.share(workers, w))))
        .collect();
    let mut report = JobReport::default();
    for task in tasks {
        report.add(task.await.expect("worker panicked"));
    }
    report.elapsed = started.elapsed();
    assert_job(&route, &server, &report, route.requests);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn draft6_one_worker() {
    job(DRAFT6, 1).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn draft7_one_worker() {
    job(DRAFT7, 1).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn draft8_one_worker() {
    job(DRAFT8, 1).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn legacy_one_worker() {
    job(LEGACY, 1).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bare_one_worker() {
    job(BARE, 1).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flask_seconds_one_worker() {
    job(FLASK_SECONDS, 1).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flask_http_date_one_worker() {
    job(FLASK_HTTP_DATE, 1).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn draft8_four_workers() {
    job(DRAFT8, 4).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flask_seconds_four_workers() {
    job(FLASK_SECONDS, 4).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flask_declared_one_worker() {
    job(FLASK_DECLARED, 1).await;
}
