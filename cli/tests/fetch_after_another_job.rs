//! `ratelimit-governor fetch` (`../shared/contract/cli.md` section 3) started right
//! after another job on the same key: a cold start into a window another client has
//! partly used, against the real express-rate-limit server in `servers/` (install
//! it once with `scripts/servers-setup.sh`). Targets of issue 8: no rejection counted
//! by the server, at most 1.10x the lower bound.

mod common;

#[path = "../../servers/support.rs"]
mod support;

#[path = "../../servers/lower_bound.rs"]
mod lower_bound;

use std::time::{Duration, Instant};

use common::run;
use lower_bound::{Prior, lower_bound};
use serde_json::Value;
use support::{RouteCount, TestServer};

/// express's draft-8 route: 5 per 2 s and 15 per 10 s.
const LIMITS: [(u64, Duration); 2] = [(5, Duration::from_secs(2)), (15, Duration::from_secs(10))];

/// Requests of the other job: 2 of 5 left in the burst window, 12 of 15 in the long.
const OTHER_JOB: u64 = 3;

/// Requests of the measured job.
const JOB: u64 = 40;

/// The most the job may take, as a multiple of its lower bound.
const MAX_RATIO: f64 = 1.10;

/// Runs `fetch --summary-json` with `args`; returns the summary after checking the
/// exit status.
fn fetch(args: &[&str]) -> Value {
    let mut all = vec!["fetch", "--summary-json"];
    all.extend_from_slice(args);
    let r = run(&all, b"");
    assert_eq!(r.code, Some(0), "fetch {args:?}: {}", r.stderr);
    let line = r.stdout.lines().last().expect("a summary line on stdout");
    serde_json::from_str(line).expect("the summary is JSON")
}

#[test]
fn four_workers_right_after_another_job_on_draft8_are_never_rejected() {
    let server = TestServer::express(&[
        ("LIMIT", "5"),
        ("WINDOW_MS", "2000"),
        ("LIMIT2", "15"),
        ("WINDOW2_MS", "10000"),
    ]);
    let url = server.url("/draft8");

    // The other job: another process, so another governor. Taken before it starts,
    // its instant is no later than the windows its first request opened.
    let other_started = Instant::now();
    let other = fetch(&["--repeat", "3", &url]);
    let other_took = other_started.elapsed();
    assert_eq!(other["ok"], OTHER_JOB, "{other}");
    assert_eq!(
        server.stats().get("draft8"),
        RouteCount {
            ok: OTHER_JOB,
            rejected: 0
        },
        "the other job's requests all pass"
    );
    assert!(
        other_took < LIMITS[0].1,
        "the other job took {other_took:?}, so its requests may span windows"
    );
    server.reset_stats();

    let started = Instant::now();
    let s = fetch(&["--concurrency", "4", "--repeat", "40", &url]);
    let elapsed = started.elapsed();
    let prior = Prior {
        hits: OTHER_JOB,
        opened: started - other_started,
    };
    assert!(
        prior.opened < LIMITS[0].1,
        "the job started {:?} after the other one, when the window it used had ended",
        prior.opened
    );
    let counts = server.stats().get("draft8");
    let bound = lower_bound(&LIMITS, prior, JOB);
    let ratio = elapsed.as_secs_f64() / bound.as_secs_f64();
    let figures = format!(
        "fetch draft8 (/draft8), 4 workers, after {OTHER_JOB} requests of another client {:.3} s before: {JOB} requests in {:.2} s = {ratio:.3}x the lower bound {:.2} s, {} rejections (server count), {} ok; summary {s}",
        prior.opened.as_secs_f64(),
        elapsed.as_secs_f64(),
        bound.as_secs_f64(),
        counts.rejected,
        counts.ok,
    );
    eprintln!("{figures}");
    for (key, n) in [
        ("requests", JOB),
        ("ok", JOB),
        ("gave_up", 0),
        ("failed", 0),
    ] {
        assert_eq!(s[key], n, "{figures}: {key}");
    }
    assert_eq!(counts.ok, JOB, "{figures}: server-counted successes");
    assert_eq!(counts.rejected, 0, "{figures}: server-counted rejections");
    assert!(
        ratio <= MAX_RATIO,
        "{figures}: more than {MAX_RATIO}x the lower bound"
    );
}
