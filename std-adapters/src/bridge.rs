//! The `http` crate bridge: a [`HeaderMap`] (with status and body) in, the core
//! crate's parsed [`Limits`] out. No copies: header names and values are handed to
//! the parser as the byte slices the map already holds.

use http::{HeaderMap, StatusCode};
use ratelimit_governor::{Limits, Response, UnixTime, parse};

/// A [`HeaderMap`] seen as the byte pairs the core parser reads (`Copy`; iterating
/// does not copy any header).
#[derive(Clone, Copy, Debug)]
pub struct HeaderPairs<'a>(pub &'a HeaderMap);

/// One header as a pair of byte slices.
type Pair<'a> = (&'a [u8], &'a [u8]);

fn as_pair<'a>((name, value): (&'a http::HeaderName, &'a http::HeaderValue)) -> Pair<'a> {
    (name.as_str().as_bytes(), value.as_bytes())
}

impl<'a> IntoIterator for HeaderPairs<'a> {
    type Item = Pair<'a>;
    type IntoIter = std::iter::Map<
        http::header::Iter<'a, http::HeaderValue>,
        fn((&'a http::HeaderName, &'a http::HeaderValue)) -> Pair<'a>,
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(as_pair)
    }
}

/// Parses the rate-limit information of a response given as `http` types.
///
/// `now` is the client's wall-clock time at receipt (the reference when the response
/// has no `Date`); `body` is the body, or its first bytes, when the caller has it
/// (JSON error envelopes carry retry hints there).
///
/// ```
/// use http::{HeaderMap, HeaderValue, StatusCode};
/// use ratelimit_governor::UnixTime;
/// use ratelimit_governor_std::parse_http;
///
/// let mut headers = HeaderMap::new();
/// headers.insert("retry-after", HeaderValue::from_static("7"));
/// let limits = parse_http(StatusCode::TOO_MANY_REQUESTS, &headers, None, UnixTime::from_secs(0));
/// assert_eq!(limits.retry_after(), Some(std::time::Duration::from_secs(7)));
/// ```
pub fn parse_http<'a>(
    status: StatusCode,
    headers: &'a HeaderMap,
    body: Option<&'a [u8]>,
    now: UnixTime,
) -> Limits<'a> {
    let mut response = Response::new(HeaderPairs(headers))
        .status(status.as_u16())
        .now(now);
    if let Some(body) = body {
        response = response.body(body);
    }
    parse(&response)
}

/// Parses an [`http::Response`]'s head (and its body, when it is bytes).
pub fn parse_http_response<B: AsRef<[u8]>>(
    response: &http::Response<B>,
    now: UnixTime,
) -> Limits<'_> {
    parse_http(
        response.status(),
        response.headers(),
        Some(response.body().as_ref()),
        now,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;
    use std::time::Duration;

    #[test]
    fn draft8_pair_from_a_header_map() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "ratelimit-policy",
            HeaderValue::from_static("\"burst\";q=5;w=2, \"long\";q=15;w=10"),
        );
        headers.insert(
            "ratelimit",
            HeaderValue::from_static("\"burst\";r=0;t=2, \"long\";r=10;t=10"),
        );
        let limits = parse_http(StatusCode::OK, &headers, None, UnixTime::from_secs(0));
        let burst = limits.most_restrictive().unwrap();
        assert_eq!((burst.limit, burst.remaining), (Some(5), Some(0)));
        assert_eq!(burst.reset, Some(Duration::from_secs(2)));
        assert_eq!(limits.window_count(), 2);
    }

    #[test]
    fn json_envelope_in_the_body() {
        let response = http::Response::builder()
            .status(429)
            .body(br#"{"error":{"retry_after_seconds":12}}"#.to_vec())
            .unwrap();
        let limits = parse_http_response(&response, UnixTime::from_secs(0));
        assert_eq!(limits.retry_after(), Some(Duration::from_secs(12)));
    }

    #[test]
    fn repeated_fields_are_all_seen() {
        let mut headers = HeaderMap::new();
        headers.append(
            "ratelimit-policy",
            HeaderValue::from_static("\"a\";q=5;w=2"),
        );
        headers.append(
            "ratelimit-policy",
            HeaderValue::from_static("\"b\";q=50;w=60"),
        );
        headers.append("ratelimit", HeaderValue::from_static("\"a\";r=4;t=2"));
        headers.append("ratelimit", HeaderValue::from_static("\"b\";r=1;t=30"));
        let limits = parse_http(StatusCode::OK, &headers, None, UnixTime::from_secs(0));
        assert_eq!(limits.window_count(), 2);
        assert_eq!(limits.most_restrictive().unwrap().remaining, Some(1));
    }
}
