//! Strings (RFC 9651 sections 3.3.3 and 4.2.5).
//!
//! `sf-string = DQUOTE *( unescaped / "%" / bs-escaped ) DQUOTE`: printable ASCII,
//! with `"` and `\` escaped by a backslash. The reader keeps the text between the
//! quotes as it was sent and unescapes on demand, so nothing is copied.

use core::str::Bytes;

use super::bytes::{at, is_string_char, skip_while, span};
use super::error::{Error, ErrorKind, fail};
use super::fast::quote_or_backslash;

/// A Structured Field String: the raw text between the quotes, escapes still in it.
///
/// Because RFC 9651 allows exactly one spelling of every String (only `"` and `\`
/// are escaped, and they must be), two `SfString`s are equal exactly when their
/// values are equal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SfString<'a> {
    raw: &'a str,
    escaped: bool,
}

impl<'a> SfString<'a> {
    /// The text between the quotes as sent, with `\"` and `\\` still escaped.
    pub const fn raw(&self) -> &'a str {
        self.raw
    }

    /// True when the raw text contains a `\` escape.
    pub const fn has_escapes(&self) -> bool {
        self.escaped
    }

    /// The value as a plain `&str` when it needs no unescaping.
    pub const fn as_plain(&self) -> Option<&'a str> {
        if self.escaped { None } else { Some(self.raw) }
    }

    /// The unescaped characters of the value.
    pub fn chars(&self) -> Unescaped<'a> {
        Unescaped {
            bytes: self.raw.bytes(),
        }
    }

    /// True when the unescaped value equals `other`.
    pub fn eq_str(&self, other: &str) -> bool {
        match self.as_plain() {
            Some(plain) => plain == other,
            None => self.chars().eq(other.chars()),
        }
    }
}

/// The unescaped characters of an [`SfString`], from [`SfString::chars`].
#[derive(Clone, Debug)]
pub struct Unescaped<'a> {
    bytes: Bytes<'a>,
}

impl Iterator for Unescaped<'_> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        let b = self.bytes.next()?;
        let b = if b == b'\\' { self.bytes.next()? } else { b };
        Some(char::from(b))
    }
}

/// Repeats a byte across a word.
const fn splat(b: u8) -> u64 {
    u64::from_ne_bytes([b; 8])
}

/// True when any byte of `x` is zero (exact; the classic bit trick).
#[inline(always)]
const fn has_zero_byte(x: u64) -> bool {
    x.wrapping_sub(splat(0x01)) & !x & splat(0x80) != 0
}

/// True when all eight bytes of `x` are String characters needing no escape:
/// 0x20-0x7E except `"` and `\`.
#[inline(always)]
const fn all_string_chars(x: u64) -> bool {
    // A byte below 0x20, or from 0x7F up, sets its high bit in one of these.
    let below_space = x.wrapping_sub(splat(0x20)) & !x;
    let above_tilde = x.wrapping_add(splat(0x01)) | x;
    (below_space | above_tilde) & splat(0x80) == 0
        && !has_zero_byte(x ^ splat(b'"'))
        && !has_zero_byte(x ^ splat(b'\\'))
}

/// The index of the first byte at or after `i` that is not [`is_string_char`].
/// After the first sixteen bytes it looks at eight bytes at a time while they all
/// are (long Strings are the cheapest way to make a field value large).
#[inline(always)]
pub(crate) fn skip_string_chars(b: &[u8], i: usize) -> usize {
    let short = i.saturating_add(16);
    let mut i = i;
    while let Some(&c) = b.get(i) {
        if !is_string_char(c) {
            return i;
        }
        i = i.wrapping_add(1);
        if i == short {
            return skip_long_string_chars(b, i);
        }
    }
    i
}

/// [`skip_string_chars`] for the rest of a long String.
#[inline(never)]
fn skip_long_string_chars(b: &[u8], mut i: usize) -> usize {
    while let Some(bytes) = b.get(i..i.wrapping_add(8)) {
        let Ok(bytes) = <[u8; 8]>::try_from(bytes) else {
            break;
        };
        if !all_string_chars(u64::from_ne_bytes(bytes)) {
            break;
        }
        i = i.wrapping_add(8);
    }
    skip_while(b, i, is_string_char)
}

/// Checks a String starting at `i`, which must be the opening `"`
/// (RFC 9651 section 4.2.5). Returns the index just past the closing quote.
#[inline(always)]
pub(crate) fn check_string(b: &[u8], i: usize) -> Result<usize, Error> {
    check_string_escapes(b, i).map(|(end, _)| end)
}

/// [`check_string`], also telling whether the String has a `\` escape.
#[inline(always)]
pub(crate) fn check_string_escapes(b: &[u8], i: usize) -> Result<(usize, bool), Error> {
    let mut i = i.wrapping_add(1);
    let mut escaped = false;
    loop {
        i = skip_string_chars(b, i);
        match at(b, i) {
            Some(b'"') => return Ok((i.wrapping_add(1), escaped)),
            Some(b'\\') => match at(b, i.wrapping_add(1)) {
                Some(b'"' | b'\\') => {
                    i = i.wrapping_add(2);
                    escaped = true;
                }
                Some(_) => return fail(b, i.wrapping_add(1), ErrorKind::InvalidEscape),
                None => return fail(b, i.wrapping_add(1), ErrorKind::UnterminatedString),
            },
            Some(_) => return fail(b, i, ErrorKind::InvalidStringChar),
            None => return fail(b, i, ErrorKind::UnterminatedString),
        }
    }
}

/// A String read from checked text whose raw contents (between the quotes) and
/// escape flag are already known.
#[inline(always)]
pub(crate) const fn checked_string(raw: &str, escaped: bool) -> SfString<'_> {
    SfString { raw, escaped }
}

/// Reads a String already checked by [`check_string`], starting at the opening
/// `"`. Returns it and the index just past the closing quote.
#[inline(always)]
pub(crate) fn read_string(text: &str, i: usize) -> (SfString<'_>, usize) {
    let b = text.as_bytes();
    let start = i.wrapping_add(1);
    let plain = quote_or_backslash(b, start);
    if at(b, plain) == Some(b'\\') {
        return read_escaped_string(text, start, plain);
    }
    let raw = span(text, start, plain);
    (
        SfString {
            raw,
            escaped: false,
        },
        plain.wrapping_add(1),
    )
}

/// The rest of [`read_string`] for a String whose contents start at `start` and
/// whose first escape is at `i`.
#[inline(never)]
fn read_escaped_string(text: &str, start: usize, mut i: usize) -> (SfString<'_>, usize) {
    let b = text.as_bytes();
    while at(b, i) == Some(b'\\') {
        i = quote_or_backslash(b, i.wrapping_add(2));
    }
    let raw = span(text, start, i);
    (SfString { raw, escaped: true }, i.wrapping_add(1))
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use crate::sf::error::Case;
    use std::string::String;

    fn string(s: &str) -> Result<(SfString<'_>, usize), (ErrorKind, usize)> {
        let end = check_string(s.as_bytes(), 0).map_err(|e| (e.kind, e.offset))?;
        let (value, read_end) = read_string(s, 0);
        assert_eq!(end, read_end, "{s}");
        Ok((value, end))
    }

    #[test]
    fn strings_follow_section_4_2_5() {
        use ErrorKind::*;
        #[rustfmt::skip]
        let cases: &[Case<&str>] = &[
            ("empty string",               r#""""#,          Ok("")),
            ("plain text",                 r#""hello world""#, Ok("hello world")),
            ("escaped quote and backslash", r#""a\"b\\c""#,  Ok(r#"a"b\c"#)),
            ("only up to closing quote",   r#""ab"cd"#,      Ok("ab")),
            ("tab is not allowed",         "\"a\tb\"",       Err((InvalidStringChar, 2))),
            ("DEL is not allowed",         "\"a\x7f\"",      Err((InvalidStringChar, 2))),
            ("non-ascii is not allowed",   "\"a\u{e9}\"",    Err((NonAscii, 2))),
            ("backslash before letter",    r#""a\n""#,       Err((InvalidEscape, 3))),
            ("no closing quote",           r#""abc"#,        Err((UnterminatedString, 4))),
            ("backslash at end",           r#""abc\"#,       Err((UnterminatedString, 5))),
        ];
        for (rule, input, expected) in cases {
            let got = string(input).map(|(s, _)| s.chars().collect::<String>());
            assert_eq!(got.as_deref().map_err(|e| *e), *expected, "{rule}");
        }
    }

    #[test]
    fn word_at_a_time_scan_agrees_with_byte_scan() {
        // Every byte value at every position of a 64-byte run of plain characters.
        for bad in 0..=255u8 {
            for pos in 0..64 {
                let mut bytes = [b'a'; 64];
                bytes[pos] = bad;
                for start in [0, 3, 17, 60] {
                    let plain = bytes[start..].iter().take_while(|&&c| is_string_char(c));
                    let by_byte = start + plain.count();
                    let got = skip_string_chars(&bytes, start);
                    assert_eq!(got, by_byte, "{bad:#x} at {pos} from {start}");
                }
            }
        }
    }

    #[test]
    fn raw_keeps_escapes_and_ends_past_closing_quote() {
        let (s, end) = string(r#""a\"b\\c";x"#).unwrap();
        assert_eq!(s.raw(), r#"a\"b\\c"#);
        assert!(s.has_escapes());
        assert_eq!(s.as_plain(), None);
        assert!(s.eq_str(r#"a"b\c"#));
        assert!(!s.eq_str(r#"a"b\"#));
        assert_eq!(end, 9);
        let (plain, _) = string(r#""daily""#).unwrap();
        assert!(!plain.has_escapes());
        assert_eq!(plain.as_plain(), Some("daily"));
        assert!(plain.eq_str("daily"));
    }
}
