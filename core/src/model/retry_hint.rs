//! [`RetryHint`]: the server's "retry after this long".

use core::time::Duration;

/// Where a retry hint came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum HintSource {
    /// `Retry-After` as delay-seconds (decimals accepted leniently).
    RetryAfterSeconds,
    /// `Retry-After` as an HTTP-date, resolved against the reference time.
    RetryAfterDate,
    /// `retry-after-ms` (OpenAI/Anthropic SDK convention).
    RetryAfterMs,
    /// A JSON error envelope field (`retry_after`, `retry_after_seconds`, `retryAfter`).
    BodyField,
    /// A sentence in a JSON error message ("Please try again in 3.89s").
    BodyMessage,
}

impl HintSource {
    /// A stable lowercase name.
    pub const fn as_str(self) -> &'static str {
        match self {
            HintSource::RetryAfterSeconds => "retry-after",
            HintSource::RetryAfterDate => "retry-after-date",
            HintSource::RetryAfterMs => "retry-after-ms",
            HintSource::BodyField => "body-field",
            HintSource::BodyMessage => "body-message",
        }
    }
}

/// The server's retry hint: how long after the reference time to retry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RetryHint {
    /// Delay from the reference time (zero for dates in the past).
    pub delay: Duration,
    /// Where it came from.
    pub source: HintSource,
}
