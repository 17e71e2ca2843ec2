//! Parameters of an Item or Inner List (RFC 9651 sections 3.1.2 and 4.2.3.2).
//!
//! `parameters = *( ";" *SP key [ "=" bare-item ] )`. A key without a value is
//! Boolean true, and when a key repeats "all but the last instance are ignored".
//! The reader keeps the validated text and walks it again on demand.

use super::bare_item::{BareItem, check_bare_item, read_bare_item, skip_bare_item};
use super::bytes::{at, skip_sp, span};
use super::error::Error;
use super::key::{check_key, key_end};

/// The parameters of an Item or Inner List: validated text, read on demand.
///
/// Equality compares the text as sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Parameters<'a> {
    raw: &'a str,
}

impl<'a> Parameters<'a> {
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
    pub fn get(&self, key: &str) -> Option<BareItem<'a>> {
        let (text, b) = (self.raw, self.raw.as_bytes());
        let mut found = None;
        let mut i = 0;
        while at(b, i) == Some(b';') {
            let start = skip_sp(b, i.wrapping_add(1));
            let end = key_end(b, start);
            let matched = same_key(span(text, start, end), key);
            i = if at(b, end) != Some(b'=') {
                if matched {
                    found = Some(BareItem::Boolean(true));
                }
                end
            } else if matched {
                let (value, next) = read_bare_item(text, end.wrapping_add(1));
                found = Some(value);
                next
            } else {
                skip_bare_item(text, end.wrapping_add(1))
            };
        }
        found
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

/// Key equality without a call into `memcmp` (keys are short).
#[inline(always)]
pub(crate) fn same_key(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(x, y)| x == y)
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
pub(crate) fn check_parameters(b: &[u8], mut i: usize) -> Result<usize, Error> {
    while at(b, i) == Some(b';') {
        i = check_key(b, skip_sp(b, i.wrapping_add(1)))?;
        if at(b, i) == Some(b'=') {
            i = check_bare_item(b, i.wrapping_add(1))?;
        }
    }
    Ok(i)
}

/// Reads parameters already checked by [`check_parameters`] starting at `i`,
/// skipping over their values without decoding them.
#[inline(always)]
pub(crate) fn read_parameters(text: &str, i: usize) -> (Parameters<'_>, usize) {
    let b = text.as_bytes();
    let mut end = i;
    while at(b, end) == Some(b';') {
        end = key_end(b, skip_sp(b, end.wrapping_add(1)));
        if at(b, end) == Some(b'=') {
            end = skip_bare_item(text, end.wrapping_add(1));
        }
    }
    (
        Parameters {
            raw: span(text, i, end),
        },
        end,
    )
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
