//! Random draws for the scenario generator, on one `SplitMix64` stream: integers in
//! a range, log-uniform magnitudes, weighted choices.

use ratelimit_governor::{RandomSource, SplitMix64};

/// A seeded stream of draws.
pub struct Draw {
    rng: SplitMix64,
}

impl Draw {
    /// The stream of `seed` (salted, so that it differs from the run's own streams,
    /// which are seeded with the same number).
    pub fn new(seed: u64) -> Self {
        Draw {
            rng: SplitMix64::new(seed ^ 0x5ce7_a210_9e0f_43d1),
        }
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        self.rng.next_unit()
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Uniform integer in `lo..=hi` (`lo` when the range is empty).
    pub fn between(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo {
            return lo;
        }
        lo + self.rng.next_u64() % (hi - lo + 1)
    }

    /// An integer in `lo..=hi` whose logarithm is uniform (small values as likely per
    /// decade as large ones).
    pub fn log_between(&mut self, lo: u64, hi: u64) -> u64 {
        let lo = lo.max(1);
        if hi <= lo {
            return lo;
        }
        let (a, b) = ((lo as f64).ln(), ((hi + 1) as f64).ln());
        let x = (a + self.unit() * (b - a)).exp().floor() as u64;
        x.clamp(lo, hi)
    }

    /// Uniform in `[lo, hi)` as a real number.
    pub fn real(&mut self, lo: f64, hi: f64) -> f64 {
        lo + self.unit() * (hi - lo)
    }

    /// One of `items`, each with its weight.
    pub fn weighted<T: Copy>(&mut self, items: &[(u32, T)]) -> T {
        let total: u64 = items.iter().map(|&(w, _)| u64::from(w)).sum();
        let mut x = self.between(0, total.saturating_sub(1));
        for &(w, item) in items {
            if x < u64::from(w) {
                return item;
            }
            x -= u64::from(w);
        }
        items[items.len() - 1].1
    }

    /// One of `items`, uniformly.
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        let i = self.between(0, items.len() as u64 - 1);
        items[usize::try_from(i).unwrap_or(0)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_stay_in_their_ranges() {
        let mut d = Draw::new(3);
        for _ in 0..10_000 {
            assert!((5..=9).contains(&d.between(5, 9)));
            assert!((1..=10_000).contains(&d.log_between(1, 10_000)));
            let r = d.real(0.8, 1.5);
            assert!((0.8..1.5).contains(&r));
        }
        assert_eq!(d.between(4, 2), 4);
        assert_eq!(d.log_between(7, 7), 7);
    }

    #[test]
    fn log_uniform_draws_cover_every_decade() {
        let mut d = Draw::new(11);
        let mut decades = [0u32; 4];
        for _ in 0..4_000 {
            let x = d.log_between(1, 9_999);
            decades[x.ilog10() as usize] += 1;
        }
        assert!(
            decades.iter().all(|&n| (700..1300).contains(&n)),
            "{decades:?}"
        );
    }

    #[test]
    fn weighted_choices_follow_their_weights() {
        let mut d = Draw::new(5);
        let n = (0..10_000)
            .filter(|_| d.weighted(&[(1, false), (3, true)]))
            .count();
        assert!((7_200..7_800).contains(&n), "{n}");
    }
}
