//! Parameters of an Item or Inner List (RFC 9651 sections 3.1.2 and 4.2.3.2).
//!
//! `parameters = *( ";" *SP key [ "=" bare-item ] )`. A key without a value is
//! Boolean true, and when a key repeats "all but the last instance are ignored".
//! The reader keeps the validated text and walks it again on demand.

use super::bare_item::{BareItem, parse_bare_item};
use super::cursor::Cursor;
use super::error::Error;
use super::key::parse_key;

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
            cursor: Cursor::new(self.raw),
        }
    }

    /// The value of `key`; when it repeats, the last occurrence wins
    /// (RFC 9651 section 4.2.3.2).
    pub fn get(&self, key: &str) -> Option<BareItem<'a>> {
        self.iter()
            .filter(|(k, _)| *k == key)
            .last()
            .map(|(_, v)| v)
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
    cursor: Cursor<'a>,
}

impl<'a> Iterator for ParametersIter<'a> {
    type Item = (&'a str, BareItem<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        match next_parameter(&mut self.cursor) {
            Ok(found) => found,
            Err(_) => {
                self.cursor.finish();
                None
            }
        }
    }
}

/// Reads one `;` key [ `=` bare-item ] if the cursor is on `;`.
#[inline(always)]
fn next_parameter<'a>(c: &mut Cursor<'a>) -> Result<Option<(&'a str, BareItem<'a>)>, Error> {
    if !c.eat(b';') {
        return Ok(None);
    }
    c.skip_sp();
    let key = parse_key(c)?;
    let value = if c.eat(b'=') {
        parse_bare_item(c)?
    } else {
        BareItem::Boolean(true)
    };
    Ok(Some((key, value)))
}

/// Parses and validates parameters at the cursor (RFC 9651 section 4.2.3.2).
#[inline(always)]
pub(crate) fn parse_parameters<'a>(c: &mut Cursor<'a>) -> Result<Parameters<'a>, Error> {
    let start = c.pos();
    while next_parameter(c)?.is_some() {}
    Ok(Parameters {
        raw: c.since(start),
    })
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use crate::sf::ErrorKind;
    use crate::sf::error::Case;
    use std::vec::Vec;

    fn params(s: &str) -> Result<(Parameters<'_>, usize), (ErrorKind, usize)> {
        let mut c = Cursor::new(s);
        parse_parameters(&mut c)
            .map(|p| (p, c.pos()))
            .map_err(|e| (e.kind, e.offset))
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
