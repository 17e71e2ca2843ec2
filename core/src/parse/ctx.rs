//! [`Ctx`]: the state one parse threads through the family parsers: the field
//! index, the reference time, and the [`Limits`] being filled.

use core::time::Duration;

use super::fields::{Field, FieldSet, Fields};
use super::input::Response;
use crate::model::{Limits, Problem, Window};
use crate::time::{UnixTime, parse_http_date};

/// Reference used to place two-digit RFC 850 years when neither a `Date` header nor a
/// client clock is known (2026-01-01T00:00:00Z).
const FALLBACK_CENTURY_REFERENCE: UnixTime = UnixTime::from_secs(1_767_225_600);

pub(crate) struct Ctx<'a, 'h, const W: usize, const N: usize> {
    pub fields: &'h Fields<'a, 'h>,
    /// The result, filled in place (it is large: moving it costs more than parsing).
    pub out: &'h mut Limits<'a, W, N>,
    pub now: Option<UnixTime>,
    pub body: Option<&'a [u8]>,
    pub body_scan_limit: usize,
    ignore_cached: bool,
    refine_date: bool,
    ignoring_ietf: bool,
    /// Whether the one-pass readers of the usual List shapes may run (tests turn
    /// them off to compare with the general readers).
    one_pass_lists: bool,
}

impl<'a, 'h, const W: usize, const N: usize> Ctx<'a, 'h, W, N> {
    pub fn new<H>(
        fields: &'h Fields<'a, 'h>,
        response: &Response<'a, H>,
        out: &'h mut Limits<'a, W, N>,
    ) -> Self {
        Ctx {
            fields,
            out,
            now: response.now,
            body: response.body,
            body_scan_limit: response.options.body_scan_limit,
            ignore_cached: response.options.ignore_cached_ietf_fields,
            refine_date: response.options.refine_date_with_clock,
            ignoring_ietf: false,
            one_pass_lists: true,
        }
    }

    /// The `Date` header when valid (refined by the client's clock when that reads
    /// within the second `Date` names and the options ask for it), else the client's
    /// clock.
    pub fn establish_reference_time(&mut self) {
        if let Some(value) = self.fields.first(Field::Date) {
            let century = self.now.unwrap_or(FALLBACK_CENTURY_REFERENCE);
            match parse_http_date(value, century) {
                Some(date) => self.out.server_date = Some(date),
                None => self.warn(Field::Date, Problem::InvalidDate),
            }
        }
        self.out.reference = match (self.out.server_date, self.now) {
            // `Date` names a whole second; a client clock that reads within that
            // second agrees with the server and knows the sub-second part, which
            // one-second epoch resets otherwise lose (up to a second per window).
            (Some(date), Some(now))
                if self.refine_date && (0..1000).contains(&now.millis_since(date)) =>
            {
                Some(now)
            }
            (date, now) => date.or(now),
        };
    }

    /// Reference for two-digit years: the reference time, else a fixed recent date.
    pub fn century_reference(&self) -> UnixTime {
        self.out.reference.unwrap_or(FALLBACK_CENTURY_REFERENCE)
    }

    /// `Age > 0` marks a cached response; its IETF fields are ignored (draft-08+).
    pub fn check_cached(&mut self) {
        let Some(value) = self.fields.first(Field::Age) else {
            return;
        };
        let age = crate::number::parse_u64(value).unwrap_or(0);
        if age == 0 {
            return;
        }
        self.out.cached = true;
        const IETF: FieldSet = FieldSet::of(&[
            Field::RateLimit,
            Field::RateLimitPolicy,
            Field::RateLimitLimit,
            Field::RateLimitRemaining,
            Field::RateLimitReset,
        ]);
        let ietf_present = self.fields.has_any(IETF);
        if self.ignore_cached && ietf_present {
            self.ignoring_ietf = true;
            self.warn(Field::Age, Problem::CachedResponseIgnored);
        }
    }

    /// Whether the one-pass readers of the usual List shapes may run.
    #[inline(always)]
    pub fn one_pass_lists(&self) -> bool {
        self.one_pass_lists
    }

    /// Leaves every List to the general readers.
    #[cfg(test)]
    pub fn general_readers_only(&mut self) {
        self.one_pass_lists = false;
    }

    pub fn ignoring_ietf(&self) -> bool {
        self.ignoring_ietf
    }

    /// Records a warning about `field`.
    pub fn warn(&mut self, field: Field, problem: Problem) {
        let name = self.fields.name(field);
        self.out.warn(name, problem);
    }

    /// Records a warning about a header named `name`.
    pub fn warn_name(&mut self, name: &'a [u8], problem: Problem) {
        self.out.warn(name, problem);
    }

    /// Adds a window, flagging remaining > limit.
    pub fn push(&mut self, window: Window<'a>, field_name: &'a [u8]) {
        if let (Some(r), Some(l)) = (window.remaining, window.limit) {
            if r > l {
                self.out.warn(field_name, Problem::RemainingAboveLimit);
            }
        }
        self.out.push_window(window);
    }

    /// Time from the reference time until `at` (zero for the past); `None` (with a
    /// warning) when there is no reference time.
    pub fn until(&mut self, at: UnixTime, name: &'a [u8]) -> Option<Duration> {
        match self.out.reference {
            Some(reference) => Some(at.saturating_duration_since(reference)),
            None => {
                self.out.warn(name, Problem::NoReferenceTime);
                None
            }
        }
    }

    /// Ends the parse: reports dropped windows.
    pub fn finish(self) {
        let dropped = self.out.windows.overflowed();
        if dropped > 0 {
            self.out
                .warn(b"response", Problem::WindowCapacityExceeded { dropped });
        }
    }
}
