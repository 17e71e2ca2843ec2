//! Inner Lists: a parenthesized, space-separated list of Items with parameters
//! (RFC 9651 sections 3.1.1 and 4.2.1.2).
//!
//! `inner-list = "(" *SP [ sf-item *( 1*SP sf-item ) *SP ] ")" parameters`.

use super::cursor::Cursor;
use super::error::{Error, ErrorKind};
use super::item::{Item, parse_item_at};
use super::parameters::{Parameters, parse_parameters};

/// An Inner List: its items are read on demand from the validated text.
///
/// Equality compares the text as sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct InnerList<'a> {
    raw: &'a str,
    len: usize,
    /// The parameters after the closing `)`.
    pub params: Parameters<'a>,
}

impl<'a> InnerList<'a> {
    /// The items in order.
    pub fn items(&self) -> InnerListItems<'a> {
        InnerListItems {
            cursor: Cursor::new(self.raw),
            remaining: self.len,
        }
    }

    /// How many items there are.
    pub const fn len(&self) -> usize {
        self.len
    }

    /// True for `()`.
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// The items of [`InnerList::items`], in order.
#[derive(Clone, Debug)]
pub struct InnerListItems<'a> {
    cursor: Cursor<'a>,
    remaining: usize,
}

impl<'a> Iterator for InnerListItems<'a> {
    type Item = Item<'a>;

    fn next(&mut self) -> Option<Item<'a>> {
        self.cursor.skip_sp();
        if self.cursor.is_empty() {
            return None;
        }
        match parse_item_at(&mut self.cursor) {
            Ok(item) => {
                self.remaining = self.remaining.saturating_sub(1);
                Some(item)
            }
            Err(_) => {
                self.cursor.finish();
                self.remaining = 0;
                None
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

impl ExactSizeIterator for InnerListItems<'_> {}

/// Parses an Inner List at the cursor, which must be on `(`
/// (RFC 9651 section 4.2.1.2).
pub(crate) fn parse_inner_list<'a>(c: &mut Cursor<'a>) -> Result<InnerList<'a>, Error> {
    c.advance();
    let start = c.pos();
    let mut len: usize = 0;
    loop {
        c.skip_sp();
        match c.peek() {
            None => return Err(c.error(ErrorKind::UnterminatedInnerList)),
            Some(b')') => {
                let raw = c.since(start);
                c.advance();
                let params = parse_parameters(c)?;
                return Ok(InnerList { raw, len, params });
            }
            Some(_) => {
                parse_item_at(c)?;
                len = len.saturating_add(1);
                match c.peek() {
                    Some(b' ' | b')') => {}
                    None => return Err(c.error(ErrorKind::UnterminatedInnerList)),
                    Some(_) => return Err(c.error(ErrorKind::ExpectedInnerListDelimiter)),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use crate::sf::BareItem::{self, *};
    use crate::sf::error::Case;
    use std::vec::Vec;

    fn inner(s: &str) -> Result<(InnerList<'_>, usize), (ErrorKind, usize)> {
        let mut c = Cursor::new(s);
        parse_inner_list(&mut c)
            .map(|l| (l, c.pos()))
            .map_err(|e| (e.kind, e.offset))
    }

    #[test]
    fn inner_lists_follow_section_4_2_1_2() {
        use ErrorKind::*;
        #[rustfmt::skip]
        let cases: &[Case<&[BareItem<'static>]>] = &[
            ("empty",                       "()",              Ok(&[])),
            ("only spaces",                 "(  )",            Ok(&[])),
            ("one item",                    "(1)",             Ok(&[Integer(1)])),
            ("spaces around items",         "(  1   foo  )",   Ok(&[Integer(1), Token("foo")])),
            ("item parameters",             "(1;a=2 3;b)",     Ok(&[Integer(1), Integer(3)])),
            ("list parameters",             "(1 2);lvl=5",     Ok(&[Integer(1), Integer(2)])),
            ("unterminated",                "(1 2",            Err((UnterminatedInnerList, 4))),
            ("unterminated after space",    "(1 ",             Err((UnterminatedInnerList, 3))),
            ("comma inside",                "(1,2)",           Err((ExpectedInnerListDelimiter, 2))),
            ("tab inside",                  "(1\t2)",          Err((ExpectedInnerListDelimiter, 2))),
            ("nested inner list",           "((1))",           Err((UnexpectedCharacter, 1))),
            ("bad item",                    "(1 ?x)",          Err((InvalidBoolean, 4))),
            ("bad list parameter",          "(1);A",           Err((InvalidKey, 4))),
        ];
        for (rule, input, expected) in cases {
            let got = inner(input).map(|(l, _)| l.items().map(|i| i.bare).collect::<Vec<_>>());
            let expected = expected.map(|e| e.to_vec());
            assert_eq!(got, expected, "{rule}");
        }
    }

    #[test]
    fn parameters_on_items_and_list() {
        let (list, end) = inner("(\"a\";x=1 b);lvl=5, next").unwrap();
        assert_eq!(end, 17);
        assert_eq!(list.len(), 2);
        assert_eq!(list.items().len(), 2);
        assert_eq!(list.params.get("lvl"), Some(Integer(5)));
        let first = list.items().next().unwrap();
        assert!(first.bare.as_string().unwrap().eq_str("a"));
        assert_eq!(first.params.get("x"), Some(Integer(1)));
        assert!(inner("()").unwrap().0.is_empty());
    }
}
