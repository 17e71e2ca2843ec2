//! The network between the clients and the server: a base round-trip time and,
//! optionally, per-request jitter on each one-way delay, so that the responses of
//! concurrent workers can arrive in another order than their requests left.
//!
//! With jitter each one-way delay is `rtt/2 × U(0.8, 1.5)`, drawn per request from
//! the worker's own stream ([`super::streams`]). The min-RTT oracle
//! ([`super::oracle`]) uses the smallest delay of that range, so its bound stays a
//! true lower bound; the fair bound ([`super::fair_bound`]) replays the very draws of
//! the run's workers.

use ratelimit_governor::{RandomSource, SplitMix64};

use super::clock::{Micros, split_rtt};

/// Smallest one-way delay as a share of `rtt / 2`, in percent.
pub const JITTER_MIN_PERCENT: u64 = 80;
/// Largest one-way delay as a share of `rtt / 2`, in percent.
pub const JITTER_MAX_PERCENT: u64 = 150;

/// Round-trip time and jitter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Network {
    /// The base round-trip time.
    pub rtt: Micros,
    /// Draw each one-way delay from `rtt/2 × U(0.8, 1.5)` instead of using `rtt/2`.
    pub jitter: bool,
}

impl Network {
    /// A network without jitter: every request takes exactly `rtt`, split evenly.
    pub const fn steady(rtt: Micros) -> Self {
        Network { rtt, jitter: false }
    }

    /// A network whose one-way delays vary around `rtt / 2`.
    pub const fn jittered(rtt: Micros) -> Self {
        Network { rtt, jitter: true }
    }

    /// The shortest one-way delays (client to server, server to client).
    pub fn min_delays(&self) -> (Micros, Micros) {
        if self.jitter {
            let low = self.rtt / 2 * JITTER_MIN_PERCENT / 100;
            (low, low)
        } else {
            split_rtt(self.rtt)
        }
    }

    /// The shortest round trip.
    pub fn min_rtt(&self) -> Micros {
        let (up, down) = self.min_delays();
        up + down
    }

    /// The mean round trip (with jitter, `rtt × (0.8 + 1.5) / 2`).
    pub fn mean_rtt(&self) -> Micros {
        if self.jitter {
            self.rtt / 2 * (JITTER_MIN_PERCENT + JITTER_MAX_PERCENT) / 100
        } else {
            self.rtt
        }
    }

    /// The delay of one request on its way to the server.
    pub fn up(&self, rng: &mut SplitMix64) -> Micros {
        self.draw(split_rtt(self.rtt).0, rng)
    }

    /// The delay of one response on its way back.
    pub fn down(&self, rng: &mut SplitMix64) -> Micros {
        self.draw(split_rtt(self.rtt).1, rng)
    }

    /// The delays of one request, to the server and back, drawn in the order the
    /// engine draws them (the way up when the request leaves, the way back when the
    /// server has handled it).
    pub fn delays(&self, rng: &mut SplitMix64) -> (Micros, Micros) {
        let up = self.up(rng);
        (up, self.down(rng))
    }

    fn draw(&self, steady: Micros, rng: &mut SplitMix64) -> Micros {
        if !self.jitter {
            return steady;
        }
        let half = self.rtt / 2;
        let low = half * JITTER_MIN_PERCENT / 100;
        let high = half * JITTER_MAX_PERCENT / 100;
        low + (rng.next_unit() * (high - low) as f64) as Micros
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steady_delays_split_the_rtt() {
        let n = Network::steady(51);
        let mut rng = SplitMix64::new(1);
        assert_eq!((n.up(&mut rng), n.down(&mut rng)), (25, 26));
        assert_eq!(n.min_rtt(), 51);
    }

    #[test]
    fn jittered_delays_stay_in_range_and_vary() {
        let n = Network::jittered(100_000);
        let mut rng = SplitMix64::new(7);
        let draws: Vec<Micros> = (0..1000).map(|_| n.up(&mut rng)).collect();
        assert!(draws.iter().all(|&d| (40_000..=75_000).contains(&d)));
        assert!(draws.iter().any(|&d| d < 45_000) && draws.iter().any(|&d| d > 70_000));
        assert_eq!(n.min_rtt(), 80_000);
        assert_eq!(n.mean_rtt(), 115_000);
    }

    #[test]
    fn a_request_draws_its_way_up_then_its_way_back() {
        let n = Network::jittered(100_000);
        let (mut a, mut b) = (SplitMix64::new(9), SplitMix64::new(9));
        let up = n.up(&mut a);
        assert_eq!(n.delays(&mut b), (up, n.down(&mut a)));
        assert_eq!(Network::steady(51).delays(&mut a), (25, 26));
    }
}
