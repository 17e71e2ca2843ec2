//! A bulk job: how many requests, over how many workers sharing one governor, and
//! whether another client used the route's windows just before.

use super::route::Route;

/// One bulk job on a route.
#[derive(Clone, Copy, Debug)]
pub struct Job {
    /// The route every request goes to.
    pub route: Route,
    /// Requests in the job.
    pub requests: u64,
    /// Workers sending them at once, sharing one governor.
    pub workers: u64,
    /// Requests another client (its own governor, one worker) sends on the same
    /// key right before the job, which starts cold into the window they left
    /// partly used. 0: the job starts on a fresh server.
    pub prior: u64,
}

impl Job {
    /// `requests` on `route` by one worker, on a fresh server.
    pub const fn new(route: Route, requests: u64) -> Job {
        Job {
            route,
            requests,
            workers: 1,
            prior: 0,
        }
    }

    /// The same job split over `workers`.
    pub const fn workers(self, workers: u64) -> Job {
        Job { workers, ..self }
    }

    /// The same job right after another client's `requests` on the same key.
    pub const fn after_another_job(self, requests: u64) -> Job {
        Job {
            prior: requests,
            ..self
        }
    }

    /// Each worker's part of the job (the first ones take one more when it does not
    /// divide evenly).
    pub fn shares(&self) -> Vec<u64> {
        (0..self.workers)
            .map(|w| self.requests / self.workers + u64::from(w < self.requests % self.workers))
            .collect()
    }
}
