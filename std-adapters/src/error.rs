//! The adapters' errors: the governor gave up, or a retry was due but could not be
//! made.

use std::fmt;
use std::time::Duration;

use ratelimit_governor::Reason;

/// The governor declined to send: the wait it requires is longer than `max_wait`,
/// the server said not to retry, or a declared lifetime quota is used up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GaveUp {
    /// The server (`scheme://host:port`).
    pub server: String,
    /// The wait that was required (zero when no wait would help).
    pub wait: Duration,
    /// Why.
    pub reason: Reason,
}

impl fmt::Display for GaveUp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.reason {
            Reason::WaitExceedsMax if !self.wait.is_zero() => write!(
                f,
                "rate limit of {}: the required wait of {:.1} s exceeds max_wait; not sent",
                self.server,
                self.wait.as_secs_f64()
            ),
            Reason::ServerSaysNoRetry => write!(
                f,
                "rate limit of {}: the server said not to retry; not sent",
                self.server
            ),
            Reason::QuotaExhausted => write!(
                f,
                "rate limit of {}: the declared lifetime quota is used up; not sent",
                self.server
            ),
            reason => write!(
                f,
                "rate limit of {}: gave up ({}); not sent",
                self.server,
                reason.as_str()
            ),
        }
    }
}

impl std::error::Error for GaveUp {}

/// A retry was due but the request could not be sent again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BodyNotReplayable {
    /// The request's method.
    pub method: String,
    /// The request's URI.
    pub uri: String,
    /// The status of the response that asked for a retry (`None`: a transport error).
    pub status: Option<u16>,
}

impl fmt::Display for BodyNotReplayable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let after = match self.status {
            Some(status) => format!("status {status}"),
            None => "a transport error".to_owned(),
        };
        write!(
            f,
            "{} {}: a retry was due after {after}, but the request body is a stream that \
             cannot be replayed; buffer the body (bytes or a string) to allow retries",
            self.method, self.uri
        )
    }
}

impl std::error::Error for BodyNotReplayable {}

/// Everything an adapter can fail with besides the HTTP client's own errors.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GovernorError {
    /// See [`GaveUp`].
    GaveUp(GaveUp),
    /// See [`BodyNotReplayable`].
    BodyNotReplayable(BodyNotReplayable),
    /// The request URI has no scheme or host, so no server can be governed.
    NoServer(String),
}

impl fmt::Display for GovernorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GovernorError::GaveUp(e) => e.fmt(f),
            GovernorError::BodyNotReplayable(e) => e.fmt(f),
            GovernorError::NoServer(uri) => write!(
                f,
                "{uri}: not an absolute URI (scheme and host are needed to know the server)"
            ),
        }
    }
}

impl std::error::Error for GovernorError {}

impl From<GaveUp> for GovernorError {
    fn from(e: GaveUp) -> Self {
        GovernorError::GaveUp(e)
    }
}

impl From<BodyNotReplayable> for GovernorError {
    fn from(e: BodyNotReplayable) -> Self {
        GovernorError::BodyNotReplayable(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn give_up_names_server_and_wait() {
        let e = GaveUp {
            server: "https://h:443".into(),
            wait: Duration::from_secs(36_000),
            reason: Reason::WaitExceedsMax,
        };
        let text = e.to_string();
        assert!(
            text.contains("https://h:443") && text.contains("36000.0 s"),
            "{text}"
        );
    }

    #[test]
    fn unreplayable_body_says_what_to_do() {
        let e = BodyNotReplayable {
            method: "POST".into(),
            uri: "http://h/upload".into(),
            status: Some(429),
        };
        let text = GovernorError::from(e).to_string();
        assert!(text.contains("POST http://h/upload") && text.contains("status 429"));
        assert!(text.contains("buffer the body"));
    }
}
