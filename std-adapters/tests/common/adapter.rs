//! What each adapter provides to the real-server tests: a way to run a bulk job.

use ratelimit_governor_std::Governor;

use super::report::JobReport;

/// An HTTP client adapter under test.
pub trait Adapter {
    /// Its name in the figures each test prints.
    const NAME: &'static str;

    /// Sends GETs of `url` from one worker per entry of `shares` (that many each),
    /// all at once, through one client governed by `governor`, and reports what
    /// they saw. Every loop is bounded by the shares.
    fn run(&self, governor: Governor, url: &str, shares: &[u64]) -> JobReport;
}
