//! [`Window`]: one quota window, whatever header family announced it.

use core::time::Duration;

use super::{Source, Text, Unit};

/// One quota window: "at most `limit` units per `window`, `remaining` left, more
/// available after `reset`". Every field the server did not say is `None`.
///
/// `reset` is relative to the reference time of the parse (the response's `Date`
/// header when present and valid, else the caller's clock), never negative: absolute
/// resets in the past become zero.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window<'a> {
    /// The window's name: IETF policy id, vendor bucket, resource or period name.
    pub policy: Option<Text<'a>>,
    /// Quota units allowed in the window.
    pub limit: Option<u64>,
    /// Quota units left, as the server sent it (decimals rounded down).
    pub remaining: Option<u64>,
    /// Quota units used, when the server says so.
    pub used: Option<u64>,
    /// Time from the reference time until the window resets (or more quota arrives).
    pub reset: Option<Duration>,
    /// The window's length, when known.
    pub window: Option<Duration>,
    /// What the quota counts.
    pub unit: Unit<'a>,
    /// The IETF partition key (`pk`), base64 as sent.
    pub partition_key: Option<PartitionKey<'a>>,
    /// Continuous refill (token or leaky bucket), when the server says so.
    pub refill: Option<Refill>,
    /// The header family that announced it.
    pub source: Source,
}

impl<'a> Window<'a> {
    /// A window from `source` with nothing known yet.
    pub const fn new(source: Source) -> Self {
        Window {
            policy: None,
            limit: None,
            remaining: None,
            used: None,
            reset: None,
            window: None,
            unit: Unit::Requests,
            partition_key: None,
            refill: None,
            source,
        }
    }

    /// `remaining`, but never more than `limit` (`../shared/spec/headers.md` A6).
    pub fn effective_remaining(&self) -> Option<u64> {
        match (self.remaining, self.limit) {
            (Some(r), Some(l)) => Some(r.min(l)),
            (r, _) => r,
        }
    }

    /// True when the server says no quota is left in this window.
    pub fn is_exhausted(&self) -> bool {
        self.effective_remaining() == Some(0)
    }

    /// True when the window carries quota information (a limit or a remaining count).
    pub fn has_quota(&self) -> bool {
        self.limit.is_some() || self.remaining.is_some()
    }
}

/// An IETF partition key (`pk=:...:`): the base64 text as sent, decodable on demand.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PartitionKey<'a> {
    base64: &'a str,
}

impl<'a> PartitionKey<'a> {
    /// Wraps base64 text (the content between the colons of an SF Byte Sequence).
    pub const fn from_base64(base64: &'a str) -> Self {
        PartitionKey { base64 }
    }

    /// The base64 text as sent.
    pub const fn as_base64(&self) -> &'a str {
        self.base64
    }

    /// Decodes the key into `out`; `None` when `out` is too small.
    pub fn decode<'o>(&self, out: &'o mut [u8]) -> Option<&'o [u8]> {
        crate::sf::decode_base64(self.base64, out)
    }
}

/// Continuous refill of a bucket: `units` every `per`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Refill {
    /// Units restored per `per`, in thousandths (Shopify's `restoreRate: 50.0` is 50_000).
    pub milli_units: u64,
    /// The period the units are restored in.
    pub per: Duration,
}
