//! The yardstick of the real-server tests (`servers/lower_bound.rs`): the shortest
//! time a perfect client needs against fixed windows, fresh or partly used.

#[path = "../../servers/lower_bound.rs"]
mod lower_bound;

use std::time::Duration;

use lower_bound::{Prior, lower_bound};

const BURST: (u64, Duration) = (5, Duration::from_secs(2));
const LONG: (u64, Duration) = (15, Duration::from_secs(10));

fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

fn millis(ms: u64) -> Duration {
    Duration::from_millis(ms)
}

#[test]
fn a_fresh_window_lets_its_limit_go_at_once() {
    assert_eq!(lower_bound(&[BURST], Prior::NONE, 5), secs(0));
    assert_eq!(lower_bound(&[BURST], Prior::NONE, 6), secs(2));
    assert_eq!(lower_bound(&[BURST], Prior::NONE, 60), secs(22));
}

#[test]
fn stacked_limits_wait_for_the_longer_window() {
    assert_eq!(lower_bound(&[BURST, LONG], Prior::NONE, 15), secs(4));
    assert_eq!(lower_bound(&[BURST, LONG], Prior::NONE, 16), secs(10));
    assert_eq!(lower_bound(&[BURST, LONG], Prior::NONE, 60), secs(34));
}

#[test]
fn prior_hits_use_up_the_windows_they_opened() {
    let prior = Prior {
        hits: 3,
        opened: millis(500),
    };
    // Two left until the window ends, 1.5 s after the start.
    assert_eq!(lower_bound(&[BURST], prior, 2), secs(0));
    assert_eq!(lower_bound(&[BURST], prior, 3), millis(1500));
    assert_eq!(lower_bound(&[BURST], prior, 40), millis(15_500));
    // 12 left in the long window: 2 + 5 + 5 by 3.5 s, the rest from 9.5 s.
    assert_eq!(lower_bound(&[BURST, LONG], prior, 40), millis(23_500));
}

#[test]
fn prior_windows_that_have_ended_do_not_count() {
    let prior = Prior {
        hits: 5,
        opened: secs(3),
    };
    assert_eq!(lower_bound(&[BURST], prior, 5), secs(0));
    assert_eq!(lower_bound(&[BURST], prior, 6), secs(2));
}
