//! Strings (RFC 9651 sections 3.3.3 and 4.2.5).
//!
//! `sf-string = DQUOTE *( unescaped / "%" / bs-escaped ) DQUOTE`: printable ASCII,
//! with `"` and `\` escaped by a backslash. The reader keeps the text between the
//! quotes as it was sent and unescapes on demand, so nothing is copied.

use core::str::Bytes;

use super::cursor::Cursor;
use super::error::{Error, ErrorKind};

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

/// Parses a String at the cursor, which must be on the opening `"`
/// (RFC 9651 section 4.2.5).
#[inline(always)]
pub(crate) fn parse_string<'a>(c: &mut Cursor<'a>) -> Result<SfString<'a>, Error> {
    c.advance();
    let start = c.pos();
    let mut escaped = false;
    let mut len: usize = 0;
    let rest = c.rest();
    let mut bytes = rest.iter();
    while let Some(&b) = bytes.next() {
        match b {
            b'"' => {
                c.advance_by(len);
                let raw = c.since(start);
                c.advance();
                return Ok(SfString { raw, escaped });
            }
            b'\\' => {
                escaped = true;
                match bytes.next() {
                    Some(b'"' | b'\\') => len = len.wrapping_add(2),
                    Some(_) => {
                        c.advance_by(len.wrapping_add(1));
                        return Err(c.error(ErrorKind::InvalidEscape));
                    }
                    None => break,
                }
            }
            0x20..=0x7e => len = len.wrapping_add(1),
            _ => {
                c.advance_by(len);
                return Err(c.error(ErrorKind::InvalidStringChar));
            }
        }
    }
    c.finish();
    Err(c.error(ErrorKind::UnterminatedString))
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use crate::sf::error::Case;
    use std::string::String;

    fn string(s: &str) -> Result<(SfString<'_>, usize), Error> {
        let mut c = Cursor::new(s);
        parse_string(&mut c).map(|v| (v, c.pos()))
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
            ("backslash before letter",    r#""a\n""#,       Err((InvalidEscape, 3))),
            ("no closing quote",           r#""abc"#,        Err((UnterminatedString, 4))),
            ("backslash at end",           r#""abc\"#,       Err((UnterminatedString, 5))),
        ];
        for (rule, input, expected) in cases {
            let got = string(input)
                .map(|(s, _)| s.chars().collect::<String>())
                .map_err(|e| (e.kind, e.offset));
            assert_eq!(got.as_deref().map_err(|e| *e), *expected, "{rule}");
        }
    }

    #[test]
    fn raw_keeps_escapes_and_cursor_passes_closing_quote() {
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
