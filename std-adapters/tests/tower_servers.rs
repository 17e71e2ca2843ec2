//! The tower adapter (hyper-util's legacy client through
//! [`GovernorLayer`](ratelimit_governor_std::tower::GovernorLayer), one task per
//! worker) against real rate limiters on 127.0.0.1: the jobs of `common::jobs`,
//! checked by `common::check`. Real clock, real sleeping.

mod common;

use common::job::Job;
use common::jobs;
use common::tower_client::Tower;

/// Runs `job` through the tower adapter and checks the targets.
fn check(job: &Job) {
    common::check(job, &Tower);
}

#[test]
fn bare_one_worker() {
    check(&jobs::BARE_ONE_WORKER);
}

#[test]
fn silent_one_worker() {
    check(&jobs::SILENT_ONE_WORKER);
}

#[test]
fn draft6_one_worker() {
    check(&jobs::DRAFT6_ONE_WORKER);
}

#[test]
fn draft6_four_workers_after_another_job() {
    check(&jobs::DRAFT6_FOUR_WORKERS_AFTER_ANOTHER_JOB);
}

#[test]
fn draft6_sixteen_workers_after_another_job() {
    check(&jobs::DRAFT6_SIXTEEN_WORKERS_AFTER_ANOTHER_JOB);
}

#[test]
fn draft7_one_worker() {
    check(&jobs::DRAFT7_ONE_WORKER);
}

#[test]
fn draft7_four_workers_after_another_job() {
    check(&jobs::DRAFT7_FOUR_WORKERS_AFTER_ANOTHER_JOB);
}

#[test]
fn draft7_sixteen_workers_after_another_job() {
    check(&jobs::DRAFT7_SIXTEEN_WORKERS_AFTER_ANOTHER_JOB);
}

#[test]
fn draft8_one_worker() {
    check(&jobs::DRAFT8_ONE_WORKER);
}

#[test]
fn draft8_four_workers() {
    check(&jobs::DRAFT8_FOUR_WORKERS);
}

#[test]
fn draft8_four_workers_after_another_job() {
    check(&jobs::DRAFT8_FOUR_WORKERS_AFTER_ANOTHER_JOB);
}

#[test]
fn draft8_sixteen_workers_after_another_job() {
    check(&jobs::DRAFT8_SIXTEEN_WORKERS_AFTER_ANOTHER_JOB);
}

#[test]
fn legacy_one_worker() {
    check(&jobs::LEGACY_ONE_WORKER);
}

#[test]
fn flask_seconds_one_worker() {
    check(&jobs::FLASK_SECONDS_ONE_WORKER);
}

#[test]
fn flask_seconds_four_workers() {
    check(&jobs::FLASK_SECONDS_FOUR_WORKERS);
}

#[test]
fn flask_http_date_one_worker() {
    check(&jobs::FLASK_HTTP_DATE_ONE_WORKER);
}

#[test]
fn flask_declared_one_worker() {
    check(&jobs::FLASK_DECLARED_ONE_WORKER);
}
