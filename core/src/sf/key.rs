//! Keys of parameters and dictionary members (RFC 9651 section 4.2.3.3).
//!
//! `key = ( lcalpha / "*" ) *( lcalpha / DIGIT / "_" / "-" / "." / "*" )`:
//! lowercase only, so `R=50` is not a key.

use super::bytes::{at, is_key_char, is_key_start, may_end_item, skip_while};
use super::error::{Error, ErrorKind, fail};

/// The index just past a key that starts at `i` (or `i` itself if none does).
#[inline(always)]
pub(crate) fn key_end(b: &[u8], i: usize) -> usize {
    match at(b, i) {
        Some(c) if is_key_start(c) => skip_while(b, i.wrapping_add(1), is_key_char),
        _ => i,
    }
}

/// Checks a key starting at `i` (RFC 9651 section 4.2.3.3) and returns the index
/// just past it.
///
/// The RFC's algorithm stops at the first byte that cannot continue the key; when
/// that byte also cannot follow a key anywhere (`aB=1`), the field is bound to
/// fail there, so this reports [`ErrorKind::InvalidKey`] at it. A key is followed
/// by `=`, by parameters, or by whatever may follow an Item.
#[inline(always)]
pub(crate) fn check_key(b: &[u8], i: usize) -> Result<usize, Error> {
    match at(b, i) {
        Some(c) if is_key_start(c) => {}
        Some(_) => return fail(b, i, ErrorKind::InvalidKey),
        None => return fail(b, i, ErrorKind::UnexpectedEnd),
    }
    let end = skip_while(b, i.wrapping_add(1), is_key_char);
    match at(b, end) {
        Some(c) if c != b'=' && !may_end_item(c) => fail(b, end, ErrorKind::InvalidKey),
        _ => Ok(end),
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
            let got = check_key(input.as_bytes(), 0)
                .map(|end| {
                    assert_eq!(key_end(input.as_bytes(), 0), end, "{rule}");
                    &input[..end]
                })
                .map_err(|e| (e.kind, e.offset));
            assert_eq!(got, *expected, "{rule}");
        }
    }
}
