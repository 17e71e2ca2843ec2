//! Items: a bare item with parameters (RFC 9651 sections 3.3 and 4.2.3), and
//! the top-level entry point for fields whose type is Item (section 4.2).

use super::bare_item::{BareItem, parse_bare_item};
use super::cursor::{Cursor, ascii_text};
use super::error::{Error, ErrorKind};
use super::parameters::{Parameters, parse_parameters};

/// An Item: a bare value and its parameters (RFC 9651 section 3.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Item<'a> {
    /// The value.
    pub bare: BareItem<'a>,
    /// The parameters that follow the value.
    pub params: Parameters<'a>,
}

/// Parses an Item at the cursor (RFC 9651 section 4.2.3).
#[inline(always)]
pub(crate) fn parse_item_at<'a>(c: &mut Cursor<'a>) -> Result<Item<'a>, Error> {
    let bare = parse_bare_item(c)?;
    let params = parse_parameters(c)?;
    Ok(Item { bare, params })
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
    let mut c = Cursor::new(ascii_text(input)?);
    c.skip_sp();
    if c.is_empty() {
        return Err(c.error(ErrorKind::Empty));
    }
    let item = parse_item_at(&mut c)?;
    c.skip_sp();
    if !c.is_empty() {
        return Err(c.error(ErrorKind::TrailingCharacters));
    }
    Ok(item)
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
    }
}
