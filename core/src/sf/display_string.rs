//! Display Strings (RFC 9651 sections 3.3.8 and 4.2.10).
//!
//! `sf-displaystring = "%" DQUOTE *( unescaped / "\" / pct-encoded ) DQUOTE` with
//! lowercase `%xx` escapes. The reader validates the whole value, including that
//! the escaped bytes decode as UTF-8, and keeps the raw text; [`decode_display_string`]
//! decodes it into a caller buffer.

use super::bytes::{at, span};
use super::error::{Error, ErrorKind, fail};

/// The value of a lowercase hex digit (section 4.2.10 accepts only `0-9a-f`).
#[inline]
const fn lower_hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b.wrapping_sub(b'0')),
        b'a'..=b'f' => Some(b.wrapping_sub(b'a').wrapping_add(10)),
        _ => None,
    }
}

/// A streaming UTF-8 checker (RFC 3629 section 4) for the decoded bytes.
#[derive(Clone, Copy, Debug, Default)]
struct Utf8 {
    /// Continuation bytes still expected.
    pending: u8,
    /// Allowed range of the next continuation byte.
    low: u8,
    high: u8,
}

impl Utf8 {
    /// Feeds one byte; false when the sequence can no longer be UTF-8.
    #[inline]
    fn push(&mut self, b: u8) -> bool {
        if self.pending > 0 {
            if b < self.low || b > self.high {
                return false;
            }
            self.pending = self.pending.wrapping_sub(1);
            (self.low, self.high) = (0x80, 0xBF);
            return true;
        }
        let (pending, low, high) = match b {
            0x00..=0x7F => return true,
            0xC2..=0xDF => (1, 0x80, 0xBF),
            0xE0 => (2, 0xA0, 0xBF),
            0xE1..=0xEC | 0xEE..=0xEF => (2, 0x80, 0xBF),
            0xED => (2, 0x80, 0x9F),
            0xF0 => (3, 0x90, 0xBF),
            0xF1..=0xF3 => (3, 0x80, 0xBF),
            0xF4 => (3, 0x80, 0x8F),
            _ => return false,
        };
        *self = Utf8 { pending, low, high };
        true
    }

    /// True when no multi-byte sequence is left open.
    const fn is_complete(&self) -> bool {
        self.pending == 0
    }
}

/// Checks a Display String starting at its `%` (RFC 9651 section 4.2.10) and
/// returns the index just past the closing quote.
pub(crate) fn check_display_string(b: &[u8], i: usize) -> Result<usize, Error> {
    let quote = i.wrapping_add(1);
    if at(b, quote) != Some(b'"') {
        return fail(b, quote, ErrorKind::InvalidDisplayString);
    }
    let mut i = quote.wrapping_add(1);
    let mut utf8 = Utf8::default();
    while let Some(c) = at(b, i) {
        match c {
            b'"' => {
                if !utf8.is_complete() {
                    return fail(b, i, ErrorKind::InvalidDisplayString);
                }
                return Ok(i.wrapping_add(1));
            }
            b'%' => {
                let hi = at(b, i.wrapping_add(1)).and_then(lower_hex);
                let lo = at(b, i.wrapping_add(2)).and_then(lower_hex);
                match (hi, lo) {
                    (Some(hi), Some(lo)) if utf8.push(hi << 4 | lo) => i = i.wrapping_add(3),
                    _ => return fail(b, i, ErrorKind::InvalidDisplayString),
                }
            }
            0x20..=0x7E if utf8.push(c) => i = i.wrapping_add(1),
            _ => return fail(b, i, ErrorKind::InvalidDisplayString),
        }
    }
    fail(b, i, ErrorKind::UnterminatedDisplayString)
}

/// Reads a Display String already checked by [`check_display_string`]: the raw
/// text between the quotes and the index just past the closing quote.
#[inline(always)]
pub(crate) fn read_display_string(text: &str, i: usize) -> (&str, usize) {
    let start = i.wrapping_add(2);
    let len = text
        .as_bytes()
        .get(start..)
        .and_then(|rest| rest.iter().position(|&c| c == b'"'))
        .unwrap_or(0);
    let close = start.wrapping_add(len);
    (span(text, start, close), close.wrapping_add(1))
}

/// Decodes the raw text of a Display String (as found in
/// [`BareItem::DisplayString`](super::BareItem::DisplayString)) into `out`.
///
/// Returns `None` when `out` is too small or `raw` is not valid Display String
/// content.
///
/// ```
/// # use ratelimit_governor::sf::decode_display_string;
/// let mut buf = [0u8; 16];
/// assert_eq!(decode_display_string("f%c3%bc%c3%bc", &mut buf), Some("füü"));
/// ```
pub fn decode_display_string<'o>(raw: &str, out: &'o mut [u8]) -> Option<&'o str> {
    let mut bytes = raw.bytes();
    let mut len: usize = 0;
    while let Some(b) = bytes.next() {
        let byte = if b == b'%' {
            let hi = lower_hex(bytes.next()?)?;
            let lo = lower_hex(bytes.next()?)?;
            hi << 4 | lo
        } else {
            b
        };
        *out.get_mut(len)? = byte;
        len = len.wrapping_add(1);
    }
    core::str::from_utf8(out.get(..len)?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sf::error::Case;

    #[test]
    fn display_strings_follow_section_4_2_10() {
        use ErrorKind::*;
        #[rustfmt::skip]
        let cases: &[Case<&str>] = &[
            ("empty",                        r#"%"""#,               Ok("")),
            ("ascii",                        r#"%"hello""#,          Ok("hello")),
            ("two-byte escapes",             r#"%"f%c3%bc%c3%bc""#,  Ok("f%c3%bc%c3%bc")),
            ("four-byte escape",             r#"%"%f0%9f%98%80""#,   Ok("%f0%9f%98%80")),
            ("escaped percent",              r#"%"100%25""#,         Ok("100%25")),
            ("no quote after percent",       "%a",                   Err((InvalidDisplayString, 1))),
            ("uppercase hex",                r#"%"%C3%BC""#,         Err((InvalidDisplayString, 2))),
            ("short escape",                 r#"%"%c""#,             Err((InvalidDisplayString, 2))),
            ("invalid utf-8 byte",           r#"%"%ff""#,            Err((InvalidDisplayString, 2))),
            ("truncated utf-8 sequence",     r#"%"%c3""#,            Err((InvalidDisplayString, 5))),
            ("ascii inside utf-8 sequence",  r#"%"%c3a""#,           Err((InvalidDisplayString, 5))),
            ("surrogate",                    r#"%"%ed%a0%80""#,      Err((InvalidDisplayString, 5))),
            ("tab",                          "%\"a\tb\"",            Err((InvalidDisplayString, 3))),
            ("no closing quote",             r#"%"abc"#,             Err((UnterminatedDisplayString, 5))),
        ];
        for (rule, input, expected) in cases {
            let got = check_display_string(input.as_bytes(), 0)
                .map(|end| {
                    let (raw, read_end) = read_display_string(input, 0);
                    assert_eq!(read_end, end, "{rule}");
                    raw
                })
                .map_err(|e| (e.kind, e.offset));
            assert_eq!(got, *expected, "{rule}");
        }
    }

    #[test]
    fn decode_into_caller_buffer() {
        let mut buf = [0u8; 8];
        assert_eq!(
            decode_display_string("f%c3%bc%c3%bc", &mut buf),
            Some("füü")
        );
        assert_eq!(decode_display_string("100%25", &mut buf), Some("100%"));
        assert_eq!(decode_display_string("%ff", &mut buf), None);
        assert_eq!(decode_display_string("%f", &mut buf), None);
        let mut small = [0u8; 2];
        assert_eq!(decode_display_string("abc", &mut small), None);
    }
}
