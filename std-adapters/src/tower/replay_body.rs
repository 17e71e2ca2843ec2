//! [`ReplayBody`]: which request bodies can be sent again, and [`NoReplay`] for the
//! streams that cannot.

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use http_body_util::combinators::{BoxBody, UnsyncBoxBody};
use http_body_util::{Either, Empty, Full, StreamBody};

/// A request body that a retry may need to send again.
///
/// Buffered bodies (bytes, strings, [`Full`], [`Empty`]) return a copy; streams
/// ([`StreamBody`], [`BoxBody`], [`NoReplay`]) return `None`: such a request is sent
/// once, and if a retry becomes due the governed service fails with
/// [`GovernorError::BodyNotReplayable`](crate::GovernorError::BodyNotReplayable)
/// instead of sending a truncated body.
///
/// A copy is made before a send only when a retry could follow it (an idempotent
/// method, or the policy opted in, and retries left), so a POST pays nothing.
pub trait ReplayBody: Sized {
    /// A copy of the body to send again, or `None` when it cannot be replayed.
    fn replay(&self) -> Option<Self>;
}

/// Implements [`ReplayBody`] with `Clone` for buffered body types.
macro_rules! replay_by_clone {
    ($($ty:ty),* $(,)?) => {
        $(
            impl ReplayBody for $ty {
                fn replay(&self) -> Option<Self> {
                    Some(self.clone())
                }
            }
        )*
    };
}

replay_by_clone!((), String, Vec<u8>, Bytes, &'static str, &'static [u8]);

impl<D: Clone> ReplayBody for Full<D> {
    fn replay(&self) -> Option<Self> {
        Some(self.clone())
    }
}

impl<D> ReplayBody for Empty<D> {
    fn replay(&self) -> Option<Self> {
        Some(*self)
    }
}

impl<L: ReplayBody, R: ReplayBody> ReplayBody for Either<L, R> {
    fn replay(&self) -> Option<Self> {
        match self {
            Either::Left(body) => body.replay().map(Either::Left),
            Either::Right(body) => body.replay().map(Either::Right),
        }
    }
}

impl<S> ReplayBody for StreamBody<S> {
    fn replay(&self) -> Option<Self> {
        None
    }
}

impl<D, E> ReplayBody for BoxBody<D, E> {
    fn replay(&self) -> Option<Self> {
        None
    }
}

impl<D, E> ReplayBody for UnsyncBoxBody<D, E> {
    fn replay(&self) -> Option<Self> {
        None
    }
}

/// Wraps any streaming body (hyper's `Incoming` forwarded by a proxy, a custom
/// stream) to send it through a governed service: it is a [`Body`] like the one it
/// wraps, and it is never replayed.
#[derive(Debug)]
pub struct NoReplay<B>(pub B);

impl<B> ReplayBody for NoReplay<B> {
    fn replay(&self) -> Option<Self> {
        None
    }
}

impl<B: Body + Unpin> Body for NoReplay<B> {
    type Data = B::Data;
    type Error = B::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        Pin::new(&mut self.get_mut().0).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.0.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.0.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buffered_bodies_replay_streams_do_not() {
        assert_eq!("abc".to_owned().replay().as_deref(), Some("abc"));
        assert_eq!(
            Bytes::from_static(b"x").replay(),
            Some(Bytes::from_static(b"x"))
        );
        assert!(Full::new(Bytes::from_static(b"x")).replay().is_some());
        assert!(Empty::<Bytes>::new().replay().is_some());
        assert!(NoReplay(Full::new(Bytes::new())).replay().is_none());
        let boxed = BoxBody::new(Full::new(Bytes::new()));
        assert!(boxed.replay().is_none());
        let either: Either<Full<Bytes>, NoReplay<Empty<Bytes>>> =
            Either::Right(NoReplay(Empty::new()));
        assert!(either.replay().is_none());
    }

    #[test]
    fn a_wrapped_stream_is_still_the_same_body() {
        let body = NoReplay(Full::new(Bytes::from_static(b"hello")));
        assert_eq!(body.size_hint().exact(), Some(5));
        assert!(!body.is_end_stream());
    }
}
