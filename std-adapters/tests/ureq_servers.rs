//! The ureq adapter against real rate limiters on 127.0.0.1: every route with one
//! worker, and four workers sharing one governor (see `common`).

mod common;

use std::time::Instant;

use common::{
    BARE, DRAFT6, DRAFT7, DRAFT8, FLASK_DECLARED, FLASK_HTTP_DATE, FLASK_SECONDS, JobReport,
    LEGACY, Route, assert_job,
};
use ratelimit_governor_std::Governor;
use ratelimit_governor_std::ureq::GovernedAgent;

/// Runs `route`'s bulk job with `workers` threads sharing one governed agent.
fn job(route: &Route, workers: u64) {
    let server = route.start();
    let agent = GovernedAgent::new(Governor::with_settings(route.settings()));
    let url = server.url(route.path);
    let started = Instant::now();
    let reports: Vec<JobReport> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                let (agent, url) = (agent.clone(), url.clone());
                let share = route.share(workers, w);
                scope.spawn(move || {
                    let mut report = JobReport::default();
                    for _ in 0..share {
                        match agent.get(&url) {
                            Ok(r) if r.status().is_success() => report.ok += 1,
                            Ok(r) => report.failures.push(format!("status {}", r.status())),
                            Err(e) => report.failures.push(e.to_string()),
                        }
                    }
                    report
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut total = JobReport {
        elapsed: started.elapsed(),
        ..JobReport::default()
    };
    for r in reports {
        total.add(r);
    }
    assert_job(route, &server, &total, route.requests);
}

#[test]
fn draft6_one_worker() {
    job(&DRAFT6, 1);
}

#[test]
fn draft7_one_worker() {
    job(&DRAFT7, 1);
}

#[test]
fn draft8_one_worker() {
    job(&DRAFT8, 1);
}

#[test]
fn draft8_four_workers() {
    job(&DRAFT8, 4);
}

#[test]
fn legacy_one_worker() {
    job(&LEGACY, 1);
}

#[test]
fn bare_one_worker() {
    job(&BARE, 1);
}

#[test]
fn flask_seconds_one_worker() {
    job(&FLASK_SECONDS, 1);
}

#[test]
fn flask_seconds_four_workers() {
    job(&FLASK_SECONDS, 4);
}

#[test]
fn flask_http_date_one_worker() {
    job(&FLASK_HTTP_DATE, 1);
}

#[test]
fn flask_declared_one_worker() {
    job(&FLASK_DECLARED, 1);
}
