//! Why a Structured Field value was rejected, and where (RFC 9651 section 4.2).
//!
//! RFC 9651 section 4.2 says any parse failure makes the whole field invalid, so
//! an [`Error`] is final: it names the first rule that was broken ([`ErrorKind`])
//! and the byte offset in the field value where the reader stopped.

use core::fmt;

/// The rule of RFC 9651 section 4.2 that the input broke.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// An Item was expected but the field was empty or only spaces (section 4.2).
    Empty,
    /// The input contained a byte outside ASCII (section 4.2).
    NonAscii,
    /// The input ended where a bare item, key or more characters were expected.
    UnexpectedEnd,
    /// A bare item started with a character that starts no item type (section 4.2.3.1).
    UnexpectedCharacter,
    /// Input was left over after a complete Item (section 4.2, step 6).
    TrailingCharacters,
    /// A List or Dictionary member was followed by something other than a comma
    /// (section 4.2.1 and 4.2.2).
    ExpectedComma,
    /// A List or Dictionary ended with a comma (section 4.2.1 and 4.2.2).
    TrailingComma,
    /// An Inner List had no closing parenthesis (section 4.2.1.2).
    UnterminatedInnerList,
    /// An Inner List item was followed by something other than a space or `)`
    /// (section 4.2.1.2).
    ExpectedInnerListDelimiter,
    /// A key did not start with a lowercase letter or `*`, or held a character
    /// keys may not contain (section 4.2.3.3).
    InvalidKey,
    /// A `-` was not followed by a digit (section 4.2.4).
    InvalidNumber,
    /// An Integer had more than 15 digits (section 4.2.4).
    IntegerTooLong,
    /// A Decimal had more than 12 integer digits (section 4.2.4).
    DecimalTooLong,
    /// A Decimal had more than 3 fraction digits (section 4.2.4).
    DecimalFractionTooLong,
    /// A Decimal ended with its `.` (section 4.2.4).
    DecimalTrailingDot,
    /// A String held a character outside 0x20-0x7E (section 4.2.5).
    InvalidStringChar,
    /// A `\` in a String was followed by something other than `"` or `\` (section 4.2.5).
    InvalidEscape,
    /// A String had no closing quote (section 4.2.5).
    UnterminatedString,
    /// A Token was followed by a character that can neither continue it nor end it
    /// (section 4.2.6).
    InvalidToken,
    /// A Byte Sequence held a character outside the base64 alphabet or misplaced
    /// `=` padding (section 4.2.7).
    InvalidByteSequence,
    /// A Byte Sequence had no closing `:` (section 4.2.7).
    UnterminatedByteSequence,
    /// A `?` was not followed by `0` or `1` (section 4.2.8).
    InvalidBoolean,
    /// A `@` was not followed by an Integer (section 4.2.9).
    InvalidDate,
    /// A Display String had a bad character, a bad `%` escape, or escapes that do not
    /// decode to UTF-8 (section 4.2.10).
    InvalidDisplayString,
    /// A Display String had no closing quote (section 4.2.10).
    UnterminatedDisplayString,
}

impl ErrorKind {
    /// The rule in words, for warnings and logs.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Empty => "empty field value",
            ErrorKind::NonAscii => "non-ASCII byte",
            ErrorKind::UnexpectedEnd => "unexpected end of input",
            ErrorKind::UnexpectedCharacter => "unexpected character at start of item",
            ErrorKind::TrailingCharacters => "trailing characters after item",
            ErrorKind::ExpectedComma => "expected comma between members",
            ErrorKind::TrailingComma => "trailing comma",
            ErrorKind::UnterminatedInnerList => "unterminated inner list",
            ErrorKind::ExpectedInnerListDelimiter => "expected space or ')' after inner list item",
            ErrorKind::InvalidKey => "invalid key",
            ErrorKind::InvalidNumber => "expected digit",
            ErrorKind::IntegerTooLong => "integer longer than 15 digits",
            ErrorKind::DecimalTooLong => "decimal with more than 12 integer digits",
            ErrorKind::DecimalFractionTooLong => "decimal with more than 3 fraction digits",
            ErrorKind::DecimalTrailingDot => "decimal ending in '.'",
            ErrorKind::InvalidStringChar => "invalid character in string",
            ErrorKind::InvalidEscape => "invalid escape in string",
            ErrorKind::UnterminatedString => "unterminated string",
            ErrorKind::InvalidToken => "invalid character in token",
            ErrorKind::InvalidByteSequence => "invalid base64 in byte sequence",
            ErrorKind::UnterminatedByteSequence => "unterminated byte sequence",
            ErrorKind::InvalidBoolean => "invalid boolean",
            ErrorKind::InvalidDate => "invalid date",
            ErrorKind::InvalidDisplayString => "invalid display string",
            ErrorKind::UnterminatedDisplayString => "unterminated display string",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A rejected field value: which rule failed and at which byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Error {
    /// The rule that was broken.
    pub kind: ErrorKind,
    /// Byte offset in the input (counting leading spaces) where parsing failed.
    pub offset: usize,
}

impl Error {
    /// An error of `kind` at byte `offset`.
    pub const fn new(kind: ErrorKind, offset: usize) -> Self {
        Error { kind, offset }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}", self.kind.as_str(), self.offset)
    }
}

impl core::error::Error for Error {}

/// Fails with `kind` at byte `offset` of `input`, or with [`ErrorKind::NonAscii`]
/// when the byte there is not ASCII (no rule of RFC 9651 accepts one, so every
/// non-ASCII byte ends up here). Kept out of line: failure is the cold path.
#[cold]
#[inline(never)]
pub(crate) fn fail<T>(input: &[u8], offset: usize, kind: ErrorKind) -> Result<T, Error> {
    let kind = match input.get(offset) {
        Some(b) if !b.is_ascii() => ErrorKind::NonAscii,
        _ => kind,
    };
    Err(Error::new(kind, offset))
}

/// One row of a table-driven test: rule name, input, and the expected value or
/// `(kind, offset)` of the failure.
#[cfg(test)]
pub(crate) type Case<T> = (&'static str, &'static str, Result<T, (ErrorKind, usize)>);

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::string::ToString;

    #[test]
    fn display_names_kind_and_offset() {
        let e = Error::new(ErrorKind::TrailingComma, 7);
        assert_eq!(e.to_string(), "trailing comma at byte 7");
        assert_eq!(
            ErrorKind::IntegerTooLong.to_string(),
            "integer longer than 15 digits"
        );
    }
}
