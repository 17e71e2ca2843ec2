//! [`WholeLength`]: the length of a fixed window whose headers do not carry it
//! (legacy `X-RateLimit-*`, Discord, OpenAI), learned under one hypothesis that the
//! servers which need it satisfy and that evidence can refute.
//!
//! express-rate-limit's and Python `limits`' (Flask-Limiter's) memory stores open a
//! window at the first request after the previous one ended and keep it for a
//! whole number of seconds; their legacy reset is an epoch second rounded up, so a
//! client that sends as soon as that reset passes always starts the next window
//! just after a whole second and reads every end almost a second late (a 2 s
//! window behaves as a 3 s one). The first answer of a window this client opened
//! (it was the first hit: the remaining count shows no one else) brackets the
//! length: the window ends at the first arrival `a` plus its length `w`, and the
//! reset `t` read at receipt `r` puts the end in `(r + t - 1 s, r + t]`, so `w` lies
//! in `(t - 1 s, t + (r - s)]`. Exactly one whole number of seconds fits the first
//! such bracket; it is believed once a second fresh window agrees, learned afresh
//! when a later bracket excludes it (a reset read against an unrefined `Date` reads
//! up to a second long, so such a length is never too short), and dropped for good
//! when the window rejects a request. A window
//! whose length is not a whole number of seconds fails the test within a few
//! windows, at the cost of at most one rejection.

use core::time::Duration;

/// Fresh windows that must agree before the length is used.
const AGREEMENT: u8 = 2;

/// What fresh windows have shown of a window's length.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(crate) struct WholeLength {
    /// The one whole number of seconds every bracket so far contains.
    candidate: Option<u64>,
    /// Brackets that contained it.
    agreed: u8,
    /// A bracket excluded it, or the window rejected a request.
    refuted: bool,
}

impl WholeLength {
    /// Folds in the bracket of a fresh window's first answer: reset `t`, and the
    /// request's round trip `rtt`.
    pub fn observe_fresh(&mut self, t: Duration, rtt: Duration) {
        if self.refuted || t.is_zero() {
            return;
        }
        // (t - 1 s, t + rtt], with a millisecond of slack above for the reader's
        // rounding.
        let slack = Duration::from_millis(1);
        let lo = t.saturating_sub(Duration::from_secs(1));
        let hi = t.saturating_add(rtt).saturating_add(slack);
        let fits = |w: u64| {
            let w = Duration::from_secs(w);
            w > lo && w <= hi
        };
        if self.candidate.is_some_and(fits) {
            self.agreed = self.agreed.saturating_add(1);
            return;
        }
        // No candidate, or this bracket excludes it (a reset read against an
        // unrefined `Date` reads up to a second long): learn afresh from this one.
        // The whole seconds in the bracket: at most two (it is a little over a second
        // wide); a candidate needs exactly one.
        self.candidate = None;
        self.agreed = 0;
        let first = lo.as_secs().saturating_add(1);
        let second = first.saturating_add(1);
        if first > 0 && fits(first) && !fits(second) {
            self.candidate = Some(first);
            self.agreed = 1;
        }
    }

    /// The window rejected a request: the hypothesis is dropped for good.
    pub fn refute(&mut self) {
        self.refuted = true;
    }

    /// The learned length, once enough fresh windows agree.
    pub fn length(&self) -> Option<Duration> {
        match self.candidate {
            Some(w) if !self.refuted && self.agreed >= AGREEMENT => Some(Duration::from_secs(w)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(x: u64) -> Duration {
        Duration::from_millis(x)
    }

    #[test]
    fn two_fresh_windows_that_agree_give_the_length() {
        let mut w = WholeLength::default();
        // A 2 s first-hit window read as epoch seconds: the reset shows 2.7 s.
        w.observe_fresh(ms(2700), ms(5));
        assert_eq!(w.length(), None);
        // Opened just after a whole second: the reset reads almost 3 s.
        w.observe_fresh(ms(2990), ms(5));
        assert_eq!(w.length(), Some(Duration::from_secs(2)));
    }

    #[test]
    fn a_bracket_without_the_candidate_starts_the_learning_afresh() {
        let mut w = WholeLength::default();
        w.observe_fresh(ms(2700), ms(5));
        w.observe_fresh(ms(2700), ms(5));
        assert_eq!(w.length(), Some(Duration::from_secs(2)));
        // (2.5, 3.5]: 2 s no longer fits; 3 s is the new candidate, not yet agreed.
        w.observe_fresh(ms(3500), ms(5));
        assert_eq!(w.length(), None);
        w.observe_fresh(ms(3400), ms(5));
        assert_eq!(w.length(), Some(Duration::from_secs(3)));
    }

    #[test]
    fn a_rejection_refutes_it() {
        let mut w = WholeLength::default();
        w.observe_fresh(ms(2700), ms(5));
        w.observe_fresh(ms(2700), ms(5));
        w.refute();
        assert_eq!(w.length(), None);
    }

    #[test]
    fn an_ambiguous_first_bracket_waits_for_a_clear_one() {
        let mut w = WholeLength::default();
        // (1.0, 2.0 + 1 ms]: 1 s does not fit (open below), 2 s does.
        w.observe_fresh(ms(2000), ms(0));
        w.observe_fresh(ms(2000), ms(0));
        assert_eq!(w.length(), Some(Duration::from_secs(2)));
        let mut v = WholeLength::default();
        // (1.2, 2.2 + 1 s of round trip]: 2 and 3 both fit: no candidate yet.
        v.observe_fresh(ms(2200), ms(1000));
        assert_eq!(v.candidate, None);
    }
}
