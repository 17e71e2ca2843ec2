//! The simulator's virtual clock: integer microseconds since the start of a run, and
//! the conversions every other module shares.

/// Virtual time in microseconds.
pub type Micros = u64;

/// One second in [`Micros`].
pub const SEC: Micros = 1_000_000;

/// One millisecond in [`Micros`].
pub const MS: Micros = 1_000;

/// The one-way delays (client to server, server to client) of a round-trip time.
pub const fn split_rtt(rtt: Micros) -> (Micros, Micros) {
    let up = rtt / 2;
    (up, rtt - up)
}

/// `us` in whole seconds, rounded up.
pub const fn ceil_secs(us: Micros) -> u64 {
    us.div_ceil(SEC)
}

/// `us` in whole milliseconds, rounded up.
pub const fn ceil_millis(us: Micros) -> u64 {
    us.div_ceil(MS)
}

/// `us` in seconds, for tables.
pub fn secs(us: Micros) -> f64 {
    us as f64 / SEC as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_is_upwards_and_exact_on_boundaries() {
        assert_eq!(ceil_secs(0), 0);
        assert_eq!(ceil_secs(1), 1);
        assert_eq!(ceil_secs(SEC), 1);
        assert_eq!(ceil_secs(SEC + 1), 2);
        assert_eq!(ceil_millis(1_001), 2);
        assert_eq!(split_rtt(51), (25, 26));
    }
}
