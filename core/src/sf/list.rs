//! Lists: comma-separated members (RFC 9651 sections 3.1 and 4.2.1), and the
//! top-level entry point for fields whose type is List.
//!
//! `sf-list = list-member *( OWS "," OWS list-member )`. The whole value is
//! validated up front. Validation notes where the parts of the first few members
//! are ([`NotedMember`]), and iteration builds those members from the notes; any
//! later members it reads again from the validated text.

use core::fmt;
use core::hash::{Hash, Hasher};

use super::bytes::{at, skip_ows, skip_sp};
use super::error::{Error, ErrorKind, fail};
use super::member::{
    Member, NotedMember, check_member, check_member_noting, noted_member, read_member,
};
use super::text::checked_text;

/// How many members at the start of a List validation notes for iteration.
const NOTED_MEMBERS: usize = 4;

/// A validated List field value; members are read on demand.
///
/// Equality compares the text as sent.
#[derive(Clone, Copy, Default)]
pub struct List<'a> {
    /// The checked field value, leading SP removed, viewed as text once.
    raw: &'a str,
    len: usize,
    /// Where the parts of the first members are, noted during validation.
    noted: [NotedMember; NOTED_MEMBERS],
    /// How many of `noted` are set.
    noted_len: u8,
}

impl PartialEq for List<'_> {
    fn eq(&self, other: &Self) -> bool {
        // Everything else is derived from the text.
        self.raw == other.raw
    }
}

impl Eq for List<'_> {}

impl Hash for List<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.raw.hash(state);
    }
}

impl<'a> List<'a> {
    /// The members in order.
    #[inline]
    pub fn iter(&self) -> ListIter<'a> {
        ListIter {
            text: self.raw,
            pos: 0,
            remaining: self.len,
            noted: self.noted,
            next_noted: 0,
            noted_len: self.noted_len,
        }
    }

    /// How many members there are.
    pub const fn len(&self) -> usize {
        self.len
    }

    /// True for an empty (or all-SP) field value.
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl<'a> List<'a> {
    /// The checked field value, leading SP removed.
    pub const fn as_str(&self) -> &'a str {
        self.raw
    }
}

impl fmt::Debug for List<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("List")
            .field("raw", &self.as_str())
            .field("len", &self.len)
            .finish()
    }
}

impl<'a> IntoIterator for List<'a> {
    type Item = Member<'a>;
    type IntoIter = ListIter<'a>;

    fn into_iter(self) -> ListIter<'a> {
        self.iter()
    }
}

impl<'a> IntoIterator for &List<'a> {
    type Item = Member<'a>;
    type IntoIter = ListIter<'a>;

    fn into_iter(self) -> ListIter<'a> {
        self.iter()
    }
}

/// The members of [`List::iter`], in order.
#[derive(Clone, Debug)]
pub struct ListIter<'a> {
    text: &'a str,
    /// Just past the member read last (0 before the first).
    pos: usize,
    remaining: usize,
    noted: [NotedMember; NOTED_MEMBERS],
    /// The index in `noted` of the next member.
    next_noted: u8,
    noted_len: u8,
}

impl<'a> Iterator for ListIter<'a> {
    type Item = Member<'a>;

    #[inline]
    fn next(&mut self) -> Option<Member<'a>> {
        if self.next_noted < self.noted_len {
            let note = self.noted.get(usize::from(self.next_noted))?;
            self.next_noted = self.next_noted.wrapping_add(1);
            self.remaining = self.remaining.saturating_sub(1);
            self.pos = note.end();
            return Some(noted_member(self.text, note));
        }
        if self.remaining == 0 {
            return None;
        }
        self.next_unnoted()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

impl ExactSizeIterator for ListIter<'_> {}

impl<'a> ListIter<'a> {
    /// The next member when validation noted nothing more: found by reading the
    /// text again from the end of the previous one.
    #[inline(never)]
    fn next_unnoted(&mut self) -> Option<Member<'a>> {
        let start = next_member(self.text.as_bytes(), self.pos);
        if start >= self.text.len() {
            self.pos = self.text.len();
            self.remaining = 0;
            return None;
        }
        self.remaining = self.remaining.saturating_sub(1);
        let (member, end) = read_member(self.text, start);
        self.pos = end;
        Some(member)
    }
}

/// In checked text, the start of the member after the one ending at `i`
/// (past OWS, a comma and OWS), or the end of the text.
#[inline(always)]
pub(crate) fn next_member(b: &[u8], i: usize) -> usize {
    let i = skip_ows(b, i);
    if at(b, i) == Some(b',') {
        skip_ows(b, i.wrapping_add(1))
    } else {
        i
    }
}

/// After a List or Dictionary member ending at `i`: discards OWS, then either
/// finds the end of input (`Ok(None)`) or a comma followed by more input, and
/// returns where the next member starts (RFC 9651 sections 4.2.1 and 4.2.2).
#[inline(always)]
pub(crate) fn check_separator(b: &[u8], i: usize) -> Result<Option<usize>, Error> {
    let comma = skip_ows(b, i);
    match at(b, comma) {
        None => Ok(None),
        Some(b',') => {
            let next = skip_ows(b, comma.wrapping_add(1));
            if next >= b.len() {
                fail(b, comma, ErrorKind::TrailingComma)
            } else {
                Ok(Some(next))
            }
        }
        Some(_) => fail(b, comma, ErrorKind::ExpectedComma),
    }
}

/// Parses and validates a whole field value as a List (RFC 9651 section 4.2
/// with field type "list"). An empty or all-SP value is an empty List.
///
/// ```
/// # use ratelimit_governor::sf::parse_list;
/// let list = parse_list(br#""burst";q=100;w=60,"daily";q=1000;w=86400"#).unwrap();
/// assert_eq!(list.len(), 2);
/// assert!(parse_list(b"limit=100, remaining=50, reset=5").is_err());
/// ```
pub fn parse_list(input: &[u8]) -> Result<List<'_>, Error> {
    parse_list_inner(input, None)
}

/// [`parse_list`] of a value that is text already: the same List, without
/// validating UTF-8 again.
#[inline]
pub(crate) fn parse_list_text(input: &str) -> Result<List<'_>, Error> {
    parse_list_inner(input.as_bytes(), Some(input))
}

/// [`parse_list`] of `input`, which `text` (when given) holds as text.
#[inline(always)]
fn parse_list_inner<'a>(input: &'a [u8], text: Option<&'a str>) -> Result<List<'a>, Error> {
    let b = input;
    let start = skip_sp(b, 0);
    let mut len: usize = 0;
    let mut noted = [NotedMember::default(); NOTED_MEMBERS];
    // Offsets are noted as `u16`s, so only in values that short.
    let to_note = if b.len().wrapping_sub(start) <= usize::from(u16::MAX) {
        NOTED_MEMBERS
    } else {
        0
    };
    if start < b.len() {
        let mut i = start;
        loop {
            i = match noted.get_mut(len) {
                Some(note) if len < to_note => check_member_noting(b, i, start, note)?,
                _ => check_member(b, i)?,
            };
            len = len.wrapping_add(1);
            // The usual separators first: the end, `, ` and `,`.
            match b.get(i..) {
                Some([]) => break,
                Some([b',', b' ', c, ..]) if !matches!(c, b' ' | b'\t') => {
                    i = i.wrapping_add(2);
                    continue;
                }
                Some([b',', c, ..]) if !matches!(c, b' ' | b'\t') => {
                    i = i.wrapping_add(1);
                    continue;
                }
                _ => {}
            }
            match check_separator(b, i)? {
                Some(next) => i = next,
                None => break,
            }
        }
    }
    Ok(List {
        raw: match text {
            // `start` follows SP bytes only, so it is a character boundary.
            Some(text) => text.get(start..).unwrap_or(""),
            None => checked_text(b.get(start..).unwrap_or(&[])),
        },
        len,
        noted,
        noted_len: u8::try_from(len.min(to_note)).unwrap_or(0),
    })
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use crate::sf::error::Case;
    use crate::sf::{BareItem, Item};
    use std::string::String;
    use std::vec::Vec;

    fn bares(list: &List<'_>) -> Vec<BareItem<'static>> {
        // Only used with owned-free items in tables below: Integers and Tokens from 'static input.
        list.iter()
            .map(|m| match m {
                Member::Item(Item {
                    bare: BareItem::Integer(v),
                    ..
                }) => BareItem::Integer(v),
                Member::Item(_) => BareItem::Boolean(true),
                Member::InnerList(_) => BareItem::Boolean(false),
            })
            .collect()
    }

    #[test]
    fn lists_follow_section_4_2_1() {
        use BareItem::{Boolean as B, Integer as I};
        use ErrorKind::*;
        const INNER: BareItem<'static> = B(false);
        #[rustfmt::skip]
        let cases: &[Case<&[BareItem<'static>]>] = &[
            ("empty field is empty list",      "",                    Ok(&[])),
            ("all spaces is empty list",       "   ",                 Ok(&[])),
            ("one member",                     "1",                   Ok(&[I(1)])),
            ("comma without spaces",           "1,2",                 Ok(&[I(1), I(2)])),
            ("spaces around commas",           "1 , 2",               Ok(&[I(1), I(2)])),
            ("tabs around commas",             "1\t,\t2",             Ok(&[I(1), I(2)])),
            ("trailing spaces",                "1, 2   ",             Ok(&[I(1), I(2)])),
            ("trailing tab after member",      "1\t",                 Ok(&[I(1)])),
            ("leading spaces",                 "   1, 2",             Ok(&[I(1), I(2)])),
            ("inner list member",              "(1 2), 3",            Ok(&[INNER, I(3)])),
            ("trailing comma",                 "1, 2,",               Err((TrailingComma, 4))),
            ("trailing comma and spaces",      "1, 2,  ",             Err((TrailingComma, 4))),
            ("leading comma",                  ",1",                  Err((UnexpectedCharacter, 0))),
            ("double comma",                   "1,,2",                Err((UnexpectedCharacter, 2))),
            ("space separated",                "1 2",                 Err((ExpectedComma, 2))),
            ("leading tab",                    "\t1",                 Err((UnexpectedCharacter, 0))),
            ("space before parameter",         "\"default\" ;r=50",   Err((ExpectedComma, 10))),
            ("dictionary is not a list",       "limit=100, remaining=50, reset=5", Err((InvalidToken, 5))),
            ("non-ascii anywhere",             "1, 2, \u{e9}",        Err((NonAscii, 6))),
        ];
        for (rule, input, expected) in cases {
            let got = parse_list(input.as_bytes())
                .map(|l| bares(&l))
                .map_err(|e| (e.kind, e.offset));
            let expected = expected.map(|e| e.to_vec());
            assert_eq!(got, expected, "{rule}");
            if let Ok(list) = parse_list(input.as_bytes()) {
                assert_eq!(list.len(), list.iter().count(), "{rule}: len");
            }
        }
    }

    #[test]
    fn rejects_failure_after_many_good_members() {
        let mut input = String::new();
        for _ in 0..10_000 {
            input.push_str("\"a\";r=1, ");
        }
        assert_eq!(
            parse_list(input.as_bytes()).unwrap_err().kind,
            TrailingComma
        );
        input.push('2');
        assert_eq!(parse_list(input.as_bytes()).unwrap().len(), 10_001);
        use ErrorKind::TrailingComma;
    }

    #[test]
    fn iterators_are_exact_size() {
        let list = parse_list(b"1, (a b), c").unwrap();
        let mut it = list.iter();
        assert_eq!(it.len(), 3);
        it.next();
        assert_eq!(it.len(), 2);
        assert_eq!((&list).into_iter().count(), 3);
        assert_eq!(list.into_iter().count(), 3);
        assert!(parse_list(b"").unwrap().is_empty());
    }

    #[test]
    fn text_input_parses_like_bytes() {
        for input in [
            "",
            "   ",
            r#"  "burst";q=100;w=60, "daily";q=1000;w=86400"#,
            "1, (a b);c, d=?0",
            "a,",
            "a, , b",
            "\"caf\u{e9}\"",
        ] {
            let text = parse_list_text(input);
            let bytes = parse_list(input.as_bytes());
            assert_eq!(text, bytes, "{input:?}");
            if let (Ok(t), Ok(b)) = (text, bytes) {
                assert_eq!(t.as_str(), b.as_str());
                assert!(t.iter().eq(b.iter()));
            }
        }
    }
}
