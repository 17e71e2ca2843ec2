//! Bare items: the eight value types and how the first byte picks one
//! (RFC 9651 sections 3.3 and 4.2.3.1), plus the two small ones that need no
//! file of their own, Booleans (section 4.2.8) and Dates (section 4.2.9).

use super::byte_sequence::{check_byte_sequence, read_byte_sequence};
use super::bytes::{at, is_token_start, is_value_char, skip_while, span};
use super::display_string::{check_display_string, read_display_string};
use super::error::{Error, ErrorKind, fail};
use super::number::{Decimal, Number, parse_number, read_number};
use super::string::{SfString, check_string, read_string};
use super::token::{check_token, token_end};

/// One Structured Field value without its parameters (RFC 9651 section 3.3).
/// Text-like variants borrow the field value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BareItem<'a> {
    /// An Integer, between -999,999,999,999,999 and 999,999,999,999,999.
    Integer(i64),
    /// A Decimal with at most 12 integer and 3 fraction digits.
    Decimal(Decimal),
    /// A String, escapes still in the raw text.
    String(SfString<'a>),
    /// A Token such as `burst` or `text/html`.
    Token(&'a str),
    /// A Byte Sequence: the base64 text between the colons (see
    /// [`decode_base64`](super::decode_base64)).
    ByteSequence(&'a str),
    /// A Boolean (`?1` or `?0`).
    Boolean(bool),
    /// A Date: seconds since the Unix epoch (`@1659578233`).
    Date(i64),
    /// A Display String: the raw text between the quotes, `%xx` escapes kept (see
    /// [`decode_display_string`](super::decode_display_string)).
    DisplayString(&'a str),
}

impl<'a> BareItem<'a> {
    /// The Integer value, if this is an Integer.
    pub const fn as_integer(&self) -> Option<i64> {
        match *self {
            BareItem::Integer(v) => Some(v),
            _ => None,
        }
    }

    /// The Decimal value, if this is a Decimal.
    pub const fn as_decimal(&self) -> Option<Decimal> {
        match *self {
            BareItem::Decimal(v) => Some(v),
            _ => None,
        }
    }

    /// The String, if this is a String.
    pub const fn as_string(&self) -> Option<SfString<'a>> {
        match *self {
            BareItem::String(v) => Some(v),
            _ => None,
        }
    }

    /// The Token text, if this is a Token.
    pub const fn as_token(&self) -> Option<&'a str> {
        match *self {
            BareItem::Token(v) => Some(v),
            _ => None,
        }
    }

    /// The base64 text, if this is a Byte Sequence.
    pub const fn as_byte_sequence(&self) -> Option<&'a str> {
        match *self {
            BareItem::ByteSequence(v) => Some(v),
            _ => None,
        }
    }

    /// The Boolean value, if this is a Boolean.
    pub const fn as_bool(&self) -> Option<bool> {
        match *self {
            BareItem::Boolean(v) => Some(v),
            _ => None,
        }
    }

    /// The seconds since the epoch, if this is a Date.
    pub const fn as_date(&self) -> Option<i64> {
        match *self {
            BareItem::Date(v) => Some(v),
            _ => None,
        }
    }

    /// The raw text, if this is a Display String.
    pub const fn as_display_string(&self) -> Option<&'a str> {
        match *self {
            BareItem::DisplayString(v) => Some(v),
            _ => None,
        }
    }
}

/// Checks a bare item starting at `i` (RFC 9651 section 4.2.3.1) and returns the
/// index just past it.
#[inline(always)]
pub(crate) fn check_bare_item(b: &[u8], i: usize) -> Result<usize, Error> {
    match at(b, i) {
        Some(b'-' | b'0'..=b'9') => parse_number(b, i).map(|(_, end)| end),
        Some(b'"') => check_string(b, i),
        Some(c) if is_token_start(c) => check_token(b, i),
        Some(b':') => check_byte_sequence(b, i),
        Some(b'?') => parse_boolean(b, i).map(|(_, end)| end),
        Some(b'@') => parse_date(b, i).map(|(_, end)| end),
        Some(b'%') => check_display_string(b, i),
        Some(_) => fail(b, i, ErrorKind::UnexpectedCharacter),
        None => fail(b, i, ErrorKind::UnexpectedEnd),
    }
}

/// Reads a bare item already checked by [`check_bare_item`] and returns it with
/// the index just past it. On text that was not checked it returns some value
/// without panicking.
///
/// Strings, Tokens and Integers are read in line; the other types out of line.
#[inline(always)]
pub(crate) fn read_bare_item(text: &str, i: usize) -> (BareItem<'_>, usize) {
    let b = text.as_bytes();
    match at(b, i) {
        Some(b'"') => {
            let (s, end) = read_string(text, i);
            (BareItem::String(s), end)
        }
        Some(c) if is_token_start(c) => {
            let end = token_end(b, i);
            (BareItem::Token(span(text, i, end)), end)
        }
        Some(b'0'..=b'9') => match read_number(b, i) {
            (Number::Integer(v), end) => (BareItem::Integer(v), end),
            (Number::Decimal(v), end) => (BareItem::Decimal(v), end),
        },
        _ => read_other_bare_item(text, i),
    }
}

/// [`read_bare_item`] for the types it does not read in line.
#[inline(never)]
fn read_other_bare_item(text: &str, i: usize) -> (BareItem<'_>, usize) {
    let b = text.as_bytes();
    let next = i.wrapping_add(1);
    match at(b, i) {
        Some(b'"') => {
            let (s, end) = read_string(text, i);
            (BareItem::String(s), end)
        }
        Some(c) if is_token_start(c) => {
            let end = token_end(b, i);
            (BareItem::Token(span(text, i, end)), end)
        }
        Some(b'-' | b'0'..=b'9') => match read_number(b, i) {
            (Number::Integer(v), end) => (BareItem::Integer(v), end),
            (Number::Decimal(v), end) => (BareItem::Decimal(v), end),
        },
        Some(b':') => {
            let (b64, end) = read_byte_sequence(text, i);
            (BareItem::ByteSequence(b64), end)
        }
        Some(b'?') => (
            BareItem::Boolean(at(b, next) == Some(b'1')),
            next.wrapping_add(1),
        ),
        Some(b'@') => match read_number(b, next) {
            (Number::Integer(v), end) => (BareItem::Date(v), end),
            (Number::Decimal(_), end) => (BareItem::Date(0), end),
        },
        Some(b'%') => {
            let (raw, end) = read_display_string(text, i);
            (BareItem::DisplayString(raw), end)
        }
        _ => (BareItem::Boolean(false), next),
    }
}

/// In checked text, the index just past the bare item starting at `i`, found
/// without decoding it: quoted items run to their closing quote, and every other
/// item runs to the first byte that is not [`is_value_char`].
#[inline(always)]
pub(crate) fn skip_bare_item(text: &str, i: usize) -> usize {
    let b = text.as_bytes();
    match at(b, i) {
        Some(b'"') => read_string(text, i).1,
        Some(b'%') => read_display_string(text, i).1,
        _ => skip_while(b, i, is_value_char),
    }
}

/// Parses `?0` or `?1` (RFC 9651 section 4.2.8) starting at the `?`.
#[inline(always)]
fn parse_boolean(b: &[u8], i: usize) -> Result<(bool, usize), Error> {
    let digit = i.wrapping_add(1);
    let end = digit.wrapping_add(1);
    match at(b, digit) {
        Some(b'1') => Ok((true, end)),
        Some(b'0') => Ok((false, end)),
        _ => fail(b, digit, ErrorKind::InvalidBoolean),
    }
}

/// Parses `@` followed by an Integer (RFC 9651 section 4.2.9) starting at the `@`.
fn parse_date(b: &[u8], i: usize) -> Result<(i64, usize), Error> {
    let start = i.wrapping_add(1);
    if !matches!(at(b, start), Some(b'-' | b'0'..=b'9')) {
        return fail(b, start, ErrorKind::InvalidDate);
    }
    match parse_number(b, start)? {
        (Number::Integer(v), end) => Ok((v, end)),
        (Number::Decimal(_), _) => fail(b, i, ErrorKind::InvalidDate),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sf::error::Case;

    #[test]
    fn bare_items_follow_section_4_2_3_1() {
        use BareItem::*;
        use ErrorKind::*;
        #[rustfmt::skip]
        let cases: &[Case<BareItem<'static>>] = &[
            ("integer",                     "42",            Ok(Integer(42))),
            ("negative integer",            "-42",           Ok(Integer(-42))),
            ("decimal",                     "4.5",           Ok(Decimal(super::Decimal::from_milli(4500)))),
            ("token",                       "foo123/456",    Ok(Token("foo123/456"))),
            ("star token",                  "*",             Ok(Token("*"))),
            ("byte sequence",               ":aGk=:",        Ok(ByteSequence("aGk="))),
            ("true",                        "?1",            Ok(Boolean(true))),
            ("false",                       "?0",            Ok(Boolean(false))),
            ("date",                        "@1659578233",   Ok(Date(1_659_578_233))),
            ("negative date",               "@-1",           Ok(Date(-1))),
            ("display string",              r#"%"x""#,       Ok(DisplayString("x"))),
            ("boolean other digit",         "?2",            Err((InvalidBoolean, 1))),
            ("boolean missing",             "?",             Err((InvalidBoolean, 1))),
            ("boolean word",                "?true",         Err((InvalidBoolean, 1))),
            ("date decimal",                "@1.5",          Err((InvalidDate, 0))),
            ("date without integer",        "@a",            Err((InvalidDate, 1))),
            ("date integer too long",       "@1000000000000000", Err((IntegerTooLong, 16))),
            ("apostrophe starts nothing",   "'a'",           Err((UnexpectedCharacter, 0))),
            ("open paren is not bare",      "(1)",           Err((UnexpectedCharacter, 0))),
            ("nothing",                     "",              Err((UnexpectedEnd, 0))),
        ];
        for (rule, input, expected) in cases {
            let got = check_bare_item(input.as_bytes(), 0)
                .map(|end| {
                    let (item, read_end) = read_bare_item(input, 0);
                    assert_eq!(read_end, end, "{rule}");
                    assert_eq!(skip_bare_item(input, 0), end, "{rule}");
                    item
                })
                .map_err(|e| (e.kind, e.offset));
            assert_eq!(got, *expected, "{rule}");
        }
    }

    #[test]
    fn accessors_match_only_their_variant() {
        assert_eq!(BareItem::Integer(5).as_integer(), Some(5));
        assert_eq!(BareItem::Integer(5).as_token(), None);
        assert_eq!(BareItem::Token("a").as_token(), Some("a"));
        assert_eq!(BareItem::Boolean(true).as_bool(), Some(true));
        assert_eq!(BareItem::Date(7).as_date(), Some(7));
        assert_eq!(
            BareItem::ByteSequence("aGk=").as_byte_sequence(),
            Some("aGk=")
        );
        assert_eq!(BareItem::DisplayString("x").as_display_string(), Some("x"));
        let d = super::Decimal::from_milli(1);
        assert_eq!(BareItem::Decimal(d).as_decimal(), Some(d));
        assert_eq!(BareItem::Integer(1).as_string(), None);
    }
}
