//! Items: a bare item with parameters (RFC 9651 sections 3.3 and 4.2.3), and
//! the top-level entry point for fields whose type is Item (section 4.2).

use super::bare_item::{BareItem, check_bare_item, read_bare_item};
use super::bytes::skip_sp;
use super::error::{Error, ErrorKind, fail};
use super::parameters::{Parameters, check_parameters, read_parameters};
use super::text::checked_text;

/// An Item: a bare value and its parameters (RFC 9651 section 3.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Item<'a> {
    /// The value.
    pub bare: BareItem<'a>,
    /// The parameters that follow the value.
    pub params: Parameters<'a>,
}

/// Checks an Item starting at `i` (RFC 9651 section 4.2.3) and returns the index
/// just past it.
#[inline(always)]
pub(crate) fn check_item(b: &[u8], i: usize) -> Result<usize, Error> {
    check_parameters(b, check_bare_item(b, i)?)
}

/// Reads an Item already checked by [`check_item`] starting at `i`.
#[inline(always)]
pub(crate) fn read_item(text: &str, i: usize) -> (Item<'_>, usize) {
    let (bare, i) = read_bare_item(text, i);
    let (params, i) = read_parameters(text, i);
    (Item { bare, params }, i)
}

/// Parses a whole field value as an Item (RFC 9651 section 4.2 with field type
/// "item"): leading and trailing SP are discarded; anything else left over fails.
///
/// ```
/// # use ratelimit_governor::sf::{parse_item, BareItem};
/// let item = parse_item(b"42;w=60").unwrap();
/// assert_eq!(item.bare, BareItem::Integer(42));
/// assert_eq!(item.params.get("w"), Some(BareItem::Integer(60)));
/// ```
pub fn parse_item(input: &[u8]) -> Result<Item<'_>, Error> {
    let b = input;
    let start = skip_sp(b, 0);
    if start >= b.len() {
        return fail(b, start, ErrorKind::Empty);
    }
    let end = skip_sp(b, check_item(b, start)?);
    if end < b.len() {
        return fail(b, end, ErrorKind::TrailingCharacters);
    }
    Ok(read_item(checked_text(input), start).0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sf::error::Case;

    #[test]
    fn item_fields_follow_section_4_2() {
        use BareItem::*;
        use ErrorKind::*;
        #[rustfmt::skip]
        let cases: &[Case<BareItem<'static>>] = &[
            ("integer",                      "42",            Ok(Integer(42))),
            ("leading and trailing spaces",  "  42  ",        Ok(Integer(42))),
            ("with parameters",              "1;a;b=?0",      Ok(Integer(1))),
            ("empty",                        "",              Err((Empty, 0))),
            ("only spaces",                  "   ",           Err((Empty, 3))),
            ("leading tab",                  "\t42",          Err((UnexpectedCharacter, 0))),
            ("trailing tab",                 "42\t",          Err((TrailingCharacters, 2))),
            ("two items",                    "1 2",           Err((TrailingCharacters, 2))),
            ("list is not an item",          "1,2",           Err((TrailingCharacters, 1))),
            ("space before parameter",       "1 ;a",          Err((TrailingCharacters, 2))),
            ("non-ascii",                    "\"\u{e9}\"",    Err((NonAscii, 1))),
        ];
        for (rule, input, expected) in cases {
            let got = parse_item(input.as_bytes())
                .map(|i| i.bare)
                .map_err(|e| (e.kind, e.offset));
            assert_eq!(got, *expected, "{rule}");
        }
        let invalid_utf8 = parse_item(b"\"a\xff\"").unwrap_err();
        assert_eq!((invalid_utf8.kind, invalid_utf8.offset), (NonAscii, 2));
    }

    #[test]
    fn parameters_are_read_with_the_item() {
        let item = parse_item(b"abc;a=1;b=\"x\"").unwrap();
        assert_eq!(item.bare, BareItem::Token("abc"));
        assert_eq!(item.params.get("a"), Some(BareItem::Integer(1)));
        assert!(
            item.params
                .get("b")
                .unwrap()
                .as_string()
                .unwrap()
                .eq_str("x")
        );
    }
}
