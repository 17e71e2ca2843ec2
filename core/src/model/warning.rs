//! [`Warning`]: every field ignored, value clamped and anomaly seen while parsing.

use core::fmt;

use crate::number::NumberError;
use crate::sf;

/// What was wrong with a field. Each variant says what the parser did about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Problem {
    /// The value is not a valid Structured Field (RFC 9651); the whole field was ignored.
    MalformedStructuredField {
        /// What the SF parser rejected.
        error: sf::ErrorKind,
        /// Byte offset of the failure in the (line of the) field value.
        offset: usize,
    },
    /// A parameter or member breaks the draft's types (negative, decimal, `w=0`,
    /// wrong bare-item type); the whole field was ignored.
    DraftViolation {
        /// The offending parameter or member (`r`, `q`, `w`, `limit` ...).
        param: &'static str,
        /// What was wrong with it.
        rule: &'static str,
    },
    /// A required parameter is missing; the item or field was ignored.
    MissingParameter {
        /// The missing parameter.
        param: &'static str,
    },
    /// Two draft-04..07 quota policies share one quota value (draft-06 forbids it);
    /// `RateLimit-Policy` was ignored.
    DuplicateQuotaPolicy,
    /// A plain number could not be read; the value was ignored.
    InvalidNumber(NumberError),
    /// A date could not be read; the value was ignored.
    InvalidDate,
    /// A duration could not be read; the value was ignored.
    InvalidDuration,
    /// `-1` (Azure's "unknown"); the value was treated as absent.
    UnknownSentinel,
    /// Repeated lines or comma-joined members disagree; the most conservative value
    /// was used (largest delay or reset, smallest limit or remaining).
    ConflictingValues,
    /// `remaining` is larger than `limit`; the raw value is kept and
    /// [`Window::effective_remaining`](super::Window::effective_remaining) caps it.
    RemainingAboveLimit,
    /// The response came from a cache (`Age > 0`); its IETF fields were ignored.
    CachedResponseIgnored,
    /// A reset value looked like an epoch timestamp and was read as one.
    ResetReadAsEpoch,
    /// An absolute time was sent but neither a `Date` header nor the caller's clock
    /// gave a reference time; the value was ignored.
    NoReferenceTime,
    /// More windows than the capacity; the extra windows were dropped.
    WindowCapacityExceeded {
        /// How many windows were dropped.
        dropped: usize,
    },
    /// More fields or values of one kind than can be tracked; the extra ones were ignored.
    FieldCapacityExceeded,
    /// Only the first part of the body was scanned for JSON error fields.
    BodyScanTruncated {
        /// How many bytes were scanned.
        scanned: usize,
    },
    /// The value is not ASCII/UTF-8 text; it was ignored.
    NotText,
    /// The value has a form this family does not define; it was ignored.
    UnrecognizedValue,
    /// A `Retry-After` of this form is outside RFC 9110 but was accepted leniently.
    LenientRetryAfter,
}

impl Problem {
    fn describe(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::MalformedStructuredField { error, offset } => write!(
                f,
                "not a valid Structured Field ({} at byte {offset}); field ignored",
                error.as_str()
            ),
            Problem::DraftViolation { param, rule } => {
                write!(f, "`{param}` {rule}; field ignored")
            }
            Problem::MissingParameter { param } => {
                write!(f, "required parameter `{param}` missing; ignored")
            }
            Problem::DuplicateQuotaPolicy => {
                f.write_str("two quota policies share one quota value; field ignored")
            }
            Problem::InvalidNumber(e) => write!(f, "{}; value ignored", e.as_str()),
            Problem::InvalidDate => f.write_str("not a recognised date; value ignored"),
            Problem::InvalidDuration => f.write_str("not a recognised duration; value ignored"),
            Problem::UnknownSentinel => f.write_str("-1 means unknown; value ignored"),
            Problem::ConflictingValues => f.write_str(
                "repeated values disagree; the most conservative one was used",
            ),
            Problem::RemainingAboveLimit => {
                f.write_str("remaining is larger than limit; capped at the limit")
            }
            Problem::CachedResponseIgnored => {
                f.write_str("response is from a cache (Age > 0); field ignored")
            }
            Problem::ResetReadAsEpoch => {
                f.write_str("reset value looks like an epoch timestamp; read as one")
            }
            Problem::NoReferenceTime => f.write_str(
                "absolute time without a Date header or a client clock; value ignored",
            ),
            Problem::WindowCapacityExceeded { dropped } => {
                write!(f, "window capacity exceeded; {dropped} window(s) dropped")
            }
            Problem::FieldCapacityExceeded => {
                f.write_str("more values than can be tracked; the extra ones were ignored")
            }
            Problem::BodyScanTruncated { scanned } => {
                write!(f, "body scanned for retry hints only in its first {scanned} bytes")
            }
            Problem::NotText => f.write_str("value is not text; ignored"),
            Problem::UnrecognizedValue => f.write_str("unrecognised value; ignored"),
            Problem::LenientRetryAfter => {
                f.write_str("non-standard form accepted leniently (RFC 9110 wants whole seconds or an HTTP-date)")
            }
        }
    }
}

/// A warning about one field of the response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Warning<'a> {
    /// The field's name as sent (`b"body"` for the body, `b"response"` for the whole).
    pub field: &'a [u8],
    /// What was wrong, and what was done about it.
    pub problem: Problem,
}

impl fmt::Display for Warning<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for &b in self.field {
            let c = if b.is_ascii_graphic() {
                char::from(b)
            } else {
                '?'
            };
            fmt::Write::write_char(f, c)?;
        }
        f.write_str(": ")?;
        self.problem.describe(f)
    }
}
