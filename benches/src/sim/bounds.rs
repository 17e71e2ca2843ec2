//! The yardsticks a run is measured against: the fair bound (the perfect client on
//! the run's own network delays, [`super::fair_bound`]), which the ratios and the
//! invariants use; its probe-first variant (the perfect client obeying issue 8 item
//! 3's cold start, [`super::cold_start`]), which class (a) clients with several
//! workers are held to; the round trip of that probe, which a multi-worker client
//! without headers may spend over strategy (b); and the min-RTT bound (every delay
//! at the shortest of the jitter range, [`super::oracle`]), kept for reports.
//! Without jitter the fair and min-RTT bounds are equal; with one worker per client
//! the fair and probe-first bounds are equal and the probe costs nothing.

use super::clock::Micros;
use super::cold_start::probe_round_trip_of;
use super::fair_bound::{fair_bound_of, probe_first_bound_of};
use super::oracle::lower_bound_of;
use super::scenario::Scenario;

/// The bounds of one run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bounds {
    /// The fair bound: [`fair_bound_of`] the scenario and the run's seed.
    pub fair: Micros,
    /// The probe-first fair bound: [`probe_first_bound_of`] the scenario and the
    /// run's seed (equal to [`Bounds::fair`] when every client has one worker).
    pub probe_first: Micros,
    /// The cold-start probe's round trip: [`probe_round_trip_of`] the scenario and
    /// the run's seed (0 when every client has one worker).
    pub probe_round_trip: Micros,
    /// The min-RTT bound: [`lower_bound_of`] the scenario.
    pub min_rtt: Micros,
}

impl Bounds {
    /// The bounds of a run of `scenario` with `seed`.
    pub fn of(scenario: &Scenario, seed: u64) -> Self {
        Bounds {
            fair: fair_bound_of(scenario, seed),
            probe_first: probe_first_bound_of(scenario, seed),
            probe_round_trip: probe_round_trip_of(scenario, seed),
            min_rtt: lower_bound_of(scenario),
        }
    }
}
