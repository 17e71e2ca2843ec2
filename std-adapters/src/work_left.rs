//! [`WorkLeft`]: the request extension through which a caller tells the adapters how
//! much of a bulk job is left.

/// A request extension: how many requests the caller still has to send, this one
/// included. The adapters pass it to [`Server::acquire`](crate::Server::acquire), so
/// the governor can spend a window's remaining quota without waiting for its reset
/// when the job ends within it. Without it a request is open-ended work.
///
/// Attach it with `http::request::Builder::extension` (ureq's `run`), or with
/// reqwest-middleware's `RequestBuilder::with_extension`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WorkLeft(pub u64);
