//! What the caller hands the parser: header pairs from any HTTP library, the status,
//! the body and the client's clock, all explicit.

use crate::time::UnixTime;

/// One header line as a (name, value) pair of bytes. Implemented for byte-slice and
/// `str` pairs and references to them, so a slice of pairs, an array, or any HTTP
/// library's header iterator mapped to pairs can be parsed.
pub trait HeaderPair<'a> {
    /// The header's name and value.
    fn pair(&self) -> (&'a [u8], &'a [u8]);

    /// The header's value as text, when the pair already holds it as text: lets the
    /// parser view checked values as text without validating UTF-8 again. The
    /// default (`None`) is always correct.
    #[doc(hidden)]
    #[inline(always)]
    fn value_text(&self) -> Option<&'a str> {
        None
    }
}

impl<'a> HeaderPair<'a> for (&'a [u8], &'a [u8]) {
    fn pair(&self) -> (&'a [u8], &'a [u8]) {
        *self
    }
}

impl<'a> HeaderPair<'a> for &(&'a [u8], &'a [u8]) {
    fn pair(&self) -> (&'a [u8], &'a [u8]) {
        **self
    }
}

impl<'a> HeaderPair<'a> for (&'a str, &'a str) {
    fn pair(&self) -> (&'a [u8], &'a [u8]) {
        (self.0.as_bytes(), self.1.as_bytes())
    }

    #[inline(always)]
    fn value_text(&self) -> Option<&'a str> {
        Some(self.1)
    }
}

impl<'a> HeaderPair<'a> for &(&'a str, &'a str) {
    fn pair(&self) -> (&'a [u8], &'a [u8]) {
        (self.0.as_bytes(), self.1.as_bytes())
    }

    #[inline(always)]
    fn value_text(&self) -> Option<&'a str> {
        Some(self.1)
    }
}

/// Knobs for parsing; the defaults follow `../shared/spec/headers.md` section 6.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParseOptions {
    /// Ignore the IETF `RateLimit*` fields of cached responses (`Age > 0`), as
    /// draft-08+ recommend. Default `true`.
    pub ignore_cached_ietf_fields: bool,
    /// How many leading body bytes are scanned for JSON retry fields. Default 65536.
    pub body_scan_limit: usize,
    /// Refine the whole-second `Date` with the client clock (`Response::now`) when
    /// that clock reads within the second `Date` names: epoch resets and HTTP-date
    /// hints then keep their sub-second precision. Default `false` (the contract's
    /// `inspect` reports resets relative to `Date`); the std adapters, which own a
    /// real clock, turn it on.
    pub refine_date_with_clock: bool,
}

impl ParseOptions {
    /// The defaults.
    pub const DEFAULT: ParseOptions = ParseOptions {
        ignore_cached_ietf_fields: true,
        body_scan_limit: 64 * 1024,
        refine_date_with_clock: false,
    };
}

impl Default for ParseOptions {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// A response to parse: headers plus the optional status, body and client clock.
///
/// `H` is anything that can be iterated more than once (it is `Clone`) and yields
/// [`HeaderPair`]s: `&[(&str, &str)]`, `&[(&[u8], &[u8])]`, or an HTTP library's
/// header iterator mapped to byte pairs.
#[derive(Clone, Copy, Debug)]
pub struct Response<'a, H> {
    pub(crate) headers: H,
    pub(crate) status: Option<u16>,
    pub(crate) body: Option<&'a [u8]>,
    pub(crate) now: Option<UnixTime>,
    pub(crate) options: ParseOptions,
}

impl<'a, H> Response<'a, H> {
    /// A response with these headers and nothing else known.
    pub const fn new(headers: H) -> Self {
        Response {
            headers,
            status: None,
            body: None,
            now: None,
            options: ParseOptions::DEFAULT,
        }
    }

    /// Sets the status code.
    pub const fn status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    /// Sets the body (or its first bytes).
    pub const fn body(mut self, body: &'a [u8]) -> Self {
        self.body = Some(body);
        self
    }

    /// Sets the client's wall-clock time when the response was received. Used as the
    /// reference time when the response has no valid `Date` header.
    pub const fn now(mut self, now: UnixTime) -> Self {
        self.now = Some(now);
        self
    }

    /// Sets the parse options.
    pub const fn options(mut self, options: ParseOptions) -> Self {
        self.options = options;
        self
    }
}
