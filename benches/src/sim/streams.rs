//! The seeded random streams of one run: one per client for its strategy (jitter,
//! backoff), then one per worker for the network delays of its requests' first
//! attempts, then one per worker for those of its retries, all seeded in that order
//! from the run's seed. The engine and the oracle that faces the run's own network
//! ([`super::fair_bound`]) both take their streams from here, so worker `p`'s `k`-th
//! request leaves with the same delays in both, whatever retries came before it (a
//! retry draws from its own stream).

use ratelimit_governor::{RandomSource, SplitMix64};

/// The streams of a run.
pub struct RunStreams {
    /// One per client, for its strategy.
    pub clients: Vec<SplitMix64>,
    /// One per worker (client `c`'s worker `i` is `c × workers + i`), for the network
    /// delays of its requests' first attempts: each draws its delay to the server,
    /// then its delay back.
    pub workers: Vec<SplitMix64>,
    /// One per worker, for the network delays of its retries, drawn the same way.
    pub retries: Vec<SplitMix64>,
}

impl RunStreams {
    /// The streams of a run with `seed`, `clients` clients and `workers` workers per
    /// client.
    pub fn of(seed: u64, clients: usize, workers: usize) -> Self {
        let mut seeds = SplitMix64::new(seed);
        let clients: Vec<SplitMix64> = (0..clients)
            .map(|_| SplitMix64::new(seeds.next_u64()))
            .collect();
        let mut per_worker = || -> Vec<SplitMix64> {
            (0..clients.len() * workers)
                .map(|_| SplitMix64::new(seeds.next_u64()))
                .collect()
        };
        let workers = per_worker();
        let retries = per_worker();
        RunStreams {
            clients,
            workers,
            retries,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_depend_on_the_seed_and_differ_per_worker() {
        let mut a = RunStreams::of(3, 2, 2);
        let mut b = RunStreams::of(3, 2, 2);
        assert_eq!(
            (a.clients.len(), a.workers.len(), a.retries.len()),
            (2, 4, 4)
        );
        assert_eq!(a.workers[3].next_u64(), b.workers[3].next_u64());
        assert_ne!(a.workers[0].next_u64(), a.workers[1].next_u64());
        assert_ne!(a.workers[2].next_u64(), a.retries[2].next_u64());
        let mut c = RunStreams::of(4, 2, 2);
        assert_ne!(b.clients[0].next_u64(), c.clients[0].next_u64());
    }
}
