//! The jobs of the real-server tests, shared by every adapter: one constant per
//! test, named as the tests are.

use super::job::Job;
use super::routes::{
    BARE, DRAFT6, DRAFT7, DRAFT8, FLASK_2S, FLASK_DECLARED, FLASK_HTTP_DATE, FLASK_SECONDS, LEGACY,
    LEGACY_2S, SILENT,
};

/// Requests in the usual bulk job (5 per 2 s: a lower bound of 22 s).
const JOB: u64 = 60;
/// Requests in the jobs on 5 per 2 s added for issue 8 (14 s to 24 s).
const SHORT_JOB: u64 = 40;
/// Requests in a job on 5 per 15 s windows (a lower bound of 45 s).
const SLOW_JOB: u64 = 20;
/// Requests of the other client's job before a job that starts after one: it
/// leaves 2 of 5 in the burst window (12 of 15 in draft-8's long one).
const OTHER_JOB: u64 = 3;

/// draft-6, one worker.
pub const DRAFT6_ONE_WORKER: Job = Job::new(DRAFT6, JOB);
/// draft-6, four workers right after another job.
pub const DRAFT6_FOUR_WORKERS_AFTER_ANOTHER_JOB: Job = Job::new(DRAFT6, SHORT_JOB)
    .workers(4)
    .after_another_job(OTHER_JOB);
/// draft-6, sixteen workers right after another job.
pub const DRAFT6_SIXTEEN_WORKERS_AFTER_ANOTHER_JOB: Job = Job::new(DRAFT6, SHORT_JOB)
    .workers(16)
    .after_another_job(OTHER_JOB);

/// draft-7, one worker.
pub const DRAFT7_ONE_WORKER: Job = Job::new(DRAFT7, JOB);
/// draft-7, four workers right after another job.
pub const DRAFT7_FOUR_WORKERS_AFTER_ANOTHER_JOB: Job = Job::new(DRAFT7, SHORT_JOB)
    .workers(4)
    .after_another_job(OTHER_JOB);
/// draft-7, sixteen workers right after another job.
pub const DRAFT7_SIXTEEN_WORKERS_AFTER_ANOTHER_JOB: Job = Job::new(DRAFT7, SHORT_JOB)
    .workers(16)
    .after_another_job(OTHER_JOB);

/// draft-8 (two policies), one worker.
pub const DRAFT8_ONE_WORKER: Job = Job::new(DRAFT8, JOB);
/// draft-8, four workers.
pub const DRAFT8_FOUR_WORKERS: Job = Job::new(DRAFT8, JOB).workers(4);
/// draft-8, four workers right after another job.
pub const DRAFT8_FOUR_WORKERS_AFTER_ANOTHER_JOB: Job = Job::new(DRAFT8, SHORT_JOB)
    .workers(4)
    .after_another_job(OTHER_JOB);
/// draft-8, sixteen workers right after another job.
pub const DRAFT8_SIXTEEN_WORKERS_AFTER_ANOTHER_JOB: Job = Job::new(DRAFT8, SHORT_JOB)
    .workers(16)
    .after_another_job(OTHER_JOB);

/// Legacy `X-RateLimit-*`, 5 per 15 s, one worker.
pub const LEGACY_ONE_WORKER: Job = Job::new(LEGACY, SLOW_JOB);
/// Legacy `X-RateLimit-*` with 5 per 2 s on express-rate-limit, one worker.
pub const LEGACY_TWO_SECOND_EXPRESS_ONE_WORKER: Job = Job::new(LEGACY_2S, SHORT_JOB);
/// The same, four workers.
pub const LEGACY_TWO_SECOND_EXPRESS_FOUR_WORKERS: Job = Job::new(LEGACY_2S, SHORT_JOB).workers(4);
/// Legacy `X-RateLimit-*` with 5 per 2 s on Flask-Limiter, one worker.
pub const LEGACY_TWO_SECOND_FLASK_ONE_WORKER: Job = Job::new(FLASK_2S, SHORT_JOB);
/// The same, four workers.
pub const LEGACY_TWO_SECOND_FLASK_FOUR_WORKERS: Job = Job::new(FLASK_2S, SHORT_JOB).workers(4);

/// No rate-limit headers, `Retry-After` on 429, one worker.
pub const BARE_ONE_WORKER: Job = Job::new(BARE, SHORT_JOB);
/// A bare 429 without `Retry-After`, one worker.
pub const SILENT_ONE_WORKER: Job = Job::new(SILENT, SHORT_JOB);

/// Flask-Limiter, 5 per 15 s and 1000 per hour, `Retry-After` seconds, one worker.
pub const FLASK_SECONDS_ONE_WORKER: Job = Job::new(FLASK_SECONDS, SLOW_JOB);
/// The same, four workers.
pub const FLASK_SECONDS_FOUR_WORKERS: Job = Job::new(FLASK_SECONDS, SLOW_JOB).workers(4);
/// Flask-Limiter, `Retry-After` as an HTTP-date, one worker.
pub const FLASK_HTTP_DATE_ONE_WORKER: Job = Job::new(FLASK_HTTP_DATE, SLOW_JOB);
/// Flask-Limiter, two binding limits, the second declared by the client, one worker.
pub const FLASK_DECLARED_ONE_WORKER: Job = Job::new(FLASK_DECLARED, 45);
