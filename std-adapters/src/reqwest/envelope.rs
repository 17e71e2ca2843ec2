//! Settling a permit with a reqwest response, reading the body when the retry hint
//! may be in it: a 429 or 503 whose headers give no `Retry-After`-family delay. The
//! first [`ENVELOPE_LIMIT`] bytes are read, shown to the governor, and put back in
//! front of the rest, so the caller reads the same body.

use std::pin::Pin;
use std::task::{Context, Poll};

use ::reqwest::{Body, Response};
use http_body::Frame;

use crate::bridge::parse_http;
use crate::clock::Clock;
use crate::permit::{Observation, Permit};

/// Most body bytes read for the governor (the core parser scans as much).
pub(crate) const ENVELOPE_LIMIT: usize = 64 * 1024;

/// Most body chunks read for the governor: with [`ENVELOPE_LIMIT`], bounds the read
/// against a server that trickles tiny chunks.
const MAX_CHUNKS: usize = 256;

/// Settles `permit` with `response` and returns the response (rebuilt when its body
/// was read) and what it taught.
pub(crate) async fn observe<C: Clock>(
    permit: Permit<C>,
    response: Response,
    clock: &C,
) -> (Response, Observation) {
    let status = response.status();
    let hint_in_headers = || {
        parse_http(status, response.headers(), None, clock.wall())
            .retry_after()
            .is_some()
    };
    if !matches!(status.as_u16(), 429 | 503) || hint_in_headers() {
        let seen = permit.observe_http(status, response.headers(), None);
        return (response, seen);
    }
    let (response, prefix) = read_prefix(response).await;
    let scanned = &prefix[..prefix.len().min(ENVELOPE_LIMIT)];
    let seen = permit.observe_http(status, response.headers(), Some(scanned));
    (response, seen)
}

/// Reads up to [`ENVELOPE_LIMIT`] bytes of the body; returns the response rebuilt
/// with the whole body (those bytes, then the rest, or the read error) and the bytes.
async fn read_prefix(mut response: Response) -> (Response, Chunk) {
    let mut prefix = Vec::new();
    let mut rest = Rest::Unread;
    for _ in 0..MAX_CHUNKS {
        match response.chunk().await {
            Ok(Some(chunk)) => prefix.extend_from_slice(&chunk),
            Ok(None) => {
                rest = Rest::Done;
                break;
            }
            Err(e) => {
                rest = Rest::Failed(Some(e));
                break;
            }
        }
        if prefix.len() >= ENVELOPE_LIMIT {
            break;
        }
    }
    let prefix = Chunk::from(prefix);
    let head = Head::take(&mut response);
    let body = match rest {
        // The whole body is read: a plain, cloneable body.
        Rest::Done => Body::from(prefix.clone()),
        Rest::Unread => Body::wrap(Replayed {
            prefix: Some(prefix.clone()),
            rest: Rest::Body(Body::from(response)),
        }),
        failed => Body::wrap(Replayed {
            prefix: Some(prefix.clone()),
            rest: failed,
        }),
    };
    (head.with_body(body), prefix)
}

/// What a rebuilt response keeps of the original's head.
struct Head {
    status: http::StatusCode,
    version: http::Version,
    headers: http::HeaderMap,
    extensions: http::Extensions,
    url: ::reqwest::Url,
}

impl Head {
    fn take(response: &mut Response) -> Self {
        Head {
            status: response.status(),
            version: response.version(),
            headers: std::mem::take(response.headers_mut()),
            extensions: std::mem::take(response.extensions_mut()),
            url: response.url().clone(),
        }
    }

    fn with_body(self, body: Body) -> Response {
        use ::reqwest::ResponseBuilderExt;

        let mut rebuilt = http::Response::new(body);
        *rebuilt.status_mut() = self.status;
        *rebuilt.version_mut() = self.version;
        *rebuilt.headers_mut() = self.headers;
        *rebuilt.extensions_mut() = self.extensions;
        // reqwest keeps the URL in a private extension that only its builder sets.
        let mut with_url = http::Response::builder().url(self.url);
        if let Some(url) = with_url.extensions_mut() {
            rebuilt.extensions_mut().extend(std::mem::take(url));
        }
        Response::from(rebuilt)
    }
}

/// One chunk of a reqwest body.
type Chunk = <Body as http_body::Body>::Data;

/// What follows the bytes already read.
enum Rest {
    /// The body is not finished (only while reading).
    Unread,
    /// The rest of the original body.
    Body(Body),
    /// The read failed: the error is handed to the caller after the bytes read.
    Failed(Option<::reqwest::Error>),
    /// Nothing.
    Done,
}

/// The bytes read for the governor, then the rest of the original body.
struct Replayed {
    prefix: Option<Chunk>,
    rest: Rest,
}

impl http_body::Body for Replayed {
    type Data = Chunk;
    type Error = ::reqwest::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Chunk>, ::reqwest::Error>>> {
        let this = self.get_mut();
        if let Some(prefix) = this.prefix.take() {
            return Poll::Ready(Some(Ok(Frame::data(prefix))));
        }
        match &mut this.rest {
            Rest::Body(body) => Pin::new(body).poll_frame(cx),
            Rest::Failed(error) => Poll::Ready(error.take().map(Err)),
            Rest::Unread | Rest::Done => Poll::Ready(None),
        }
    }
}
