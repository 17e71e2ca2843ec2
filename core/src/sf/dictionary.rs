//! Dictionaries: comma-separated `key=value` members (RFC 9651 sections 3.2
//! and 4.2.2), and the top-level entry point for fields whose type is Dictionary.
//!
//! `dict-member = member-key ( parameters / ( "=" member-value ) )`: a member
//! without `=` is Boolean true with parameters. When a key repeats, the last
//! member wins. The whole value is validated up front; iteration walks the
//! validated text again.

use super::bare_item::BareItem;
use core::fmt;

use super::bytes::{at, skip_sp, span};
use super::error::Error;
use super::item::Item;
use super::key::{check_key, key_end};
use super::list::{check_separator, next_member};
use super::member::{Member, check_member, read_member};
use super::parameters::{check_parameters, read_parameters, same_key};
use super::text::checked_text;

/// A validated Dictionary field value; members are read on demand.
///
/// Equality compares the text as sent.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Dictionary<'a> {
    raw: &'a [u8],
}

impl<'a> Dictionary<'a> {
    /// Every member in order, duplicate keys included.
    pub fn iter(&self) -> DictionaryIter<'a> {
        DictionaryIter {
            text: checked_text(self.raw),
            pos: 0,
        }
    }

    /// The member named `key`; when it repeats, the last one wins
    /// (RFC 9651 section 4.2.2).
    pub fn get(&self, key: &str) -> Option<Member<'a>> {
        let mut found = None;
        for (k, m) in self.iter() {
            if same_key(k.as_bytes(), key.as_bytes()) {
                found = Some(m);
            }
        }
        found
    }

    /// True when `key` names a member.
    pub fn contains_key(&self, key: &str) -> bool {
        self.iter()
            .any(|(k, _)| same_key(k.as_bytes(), key.as_bytes()))
    }

    /// True for an empty (or all-SP) field value.
    pub const fn is_empty(&self) -> bool {
        self.raw.is_empty()
    }
}

impl<'a> Dictionary<'a> {
    /// The checked field value, leading SP removed.
    pub fn as_str(&self) -> &'a str {
        checked_text(self.raw)
    }
}

impl fmt::Debug for Dictionary<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Dictionary")
            .field("raw", &self.as_str())
            .finish()
    }
}

impl<'a> IntoIterator for Dictionary<'a> {
    type Item = (&'a str, Member<'a>);
    type IntoIter = DictionaryIter<'a>;

    fn into_iter(self) -> DictionaryIter<'a> {
        self.iter()
    }
}

impl<'a> IntoIterator for &Dictionary<'a> {
    type Item = (&'a str, Member<'a>);
    type IntoIter = DictionaryIter<'a>;

    fn into_iter(self) -> DictionaryIter<'a> {
        self.iter()
    }
}

/// The members of [`Dictionary::iter`], in order.
#[derive(Clone, Debug)]
pub struct DictionaryIter<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Iterator for DictionaryIter<'a> {
    type Item = (&'a str, Member<'a>);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.text.len() {
            return None;
        }
        let (found, end) = read_dict_member(self.text, self.pos);
        let next = next_member(self.text.as_bytes(), end);
        // Checked text always moves forward; stop rather than loop if it did not.
        self.pos = if next > self.pos {
            next
        } else {
            self.text.len()
        };
        Some(found)
    }
}

/// Checks one `key[=member]` or `key;params` at `i` (RFC 9651 section 4.2.2).
#[inline(always)]
fn check_dict_member(b: &[u8], i: usize) -> Result<usize, Error> {
    let i = check_key(b, i)?;
    if at(b, i) == Some(b'=') {
        check_member(b, i.wrapping_add(1))
    } else {
        check_parameters(b, i)
    }
}

/// Reads one member already checked by [`check_dict_member`].
#[inline(always)]
fn read_dict_member(text: &str, i: usize) -> ((&str, Member<'_>), usize) {
    let b = text.as_bytes();
    let end = key_end(b, i);
    let key = span(text, i, end);
    if at(b, end) == Some(b'=') {
        let (member, end) = read_member(text, end.wrapping_add(1));
        ((key, member), end)
    } else {
        let (params, end) = read_parameters(text, end);
        let bare = BareItem::Boolean(true);
        ((key, Member::Item(Item { bare, params })), end)
    }
}

/// Parses and validates a whole field value as a Dictionary (RFC 9651 section 4.2
/// with field type "dictionary"). An empty or all-SP value is an empty Dictionary.
///
/// ```
/// # use ratelimit_governor::sf::{parse_dictionary, BareItem};
/// let dict = parse_dictionary(b"limit=100, remaining=50, reset=5").unwrap();
/// let limit = dict.get("limit").and_then(|m| m.as_item()).map(|i| i.bare);
/// assert_eq!(limit, Some(BareItem::Integer(100)));
/// assert!(parse_dictionary(br#""default";r=50;t=30"#).is_err());
/// ```
pub fn parse_dictionary(input: &[u8]) -> Result<Dictionary<'_>, Error> {
    let b = input;
    let start = skip_sp(b, 0);
    if start < b.len() {
        let mut i = start;
        loop {
            i = check_dict_member(b, i)?;
            match check_separator(b, i)? {
                Some(next) => i = next,
                None => break,
            }
        }
    }
    Ok(Dictionary {
        raw: b.get(start..).unwrap_or(&[]),
    })
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use crate::sf::ErrorKind;
    use crate::sf::error::Case;
    use std::vec::Vec;

    fn keys(input: &str) -> Result<Vec<&str>, (ErrorKind, usize)> {
        parse_dictionary(input.as_bytes())
            .map(|d| d.iter().map(|(k, _)| k).collect())
            .map_err(|e| (e.kind, e.offset))
    }

    #[test]
    fn dictionaries_follow_section_4_2_2() {
        use ErrorKind::*;
        #[rustfmt::skip]
        let cases: &[Case<&[&str]>] = &[
            ("empty field is empty dictionary", "",                       Ok(&[])),
            ("all spaces",                      "  ",                     Ok(&[])),
            ("one member",                      "a=1",                    Ok(&["a"])),
            ("boolean member",                  "a",                      Ok(&["a"])),
            ("boolean member with params",      "a;x=1, b",               Ok(&["a", "b"])),
            ("inner list value",                "a=(1 2), b=3",           Ok(&["a", "b"])),
            ("duplicates in order",             "a=1, b=2, a=3",          Ok(&["a", "b", "a"])),
            ("tabs around commas",              "a=1\t,\tb=2",            Ok(&["a", "b"])),
            ("trailing spaces",                 "a=1, b=2   ",            Ok(&["a", "b"])),
            ("trailing comma",                  "a=1, b=2,",              Err((TrailingComma, 8))),
            ("space before equals",             "a =1",                   Err((ExpectedComma, 2))),
            ("space after equals",              "a= 1",                   Err((UnexpectedCharacter, 2))),
            ("equals without value",            "a=",                     Err((UnexpectedEnd, 2))),
            ("uppercase key",                   "A=1",                    Err((InvalidKey, 0))),
            ("uppercase inside key",            "aB=1",                   Err((InvalidKey, 1))),
            ("list is not a dictionary",        "\"default\";r=50;t=30",  Err((InvalidKey, 0))),
            ("missing comma",                   "a=1 b=2",                Err((ExpectedComma, 4))),
        ];
        for (rule, input, expected) in cases {
            assert_eq!(keys(input), expected.map(|e| e.to_vec()), "{rule}");
        }
    }

    #[test]
    fn get_takes_last_member_and_bare_keys_are_true() {
        let d = parse_dictionary(b"a=1, b;x=2, a=3").unwrap();
        let a = d.get("a").unwrap().as_item().unwrap();
        assert_eq!(a.bare, BareItem::Integer(3));
        let b = d.get("b").unwrap().as_item().unwrap();
        assert_eq!(b.bare, BareItem::Boolean(true));
        assert_eq!(b.params.get("x"), Some(BareItem::Integer(2)));
        assert!(d.contains_key("b"));
        assert!(!d.contains_key("c"));
        assert_eq!(d.get("c"), None);
        assert!(!d.is_empty());
        assert_eq!((&d).into_iter().count(), 3);
        assert_eq!(d.into_iter().count(), 3);
    }
}
