//! Keys of parameters and dictionary members (RFC 9651 section 4.2.3.3).
//!
//! `key = ( lcalpha / "*" ) *( lcalpha / DIGIT / "_" / "-" / "." / "*" )`:
//! lowercase only, so `R=50` is not a key.

use super::cursor::Cursor;
use super::error::{Error, ErrorKind};

/// True for a byte that may start a key.
#[inline]
const fn is_key_start(b: u8) -> bool {
    b.is_ascii_lowercase() || b == b'*'
}

/// True for a byte that may continue a key.
#[inline]
const fn is_key_char(b: u8) -> bool {
    matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-' | b'.' | b'*')
}

/// True for a byte that may directly follow a key somewhere: `=` before a value,
/// `;` before parameters, and whatever may follow a whole Item.
#[inline]
const fn may_follow_key(b: u8) -> bool {
    b == b'=' || super::token::may_follow_item(b)
}

/// Parses a key at the cursor (RFC 9651 section 4.2.3.3).
///
/// The RFC's algorithm stops at the first byte that cannot continue the key; when
/// that byte also cannot follow a key anywhere (`aB=1`), the field is bound to fail
/// there, so this reports [`ErrorKind::InvalidKey`] at it.
#[inline(always)]
pub(crate) fn parse_key<'a>(c: &mut Cursor<'a>) -> Result<&'a str, Error> {
    match c.peek() {
        Some(b) if is_key_start(b) => {}
        Some(_) => return Err(c.error(ErrorKind::InvalidKey)),
        None => return Err(c.error(ErrorKind::UnexpectedEnd)),
    }
    let start = c.pos();
    let len = c
        .rest()
        .iter()
        .skip(1)
        .take_while(|&&b| is_key_char(b))
        .count();
    c.advance_by(len.saturating_add(1));
    match c.peek() {
        Some(b) if !may_follow_key(b) => Err(c.error(ErrorKind::InvalidKey)),
        _ => Ok(c.since(start)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sf::error::Case;

    #[test]
    fn keys_follow_section_4_2_3_3() {
        use ErrorKind::*;
        #[rustfmt::skip]
        let cases: &[Case<&str>] = &[
            ("lowercase",                  "limit",        Ok("limit")),
            ("star start",                 "*a",           Ok("*a")),
            ("all key chars",              "a0_-.*z",      Ok("a0_-.*z")),
            ("stops at equals",            "q=1",          Ok("q")),
            ("stops at semicolon",         "a;b",          Ok("a")),
            ("uppercase start fails",      "R=50",         Err((InvalidKey, 0))),
            ("digit start fails",          "1a",           Err((InvalidKey, 0))),
            ("uppercase inside fails",     "aB=1",         Err((InvalidKey, 1))),
            ("end of input",               "",             Err((UnexpectedEnd, 0))),
        ];
        for (rule, input, expected) in cases {
            let got = parse_key(&mut Cursor::new(input)).map_err(|e| (e.kind, e.offset));
            assert_eq!(got, *expected, "{rule}");
        }
    }
}
