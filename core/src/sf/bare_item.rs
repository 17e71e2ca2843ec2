//! Bare items: the eight value types and how the first byte picks one
//! (RFC 9651 sections 3.3 and 4.2.3.1), plus the two small ones that need no
//! file of their own, Booleans (section 4.2.8) and Dates (section 4.2.9).

use super::byte_sequence::parse_byte_sequence;
use super::cursor::Cursor;
use super::display_string::parse_display_string;
use super::error::{Error, ErrorKind};
use super::number::{Decimal, Number, parse_number};
use super::string::{SfString, parse_string};
use super::token::{is_token_start, parse_token};

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

/// Parses a bare item at the cursor (RFC 9651 section 4.2.3.1).
#[inline(always)]
pub(crate) fn parse_bare_item<'a>(c: &mut Cursor<'a>) -> Result<BareItem<'a>, Error> {
    match c.peek() {
        Some(b'-' | b'0'..=b'9') => Ok(match parse_number(c)? {
            Number::Integer(v) => BareItem::Integer(v),
            Number::Decimal(v) => BareItem::Decimal(v),
        }),
        Some(b'"') => parse_string(c).map(BareItem::String),
        Some(b) if is_token_start(b) => parse_token(c).map(BareItem::Token),
        Some(b':') => parse_byte_sequence(c).map(BareItem::ByteSequence),
        Some(b'?') => parse_boolean(c).map(BareItem::Boolean),
        Some(b'@') => parse_date(c).map(BareItem::Date),
        Some(b'%') => parse_display_string(c).map(BareItem::DisplayString),
        Some(_) => Err(c.error(ErrorKind::UnexpectedCharacter)),
        None => Err(c.error(ErrorKind::UnexpectedEnd)),
    }
}

/// Parses `?0` or `?1` (RFC 9651 section 4.2.8); the cursor must be on `?`.
fn parse_boolean(c: &mut Cursor<'_>) -> Result<bool, Error> {
    c.advance();
    let value = match c.peek() {
        Some(b'1') => true,
        Some(b'0') => false,
        _ => return Err(c.error(ErrorKind::InvalidBoolean)),
    };
    c.advance();
    Ok(value)
}

/// Parses `@` followed by an Integer (RFC 9651 section 4.2.9); the cursor must be
/// on `@`.
fn parse_date(c: &mut Cursor<'_>) -> Result<i64, Error> {
    let at = c.pos();
    c.advance();
    if !matches!(c.peek(), Some(b'-' | b'0'..=b'9')) {
        return Err(c.error(ErrorKind::InvalidDate));
    }
    match parse_number(c)? {
        Number::Integer(v) => Ok(v),
        Number::Decimal(_) => Err(Error::new(ErrorKind::InvalidDate, at)),
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
            let got = parse_bare_item(&mut Cursor::new(input)).map_err(|e| (e.kind, e.offset));
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
