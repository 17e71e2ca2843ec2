//! [`RandomSource`]: randomness as an input, so every jittered delay is reproducible
//! from a seed (`../shared/spec/governor.md` section 0: "pure functions", and section
//! 1.1: jitter must differ between clients), and [`SplitMix64`], a small seeded
//! generator that needs no allocation and no global state.

/// A stream of uniformly distributed random numbers supplied by the caller.
///
/// The crate never draws randomness on its own: schedules take a `RandomSource`, and
/// the pure functions take a sample `u01` in `[0, 1)` directly.
pub trait RandomSource {
    /// The next 64 uniformly distributed bits.
    fn next_u64(&mut self) -> u64;

    /// The next sample in `[0, 1)`, made from the top 53 bits of [`next_u64`]
    /// (every value is a multiple of 2^-53, so 1.0 is never returned).
    ///
    /// [`next_u64`]: RandomSource::next_u64
    fn next_unit(&mut self) -> f64 {
        /// 2^-53: one unit in the last place of a 53-bit fraction.
        const SCALE: f64 = 1.0 / 9_007_199_254_740_992.0;
        (self.next_u64() >> 11) as f64 * SCALE
    }
}

impl<R: RandomSource + ?Sized> RandomSource for &mut R {
    fn next_u64(&mut self) -> u64 {
        (**self).next_u64()
    }

    fn next_unit(&mut self) -> f64 {
        (**self).next_unit()
    }
}

/// Sebastiano Vigna's SplitMix64: 64 bits of state, full period 2^64, good enough
/// statistics for jitter, and the same stream for the same seed on every platform.
///
/// Not cryptographic. Give each client its own seed (process id, start time, a
/// hash of the client id): clients sharing a seed jitter in lockstep, which defeats
/// the purpose of jitter.
///
/// ```
/// use ratelimit_governor::retry::{RandomSource, SplitMix64};
///
/// let mut a = SplitMix64::new(7);
/// let mut b = SplitMix64::new(7);
/// assert_eq!(a.next_u64(), b.next_u64());
/// assert!((0.0..1.0).contains(&a.next_unit()));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// A generator whose stream is determined by `seed`.
    pub const fn new(seed: u64) -> Self {
        SplitMix64 { state: seed }
    }
}

impl RandomSource for SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A source that always returns the same bits.
    struct Constant(u64);

    impl RandomSource for Constant {
        fn next_u64(&mut self) -> u64 {
            self.0
        }
    }

    #[test]
    fn splitmix64_matches_reference_vectors() {
        // Reference output of Vigna's splitmix64.c for seed 1234567.
        let mut rng = SplitMix64::new(1_234_567);
        let want = [
            6_457_827_717_110_365_317,
            3_203_168_211_198_807_973,
            9_817_491_932_198_370_423,
            4_593_380_528_125_082_431,
            16_408_922_859_458_223_821,
        ];
        for w in want {
            assert_eq!(rng.next_u64(), w);
        }
    }

    #[test]
    fn same_seed_same_stream() {
        let mut a = SplitMix64::new(42);
        let mut b = a.clone();
        for _ in 0..100 {
            assert_eq!(a.next_u64(), b.next_u64());
        }
    }

    #[test]
    fn different_seeds_differ() {
        let mut a = SplitMix64::new(1);
        let mut b = SplitMix64::new(2);
        assert_ne!(a.next_u64(), b.next_u64());
    }

    #[test]
    fn next_unit_stays_in_half_open_interval() {
        let rows = [
            (0, 0.0),
            (u64::MAX, 1.0 - 1.0 / 9_007_199_254_740_992.0),
            (1 << 63, 0.5),
        ];
        for (bits, want) in rows {
            let u = Constant(bits).next_unit();
            assert_eq!(u, want, "bits {bits:#x}");
            assert!((0.0..1.0).contains(&u));
        }
    }

    #[test]
    fn next_unit_varies() {
        let mut rng = SplitMix64::new(9);
        let first = rng.next_unit();
        assert!((0..20).any(|_| rng.next_unit() != first));
    }

    #[test]
    fn mutable_reference_is_a_source() {
        fn draw<R: RandomSource>(mut rng: R) -> (u64, f64) {
            (rng.next_u64(), rng.next_unit())
        }
        let mut rng = SplitMix64::new(5);
        let mut copy = rng.clone();
        assert_eq!(draw(&mut rng), (copy.next_u64(), copy.next_unit()));
        assert_eq!(
            rng.next_u64(),
            copy.next_u64(),
            "the borrowed generator advanced"
        );
    }
}
