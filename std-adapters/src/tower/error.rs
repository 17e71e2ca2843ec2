//! [`Error`]: what a governed tower service fails with, the inner service's own
//! errors or the governor's.

use std::fmt;

use crate::error::GovernorError;

/// The error of a [`Governed`](super::Governed) service: the inner service failed
/// (a connection error, a timeout ...), or the governor did not send (it gave up, a
/// retry was due but the body could not be replayed, the URI names no server).
///
/// `Display` and `source` are transparent: they show the wrapped error's own.
#[derive(Debug)]
pub enum Error<E> {
    /// The inner service's error, unchanged.
    Inner(E),
    /// The governor's (see [`GovernorError`]).
    Governor(GovernorError),
}

impl<E> Error<E> {
    /// The inner service's error, if that is what this is.
    pub fn into_inner(self) -> Option<E> {
        match self {
            Error::Inner(e) => Some(e),
            Error::Governor(_) => None,
        }
    }

    /// The governor's error, if that is what this is.
    pub fn governor(&self) -> Option<&GovernorError> {
        match self {
            Error::Inner(_) => None,
            Error::Governor(e) => Some(e),
        }
    }
}

impl<E> From<GovernorError> for Error<E> {
    fn from(e: GovernorError) -> Self {
        Error::Governor(e)
    }
}

impl<E: fmt::Display> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Inner(e) => e.fmt(f),
            Error::Governor(e) => e.fmt(f),
        }
    }
}

impl<E: std::error::Error> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Inner(e) => e.source(),
            Error::Governor(e) => std::error::Error::source(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::BodyNotReplayable;

    #[test]
    fn both_sides_display_their_own_text() {
        let inner: Error<std::io::Error> = Error::Inner(std::io::Error::other("connection reset"));
        assert_eq!(inner.to_string(), "connection reset");
        assert!(inner.governor().is_none());

        let governor: Error<std::io::Error> = GovernorError::from(BodyNotReplayable {
            method: "PUT".into(),
            uri: "http://h/x".into(),
            status: Some(503),
        })
        .into();
        assert!(governor.to_string().starts_with("PUT http://h/x"));
        assert!(governor.governor().is_some());
        assert!(governor.into_inner().is_none());
    }
}
