//! What a bulk job saw, from the client's side.

use std::time::{Duration, Instant};

/// The final outcomes of some requests.
#[derive(Clone, Debug, Default)]
pub struct Outcomes {
    /// Final responses with a 2xx status.
    pub ok: u64,
    /// Final statuses that were not 2xx, and errors, as text.
    pub failures: Vec<String>,
}

impl Outcomes {
    /// Adds another worker's outcomes.
    pub fn add(&mut self, other: Outcomes) {
        self.ok += other.ok;
        self.failures.extend(other.failures);
    }
}

/// What a whole job saw.
#[derive(Clone, Debug)]
pub struct JobReport {
    /// When its workers started (before any of its requests).
    pub started: Instant,
    /// From `started` until every worker was done.
    pub elapsed: Duration,
    /// Every worker's outcomes.
    pub outcomes: Outcomes,
}
