//! Field values as text: how checked bytes become the `&str` spans that results
//! borrow (RFC 9651 section 4.2: a field value is ASCII, and any other byte is a
//! failure).
//!
//! Checking never needs text: every rule works on bytes, and since no rule
//! accepts a byte at or above 0x80, the checkers reject any non-ASCII byte where
//! it stands (reported as [`ErrorKind::NonAscii`](super::ErrorKind::NonAscii) by
//! [`fail`](super::error::fail)). Only once a value has been checked is it viewed
//! as text, in one conversion, so every later span is cut from one `&str` in
//! constant time and never re-validated.

/// Views checked (hence ASCII) bytes as text. Bytes that were not checked and
/// are not UTF-8 give the empty string rather than a panic.
#[inline]
pub(crate) fn checked_text(bytes: &[u8]) -> &str {
    core::str::from_utf8(bytes).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_is_viewed_as_is_and_invalid_utf8_as_empty() {
        assert_eq!(checked_text(b"abc"), "abc");
        assert_eq!(checked_text(b"ab\xffc"), "");
    }
}
