//! The two yardsticks a run is measured against: the fair bound (the perfect client
//! on the run's own network delays, [`super::fair_bound`]), which the ratios and the
//! invariants use, and the min-RTT bound (every delay at the shortest of the jitter
//! range, [`super::oracle`]), kept for reports. Without jitter they are equal.

use super::clock::Micros;
use super::fair_bound::fair_bound_of;
use super::oracle::lower_bound_of;
use super::scenario::Scenario;

/// The bounds of one run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bounds {
    /// The fair bound: [`fair_bound_of`] the scenario and the run's seed.
    pub fair: Micros,
    /// The min-RTT bound: [`lower_bound_of`] the scenario.
    pub min_rtt: Micros,
}

impl Bounds {
    /// The bounds of a run of `scenario` with `seed`.
    pub fn of(scenario: &Scenario, seed: u64) -> Self {
        Bounds {
            fair: fair_bound_of(scenario, seed),
            min_rtt: lower_bound_of(scenario),
        }
    }
}
