//! Parameters of an Item or Inner List (RFC 9651 sections 3.1.2 and 4.2.3.2).
//!
//! `parameters = *( ";" *SP key [ "=" bare-item ] )`. A key without a value is
//! Boolean true, and when a key repeats "all but the last instance are ignored".
//! The reader keeps the validated text and walks it again on demand. While
//! finding where the parameters end (or, for the first members of a List, while
//! validating them), it notes where the first few keys start, so that
//! [`Parameters::get`] on a typical item (`;q=100;w=60`) goes straight to the keys;
//! for a one-byte key it then reads key, `=` and a short Integer as one word.

use core::fmt;
use core::hash::{Hash, Hasher};

use super::bare_item::{BareItem, check_bare_item, read_bare_item, skip_bare_item};
use super::bytes::{at, is_key_char, is_value_char, skip_sp, skip_while, span};
use super::display_string::read_display_string;
use super::error::Error;
use super::fast::{checked_unsigned_integer, checked_unsigned_integer_in, word_at};
use super::key::{check_key, key_end};
use super::string::read_string;
use super::text::checked_text;

/// How many parameter positions [`KeyIndex`] remembers.
const NOTED: usize = 4;
/// [`KeyIndex::noted`] when there are more parameters than [`NOTED`], or one
/// starts too far in to note.
const NOT_ALL_NOTED: u8 = u8::MAX;

/// Where the keys of the first few parameters start, noted while the parameters
/// are checked or their end is found, so that [`Parameters::get`] can go straight
/// to them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct KeyIndex {
    /// Offsets from the first `;` of the keys of the first parameters, one per
    /// byte, the first in the lowest byte.
    starts: u32,
    /// How many of `starts` are set, or [`NOT_ALL_NOTED`].
    noted: u8,
    /// Whether any value is quoted (a String or Display String), which may hide
    /// `;` and key-like text from a plain scan.
    quoted: bool,
}

impl KeyIndex {
    /// Notes a key starting `offset` bytes after the first `;`.
    #[inline(always)]
    pub(crate) fn note(&mut self, offset: usize) {
        let n = self.noted;
        if usize::from(n) < NOTED && offset <= 0xFF {
            // Fits: `offset` is at most 0xFF and `n` at most 3.
            self.starts |= (offset as u32).wrapping_shl(u32::from(n).wrapping_mul(8));
            self.noted = n.wrapping_add(1);
        } else {
            self.noted = NOT_ALL_NOTED;
        }
    }

    /// Notes that some value is quoted.
    #[inline(always)]
    pub(crate) fn note_quoted(&mut self) {
        self.quoted = true;
    }

    /// [`Parameters::get`] for a one-byte `key` in checked parameters `b`,
    /// reading each noted parameter a word at a time: `Some` with the answer (the
    /// last occurrence's value, or `None` when the key is absent), or `None` when
    /// the general search must decide (not all keys noted, a value other than a
    /// short unsigned Integer, or `b` shorter than a word).
    #[inline(always)]
    fn find_short<'a>(&self, b: &'a [u8], key: u8) -> Option<Option<BareItem<'a>>> {
        if usize::from(self.noted) > NOTED {
            return None;
        }
        let mut n = self.noted;
        while n > 0 {
            n = n.wrapping_sub(1);
            let start = (self.starts.wrapping_shr(u32::from(n).wrapping_mul(8)) & 0xFF) as usize;
            if at(b, start) != Some(key) {
                continue;
            }
            let word = word_at(b, start)?;
            match word.wrapping_shr(8) as u8 {
                b'=' => {
                    // Six bytes of the word follow `k=`.
                    let value = checked_unsigned_integer_in(word.wrapping_shr(16), 6)?;
                    return Some(Some(BareItem::Integer(value)));
                }
                c if is_key_char(c) => {}
                _ => return Some(Some(BareItem::Boolean(true))),
            }
        }
        Some(None)
    }

    /// In checked parameters `b`, the index just past the last noted key equal
    /// to `key`; `None` when none is. Only meaningful when all keys are noted.
    #[inline(always)]
    fn find(&self, b: &[u8], key: &[u8]) -> Option<usize> {
        let mut n = self.noted;
        while n > 0 {
            n = n.wrapping_sub(1);
            let start = self.starts.wrapping_shr(u32::from(n).wrapping_mul(8)) & 0xFF;
            let start = start as usize;
            if key_at(b, start, key) {
                return Some(start.wrapping_add(key.len()));
            }
        }
        None
    }
}

/// The parameters of an Item or Inner List: validated text, read on demand.
///
/// Equality compares the text as sent.
#[derive(Clone, Copy, Default)]
pub struct Parameters<'a> {
    raw: &'a str,
    keys: KeyIndex,
}

impl PartialEq for Parameters<'_> {
    fn eq(&self, other: &Self) -> bool {
        // The key index is derived from the text.
        self.raw == other.raw
    }
}

impl Eq for Parameters<'_> {}

impl Hash for Parameters<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.raw.hash(state);
    }
}

impl<'a> Parameters<'a> {
    /// Parameters whose checked text is `raw` and whose keys `keys` noted.
    #[inline(always)]
    pub(crate) const fn noted(raw: &'a str, keys: KeyIndex) -> Self {
        Parameters { raw, keys }
    }

    /// Every parameter in order, duplicates included; a key without a value
    /// comes with `BareItem::Boolean(true)`.
    pub fn iter(&self) -> ParametersIter<'a> {
        ParametersIter {
            text: self.raw,
            pos: 0,
        }
    }

    /// The value of `key`; when it repeats, the last occurrence wins
    /// (RFC 9651 section 4.2.3.2).
    #[inline(always)]
    pub fn get(&self, key: &str) -> Option<BareItem<'a>> {
        let (b, key) = (self.raw.as_bytes(), key.as_bytes());
        let keys = &self.keys;
        if let [key] = key {
            if let Some(found) = keys.find_short(b, *key) {
                return found;
            }
        }
        let end_of_key = if usize::from(keys.noted) <= NOTED {
            keys.find(b, key)
        } else if keys.quoted {
            last_key_end_forward(b, key)
        } else {
            last_key_end(b, key)
        }?;
        Some(value_after_key(self.raw, end_of_key))
    }

    /// What was noted about the keys.
    #[cfg(test)]
    pub(crate) const fn key_index(&self) -> KeyIndex {
        self.keys
    }

    /// True when there are no parameters.
    pub const fn is_empty(&self) -> bool {
        self.raw.is_empty()
    }

    /// The validated text, from the first `;` to the end of the last parameter.
    pub const fn as_str(&self) -> &'a str {
        self.raw
    }
}

impl fmt::Debug for Parameters<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Parameters").field(&self.raw).finish()
    }
}

/// Key equality without a call into `memcmp` (keys are short).
#[inline(always)]
pub(crate) fn same_key(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

/// The value of the parameter whose key ends at `end_of_key`: the bare item after
/// `=`, or Boolean true without one. Short unsigned Integers, the usual case, are
/// read in line; anything else goes to the general reader.
#[inline(always)]
fn value_after_key(text: &str, end_of_key: usize) -> BareItem<'_> {
    let b = text.as_bytes();
    if at(b, end_of_key) != Some(b'=') {
        return BareItem::Boolean(true);
    }
    let value = end_of_key.wrapping_add(1);
    match checked_unsigned_integer(b, value) {
        Some(v) => BareItem::Integer(v),
        None => read_value(text, value),
    }
}

/// The bare item at `i` in checked text, out of line.
#[inline(never)]
fn read_value(text: &str, i: usize) -> BareItem<'_> {
    read_bare_item(text, i).0
}

/// In checked parameters `b`, true when the key starting at `start` is `key`.
#[inline(always)]
fn key_at(b: &[u8], start: usize, key: &[u8]) -> bool {
    let end = start.wrapping_add(key.len());
    at(b, start) == key.first().copied()
        && b.get(start..end).is_some_and(|found| same_key(found, key))
        && !at(b, end).is_some_and(is_key_char)
}

/// In checked parameters `b` without quoted values, the index just past the last
/// occurrence of `key`. There every `;` starts a parameter, so the search runs
/// from the end and stops at the first match.
#[inline(never)]
fn last_key_end(b: &[u8], key: &[u8]) -> Option<usize> {
    let mut end = b.len();
    while let Some(semicolon) = b.get(..end)?.iter().rposition(|&c| c == b';') {
        let start = skip_sp(b, semicolon.wrapping_add(1));
        if key_at(b, start, key) {
            return Some(start.wrapping_add(key.len()));
        }
        end = semicolon;
    }
    None
}

/// In any checked parameters `b`, the index just past the last occurrence of
/// `key`, found by walking every parameter from the start.
#[inline(never)]
fn last_key_end_forward(b: &[u8], key: &[u8]) -> Option<usize> {
    let text = checked_text(b);
    let mut last = None;
    let mut i = 0;
    while at(b, i) == Some(b';') {
        let start = skip_sp(b, i.wrapping_add(1));
        i = key_end(b, start);
        if same_key(b.get(start..i).unwrap_or(&[]), key) {
            last = Some(i);
        }
        if at(b, i) == Some(b'=') {
            i = skip_bare_item(text, i.wrapping_add(1));
        }
    }
    last
}

impl<'a> IntoIterator for Parameters<'a> {
    type Item = (&'a str, BareItem<'a>);
    type IntoIter = ParametersIter<'a>;

    fn into_iter(self) -> ParametersIter<'a> {
        self.iter()
    }
}

/// The parameters of [`Parameters::iter`], in order.
#[derive(Clone, Debug)]
pub struct ParametersIter<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Iterator for ParametersIter<'a> {
    type Item = (&'a str, BareItem<'a>);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        let (found, end) = read_parameter(self.text, self.pos)?;
        self.pos = end;
        Some(found)
    }
}

/// Reads one already checked `;` *SP key [ `=` bare-item ] at `i`, if there is one.
#[inline(always)]
fn read_parameter(text: &str, i: usize) -> Option<((&str, BareItem<'_>), usize)> {
    let b = text.as_bytes();
    if at(b, i) != Some(b';') {
        return None;
    }
    let start = skip_sp(b, i.wrapping_add(1));
    let end = key_end(b, start);
    let key = span(text, start, end);
    if at(b, end) == Some(b'=') {
        let (value, end) = read_bare_item(text, end.wrapping_add(1));
        Some(((key, value), end))
    } else {
        Some(((key, BareItem::Boolean(true)), end))
    }
}

/// Checks parameters starting at `i` (RFC 9651 section 4.2.3.2) and returns the
/// index just past them.
#[inline(always)]
pub(crate) fn check_parameters(b: &[u8], i: usize) -> Result<usize, Error> {
    check_parameters_noting(b, i, &mut KeyIndex::default())
}

/// [`check_parameters`], noting in `keys` what [`read_parameters`] would.
#[inline(always)]
pub(crate) fn check_parameters_noting(
    b: &[u8],
    start: usize,
    keys: &mut KeyIndex,
) -> Result<usize, Error> {
    let mut i = start;
    while at(b, i) == Some(b';') {
        let key = skip_sp(b, i.wrapping_add(1));
        keys.note(key.wrapping_sub(start));
        i = check_key(b, key)?;
        if at(b, i) == Some(b'=') {
            let value = i.wrapping_add(1);
            if matches!(at(b, value), Some(b'"' | b'%')) {
                keys.quoted = true;
            }
            i = check_bare_item(b, value)?;
        }
    }
    Ok(i)
}

/// Reads parameters already checked by [`check_parameters`] starting at `i`:
/// finds where they end, skipping values without decoding them, and notes where
/// the keys of the first [`NOTED`] of them start.
///
/// Outside quoted values, a parameter after its `;` and SP is one run of
/// [`is_value_char`] bytes (key characters, `=` and unquoted values all are), and
/// no byte that can follow parameters is one; a quoted value is jumped over whole.
#[inline(always)]
pub(crate) fn read_parameters(text: &str, i: usize) -> (Parameters<'_>, usize) {
    let b = text.as_bytes();
    let mut keys = KeyIndex::default();
    let mut j = i;
    while at(b, j) == Some(b';') {
        j = skip_sp(b, j.wrapping_add(1));
        keys.note(j.wrapping_sub(i));
        // Key, `=` and any unquoted value are one run of value bytes, which ends
        // at the next `;`, at the end of the parameters, or at a quoted value.
        j = skip_while(b, j, is_value_char);
        if at(b, j) == Some(b'"') {
            keys.quoted = true;
            j = if at(b, j.wrapping_sub(1)) == Some(b'%') {
                read_display_string(text, j.wrapping_sub(1)).1
            } else {
                read_string(text, j).1
            };
        }
    }
    let raw = span(text, i, j);
    (Parameters { raw, keys }, j)
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use crate::sf::ErrorKind;
    use crate::sf::error::Case;
    use std::vec::Vec;

    fn params(s: &str) -> Result<(Parameters<'_>, usize), (ErrorKind, usize)> {
        let end = check_parameters(s.as_bytes(), 0).map_err(|e| (e.kind, e.offset))?;
        let (p, read_end) = read_parameters(s, 0);
        assert_eq!(read_end, end, "{s}");
        Ok((p, end))
    }

    #[test]
    fn parameters_follow_section_4_2_3_2() {
        use BareItem::*;
        use ErrorKind::*;
        #[rustfmt::skip]
        let cases: &[Case<&[(&str, BareItem<'static>)]>] = &[
            ("none",                         "",              Ok(&[])),
            ("stops before space",           " ;a=1",         Ok(&[])),
            ("one integer",                  ";q=5",          Ok(&[("q", Integer(5))])),
            ("missing value is true",        ";a;b=?0",       Ok(&[("a", Boolean(true)), ("b", Boolean(false))])),
            ("space after semicolon",        "; q=5; w=7200", Ok(&[("q", Integer(5)), ("w", Integer(7200))])),
            ("duplicates kept in order",     ";r=50;r=7",     Ok(&[("r", Integer(50)), ("r", Integer(7))])),
            ("uppercase key fails",          ";R=50",         Err((InvalidKey, 1))),
            ("semicolon at end fails",       ";",             Err((UnexpectedEnd, 1))),
            ("equals without value fails",   ";a=",           Err((UnexpectedEnd, 3))),
            ("space after equals fails",     ";a= 1",         Err((UnexpectedCharacter, 3))),
            ("bad value fails",              ";a=?x",         Err((InvalidBoolean, 4))),
        ];
        for (rule, input, expected) in cases {
            let got = params(input).map(|(p, _)| p.iter().collect::<Vec<_>>());
            let expected = expected.map(|e| e.to_vec());
            assert_eq!(got, expected, "{rule}");
        }
    }

    #[test]
    fn get_finds_the_last_occurrence_with_and_without_quotes() {
        use BareItem::*;
        #[rustfmt::skip]
        let cases: &[(&str, &str, &str, Option<BareItem<'static>>)] = &[
            ("only key",                     ";q=1",                     "q",  Some(Integer(1))),
            ("last of two",                  ";q=1;w=2;q=3",             "q",  Some(Integer(3))),
            ("prefix is not the key",        ";qu=1",                    "q",  None),
            ("key is not a prefix",          ";q=1",                     "qu", None),
            ("bare key is true",             ";a;b=2",                   "a",  Some(Boolean(true))),
            ("space after semicolon",        "; q=5; w=7200",            "w",  Some(Integer(7200))),
            ("key text inside a string",     ";a=\";q=9\";q=1",          "q",  Some(Integer(1))),
            ("only inside a string",         ";a=\";q=9\"",              "q",  None),
            ("string after the match",       ";q=1;a=\";q=9\"",          "q",  Some(Integer(1))),
            ("display string",               ";a=%\";q=9\";q=2",         "q",  Some(Integer(2))),
            ("byte sequence value",          ";b=:aGk=:;q=4",            "q",  Some(Integer(4))),
            ("missing",                      ";a=1",                     "z",  None),
            ("many, last wins",              ";q=1;a;b;c;d;q=6;e",       "q",  Some(Integer(6))),
            ("many, first only",             ";q=1;a;b;c;d;e",           "q",  Some(Integer(1))),
            ("many, quoted",                 ";q=1;a=\";q=9\";b;c;d;q=2", "q", Some(Integer(2))),
            ("many, quoted, first only",     ";q=1;a=\";q=9\";b;c;d",    "q",  Some(Integer(1))),
            ("many, missing",                ";a;b;c;d;e",               "q",  None),
            ("five digits",                  ";q=12345;w=1",             "q",  Some(Integer(12345))),
            ("six digits",                   ";q=123456;w=1",            "q",  Some(Integer(123_456))),
            ("seven digits",                 ";w=1;q=1234567",           "q",  Some(Integer(1_234_567))),
            ("fifteen digits",               ";q=999999999999999;w=1",   "q",  Some(Integer(999_999_999_999_999))),
            ("decimal",                      ";q=1.5;w=1",               "q",  Some(Decimal(super::super::Decimal::from_milli(1500)))),
            ("negative",                     ";q=-5;w=1",                "q",  Some(Integer(-5))),
            ("token value",                  ";q=abc;w=1",               "q",  Some(Token("abc"))),
            ("bare key before others",       ";q;w=12345",               "q",  Some(Boolean(true))),
            ("bare key at the end",          ";w=12345;q",               "q",  Some(Boolean(true))),
            ("longer key starting alike",    ";qq=1;w=12345",            "q",  None),
            ("longer key, then the key",     ";qq=1;q=2;w=12345",        "q",  Some(Integer(2))),
            ("boolean value",                ";q=?0;w=12345",            "q",  Some(Boolean(false))),
            ("short parameters",             ";q=7",                     "q",  Some(Integer(7))),
        ];
        for (rule, input, key, expected) in cases {
            let (p, _) = params(input).unwrap();
            assert_eq!(p.get(key), *expected, "{rule}");
            let by_iter = p.iter().filter(|(k, _)| k == key).last().map(|(_, v)| v);
            assert_eq!(by_iter, *expected, "{rule}: iter");
        }
    }

    #[test]
    fn get_takes_the_last_occurrence() {
        let (p, end) = params(";r=50;r=7;t=30,next").unwrap();
        assert_eq!(end, 14);
        assert_eq!(p.get("r"), Some(BareItem::Integer(7)));
        assert_eq!(p.get("t"), Some(BareItem::Integer(30)));
        assert_eq!(p.get("x"), None);
        assert!(!p.is_empty());
        assert_eq!(p.as_str(), ";r=50;r=7;t=30");
        assert!(params("").unwrap().0.is_empty());
    }
}
