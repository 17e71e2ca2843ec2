//! Inner Lists: a parenthesized, space-separated list of Items with parameters
//! (RFC 9651 sections 3.1.1 and 4.2.1.2).
//!
//! `inner-list = "(" *SP [ sf-item *( 1*SP sf-item ) *SP ] ")" parameters`.

use super::bare_item::skip_bare_item;
use super::bytes::{at, skip_sp, span};
use super::error::{Error, ErrorKind, fail};
use super::item::{Item, check_item, read_item};
use super::parameters::{Parameters, check_parameters, read_parameters};

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
            text: self.raw,
            pos: 0,
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
    text: &'a str,
    pos: usize,
    remaining: usize,
}

impl<'a> Iterator for InnerListItems<'a> {
    type Item = Item<'a>;

    #[inline]
    fn next(&mut self) -> Option<Item<'a>> {
        let start = skip_sp(self.text.as_bytes(), self.pos);
        if start >= self.text.len() {
            self.pos = start;
            self.remaining = 0;
            return None;
        }
        let (item, end) = read_item(self.text, start);
        self.pos = end;
        self.remaining = self.remaining.saturating_sub(1);
        Some(item)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

impl ExactSizeIterator for InnerListItems<'_> {}

/// Checks an Inner List starting at its `(` (RFC 9651 section 4.2.1.2) and
/// returns the index just past its parameters.
pub(crate) fn check_inner_list(b: &[u8], i: usize) -> Result<usize, Error> {
    let mut i = i.wrapping_add(1);
    loop {
        i = skip_sp(b, i);
        match at(b, i) {
            None => return fail(b, i, ErrorKind::UnterminatedInnerList),
            Some(b')') => return check_parameters(b, i.wrapping_add(1)),
            Some(_) => {
                i = check_item(b, i)?;
                match at(b, i) {
                    Some(b' ' | b')') => {}
                    None => return fail(b, i, ErrorKind::UnterminatedInnerList),
                    Some(_) => return fail(b, i, ErrorKind::ExpectedInnerListDelimiter),
                }
            }
        }
    }
}

/// Reads an Inner List already checked by [`check_inner_list`] starting at its
/// `(`, and returns it with the index just past it.
pub(crate) fn read_inner_list(text: &str, i: usize) -> (InnerList<'_>, usize) {
    let b = text.as_bytes();
    let start = i.wrapping_add(1);
    let mut i = start;
    let mut len: usize = 0;
    loop {
        i = skip_sp(b, i);
        match at(b, i) {
            Some(b')') | None => break,
            Some(_) => {
                i = read_parameters(text, skip_bare_item(text, i)).1;
                len = len.saturating_add(1);
            }
        }
    }
    let raw = span(text, start, i);
    let (params, end) = read_parameters(text, i.wrapping_add(1));
    (InnerList { raw, len, params }, end)
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use crate::sf::BareItem::{self, *};
    use crate::sf::error::Case;
    use std::vec::Vec;

    fn inner(s: &str) -> Result<(InnerList<'_>, usize), (ErrorKind, usize)> {
        let end = check_inner_list(s.as_bytes(), 0).map_err(|e| (e.kind, e.offset))?;
        let (list, read_end) = read_inner_list(s, 0);
        assert_eq!(read_end, end, "{s}");
        Ok((list, end))
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
