//! One real-server test from start to end: a fresh server, the other client's job
//! when there is one, the measured job with a fresh governor, then the targets.

use ratelimit_governor_std::Governor;

use super::adapter::Adapter;
use super::job::Job;
use super::lower_bound::Prior;
use super::support::{RouteCount, TestServer};
use super::targets::assert_targets;

/// Runs `job` through `adapter` against a server of its own, and checks the
/// targets. The server is stopped when the check ends, passed or failed.
pub fn check<A: Adapter>(job: &Job, adapter: &A) {
    let route = &job.route;
    let server = route.start();
    let url = server.url(route.path);
    let other = (job.prior > 0).then(|| another_job(job, adapter, &server, &url));
    // A fresh governor: it knows nothing of the other client's requests.
    let report = adapter.run(
        Governor::with_settings(route.settings()),
        &url,
        &job.shares(),
    );
    let prior = match other {
        Some(started) => Prior {
            hits: job.prior,
            opened: report.started.saturating_duration_since(started),
        },
        None => Prior::NONE,
    };
    assert!(
        prior.opened < route.shortest_window(),
        "{}: the job started {:?} after the other one, when the window it used had ended",
        route.name,
        prior.opened
    );
    let counts = server.stats().get(route.name);
    assert_targets(A::NAME, job, prior, &report, counts);
}

/// Another client's `job.prior` requests (its own governor and connections, one
/// worker), all accepted and all in the windows the first opened; then the
/// server's counters are zeroed (not its windows). Returns when that job started,
/// before its first request: no later than the windows opened.
fn another_job<A: Adapter>(
    job: &Job,
    adapter: &A,
    server: &TestServer,
    url: &str,
) -> std::time::Instant {
    let route = &job.route;
    let report = adapter.run(Governor::with_settings(route.settings()), url, &[job.prior]);
    let counts = server.stats().get(route.name);
    assert_eq!(
        counts,
        RouteCount {
            ok: job.prior,
            rejected: 0
        },
        "{}: the other job's requests must all pass: {:?}",
        route.name,
        report.outcomes.failures
    );
    assert!(
        report.elapsed < route.shortest_window(),
        "{}: the other job took {:?}, so its requests may span windows",
        route.name,
        report.elapsed
    );
    server.reset_stats();
    report.started
}
