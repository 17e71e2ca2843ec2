//! [`Unit`]: what a quota counts (IETF `qu`, vendor token and point budgets).

use super::Text;

/// The unit a window's quota is counted in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Unit<'a> {
    /// Requests (the IETF default, and every request-count vendor header).
    #[default]
    Requests,
    /// Model tokens (OpenAI, Anthropic).
    Tokens,
    /// Bytes of content (IETF `qu="content-bytes"`).
    ContentBytes,
    /// Requests in flight at once (IETF `qu="concurrent-requests"`).
    ConcurrentRequests,
    /// Query-cost points (Shopify GraphQL).
    Points,
    /// Any other unit, as the server named it.
    Other(Text<'a>),
}

impl<'a> Unit<'a> {
    /// The unit named by an IETF `qu` parameter.
    pub fn from_name(name: Text<'a>) -> Self {
        match name.raw() {
            "requests" => Unit::Requests,
            "content-bytes" => Unit::ContentBytes,
            "concurrent-requests" => Unit::ConcurrentRequests,
            "tokens" => Unit::Tokens,
            _ => Unit::Other(name),
        }
    }

    /// The unit's name (`requests`, `tokens`, `content-bytes`, ...); the raw text for
    /// [`Unit::Other`].
    pub const fn as_str(&self) -> &'a str {
        match self {
            Unit::Requests => "requests",
            Unit::Tokens => "tokens",
            Unit::ContentBytes => "content-bytes",
            Unit::ConcurrentRequests => "concurrent-requests",
            Unit::Points => "points",
            Unit::Other(t) => t.raw(),
        }
    }
}
