//! The targets of issue 8 for a finished job, checked against the server's own
//! counts: every request ends 2xx; on a route with rate-limit headers, no rejection
//! and at most 1.10x the lower bound; on a route without, at most one rejection per
//! window the job spans.

use super::job::Job;
use super::lower_bound::Prior;
use super::report::JobReport;
use super::support::RouteCount;

/// The most a job may take, as a multiple of its lower bound.
pub const MAX_RATIO: f64 = 1.10;

/// Prints the job's figures (one line), then asserts the targets; every failure
/// message carries the figures.
pub fn assert_targets(
    adapter: &str,
    job: &Job,
    prior: Prior,
    report: &JobReport,
    counts: RouteCount,
) {
    let route = &job.route;
    let n = job.requests;
    let bound = route.lower_bound(prior, n);
    let elapsed = report.elapsed.as_secs_f64();
    let ratio = elapsed / bound.as_secs_f64();
    let after = if prior.hits > 0 {
        format!(
            ", after {} requests of another client {:.3} s before",
            prior.hits,
            prior.opened.as_secs_f64()
        )
    } else {
        String::new()
    };
    let figures = format!(
        "{adapter} {} ({}), {} workers{after}: {n} requests in {elapsed:.2} s = {ratio:.3}x the lower bound {:.2} s, {} rejections (server count), {} ok, {} failures",
        route.name,
        route.path,
        job.workers,
        bound.as_secs_f64(),
        counts.rejected,
        counts.ok,
        report.outcomes.failures.len(),
    );
    eprintln!("{figures}");
    assert!(
        report.outcomes.failures.is_empty(),
        "{figures}: requests did not end 2xx: {:?}",
        report.outcomes.failures
    );
    assert_eq!(report.outcomes.ok, n, "{figures}: ok responses");
    assert_eq!(counts.ok, n, "{figures}: server-counted successes");
    if route.headers {
        assert_eq!(counts.rejected, 0, "{figures}: server-counted rejections");
        assert!(
            ratio <= MAX_RATIO,
            "{figures}: more than {MAX_RATIO}x the lower bound"
        );
    } else {
        // No headers: the client learns only from rejections; one per window.
        let windows = n.div_ceil(route.limits[0].0);
        assert!(
            counts.rejected <= windows,
            "{figures}: more than one rejection per window ({windows} windows)"
        );
    }
}
