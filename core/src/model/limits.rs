//! [`Limits`]: everything one response says about rate limits, in fixed-capacity
//! storage borrowed from the response.

use core::time::Duration;

use super::{Bounded, Problem, RetryHint, Signals, Warning, Window};
use crate::time::UnixTime;

/// The normalized result of parsing one response: its quota windows from every
/// header family present, the server's retry hint, other rate-limit signals, the
/// server's date and every warning.
///
/// Capacity is fixed at compile time: `W` windows and `N` warnings (16 each by
/// default). Windows past `W` are dropped and reported in a
/// [`Problem::WindowCapacityExceeded`] warning; warnings past `N` are counted in
/// [`Limits::warnings_dropped`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits<'a, const W: usize = 16, const N: usize = 16> {
    pub(crate) status: Option<u16>,
    pub(crate) windows: Bounded<Window<'a>, W>,
    pub(crate) retry: Option<RetryHint>,
    pub(crate) signals: Signals<'a>,
    pub(crate) server_date: Option<UnixTime>,
    pub(crate) reference: Option<UnixTime>,
    pub(crate) cached: bool,
    pub(crate) warnings: Bounded<Warning<'a>, N>,
}

/// Empty storage for [`parse_into`](crate::parse::parse_into), of any capacities:
/// no status, no windows, no warnings.
impl<const W: usize, const N: usize> Default for Limits<'_, W, N> {
    fn default() -> Self {
        Self::empty(None)
    }
}

impl Limits<'_> {
    /// Empty storage of the default capacities (16 windows, 16 warnings) for
    /// [`parse_into`](crate::parse::parse_into): no status, no windows, no
    /// warnings. [`Limits::default`] gives any capacities.
    pub const fn new() -> Self {
        Self::empty(None)
    }
}

impl<'a, const W: usize, const N: usize> Limits<'a, W, N> {
    /// Makes `self` what [`Limits::empty`] would build, writing only what was set.
    pub(crate) fn reset(&mut self, status: Option<u16>) {
        self.status = status;
        self.windows.clear();
        self.retry = None;
        self.signals = Signals::default();
        self.server_date = None;
        self.reference = None;
        self.cached = false;
        self.warnings.clear();
    }

    pub(crate) const fn empty(status: Option<u16>) -> Self {
        Limits {
            status,
            windows: Bounded::new(),
            retry: None,
            signals: Signals {
                should_retry: None,
                secondary_rate_limit: false,
                global: false,
                scope: None,
                reason: None,
                problem: None,
                violated_policies: None,
                body_marker: false,
                near_limit: None,
            },
            server_date: None,
            reference: None,
            cached: false,
            warnings: Bounded::new(),
        }
    }

    /// The response's status code, when the caller gave one.
    pub const fn status(&self) -> Option<u16> {
        self.status
    }

    /// True for a status of 300 or more (the contract's "failure").
    pub fn is_failure(&self) -> bool {
        self.status.is_some_and(|s| s >= 300)
    }

    /// Every quota window, from every header family present.
    pub fn windows(&self) -> impl DoubleEndedIterator<Item = &Window<'a>> + '_ {
        self.windows.iter()
    }

    /// The number of windows stored.
    pub const fn window_count(&self) -> usize {
        self.windows.len()
    }

    /// The server's retry hint (`Retry-After`, `retry-after-ms` or a JSON error
    /// field), whatever the status.
    pub const fn retry_hint(&self) -> Option<RetryHint> {
        self.retry
    }

    /// The retry hint's delay.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry.map(|r| r.delay)
    }

    /// Rate-limit evidence that is neither a window nor a delay.
    pub const fn signals(&self) -> &Signals<'a> {
        &self.signals
    }

    /// The response's `Date` header, when present and valid.
    pub const fn server_date(&self) -> Option<UnixTime> {
        self.server_date
    }

    /// The instant relative times were measured from: the `Date` header when valid,
    /// else the caller's clock; `None` when neither was available.
    pub const fn reference_time(&self) -> Option<UnixTime> {
        self.reference
    }

    /// True when the response came from a cache (`Age > 0`).
    pub const fn is_cached(&self) -> bool {
        self.cached
    }

    /// Every warning kept (see [`Limits::warnings_dropped`]).
    pub fn warnings(&self) -> impl DoubleEndedIterator<Item = &Warning<'a>> + '_ {
        self.warnings.iter()
    }

    /// Warnings that did not fit in the capacity `N`.
    pub const fn warnings_dropped(&self) -> usize {
        self.warnings.overflowed()
    }

    /// The longest reset among windows with no quota left (`E` in the contract).
    pub fn exhausted_reset(&self) -> Option<Duration> {
        self.windows
            .iter()
            .filter(|w| w.remaining == Some(0))
            .filter_map(|w| w.reset)
            .max()
    }

    /// The window that binds soonest: an exhausted window with the longest reset,
    /// else the window with the smallest share of its quota left.
    pub fn most_restrictive(&self) -> Option<&Window<'a>> {
        let exhausted = self
            .windows
            .iter()
            .filter(|w| w.remaining == Some(0))
            .max_by_key(|w| w.reset.unwrap_or(Duration::ZERO));
        if exhausted.is_some() {
            return exhausted;
        }
        // Smallest remaining/limit ratio; windows without both count as ratio 1.
        self.windows
            .iter()
            .filter(|w| w.remaining.is_some())
            .min_by(|a, b| ratio_cmp(a, b))
    }

    pub(crate) fn warn(&mut self, field: &'a [u8], problem: Problem) {
        self.warnings.push(Warning { field, problem });
    }

    pub(crate) fn push_window(&mut self, window: Window<'a>) {
        self.windows.push(window);
    }

    pub(crate) fn windows_mut(&mut self) -> &mut Bounded<Window<'a>, W> {
        &mut self.windows
    }
}

/// Orders windows by `remaining / limit` without division (cross-multiplied in u128).
fn ratio_cmp(a: &Window<'_>, b: &Window<'_>) -> core::cmp::Ordering {
    let (ar, al) = ratio_parts(a);
    let (br, bl) = ratio_parts(b);
    let left = u128::from(ar).saturating_mul(u128::from(bl));
    let right = u128::from(br).saturating_mul(u128::from(al));
    left.cmp(&right)
}

fn ratio_parts(w: &Window<'_>) -> (u64, u64) {
    match (w.effective_remaining(), w.limit) {
        (Some(r), Some(l)) if l > 0 => (r, l),
        (Some(0), _) => (0, 1),
        _ => (1, 1),
    }
}
