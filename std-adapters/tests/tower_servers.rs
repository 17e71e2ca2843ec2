//! The tower adapter (hyper-util's legacy client through [`GovernorLayer`]) against
//! real rate limiters on 127.0.0.1: every route with one worker, and four workers
//! sharing one governor (see `common`). Real clock, real sleeping.

mod common;

use std::time::Instant;

use bytes::Bytes;
use common::{
    BARE, DRAFT6, DRAFT7, DRAFT8, FLASK_DECLARED, FLASK_HTTP_DATE, FLASK_SECONDS, JobReport,
    LEGACY, Route, assert_job,
};
use http_body_util::{BodyExt, Empty};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use ratelimit_governor_std::Governor;
use ratelimit_governor_std::tower::{Governed, GovernorLayer};
use tower::{Layer, ServiceExt};

type Service = Governed<Client<HttpConnector, Empty<Bytes>>>;

/// One worker's share of the job: `n` sequential GETs of `url`.
async fn worker(service: Service, url: String, n: u64) -> JobReport {
    let mut report = JobReport::default();
    for _ in 0..n {
        let request = http::Request::get(url.as_str()).body(Empty::new()).unwrap();
        match service.clone().oneshot(request).await {
            Ok(response) => {
                let status = response.status();
                // Read the body so the connection goes back to the pool.
                if let Err(e) = response.into_body().collect().await {
                    report.failures.push(format!("body: {e}"));
                } else if status.is_success() {
                    report.ok += 1;
                } else {
                    report.failures.push(format!("status {status}"));
                }
            }
            Err(e) => report.failures.push(e.to_string()),
        }
    }
    report
}

/// Runs `route`'s bulk job with `workers` tasks sharing one governed client.
async fn job(route: &Route, workers: u64) {
    let server = route.start();
    let client = Client::builder(TokioExecutor::new()).build_http::<Empty<Bytes>>();
    let service = GovernorLayer::new(Governor::with_settings(route.settings())).layer(client);
    let url = server.url(route.path);
    let started = Instant::now();
    let tasks: Vec<_> = (0..workers)
        .map(|w| {
            tokio::spawn(worker(
                service.clone(),
                url.clone(),
                route.share(workers, w),
            ))
        })
        .collect();
    let mut total = JobReport::default();
    for task in tasks {
        total.add(task.await.unwrap());
    }
    total.elapsed = started.elapsed();
    eprintln!("{}: {:?}", route.name, service.governor().stats());
    assert_job(route, &server, &total, route.requests);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn draft6_one_worker() {
    job(&DRAFT6, 1).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn draft7_one_worker() {
    job(&DRAFT7, 1).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn draft8_one_worker() {
    job(&DRAFT8, 1).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn draft8_four_workers() {
    job(&DRAFT8, 4).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn legacy_one_worker() {
    job(&LEGACY, 1).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bare_one_worker() {
    job(&BARE, 1).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flask_seconds_one_worker() {
    job(&FLASK_SECONDS, 1).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flask_seconds_four_workers() {
    job(&FLASK_SECONDS, 4).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flask_http_date_one_worker() {
    job(&FLASK_HTTP_DATE, 1).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flask_declared_one_worker() {
    job(&FLASK_DECLARED, 1).await;
}
