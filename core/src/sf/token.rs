//! Tokens (RFC 9651 sections 3.3.4 and 4.2.6).
//!
//! `sf-token = ( ALPHA / "*" ) *( tchar / ":" / "/" )`, with `tchar` from
//! RFC 9110 section 5.6.2.

use super::bytes::{at, is_token_char, may_end_item, skip_while};
use super::error::{Error, ErrorKind, fail};

/// The index just past a Token starting at `i` (whose first byte was already
/// found to be `ALPHA / "*"`).
#[inline(always)]
pub(crate) fn token_end(b: &[u8], i: usize) -> usize {
    skip_while(b, i.wrapping_add(1), is_token_char)
}

/// Checks a Token starting at `i` (RFC 9651 section 4.2.6) and returns the index
/// just past it.
///
/// The RFC's algorithm stops at the first byte that cannot continue the token;
/// when that byte also cannot follow an Item anywhere, the field is bound to fail
/// there, so this reports [`ErrorKind::InvalidToken`] at it.
#[inline(always)]
pub(crate) fn check_token(b: &[u8], i: usize) -> Result<usize, Error> {
    let end = token_end(b, i);
    match at(b, end) {
        Some(c) if !may_end_item(c) => fail(b, end, ErrorKind::InvalidToken),
        _ => Ok(end),
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
            ("non-ascii cannot follow",   "ab\u{e9}",          Err((NonAscii, 2))),
        ];
        for (rule, input, expected) in cases {
            let got = check_token(input.as_bytes(), 0)
                .map(|end| &input[..end])
                .map_err(|e| (e.kind, e.offset));
            assert_eq!(got, *expected, "{rule}");
        }
    }
}
