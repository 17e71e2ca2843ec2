//! Tokens (RFC 9651 sections 3.3.4 and 4.2.6).
//!
//! `sf-token = ( ALPHA / "*" ) *( tchar / ":" / "/" )`, with `tchar` from
//! RFC 9110 section 5.6.2.

use super::cursor::Cursor;
use super::error::{Error, ErrorKind};

/// True for a byte that may start a Token.
#[inline]
pub(crate) const fn is_token_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'*'
}

/// True for a byte that may continue a Token: `tchar`, `:` or `/`.
#[inline]
pub(crate) const fn is_token_char(b: u8) -> bool {
    matches!(
        b,
        b'!' | b'#'
            | b'$'
            | b'%'
            | b'&'
            | b'\''
            | b'*'
            | b'+'
            | b'-'
            | b'.'
            | b'^'
            | b'_'
            | b'`'
            | b'|'
            | b'~'
            | b':'
            | b'/'
            | b'0'..=b'9'
            | b'A'..=b'Z'
            | b'a'..=b'z'
    )
}

/// True for a byte that may directly follow a complete Item in some context:
/// parameters (`;`), inner-list separators (SP, `)`), and list or dictionary
/// separators (SP, HTAB, `,`). Any other byte right after an Item makes the field
/// invalid wherever the Item is, so it can be reported where it stands.
#[inline]
pub(crate) const fn may_follow_item(b: u8) -> bool {
    matches!(b, b';' | b' ' | b'\t' | b',' | b')')
}

/// Parses a Token at the cursor, which must be on a byte for which
/// [`is_token_start`] holds (RFC 9651 section 4.2.6).
///
/// The RFC's algorithm stops at the first byte that cannot continue the token;
/// when that byte also cannot follow an Item, the field is bound to fail there,
/// so this reports [`ErrorKind::InvalidToken`] at it.
#[inline(always)]
pub(crate) fn parse_token<'a>(c: &mut Cursor<'a>) -> Result<&'a str, Error> {
    let start = c.pos();
    let len = c
        .rest()
        .iter()
        .skip(1)
        .take_while(|&&b| is_token_char(b))
        .count();
    c.advance_by(len.saturating_add(1));
    match c.peek() {
        Some(b) if !may_follow_item(b) => Err(c.error(ErrorKind::InvalidToken)),
        _ => Ok(c.since(start)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sf::error::Case;

    #[test]
    fn tokens_follow_section_4_2_6() {
        use ErrorKind::*;
        #[rustfmt::skip]
        let cases: &[Case<&str>] = &[
            ("single letter",             "a",                 Ok("a")),
            ("star start",                "*foo",              Ok("*foo")),
            ("uppercase allowed",         "Burst",             Ok("Burst")),
            ("colon and slash allowed",   "text/html:x",       Ok("text/html:x")),
            ("all tchar",                 "a!#$%&'*+-.^_`|~9", Ok("a!#$%&'*+-.^_`|~9")),
            ("stops at parameter",        "burst;q=1",         Ok("burst")),
            ("stops at comma",            "a,b",               Ok("a")),
            ("stops at space",            "a b",               Ok("a")),
            ("stops at close paren",      "a)",                Ok("a")),
            ("equals cannot follow",      "limit=100",         Err((InvalidToken, 5))),
            ("quote cannot follow",       "a\"b\"",            Err((InvalidToken, 1))),
            ("bracket cannot follow",     "ab[",               Err((InvalidToken, 2))),
        ];
        for (rule, input, expected) in cases {
            let got = parse_token(&mut Cursor::new(input)).map_err(|e| (e.kind, e.offset));
            assert_eq!(got, *expected, "{rule}");
        }
    }
}
