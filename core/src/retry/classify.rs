//! [`classify`]: whether a failed request may be retried, and whether the failure was
//! throttling (retry on the server's schedule, slowly) or transient (retry soon)
//! (`../shared/spec/governor.md` sections 0.1, 1.2, 1.6, 1.7 and 1.8).
//!
//! The rules are tabled on [`classify`]; callers adjust them per status with a
//! [`RetryOn`] table.

use crate::model::{Limits, Signals};

/// Whether, and how, a failed request may be retried. Ordered by how strongly the
/// server asked to slow down: `No < Transient < Throttled`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Retryability {
    /// Do not retry: the request itself is wrong, or the server said not to.
    No,
    /// A transient failure (5xx, timeout, connection error): retry with backoff.
    Transient,
    /// A rate limit: retry after the server's hint or a throttling backoff.
    Throttled,
}

impl Retryability {
    /// True for `Transient` and `Throttled`.
    pub const fn is_retryable(self) -> bool {
        !matches!(self, Retryability::No)
    }

    /// `no`, `transient` or `throttled`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Retryability::No => "no",
            Retryability::Transient => "transient",
            Retryability::Throttled => "throttled",
        }
    }
}

/// The result of one attempt, as far as retrying is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome<'l> {
    /// The server answered.
    Response {
        /// The HTTP status.
        status: u16,
        /// The response's rate-limit signals (`should_retry` and evidence).
        signals: &'l Signals<'l>,
        /// True when the response carried a retry hint (`Retry-After` or similar).
        retry_hint: bool,
        /// True when a quota window has nothing remaining.
        exhausted_window: bool,
    },
    /// The connection failed before a response arrived.
    ConnectionError,
    /// No response within the caller's timeout.
    Timeout,
}

impl<'l> Outcome<'l> {
    /// The outcome a parsed response describes; an unknown status counts as 0 (not
    /// retryable unless the caller's table says otherwise).
    pub fn from_limits<'a: 'l, const W: usize, const N: usize>(
        limits: &'l Limits<'a, W, N>,
    ) -> Self {
        Outcome::Response {
            status: limits.status().unwrap_or(0),
            signals: limits.signals(),
            retry_hint: limits.retry_hint().is_some(),
            exhausted_window: limits.windows().any(|w| w.is_exhausted()),
        }
    }
}

/// How many status overrides a [`RetryOn`] holds.
pub const RETRY_ON_CAPACITY: usize = 8;

/// The caller's per-status overrides, consulted before every other rule: a small
/// fixed table (at most [`RETRY_ON_CAPACITY`] statuses, no allocation).
///
/// ```
/// use ratelimit_governor::retry::{classify, Outcome, RetryOn, Retryability};
/// use ratelimit_governor::Signals;
///
/// let overrides = RetryOn::new().never(500).always(409);
/// let signals = Signals::default();
/// let response = |status| Outcome::Response { status, signals: &signals, retry_hint: false, exhausted_window: false };
/// assert_eq!(classify(response(500), &overrides), Retryability::No);
/// assert_eq!(classify(response(409), &overrides), Retryability::Transient);
/// assert_eq!(classify(response(502), &overrides), Retryability::Transient);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct RetryOn {
    entries: [Option<(u16, Retryability)>; RETRY_ON_CAPACITY],
    dropped: u8,
}

impl RetryOn {
    /// No overrides: the rules of [`classify`] apply.
    pub const fn new() -> Self {
        RetryOn {
            entries: [None; RETRY_ON_CAPACITY],
            dropped: 0,
        }
    }

    /// Never retry `status`.
    #[must_use]
    pub fn never(self, status: u16) -> Self {
        self.set(status, Retryability::No)
    }

    /// Always retry `status`, as a transient failure.
    #[must_use]
    pub fn always(self, status: u16) -> Self {
        self.set(status, Retryability::Transient)
    }

    /// Classify `status` as `retryability`, replacing an earlier entry for it. When
    /// the table is full the entry is dropped and counted in [`RetryOn::dropped`].
    #[must_use]
    pub fn set(mut self, status: u16, retryability: Retryability) -> Self {
        let existing = self
            .entries
            .iter_mut()
            .find(|e| matches!(e, Some((s, _)) if *s == status));
        let slot = match existing {
            Some(slot) => Some(slot),
            None => self.entries.iter_mut().find(|e| e.is_none()),
        };
        match slot {
            Some(slot) => *slot = Some((status, retryability)),
            None => self.dropped = self.dropped.saturating_add(1),
        }
        self
    }

    /// The override for `status`, if any.
    pub fn get(&self, status: u16) -> Option<Retryability> {
        self.entries
            .iter()
            .flatten()
            .find(|(s, _)| *s == status)
            .map(|&(_, r)| r)
    }

    /// How many entries did not fit (saturating at 255).
    pub const fn dropped(&self) -> u8 {
        self.dropped
    }
}

/// Classifies one attempt's outcome.
///
/// Rules, first match wins:
///
/// | # | when | [`Retryability`] |
/// |---|---|---|
/// | 1 | the caller's [`RetryOn`] table names the status | the table's entry |
/// | 2 | connection error, timeout | `Transient` |
/// | 3 | the server says not to retry (`Stripe-Should-Retry: false`, `x-should-retry: false`) | `No` |
/// | 4 | 429 | `Throttled` |
/// | 5 | 503 with a retry hint or rate-limit evidence | `Throttled` |
/// | 6 | 403 with rate-limit evidence (GitHub primary and secondary limits) | `Throttled` |
/// | 7 | 408, 500, 502, 503, 504 | `Transient` |
/// | 8 | the server says to retry (`...: true`) on any status >= 400 (e.g. 409) | `Transient` |
/// | 9 | anything else (other 4xx, 501, 505+, 1xx-3xx) | `No` |
///
/// "Rate-limit evidence" is a window with nothing remaining, a retry hint, or any
/// [`Signals::any_evidence`] (GitHub's secondary-limit message, a rate-limit body,
/// an IETF problem type, a Discord scope ...). 500 counts as transient because AWS
/// (governor.md section 1.2) and google-api-core (section 1.6) both retry it; callers
/// whose API is not idempotent can remove it with `RetryOn::new().never(500)`.
pub fn classify(outcome: Outcome<'_>, overrides: &RetryOn) -> Retryability {
    let (status, signals, retry_hint, exhausted_window) = match outcome {
        Outcome::ConnectionError | Outcome::Timeout => return Retryability::Transient,
        Outcome::Response {
            status,
            signals,
            retry_hint,
            exhausted_window,
        } => (status, signals, retry_hint, exhausted_window),
    };
    if let Some(r) = overrides.get(status) {
        return r;
    }
    if signals.should_retry == Some(false) {
        return Retryability::No;
    }
    let evidence = retry_hint || exhausted_window || signals.any_evidence();
    let by_status = match status {
        429 => Retryability::Throttled,
        503 | 403 if evidence => Retryability::Throttled,
        408 | 500 | 502 | 503 | 504 => Retryability::Transient,
        _ => Retryability::No,
    };
    if signals.should_retry == Some(true) && status >= 400 {
        return by_status.max(Retryability::Transient);
    }
    by_status
}

/// Classifies a parsed response (see [`Outcome::from_limits`]).
pub fn classify_limits<const W: usize, const N: usize>(
    limits: &Limits<'_, W, N>,
    overrides: &RetryOn,
) -> Retryability {
    classify(Outcome::from_limits(limits), overrides)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{Response, parse};
    use crate::time::UnixTime;

    use Retryability::{No, Throttled, Transient};

    /// Builds signals from flags: should_retry, secondary, body marker.
    fn signals(should_retry: Option<bool>, secondary: bool, body: bool) -> Signals<'static> {
        Signals {
            should_retry,
            secondary_rate_limit: secondary,
            body_marker: body,
            ..Signals::default()
        }
    }

    #[test]
    fn classification_table() {
        let plain = signals(None, false, false);
        let secondary = signals(None, true, false);
        let body = signals(None, false, true);
        let yes = signals(Some(true), false, false);
        let no = signals(Some(false), false, false);
        // status, signals, retry hint, exhausted window, expected, rule
        #[rustfmt::skip]
        let rows: &[(u16, &Signals<'_>, bool, bool, Retryability, &str)] = &[
            (429, &plain,     false, false, Throttled, "429 is throttled"),
            (429, &plain,     true,  false, Throttled, "429 with hint"),
            (503, &plain,     false, false, Transient, "503 without evidence is transient"),
            (503, &plain,     true,  false, Throttled, "503 with Retry-After is throttled"),
            (503, &body,      false, false, Throttled, "503 with a rate-limit body"),
            (503, &plain,     false, true,  Throttled, "503 with an exhausted window"),
            (403, &plain,     false, false, No,        "403 without evidence is forbidden"),
            (403, &plain,     false, true,  Throttled, "403 with remaining 0 (GitHub primary)"),
            (403, &plain,     true,  false, Throttled, "403 with a retry hint"),
            (403, &secondary, false, false, Throttled, "403 GitHub secondary limit"),
            (403, &body,      false, false, Throttled, "403 with a rate-limit body"),
            (408, &plain,     false, false, Transient, "408 request timeout"),
            (500, &plain,     false, false, Transient, "500 is transient (AWS, Google)"),
            (502, &plain,     false, false, Transient, "502 bad gateway"),
            (504, &plain,     false, false, Transient, "504 gateway timeout"),
            (501, &plain,     false, false, No,        "501 not implemented is permanent"),
            (400, &plain,     false, false, No,        "400 is permanent"),
            (404, &plain,     false, false, No,        "404 is permanent"),
            (409, &plain,     false, false, No,        "409 is not retried by default"),
            (200, &plain,     false, false, No,        "success is not retried"),
            (200, &plain,     true,  true,  No,        "success with an exhausted window"),
            (429, &no,        true,  false, No,        "should-retry false beats 429"),
            (503, &no,        false, false, No,        "should-retry false beats 503"),
            (500, &no,        false, false, No,        "should-retry false beats 500"),
            (409, &yes,       false, false, Transient, "should-retry true makes 409 retryable"),
            (501, &yes,       false, false, Transient, "should-retry true makes 5xx retryable"),
            (400, &yes,       false, false, Transient, "should-retry true on a 4xx"),
            (429, &yes,       false, false, Throttled, "should-retry true keeps throttled"),
            (200, &yes,       false, false, No,        "should-retry true on a success is moot"),
        ];
        for &(status, signals, retry_hint, exhausted_window, want, rule) in rows {
            let outcome = Outcome::Response {
                status,
                signals,
                retry_hint,
                exhausted_window,
            };
            assert_eq!(classify(outcome, &RetryOn::new()), want, "{rule}");
        }
    }

    #[test]
    fn connection_errors_and_timeouts_are_transient() {
        let overrides = RetryOn::new().never(500);
        assert_eq!(classify(Outcome::ConnectionError, &overrides), Transient);
        assert_eq!(classify(Outcome::Timeout, &overrides), Transient);
    }

    #[test]
    fn overrides_win() {
        let plain = signals(None, false, false);
        let no = signals(Some(false), false, false);
        let overrides = RetryOn::new()
            .never(500)
            .always(409)
            .set(418, Throttled)
            .never(429);
        // status, signals, expected
        let rows: &[(u16, &Signals<'_>, Retryability)] = &[
            (500, &plain, No),
            (409, &plain, Transient),
            (409, &no, Transient),
            (418, &plain, Throttled),
            (429, &plain, No),
            (502, &plain, Transient),
        ];
        for &(status, signals, want) in rows {
            let outcome = Outcome::Response {
                status,
                signals,
                retry_hint: false,
                exhausted_window: false,
            };
            assert_eq!(classify(outcome, &overrides), want, "status {status}");
        }
    }

    #[test]
    fn retry_on_replaces_and_counts_overflow() {
        let t = RetryOn::new().never(500).always(500);
        assert_eq!(t.get(500), Some(Transient));
        let mut full = RetryOn::new();
        for status in 400..410 {
            full = full.never(status);
        }
        assert_eq!(full.dropped(), 2);
        assert_eq!(full.get(407), Some(No));
        assert_eq!(full.get(408), None);
        assert_eq!(
            full.always(400).get(400),
            Some(Transient),
            "replacing still works when full"
        );
        assert_eq!(RetryOn::default(), RetryOn::new());
    }

    #[test]
    fn parsed_responses() {
        let now = UnixTime::from_secs(1_700_000_000);
        // headers, status, expected
        type Headers = &'static [(&'static str, &'static str)];
        // headers, status, expected
        #[rustfmt::skip]
        let rows: &[(Headers, u16, Retryability)] = &[
            (&[("Retry-After", "5")], 429, Throttled),
            (&[("Retry-After", "5")], 503, Throttled),
            (&[], 503, Transient),
            (&[("x-ratelimit-limit", "60"), ("x-ratelimit-remaining", "0")], 403, Throttled),
            (&[("x-ratelimit-limit", "60"), ("x-ratelimit-remaining", "7")], 403, No),
            (&[("Stripe-Should-Retry", "false")], 429, No),
            (&[("Stripe-Should-Retry", "true")], 409, Transient),
        ];
        for &(headers, status, want) in rows {
            let response = Response::new(headers).status(status).now(now);
            let limits = parse(&response);
            assert_eq!(
                classify_limits(&limits, &RetryOn::new()),
                want,
                "{headers:?} {status}"
            );
        }
    }

    #[test]
    fn names_and_order() {
        assert!(No < Transient && Transient < Throttled);
        assert!(!No.is_retryable() && Transient.is_retryable() && Throttled.is_retryable());
        assert_eq!(
            [No.as_str(), Transient.as_str(), Throttled.as_str()],
            ["no", "transient", "throttled"]
        );
    }
}
